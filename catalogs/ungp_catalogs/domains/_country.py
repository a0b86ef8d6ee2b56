"""A fictional country's geography, shared by the geospatial and mobile domains.

Not a domain (the leading underscore keeps it out of discovery). The country is placed in UTM
zone 36S (EPSG:32736) so that coordinates are realistic projected metres, but it is invented:
outline, settlements, names and population are drawn from the random stream given.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CRS = "EPSG:32736"
ORIGIN_X = 400_000.0  # west edge of the country's bounding box, metres
ORIGIN_Y = 8_900_000.0  # south edge
SYLLABLES = ("ka", "ne", "mo", "ru", "ta", "li", "so", "ba", "di", "wa", "ze", "po", "ma", "lu")


def place_names(rng: np.random.Generator, n: int) -> list[str]:
    """n distinct, pronounceable invented names (two to three syllables)."""
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < n:
        k = int(rng.integers(2, 4))
        name = "".join(SYLLABLES[int(i)] for i in rng.integers(0, len(SYLLABLES), k)).title()
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def outline(rng: np.random.Generator, width_m: float, height_m: float) -> np.ndarray:
    """A closed ring (n, 2) of a blob-shaped country inside the width x height box."""
    n = 64
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False)
    noise = np.zeros(n)
    for k, amp in ((2, 0.07), (3, 0.05), (5, 0.03)):
        noise += amp * np.cos(k * angles + rng.uniform(0, 2 * np.pi))
    r = 0.9 + noise
    x = ORIGIN_X + width_m / 2 * (1 + r * np.cos(angles) / 1.05)
    y = ORIGIN_Y + height_m / 2 * (1 + r * np.sin(angles) / 1.05)
    ring = np.column_stack([x, y])
    return np.vstack([ring, ring[:1]])


@dataclass
class Settlements:
    x: np.ndarray
    y: np.ndarray
    population: np.ndarray
    kind: np.ndarray  # city, town, village
    name: list[str]


def settlements(
    rng: np.random.Generator, inside: object, n: int, width_m: float, height_m: float
) -> Settlements:
    """Settlements at random points inside the country, Zipf-like sizes (rank^-1.6), largest first.

    `inside(x, y) -> bool array` tests country membership.
    """
    xs: list[float] = []
    ys: list[float] = []
    while len(xs) < n:
        x = ORIGIN_X + rng.uniform(0.05, 0.95, 4 * n) * width_m
        y = ORIGIN_Y + rng.uniform(0.05, 0.95, 4 * n) * height_m
        ok = inside(x, y)
        xs.extend(x[ok].tolist())
        ys.extend(y[ok].tolist())
    rank = np.arange(1, n + 1)
    pop = np.round(250_000 / rank**1.6 * rng.lognormal(0, 0.15, n) + 300).astype(np.int64)
    pop = np.sort(pop)[::-1]
    kind = np.where(pop >= 40_000, "city", np.where(pop >= 5_000, "town", "village"))
    return Settlements(np.array(xs[:n]), np.array(ys[:n]), pop, kind, place_names(rng, n))


def population_surface(
    rng: np.random.Generator,
    s: Settlements,
    cx: np.ndarray,
    cy: np.ndarray,
    cell_m: float,
    rural_density: float = 60.0,
) -> np.ndarray:
    """Persons per cell: a Gaussian bump per settlement plus dispersed rural population.

    cx, cy: cell-centre coordinates (1-D arrays for the grid's columns and rows). A bump's
    width grows with the square root of its population (about 1 km for 50,000 people).
    """
    pop = np.zeros((len(cy), len(cx)))
    area_km2 = (cell_m / 1000) ** 2
    for x, y, p in zip(s.x, s.y, s.population, strict=True):
        sigma = max(400.0, 1000.0 * np.sqrt(p / 50_000))
        ix = np.flatnonzero(np.abs(cx - x) <= 4 * sigma)
        iy = np.flatnonzero(np.abs(cy - y) <= 4 * sigma)
        if not len(ix) or not len(iy):
            continue
        gx = np.exp(-0.5 * ((cx[ix] - x) / sigma) ** 2)
        gy = np.exp(-0.5 * ((cy[iy] - y) / sigma) ** 2)
        kernel = np.outer(gy, gx)
        pop[np.ix_(iy, ix)] += p * kernel / kernel.sum()
    pop += rng.gamma(2.0, rural_density * area_km2 / 2.0, pop.shape)
    return np.round(pop, 1)


def minimum_spanning_edges(x: np.ndarray, y: np.ndarray) -> list[tuple[int, int]]:
    """Edges of the Euclidean minimum spanning tree (Prim, O(n^2) memory-light)."""
    n = len(x)
    in_tree = np.zeros(n, dtype=bool)
    in_tree[0] = True
    best = np.hypot(x - x[0], y - y[0])
    parent = np.zeros(n, dtype=np.int64)
    best[0] = np.inf
    edges: list[tuple[int, int]] = []
    for _ in range(n - 1):
        j = int(np.argmin(np.where(in_tree, np.inf, best)))
        edges.append((int(parent[j]), j))
        in_tree[j] = True
        d = np.hypot(x - x[j], y - y[j])
        closer = (d < best) & ~in_tree
        best[closer] = d[closer]
        parent[closer] = j
    return edges


def segment_distance(
    px: np.ndarray, py: np.ndarray, ax: float, ay: float, bx: float, by: float
) -> np.ndarray:
    """Euclidean distance from points to the segment a-b (exact, vectorised)."""
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return np.hypot(px - ax, py - ay)
    t = np.clip(((px - ax) * dx + (py - ay) * dy) / length2, 0.0, 1.0)
    return np.hypot(px - (ax + t * dx), py - (ay + t * dy))
