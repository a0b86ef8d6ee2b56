# Errors meant for users: one condition class per problem, all inheriting
# "ungp_catalog_error", with a message that says what is wrong and how to fix it
# (the same wording as Python's ungp_catalogs.errors, so the docs cover both).

catalog_error <- function(class, message, ...) {
  structure(
    class = c(class, "ungp_catalog_error", "error", "condition"),
    list(message = message, call = NULL, ...)
  )
}

checksum_mismatch <- function(entry, path, expected, actual) {
  catalog_error(
    "ungp_checksum_mismatch",
    sprintf(paste0(
      "entry '%s': file %s is corrupted or was modified (sha256 %s..., catalogue says %s...). ",
      "Refusing to return its data. Rebuild the data with `ungp catalog build` or restore ",
      "the file, then run `ungp catalog validate`."
    ), entry, path, substr(actual, 1, 16), substr(expected, 1, 16)),
    entry = entry, path = path, expected = expected, actual = actual
  )
}

missing_data_file <- function(entry, path) {
  catalog_error(
    "ungp_missing_file",
    sprintf(paste0(
      "entry '%s': file %s is missing. Rebuild the data with `ungp catalog build` or ",
      "restore the file, then run `ungp catalog validate`."
    ), entry, path),
    entry = entry, path = path
  )
}

unknown_entry <- function(name, known) {
  close <- known[utils::adist(name, known, ignore.case = TRUE) <= max(2, nchar(name) %/% 3)]
  hint <- if (length(close)) {
    sprintf(" Did you mean: %s?", paste(utils::head(close, 3), collapse = ", "))
  } else {
    " Run `ungp_catalog()` to see the entries."
  }
  catalog_error("ungp_unknown_entry", sprintf("no catalogue entry named '%s'.%s", name, hint),
                name = name)
}

catalog_not_found <- function(path) {
  catalog_error(
    "ungp_catalog_not_found",
    sprintf(paste0(
      "no catalogue at %s. Build one with `ungp catalog build --scale small --out DIR`, ",
      "or set UNGP_CATALOG (or pass catalog =) to an existing catalogue."
    ), path),
    path = path
  )
}

malformed_catalog <- function(path, problem) {
  catalog_error(
    "ungp_malformed_catalog",
    sprintf(paste0(
      "malformed catalogue file %s: %s. Fix the file or rebuild the catalogue with ",
      "`ungp catalog build`."
    ), path, problem),
    path = path
  )
}

unsupported_format <- function(entry, format, advice) {
  catalog_error(
    "ungp_unsupported_format",
    sprintf("entry '%s': format '%s' cannot be read from R: %s", entry, format, advice),
    entry = entry, format = format
  )
}

python_failed <- function(what, output) {
  catalog_error(
    "ungp_python_failed",
    sprintf(paste0(
      "%s needs the image's Python (set UNGP_PYTHON to a python with pyarrow and ",
      "ungp_catalogs if it is elsewhere); it failed:\n%s"
    ), what, paste(utils::tail(output, 20), collapse = "\n"))
  )
}
