"""Port areas: which port, if any, each AIS report lies in.

A port is described either by a polygon (harbour limits, or the boundary learned from
where ships stop, as Cerdeiro et al. 2020 do with DBSCAN clustering) or, when no polygon is
available, by a circle of ``radius_km`` around the port's position in UN/LOCODE. A buffer
widens every area, because anchorages and approach channels lie just outside harbour
limits and AIS positions are noisy (UN GWG AIS Handbook, port-area delineation).

Buffers are applied in metres, in an azimuthal equidistant projection centred on each port,
so a 2 km buffer is 2 km at the equator and in the Arctic alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from .errors import AISDataError, require_columns
from .geo import haversine_km


def _local_crs(lat: float, lon: float) -> CRS:
    return CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m")


def port_country(locode: pd.Series) -> pd.Series:
    """ISO 3166 country code of a UN/LOCODE (its first two letters, e.g. ``NLRTM`` -> ``NL``)."""
    return locode.astype("string").str.replace(" ", "", regex=False).str[:2].str.upper()


def assign_ports(
    lat: pd.Series | np.ndarray,
    lon: pd.Series | np.ndarray,
    ports: pd.DataFrame,
    *,
    buffer_km: float = 0.0,
    locode: str = "locode",
) -> pd.Series:
    """UN/LOCODE of the port area containing each point, or <NA> at sea.

    ``ports`` has one row per port with ``locode`` and either a shapely polygon in a
    ``geometry`` column (lon/lat, EPSG:4326; a GeoDataFrame works) or ``lat``, ``lon`` and
    ``radius_km`` for a circular area. ``buffer_km`` is added to every area. Where areas
    overlap, the point goes to the port whose centre (polygon centroid or circle centre) is
    nearest.
    """
    if not buffer_km >= 0:
        raise AISDataError(f"buffer_km must be zero or positive, got {buffer_km!r}.")
    require_columns(ports, {"locode": locode}, "ports")
    has_geometry = "geometry" in ports.columns
    if not has_geometry:
        require_columns(ports, {"lat": "lat", "lon": "lon", "radius_km": "radius_km"}, "ports")
    if ports[locode].duplicated().any():
        dup = ports.loc[ports[locode].duplicated(), locode].iloc[0]
        raise AISDataError(f"port {dup!r} appears twice in the ports table; keep one row each.")
    la = np.asarray(lat, dtype=float)
    lo = np.asarray(lon, dtype=float)
    best = np.full(len(la), -1)
    best_km = np.full(len(la), np.inf)
    for k, port in enumerate(ports.itertuples(index=False)):
        geom = getattr(port, "geometry", None) if has_geometry else None
        if geom is not None and not shapely.is_empty(geom) and geom.geom_type != "Point":
            centre = geom.centroid
            c_lat, c_lon = centre.y, centre.x
            to_local = Transformer.from_crs("EPSG:4326", _local_crs(c_lat, c_lon), always_xy=True)
            area = shapely.transform(
                geom, lambda xy, t=to_local: np.column_stack(t.transform(*xy.T))
            )
            area = area.buffer(buffer_km * 1000.0) if buffer_km else area
            x, y = to_local.transform(lo, la)
            inside = shapely.contains_xy(area, x, y) | shapely.intersects_xy(area.boundary, x, y)
        else:
            if geom is not None and geom.geom_type == "Point":
                c_lat, c_lon = geom.y, geom.x
            else:
                c_lat, c_lon = float(port.lat), float(port.lon)
            radius = float(getattr(port, "radius_km", np.nan))
            if not radius >= 0:
                raise AISDataError(
                    f"port {getattr(port, locode)!r} has no polygon and radius_km={radius!r}; "
                    "give a polygon in 'geometry' or a non-negative radius_km."
                )
            inside = haversine_km(la, lo, c_lat, c_lon) <= radius + buffer_km
        dist = haversine_km(la, lo, c_lat, c_lon)
        take = inside & (dist < best_km)
        best[take] = k
        best_km[take] = dist[take]
    codes = ports[locode].astype("string").to_numpy()
    out = pd.array([codes[i] if i >= 0 else pd.NA for i in best], dtype="string")
    index = lat.index if isinstance(lat, pd.Series) else None
    return pd.Series(out, index=index, name="port")
