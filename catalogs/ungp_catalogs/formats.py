"""File formats the checksum-verifying reader understands.

A format says which Intake container it produces, how to read a list of files into one object
and how to count the rows of one file at build time. Add a format here (GeoTIFF, Zarr,
GeoParquet...) when a domain needs one; `register_format` keeps the table open for extension.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Reader = Callable[[list[Path], dict[str, Any]], Any]
RowCounter = Callable[[Path, dict[str, Any]], "int | None"]


@dataclass(frozen=True)
class DataFormat:
    name: str
    container: str
    read: Reader
    count_rows: RowCounter


def _read_parquet(paths: list[Path], options: dict[str, Any]) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = [pq.read_table(p, columns=options.get("columns")) for p in paths]
    return pa.concat_tables(tables).to_pandas()


def _count_parquet(path: Path, options: dict[str, Any]) -> int:
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def _read_csv(paths: list[Path], options: dict[str, Any]) -> Any:
    import pandas as pd

    frames = []
    for p in paths:
        frame = pd.read_csv(p, **options.get("csv", {}))
        for column, pattern in options.get("columns_from_filename", {}).items():
            frame[column] = _from_filename(p.name, pattern)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _from_filename(filename: str, pattern: str) -> str | None:
    import re

    match = re.fullmatch(pattern, filename)
    return match.group(1) if match else None


def _count_csv(path: Path, options: dict[str, Any]) -> int:
    """Data lines after the header; our CSVs have no quoted line breaks (the folder-driven
    tests compare this count with what pandas reads)."""
    raw = path.read_bytes()
    lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") or not raw else 1)
    return max(0, lines - 1)


def _read_lines(paths: list[Path], options: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for p in paths:
        lines.extend(p.read_text(encoding="ascii").splitlines())
    return lines


def _count_lines(path: Path, options: dict[str, Any]) -> int:
    return len(path.read_text(encoding="ascii").splitlines())


def _read_text(paths: list[Path], options: dict[str, Any]) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in paths)


def _no_rows(path: Path, options: dict[str, Any]) -> None:
    return None


FORMATS: dict[str, DataFormat] = {}


def register_format(fmt: DataFormat) -> None:
    """Make a format usable by entries (`format:` in an entry's metadata)."""
    FORMATS[fmt.name] = fmt


def _read_geoparquet(paths: list[Path], options: dict[str, Any]) -> Any:
    import geopandas as gpd
    import pandas as pd

    frames = [gpd.read_parquet(p, columns=options.get("columns")) for p in paths]
    if len(frames) == 1:
        return frames[0]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)


def _read_geotiff(paths: list[Path], options: dict[str, Any]) -> Any:
    """A stack of single-date rasters as an xarray DataArray (time, band, y, x).

    The acquisition date of each file comes from its name (`read_options.time_from_filename`,
    a regex with one group); band names from the GeoTIFF band descriptions.
    """
    try:
        import numpy as np
        import rasterio
        import xarray as xr
    except ImportError as exc:
        from .errors import CatalogError

        raise CatalogError(
            f"reading GeoTIFF entries needs rasterio and xarray ({exc}); install them with "
            "`pip install rasterio xarray` or read the Parquet time-series entry instead"
        ) from exc
    pattern = options.get("time_from_filename", r"(.*)\.tif")
    arrays, times = [], []
    for p in paths:
        with rasterio.open(p) as src:
            arrays.append(src.read())
            bands = [d or f"band{i + 1}" for i, d in enumerate(src.descriptions)]
            transform, crs, (h, w) = src.transform, src.crs, (src.height, src.width)
        times.append(np.datetime64(_from_filename(p.name, pattern)))
    x = transform.c + (np.arange(w) + 0.5) * transform.a
    y = transform.f + (np.arange(h) + 0.5) * transform.e
    return xr.DataArray(
        np.stack(arrays),
        dims=("time", "band", "y", "x"),
        coords={"time": np.array(times, dtype="datetime64[ns]"), "band": bands, "y": y, "x": x},
        attrs={"crs": crs.to_string() if crs else "", "transform": tuple(transform)[:6]},
        name="reflectance",
    )


def _count_raster(path: Path, options: dict[str, Any]) -> int:
    """One raster file is one acquisition: its "row" in a time stack."""
    return 1


register_format(DataFormat("parquet", "dataframe", _read_parquet, _count_parquet))
register_format(DataFormat("geoparquet", "dataframe", _read_geoparquet, _count_parquet))
register_format(DataFormat("geotiff", "xarray", _read_geotiff, _count_raster))
register_format(DataFormat("csv", "dataframe", _read_csv, _count_csv))
register_format(DataFormat("lines", "python", _read_lines, _count_lines))
register_format(DataFormat("text", "python", _read_text, _no_rows))
