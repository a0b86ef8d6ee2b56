# Reading the catalogue YAML: the same files, the same rules as Python's
# ungp_catalogs.catalog_files (root catalogue -> one catalogue per domain -> entries;
# a restricted domain that is not mounted in this container is skipped).

#' Where the root catalogue is: `catalog`, else $UNGP_CATALOG, else /srv/data/catalog.yaml.
#' A data directory is accepted as well as the catalogue file itself.
#' @export
ungp_catalog_location <- function(catalog = NULL) {
  chosen <- catalog
  if (is.null(chosen) || !nzchar(chosen)) chosen <- Sys.getenv("UNGP_CATALOG", "")
  if (!nzchar(chosen)) chosen <- "/srv/data/catalog.yaml"
  if (dir.exists(chosen)) chosen <- file.path(chosen, "catalog.yaml")
  normalizePath(chosen, mustWork = FALSE)
}

read_catalog_yaml <- function(path) {
  if (!file.exists(path)) stop(catalog_not_found(path))
  data <- tryCatch(
    yaml::read_yaml(path),
    error = function(e) stop(malformed_catalog(path, conditionMessage(e)))
  )
  if (!is.list(data) || !is.list(data$sources)) {
    stop(malformed_catalog(path, "expected a mapping with a 'sources:' mapping"))
  }
  data
}

domain_catalogs <- function(root) {
  sources <- read_catalog_yaml(root)$sources
  paths <- character()
  for (domain in names(sources)) {
    body <- sources[[domain]]
    rel <- as.character(body$args$path %||% "")
    rel <- gsub("{{ CATALOG_DIR }}", dirname(root), rel, fixed = TRUE)
    rel <- gsub("{{CATALOG_DIR}}", dirname(root), rel, fixed = TRUE)
    if (!nzchar(rel)) stop(malformed_catalog(root, sprintf("'%s' has no path", domain)))
    restricted <- identical(body$metadata$access, "restricted")
    if (restricted && !file.exists(rel)) next
    paths[[domain]] <- rel
  }
  paths
}

load_entries <- function(catalog = NULL) {
  root <- ungp_catalog_location(catalog)
  entries <- list()
  for (domain_path in domain_catalogs(root)) {
    domain <- basename(dirname(domain_path))
    sources <- read_catalog_yaml(domain_path)$sources
    for (name in names(sources)) {
      body <- sources[[name]]
      files <- body$metadata$files
      ok <- is.list(files) && all(vapply(files, function(f) {
        is.character(f$path) && is.character(f$sha256)
      }, logical(1)))
      if (!ok) {
        stop(malformed_catalog(domain_path, sprintf(
          "entry '%s' needs metadata.files: a list of {path, sha256, bytes, rows}", name
        )))
      }
      entries[[name]] <- structure(
        list(
          name = name,
          domain = domain,
          format = body$args$format,
          read_options = body$args$read_options %||% list(),
          description = body$description %||% "",
          metadata = body$metadata,
          catalog_dir = dirname(domain_path)
        ),
        class = "ungp_entry"
      )
    }
  }
  entries
}

#' Every entry of the catalogue, one row each (name, domain, format, role, rows, licence,
#' title), for browsing; read one with ungp_read(name).
#' @export
ungp_catalog <- function(catalog = NULL) {
  entries <- load_entries(catalog)
  field <- function(e, key) {
    value <- e$metadata[[key]]
    if (is.null(value)) NA else value
  }
  data.frame(
    name = names(entries),
    domain = vapply(entries, function(e) e$domain, ""),
    format = vapply(entries, function(e) e$format, ""),
    role = vapply(entries, function(e) as.character(field(e, "role")), ""),
    rows = vapply(entries, function(e) as.numeric(field(e, "rows")), 0),
    licence = vapply(entries, function(e) as.character(field(e, "licence")), ""),
    title = vapply(entries, function(e) as.character(field(e, "title")), ""),
    row.names = NULL,
    stringsAsFactors = FALSE
  )
}

#' One entry by name: its metadata (provenance, licence, variables, files with sha256...).
#' @export
ungp_entry <- function(name, catalog = NULL) {
  if (inherits(name, "ungp_entry")) return(name)
  entries <- load_entries(catalog)
  if (!name %in% names(entries)) stop(unknown_entry(name, names(entries)))
  entries[[name]]
}

#' @export
print.ungp_entry <- function(x, ...) {
  md <- x$metadata
  cat(sprintf("<ungp_entry %s> %s\n", x$name, md$title %||% ""))
  cat(sprintf("  domain %s, format %s, %s rows, licence %s, version %s\n", x$domain,
              x$format, format(md$rows %||% NA), md$licence %||% "?", md$version %||% "?"))
  cat(sprintf("  %d data file(s) under %s\n", length(data_files(x)), x$catalog_dir))
  invisible(x)
}

data_files <- function(entry) {
  Filter(function(f) identical(f$kind %||% "data", "data"), entry$metadata$files)
}

#' Hex sha256 of a file's bytes (streamed by digest, so large files are fine).
#' @export
ungp_sha256 <- function(path) {
  digest::digest(path.expand(as.character(path)), algo = "sha256", file = TRUE)
}

#' Paths (as recorded in the catalogue) of the entry's data files whose bytes differ from
#' the recorded sha256 or that are missing; character(0) when all is well.
#' @export
ungp_damaged_files <- function(entry, catalog = NULL) {
  entry <- ungp_entry(entry, catalog)
  bad <- character()
  for (f in data_files(entry)) {
    path <- file.path(entry$catalog_dir, f$path)
    if (!file.exists(path) || ungp_sha256(path) != f$sha256) bad <- c(bad, f$path)
  }
  bad
}

#' Stop with a ungp_checksum_mismatch (or ungp_missing_file) error unless every data file
#' of the entry matches its sha256; returns the verified paths invisibly.
#' @export
ungp_verify <- function(entry, catalog = NULL) {
  entry <- ungp_entry(entry, catalog)
  paths <- character()
  for (f in data_files(entry)) {
    path <- file.path(entry$catalog_dir, f$path)
    if (!file.exists(path)) stop(missing_data_file(entry$name, path))
    actual <- ungp_sha256(path)
    if (actual != f$sha256) stop(checksum_mismatch(entry$name, path, f$sha256, actual))
    paths <- c(paths, path)
  }
  invisible(paths)
}

`%||%` <- function(a, b) if (is.null(a)) b else a
