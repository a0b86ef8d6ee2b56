"""Major world ports: UN/LOCODE, name, country and an approximate position.

These are public facts (UN/LOCODE code list; positions of the main container/bulk terminals
rounded to about a kilometre). The *port area* used by the simulation and the truth is a circle
of `radius_km` around the position, also given as a 64-gon polygon (WKT) for GIS exercises.
`region` groups ports served by the same simulated liner and tramp services (coastal regions,
so most legs stay at sea; legs are great-circle segments and can still cut corners over land).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Port:
    locode: str
    name: str
    country: str  # ISO 3166-1 alpha-2
    lat: float
    lon: float
    radius_km: float
    region: str


PORTS: tuple[Port, ...] = (
    Port("CNSHA", "Shanghai", "CN", 31.36, 121.62, 8.0, "east_asia"),
    Port("CNNGB", "Ningbo", "CN", 29.93, 121.87, 7.0, "east_asia"),
    Port("CNSZX", "Shenzhen", "CN", 22.50, 113.88, 6.0, "east_asia"),
    Port("CNCAN", "Guangzhou", "CN", 22.65, 113.67, 6.0, "east_asia"),
    Port("CNTAO", "Qingdao", "CN", 36.02, 120.22, 6.0, "east_asia"),
    Port("CNTSN", "Tianjin", "CN", 38.97, 117.78, 7.0, "east_asia"),
    Port("CNXMN", "Xiamen", "CN", 24.46, 118.07, 5.0, "east_asia"),
    Port("HKHKG", "Hong Kong", "HK", 22.34, 114.12, 5.0, "east_asia"),
    Port("KRPUS", "Busan", "KR", 35.10, 129.04, 6.0, "east_asia"),
    Port("TWKHH", "Kaohsiung", "TW", 22.61, 120.28, 5.0, "east_asia"),
    Port("JPTYO", "Tokyo", "JP", 35.62, 139.78, 5.0, "east_asia"),
    Port("SGSIN", "Singapore", "SG", 1.26, 103.84, 8.0, "southeast_asia"),
    Port("MYPKG", "Port Klang", "MY", 2.99, 101.39, 6.0, "southeast_asia"),
    Port("MYTPP", "Tanjung Pelepas", "MY", 1.36, 103.55, 5.0, "southeast_asia"),
    Port("THLCH", "Laem Chabang", "TH", 13.08, 100.88, 5.0, "southeast_asia"),
    Port("VNSGN", "Ho Chi Minh City", "VN", 10.76, 106.79, 5.0, "southeast_asia"),
    Port("LKCMB", "Colombo", "LK", 6.95, 79.84, 5.0, "indian_ocean"),
    Port("INNSA", "Nhava Sheva", "IN", 18.95, 72.95, 6.0, "indian_ocean"),
    Port("AEJEA", "Jebel Ali", "AE", 25.01, 55.06, 6.0, "indian_ocean"),
    Port("OMSLL", "Salalah", "OM", 16.94, 54.00, 5.0, "indian_ocean"),
    Port("SAJED", "Jeddah", "SA", 21.47, 39.17, 5.0, "indian_ocean"),
    Port("KEMBA", "Mombasa", "KE", -4.06, 39.65, 5.0, "indian_ocean"),
    Port("NLRTM", "Rotterdam", "NL", 51.95, 4.10, 8.0, "north_europe"),
    Port("BEANR", "Antwerp", "BE", 51.28, 4.31, 7.0, "north_europe"),
    Port("DEHAM", "Hamburg", "DE", 53.54, 9.97, 6.0, "north_europe"),
    Port("GBFXT", "Felixstowe", "GB", 51.95, 1.31, 4.0, "north_europe"),
    Port("FRLEH", "Le Havre", "FR", 49.47, 0.15, 5.0, "north_europe"),
    Port("ESVLC", "Valencia", "ES", 39.44, -0.32, 5.0, "mediterranean"),
    Port("ESALG", "Algeciras", "ES", 36.13, -5.43, 4.0, "mediterranean"),
    Port("MATNG", "Tanger Med", "MA", 35.88, -5.50, 4.0, "mediterranean"),
    Port("GRPIR", "Piraeus", "GR", 37.94, 23.62, 5.0, "mediterranean"),
    Port("ITGOA", "Genoa", "IT", 44.40, 8.92, 5.0, "mediterranean"),
    Port("TRMER", "Mersin", "TR", 36.79, 34.64, 5.0, "mediterranean"),
    Port("EGPSD", "Port Said", "EG", 31.26, 32.31, 5.0, "mediterranean"),
    Port("USLAX", "Los Angeles", "US", 33.73, -118.26, 6.0, "americas_pacific"),
    Port("CAVAN", "Vancouver", "CA", 49.29, -123.10, 5.0, "americas_pacific"),
    Port("MXZLO", "Manzanillo", "MX", 19.06, -104.30, 5.0, "americas_pacific"),
    Port("PECLL", "Callao", "PE", -12.05, -77.15, 5.0, "americas_pacific"),
    Port("CLSAI", "San Antonio", "CL", -33.59, -71.62, 4.0, "americas_pacific"),
    Port("USNYC", "New York and New Jersey", "US", 40.67, -74.05, 7.0, "americas_atlantic"),
    Port("USSAV", "Savannah", "US", 32.08, -81.09, 5.0, "americas_atlantic"),
    Port("USHOU", "Houston", "US", 29.68, -95.00, 6.0, "americas_atlantic"),
    Port("PAMIT", "Manzanillo (Colon)", "PA", 9.36, -79.88, 4.0, "americas_atlantic"),
    Port("BRSSZ", "Santos", "BR", -23.96, -46.31, 5.0, "americas_atlantic"),
    Port("ZADUR", "Durban", "ZA", -29.87, 31.03, 5.0, "africa_oceania"),
    Port("NGLOS", "Lagos (Apapa)", "NG", 6.44, 3.37, 5.0, "africa_oceania"),
    Port("AUMEL", "Melbourne", "AU", -37.83, 144.92, 5.0, "africa_oceania"),
    Port("AUSYD", "Sydney", "AU", -33.97, 151.22, 5.0, "africa_oceania"),
)


def haversine_km(lat1, lon1, lat2, lon2):  # type: ignore[no-untyped-def]
    """Great-circle distance in km; numpy-broadcasting."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat = p2 - p1
    dlon = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, a)))


def offset_deg(lat: np.ndarray, dist_km: np.ndarray, bearing: np.ndarray) -> tuple:
    """(dlat, dlon) in degrees for short displacements (flat-earth, fine below ~100 km)."""
    dlat = dist_km * np.cos(bearing) / 111.32
    dlon = dist_km * np.sin(bearing) / (111.32 * np.cos(np.radians(lat)))
    return dlat, dlon


def area_wkt(port: Port, vertices: int = 64) -> str:
    """The port area as a WKT polygon (circle approximated by a regular polygon)."""
    angles = np.linspace(0, 2 * np.pi, vertices, endpoint=False)
    dlat, dlon = offset_deg(np.full(vertices, port.lat), np.full(vertices, port.radius_km), angles)
    pts = [f"{port.lon + x:.6f} {port.lat + y:.6f}" for y, x in zip(dlat, dlon, strict=True)]
    pts.append(pts[0])
    return "POLYGON ((" + ", ".join(pts) + "))"
