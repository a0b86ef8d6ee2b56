# The clean R process in which an R notebook's instructor cells run (clean_r.py embeds R in
# a process forked from the executor, before any submission: no trainee code ever runs here).
# It talks to the executor over two pipes with multiprocessing's framing (4-byte big-endian
# length, then the bytes), one JSON header per message:
#   executor -> here: {"op": "run", "source": ...}; {"op": "bind"} + values; {"op": "result"}
#                     + answer (or {"op": "result", "error": why})
#   here -> executor: {"op": "ready"}; {"op": "need", "names": [...]} (the names the cell
#                     reads that instructor code did not bind); {"op": "call"} + request (a
#                     test called a trainee's function); {"op": "done", "outputs", "error"}
# Trainee values arrive as data (values.R). A name bound by instructor code, any name of base
# R, and any function of an attached package (by a function) (stopifnot, expect_equal, all.equal...) is never
# replaced by a trainee's value.

ungp_serve <- function(in_fd, out_fd, values_file) {
  sys.source(values_file, envir = environment())
  encode <- ungp_values$encode
  decode <- ungp_values$decode
  strings <- ungp_values$strings
  input <- file(sprintf("/proc/self/fd/%d", in_fd), "rb")
  output <- file(sprintf("/proc/self/fd/%d", out_fd), "wb")
  from_trainee <- new.env(parent = emptyenv())  # name -> the value bound, while unchanged
  global <- globalenv()
  syntax <- c("{", "(", "<-", "<<-", "=", "->", "if", "for", "while", "repeat", "function",
              "return", "::", ":::", "$", "@", "[", "[[", "~", "?")

  send <- function(header, data = NULL) {
    for (bytes in c(list(charToRaw(enc2utf8(jsonlite::toJSON(header, auto_unbox = TRUE)))),
                    if (!is.null(data)) list(data))) {
      writeBin(length(bytes), output, size = 4L, endian = "big")
      writeBin(bytes, output)
    }
    flush(output)
  }
  receive <- function() {
    size <- readBin(input, "integer", n = 1L, size = 4L, endian = "big")
    if (length(size) == 0L) stop("closed")
    bytes <- readBin(input, "raw", n = size)
    if (length(bytes) != size) stop("closed")
    bytes
  }
  receive_json <- function() jsonlite::fromJSON(rawToChar(receive()), simplifyVector = FALSE)

  refused_marker <- new.env()
  owned <- function(name) {
    if (exists(name, envir = baseenv(), inherits = FALSE)) return(TRUE)
    if (exists(name, envir = global, inherits = FALSE)) {
      if (bindingIsActive(name, global)) {
        return(!identical(get0(name, envir = from_trainee), refused_marker))
      }
      return(!exists(name, envir = from_trainee, inherits = FALSE) ||
        !identical(get(name, envir = from_trainee), get(name, envir = global)))
    }
    FALSE
  }
  # a package's function (stopifnot is base; expect_equal, all_equal...) is never masked by
  # a trainee's function; data of the same name (`df`, `data`) may cross: R looks up only
  # functions for a call
  masks_a_function <- function(name, node) {
    identical(node$t, "function") && exists(name, envir = parent.env(global), mode = "function")
  }

  proxy <- function(name) {
    force(name)
    function(...) call_trainee(name, list(...))
  }
  call_trainee <- function(name, args) {
    request <- list(name = name, args = lapply(args, encode), names = as.list(names(args)))
    send(list(op = "call"), charToRaw(enc2utf8(jsonlite::toJSON(
      request, auto_unbox = TRUE, null = "null", na = "null", digits = NA))))
    header <- receive_json()
    answer <- receive()
    if (!is.null(header$error)) stop(paste("the trainee's code:", header$error), call. = FALSE)
    tree <- jsonlite::fromJSON(rawToChar(answer), simplifyVector = FALSE)
    if (!is.null(tree$error)) stop(paste(unlist(tree$error), collapse = ": "), call. = FALSE)
    decode(tree$ok, on_function = function() stop("a function cannot be returned to a test"))
  }

  # The packages the trainee attached (library(ungp) in a cell the tests rely on), attached
  # here from the image's library only, never masking a function of base R.
  attach_packages <- function(node) {
    wanted <- tryCatch(rev(strings(node$v)), error = function(e) character())
    attached <- sub("^package:", "", search())
    for (package in setdiff(wanted[grepl("^[A-Za-z][A-Za-z0-9.]*$", wanted)], attached)) {
      if (!nzchar(system.file(package = package))) next
      tryCatch(suppressWarnings(suppressMessages(library(
        package, character.only = TRUE, exclude = ls(baseenv(), all.names = TRUE)
      ))), error = function(e) NULL)
    }
  }

  bind <- function(bytes) {
    tree <- tryCatch(jsonlite::fromJSON(rawToChar(bytes), simplifyVector = FALSE),
                     error = function(e) list())
    attach_packages(tree[["(packages)"]])
    for (name in setdiff(names(tree), "(packages)")) {
      if (!nzchar(name) || owned(name) || masks_a_function(name, tree[[name]])) next
      why <- NULL
      value <- tryCatch(decode(tree[[name]], on_function = function() proxy(name)),
                        error = function(e) why <<- conditionMessage(e))
      if (exists(name, envir = global, inherits = FALSE)) rm(list = name, envir = global)
      if (!is.null(why)) {  # reading the name is an error that says why
        message <- sprintf("the trainee's `%s` could not be used by the tests (%s)", name, why)
        makeActiveBinding(name, function() stop(message, call. = FALSE), global)
        assign(name, refused_marker, envir = from_trainee)
        next
      }
      assign(name, value, envir = global)
      assign(name, value, envir = from_trainee)
    }
  }

  run <- function(source) {
    out <- list()
    add_stream <- function(name, text) {
      if (!nzchar(text)) return()
      last <- length(out)
      if (last && out[[last]]$output_type == "stream" && out[[last]]$name == name) {
        out[[last]]$text <<- paste0(out[[last]]$text, text)
      } else {
        out[[last + 1L]] <<- list(output_type = "stream", name = name, text = text)
      }
    }
    error <- FALSE
    exprs <- tryCatch(parse(text = source, keep.source = FALSE), error = function(e) e)
    if (inherits(exprs, "error")) {
      error <- conditionMessage(exprs)
      exprs <- list()
    } else {
      needed <- setdiff(unique(all.names(exprs)), syntax)
      needed <- needed[!vapply(needed, owned, logical(1))]
      send(list(op = "need", names = as.list(needed)))
      header <- receive_json()
      if (identical(header$op, "bind")) bind(receive())
    }
    for (expression in exprs) {
      text <- textConnection("captured", "w", local = TRUE)
      sink(text)
      failure <- tryCatch(
        withCallingHandlers(
          {
            result <- withVisible(eval(expression, global))
            if (result$visible) print(result$value)
            NULL
          },
          message = function(m) {
            add_stream("stderr", conditionMessage(m))
            invokeRestart("muffleMessage")
          },
          warning = function(w) {
            add_stream("stderr", paste0("Warning message:\n", conditionMessage(w), "\n"))
            invokeRestart("muffleWarning")
          }
        ),
        error = function(e) e,
        interrupt = function(i) simpleError("interrupted at the cell's time limit")
      )
      sink()
      close(text)
      if (length(captured)) add_stream("stdout", paste0(paste0(captured, collapse = "\n"), "\n"))
      if (!is.null(failure)) {
        error <- conditionMessage(failure)
        break
      }
    }
    if (!isFALSE(error)) {
      out[[length(out) + 1L]] <- list(output_type = "error", ename = "ERROR", evalue = error,
                                      traceback = list(paste("Error:", error)))
    }
    # a trainee's value that instructor code replaced is the instructor's from now on
    for (name in ls(from_trainee, all.names = TRUE)) {
      if (exists(name, envir = global, inherits = FALSE) && bindingIsActive(name, global)) next
      if (!exists(name, envir = global, inherits = FALSE) ||
          !identical(get(name, envir = from_trainee), get(name, envir = global))) {
        rm(list = name, envir = from_trainee)
      }
    }
    list(op = "done", outputs = out, error = !isFALSE(error))
  }

  send(list(op = "ready"))
  repeat {
    message <- tryCatch(receive_json(), error = function(e) NULL)
    if (is.null(message)) break
    if (identical(message$op, "run")) send(run(as.character(message$source)))
  }
}
