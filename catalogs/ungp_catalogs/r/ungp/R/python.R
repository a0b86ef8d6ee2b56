# The image's Python, run as a separate process: it reads Parquet for R (read.R) and lets
# R code compare its results with the trusted Python methods (ungp_methods), which is how
# the hidden tests of the R assignments check a trainee's numbers.

python_executable <- function() {
  chosen <- Sys.getenv("UNGP_PYTHON", "")
  if (nzchar(chosen)) return(chosen)
  if (file.exists("/opt/ungp/bin/python")) return("/opt/ungp/bin/python")
  "python3"
}

run_python <- function(code, args = character(), what = "this") {
  script <- tempfile(fileext = ".py")
  on.exit(unlink(script), add = TRUE)
  writeLines(code, script)
  errors <- tempfile(fileext = ".txt")
  on.exit(unlink(errors), add = TRUE)
  output <- suppressWarnings(system2(
    python_executable(), c(shQuote(script), shQuote(args)), stdout = TRUE, stderr = errors
  ))
  status <- attr(output, "status")
  if (!is.null(status) && status != 0) {
    stop(python_failed(what, c(output, readLines(errors, warn = FALSE))))
  }
  output
}

#' Run Python code in the image's Python and return what it prints as JSON, parsed.
#'
#' `code` must print exactly one JSON document as its last line of output, e.g.
#' `ungp_py("import json; print(json.dumps({'a': 1}))")`. The Python process sees the same
#' catalogue ($UNGP_CATALOG), so R results can be checked against ungp_methods.
#' @export
ungp_py <- function(code, simplify = TRUE) {
  output <- run_python(code, what = "ungp_py()")
  output <- output[nzchar(output)]
  jsonlite::fromJSON(utils::tail(output, 1), simplifyVector = simplify)
}
