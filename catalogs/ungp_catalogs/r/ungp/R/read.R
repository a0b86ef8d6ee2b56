# Reading an entry's files after verifying them, by format. Parquet: Debian has no R
# package that reads Parquet (no arrow, nanoparquet or duckdb), so the image's own pyarrow
# turns the verified files into an Arrow IPC stream that nanoarrow reads natively: no
# Python objects cross over, only Arrow memory layout (see docs/r.md).

#' Read a catalogue entry (a name or an ungp_entry) after checking the sha256 of its files.
#'
#' Parquet and CSV give a data.frame, GeoParquet and GeoPackage an sf data frame, `lines` a
#' character vector and `text` one string. A damaged or altered file stops with an error of
#' class "ungp_checksum_mismatch" instead of returning data.
#' @export
ungp_read <- function(entry, catalog = NULL, columns = NULL) {
  entry <- ungp_entry(entry, catalog)
  paths <- ungp_verify(entry)
  options <- entry$read_options
  switch(entry$format,
    parquet = read_parquet(paths, columns),
    geoparquet = read_parquet(paths, columns, geo = TRUE),
    csv = read_csv_files(paths, options),
    geopackage = ,
    gpkg = read_geopackage(paths),
    lines = unlist(lapply(paths, readLines, encoding = "UTF-8"), use.names = FALSE),
    text = paste(vapply(paths, function(p) {
      paste(readLines(p, encoding = "UTF-8", warn = FALSE), collapse = "\n")
    }, ""), collapse = ""),
    geotiff = stop(unsupported_format(
      entry$name, "geotiff",
      "use Python (ungp_catalogs.read_entry) or the entry's Parquet time series"
    )),
    stop(unsupported_format(entry$name, entry$format, "upgrade the ungp R package"))
  )
}

PARQUET_TO_ARROW <- "
import json, sys
import pyarrow as pa, pyarrow.ipc as ipc, pyarrow.parquet as pq
out, columns, paths = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3:]
tables = [pq.read_table(p, columns=columns or None) for p in paths]
table = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
geo = json.loads((table.schema.metadata or {}).get(b'geo', b'null') or 'null')
fields = []
for field in table.schema:
    kind = field.type
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if pa.types.is_large_string(kind):
        kind = pa.string()
    if pa.types.is_large_binary(kind):
        kind = pa.binary()
    if pa.types.is_decimal(kind):
        kind = pa.float64()
    fields.append(pa.field(field.name, kind))
table = table.cast(pa.schema(fields))
with ipc.new_stream(out, table.schema) as writer:
    writer.write_table(table)
crs = {}
if geo:
    from pyproj import CRS
    for name, column in geo.get('columns', {}).items():
        given = column.get('crs', 'OGC:CRS84')
        crs[name] = '' if given is None else CRS.from_user_input(given).to_wkt()
print(json.dumps(crs))
"

read_parquet <- function(paths, columns = NULL, geo = FALSE) {
  stream <- tempfile(fileext = ".arrows")
  on.exit(unlink(stream), add = TRUE)
  columns_json <- as.character(jsonlite::toJSON(as.character(columns %||% character())))
  output <- run_python(PARQUET_TO_ARROW, c(stream, columns_json, paths), "reading Parquet")
  frame <- as.data.frame(nanoarrow::read_nanoarrow(stream))
  if (!geo) return(frame)
  crs <- jsonlite::fromJSON(utils::tail(output, 1), simplifyVector = FALSE)
  if (!requireNamespace("sf", quietly = TRUE)) {
    stop(unsupported_format("?", "geoparquet", "install the sf package (r-cran-sf)"))
  }
  for (column in names(crs)) {
    wkb <- structure(lapply(frame[[column]], as.raw), class = "WKB")
    frame[[column]] <- sf::st_as_sfc(wkb, crs = if (nzchar(crs[[column]])) crs[[column]] else NA)
  }
  sf::st_as_sf(frame, sf_column_name = names(crs)[[1]])
}

read_csv_files <- function(paths, options) {
  frames <- lapply(paths, function(path) {
    frame <- utils::read.csv(path, stringsAsFactors = FALSE, check.names = FALSE,
                             na.strings = c("", "NA"), encoding = "UTF-8")
    for (column in names(options$columns_from_filename)) {
      pattern <- paste0("^", options$columns_from_filename[[column]], "$")
      name <- basename(path)
      frame[[column]] <- if (grepl(pattern, name, perl = TRUE)) {
        sub(pattern, "\\1", name, perl = TRUE)
      } else {
        NA_character_
      }
    }
    frame
  })
  if (length(frames) == 1) frames[[1]] else do.call(rbind, frames)
}

read_geopackage <- function(paths) {
  frames <- lapply(paths, function(path) sf::st_read(path, quiet = TRUE))
  if (length(frames) == 1) frames[[1]] else do.call(rbind, frames)
}
