"""ungp_catalogs: the trusted data catalogues of ungp-hub.

Reading (trainee side)
----------------------
The root catalogue of a data directory is ``<data>/catalog.yaml`` (in the hub's containers
``/srv/data/catalog.yaml``). ``ungp_catalogs.open_catalog()`` opens the file named by the
environment variable ``UNGP_CATALOG``, else ``/srv/data/catalog.yaml``; plain
``intake.open_catalog("/srv/data/catalog.yaml")`` works as well. Entries sit in one
sub-catalogue per domain: ``cat.ais.ais_pings.read()``. Every entry's reader
(`source.VerifiedSource`) recomputes the sha256 of its files first and raises
`errors.ChecksumMismatch` naming the entry and file instead of returning altered data.
``ungp_catalogs.read_entry("ais_pings")`` finds an entry by its (unique) name.

Access levels are enforced by what the hub mounts: a domain directory is the unit, so all
entries of a domain share one access level (the build refuses a mix) and a ``restricted``
domain (e.g. privacy) is mounted only for the groups the site settings allow. Readers skip a
restricted domain whose directory is absent; ``validate`` (on the hub host) does not.

Adding a domain (the contract)
------------------------------
1. Create ``ungp_catalogs/domains/<name>.py``. It is discovered automatically (modules whose
   name starts with "_" are skipped). It must define::

       DOMAIN = Domain(name="mobile", title="Mobile phone data", task_team="...",
                       description="...", version="1.0", requires=())

       def build(ctx: BuildContext) -> None: ...

   ``requires`` lists domains whose built entries you read with ``ctx.read_entry(name)``;
   they are built first. ``version`` is your generator version: bump it when the output of
   the same seed changes.
2. In ``build``, for each entry call ``e = ctx.entry(name, title=..., description=...,
   format="parquet", method_notes=..., temporal_coverage={"start": ..., "end": ...,
   "resolution": ...}, spatial_coverage={"description": ..., "bbox": [w, s, e, n]},
   variables=[Variable(name, unit, description, dtype)], role="data"|"truth"|"benchmark"|
   "reference", access="open"|"restricted", licence="CC-BY-4.0", truth_of=[...])`` and
   write its files with ``e.write_parquet(relpath, pyarrow_table)``, ``e.write_csv``,
   ``e.write_text``, ``e.write_geoparquet(relpath, geodataframe, {column: pyarrow_array})``,
   ``e.write_geotiff(relpath, band_y_x_array, crs=..., transform=...)`` or ``e.copy_file``.
   Never write files another way: the builder records size, row count and sha256 as it
   writes. Entry names are global: prefix with the domain.
   External data: pass ``provenance={"kind": "external", "source": ..., "url": ...,
   "licence": ..., "retrieved": "YYYY-MM-DD"}`` and ``attribution=...``; copy licence and
   README files with ``kind="document"``.
3. Determinism: draw every random number from ``ctx.rng("<stream>")`` (independent of other
   domains and of build order); no wall-clock time, no set/dict-order dependence, no
   unsorted directory listings. Sizes per scale: ``ctx.pick({"small": ..., "medium": ...,
   "large": ...})``. The *whole* ``small`` build of all domains must stay well under a minute.
4. Formats: ``parquet``, ``geoparquet`` (GeoParquet 1.1, read as a GeoDataFrame), ``geotiff``
   (one file per date, read as an xarray DataArray (time, band, y, x); needs rasterio and
   xarray), ``csv``, ``lines``, ``text`` (`formats.py`); register a new `formats.DataFormat`
   (reader + row counter) for Zarr, GeoPackage...
5. The folder-driven tests in tests/unit/catalogs open and read every entry, check schema and
   row counts against the metadata and compare two builds byte for byte: a new domain is tested
   by just existing.

Building: ``ungp catalog build --scale small --out DIR`` (click group `cli.catalog`) or
`build.build_catalog(path, scale, seed)`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEFAULT_CATALOG = "/srv/data/catalog.yaml"
CATALOG_ENV = "UNGP_CATALOG"

__all__ = ["DEFAULT_CATALOG", "CATALOG_ENV", "catalog_location", "open_catalog", "read_entry"]


def catalog_location(path: str | os.PathLike[str] | None = None) -> Path:
    """The root catalogue to use: `path`, else $UNGP_CATALOG, else /srv/data/catalog.yaml."""
    from .catalog_files import root_path

    chosen = path or os.environ.get(CATALOG_ENV) or DEFAULT_CATALOG
    return root_path(Path(chosen))


def open_catalog(path: str | os.PathLike[str] | None = None) -> Any:
    """Open the root catalogue with Intake, after checking every catalogue file parses.

    The pre-check turns a broken YAML into `errors.MalformedCatalog` naming file and line.
    Restricted domains that are not mounted in this container are left out of the listing.
    """
    import intake

    from .catalog_files import load_entries

    root = catalog_location(path)
    mounted = {e.domain for e in load_entries(root).values()}
    cat = intake.open_catalog(str(root))
    if set(cat) - mounted:
        cat = cat.filter(lambda entry: entry.name in mounted)
    return cat


def read_entry(name: str, path: str | os.PathLike[str] | None = None) -> Any:
    """Read one entry by name (checksums verified); unknown names get close suggestions."""
    from .catalog_files import find_entry

    return find_entry(catalog_location(path), name).read()
