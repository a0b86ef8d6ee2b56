# Trainee values as plain data (JSON), both ways: the clean R process (clean_interpreter.R)
# and the trainee's kernel (the executor sends this file there before each export or call)
# share these two functions. Nothing here evaluates what it decodes: no parse, no eval, no
# unserialize/readRDS. Doubles travel as C99 hex strings ("%a"), so they arrive bit for bit.
#
# A node is list(t = "null" | "atomic" | "list" | "function" | "refused", ...):
#   atomic: type (logical, integer, double, character), v (strings, null for NA), a (attributes)
#   list:   v (nodes), a (attributes);  function: a trainee's function, called by reference
#   refused: why (the reason the value cannot cross)
# Only these attributes cross; a class crosses only when base R or a recommended package
# defines it (a class of the trainee's own, with its own `==` or print methods, is dropped:
# the value arrives as its plain base type).

ungp_values <- local({
  kept_attributes <- c("names", "dim", "dimnames", "class", "levels", "row.names", "tzone",
                       "units")
  kept_classes <- c("factor", "ordered", "data.frame", "Date", "POSIXct", "POSIXt", "difftime",
                    "table", "matrix", "array", "tbl_df", "tbl", "noquote")
  max_depth <- 50L

  encode <- function(x, depth = 0L) {
    if (depth > max_depth) return(list(t = "refused", why = "nested too deeply"))
    if (is.null(x)) return(list(t = "null"))
    if (is.function(x)) return(list(t = "function"))
    if (isS4(x) || is.environment(x)) {
      return(list(t = "refused", why = paste("a", class(x)[1], "cannot cross as data")))
    }
    type <- typeof(x)
    attrs <- attributes(x)
    attrs <- attrs[intersect(names(attrs), kept_attributes)]
    if (!is.null(attrs$class)) attrs$class <- intersect(attrs$class, kept_classes)
    if (length(attrs$class) == 0L) attrs$class <- NULL
    encoded_attrs <- lapply(attrs, encode, depth = depth + 1L)
    if (type %in% c("logical", "integer", "double", "character")) {
      u <- as.vector(unclass(x))
      values <- if (type == "double") sprintf("%a", u) else as.character(u)
      nan <- if (type == "double") is.nan(u) else FALSE
      values[is.na(u) & !nan] <- NA  # a double's NaN stays "NaN"
      return(list(t = "atomic", type = type, v = as.list(values), a = encoded_attrs))
    }
    if (type == "list") {
      items <- lapply(unclass(x), encode, depth = depth + 1L)
      names(items) <- NULL
      return(list(t = "list", v = items, a = encoded_attrs))
    }
    list(t = "refused", why = paste("a value of type", type, "cannot cross as data"))
  }

  strings <- function(v) {
    if (!is.list(v)) v <- as.list(v)
    vapply(v, function(e) {
      if (is.null(e)) NA_character_ else if (is.character(e) && length(e) == 1L) e
      else stop("not a string")
    }, character(1), USE.NAMES = FALSE)
  }

  # function(name) -> the value a name bound to a trainee's function becomes (a proxy in
  # the clean process; the function itself in the trainee's kernel).
  decode <- function(node, on_function, depth = 0L) {
    if (depth > max_depth || !is.list(node) || !is.character(node$t)) stop("malformed value")
    switch(node$t,
      null = NULL,
      `function` = on_function(),
      refused = stop(paste("refused:", paste(as.character(node$why), collapse = " "))),
      atomic = ,
      list = {
        if (node$t == "atomic") {
          v <- strings(node$v)
          value <- switch(node$type,
            logical = as.logical(v),
            integer = as.integer(v),
            double = { n <- suppressWarnings(as.numeric(v)); n[v %in% "NaN"] <- NaN; n },
            character = v,
            stop("malformed value")
          )
        } else {
          items <- if (is.null(node$v)) list() else node$v
          value <- lapply(items, decode, on_function = on_function, depth = depth + 1L)
        }
        a <- node$a
        if (length(a)) {
          a <- a[intersect(names(a), kept_attributes)]
          a <- lapply(a, decode, on_function = function() stop("malformed value"),
                      depth = depth + 1L)
          if (!is.null(a$class)) a$class <- intersect(as.character(a$class), kept_classes)
          if (length(a$class) == 0L) a$class <- NULL
          if (length(a)) attributes(value) <- a
        }
        value
      },
      stop("malformed value")
    )
  }
  list(encode = encode, decode = decode, strings = strings)
})
