"""Byte-deterministic file writers.

Same seed -> byte-identical files is what lets `validate` and the tests compare builds by
sha256. Parquet is the risky one: every option that changes the bytes is pinned here
(compression and level, row-group size, format and page versions, dictionary use, statistics)
and the schema metadata is dropped, because pandas writes its version and index layout there.
Text is written with "\n" line ends and UTF-8 whatever the platform.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "row_group_size": 1_048_576,
    "version": "2.6",
    "data_page_version": "1.0",
    "use_dictionary": True,
    "write_statistics": True,
    "write_page_index": False,
    "store_schema": True,
}


def write_parquet(table: Any, path: Path) -> None:
    """Write a pyarrow Table (or a pandas DataFrame, converted without its index)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not isinstance(table, pa.Table):
        table = pa.Table.from_pandas(table, preserve_index=False)
    table = table.replace_schema_metadata(None)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, **PARQUET_OPTIONS)


def write_csv(frame: Any, path: Path) -> None:
    """Write a pandas DataFrame as CSV without index, "\n" line ends, full float precision."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        frame.to_csv(f, index=False, lineterminator="\n", float_format="%.10g")


def write_text(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def geoparquet_table(frame: Any, columns: dict[str, Any]) -> Any:
    """A pyarrow Table in GeoParquet 1.1 layout: attribute columns, then WKB geometry.

    `columns` maps names to pyarrow arrays (built by the caller with pinned types);
    `frame` is a GeoDataFrame whose active geometry becomes the `geometry` column. The "geo"
    schema metadata is written by hand (not by geopandas) so no library version ends up in the
    file, and it is the only metadata key kept.
    """
    import json

    import pyarrow as pa
    import shapely

    geoms = frame.geometry.to_numpy()
    wkb = shapely.to_wkb(geoms, hex=False, output_dimension=2, byte_order=1)
    types = sorted({shapely.get_type_id(g) for g in geoms})
    names = {
        0: "Point",
        1: "LineString",
        3: "Polygon",
        4: "MultiPoint",
        5: "MultiLineString",
        6: "MultiPolygon",
    }
    bounds = shapely.total_bounds(geoms)
    geo = {
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "crs": frame.crs.to_json_dict() if frame.crs is not None else None,
                "geometry_types": [names[t] for t in types],
                "bbox": [round(float(b), 6) for b in bounds],
            }
        },
    }
    arrays = dict(columns)
    arrays["geometry"] = pa.array(list(wkb), pa.binary())
    table = pa.table(arrays)
    return table.replace_schema_metadata({"geo": json.dumps(geo, sort_keys=True)})


def write_geoparquet(table: Any, path: Path) -> None:
    """Write a table from `geoparquet_table`, keeping only its "geo" metadata."""
    import pyarrow.parquet as pq

    geo = (table.schema.metadata or {}).get(b"geo")
    if geo is None:
        raise ValueError("a GeoParquet table needs its 'geo' schema metadata")
    table = table.replace_schema_metadata({b"geo": geo})
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, **PARQUET_OPTIONS)


GEOTIFF_OPTIONS: dict[str, Any] = {
    "driver": "GTiff",
    "compress": "deflate",
    "predictor": 2,
    "tiled": False,
    "interleave": "band",
}


def write_geotiff(
    bands: Any,
    path: Path,
    *,
    crs: str,
    transform: tuple[float, ...],
    names: list[str],
    nodata: float | None = None,
) -> None:
    """Write a (band, y, x) array as a north-up GeoTIFF with named bands.

    `transform` is GDAL's (x0, pixel_width, 0, y0, 0, -pixel_height). GDAL writes no time
    stamp unless asked (TIFFTAG_DATETIME), so the same array gives the same bytes.
    """
    import rasterio
    from rasterio.transform import Affine

    count, height, width = bands.shape
    path.parent.mkdir(parents=True, exist_ok=True)
    profile = dict(
        GEOTIFF_OPTIONS,
        count=count,
        height=height,
        width=width,
        dtype=str(bands.dtype),
        crs=crs,
        transform=Affine.from_gdal(*transform),
        nodata=nodata,
    )
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(bands)
        for i, name in enumerate(names, start=1):
            dst.set_band_description(i, name)
