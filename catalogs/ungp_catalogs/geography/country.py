"""The simulated country of the geospatial/SDG domain (districts, settlements, population
grid, roads), and which grid cells an all-season road serves: the Rural Access Index truth.

domains/geospatial.py declares the catalogue entries built from this model.
"""

from __future__ import annotations

import numpy as np
import shapely

from ..context import BuildContext
from ..domains._country import (
    ORIGIN_X,
    ORIGIN_Y,
    minimum_spanning_edges,
    outline,
    place_names,
    population_surface,
    segment_distance,
    settlements,
)

SIZES = {
    "small": {
        "w": 80e3,
        "h": 60e3,
        "cell": 1000.0,
        "towns": 40,
        "districts": 10,
        "regions": 3,
        "households": 12_000,
    },
    "medium": {
        "w": 200e3,
        "h": 150e3,
        "cell": 500.0,
        "towns": 250,
        "districts": 30,
        "regions": 5,
        "households": 150_000,
    },
    "large": {
        "w": 300e3,
        "h": 240e3,
        "cell": 250.0,
        "towns": 800,
        "districts": 60,
        "regions": 8,
        "households": 1_000_000,
    },
}
RAI_DISTANCE_M = 2000.0
CONDITION = {"primary": ([0.9, 0.1, 0.0]), "secondary": [0.3, 0.35, 0.35], "track": [0.0, 0.2, 0.8]}


class Country:
    """The generated geography, kept together so entries and truths use the same arrays."""

    def __init__(self, ctx: BuildContext) -> None:
        size = ctx.pick(SIZES)
        self.size = size
        rng = ctx.rng("geography")
        self.shape = shapely.Polygon(outline(rng, size["w"], size["h"]))
        cell = size["cell"]
        self.cell = cell
        nx, ny = int(size["w"] // cell), int(size["h"] // cell)
        self.cx = ORIGIN_X + (np.arange(nx) + 0.5) * cell
        self.cy = ORIGIN_Y + size["h"] - (np.arange(ny) + 0.5) * cell  # north first
        self.top = ORIGIN_Y + size["h"]

        def inside(x, y):
            return shapely.contains_xy(self.shape, x, y)

        self.towns = settlements(rng, inside, size["towns"], size["w"], size["h"])
        grid = population_surface(rng, self.towns, self.cx, self.cy, cell)
        gx, gy = np.meshgrid(self.cx, self.cy)
        self.in_country = inside(gx, gy)
        self.population = np.where(self.in_country, grid, np.nan)
        self._districts(rng, inside)
        self.district_of = np.full(gx.shape, "", dtype=object)
        for code, poly in zip(self.district_codes, self.district_polys, strict=True):
            self.district_of[shapely.contains_xy(poly, gx, gy) & self.in_country] = code
        # cells on a boundary line: nearest district seed
        gap = self.in_country & (self.district_of == "")
        if gap.any():
            d = np.hypot(gx[gap][:, None] - self.seeds[:, 0], gy[gap][:, None] - self.seeds[:, 1])
            self.district_of[gap] = np.array(self.district_codes, dtype=object)[d.argmin(axis=1)]
        self.gx, self.gy = gx, gy
        self._roads(ctx.rng("roads"))

    def _districts(self, rng: np.random.Generator, inside) -> None:
        k, r = self.size["districts"], self.size["regions"]
        pts: list[tuple[float, float]] = []
        while len(pts) < k:
            x = ORIGIN_X + rng.uniform(0.1, 0.9) * self.size["w"]
            y = ORIGIN_Y + rng.uniform(0.1, 0.9) * self.size["h"]
            if inside(np.array([x]), np.array([y]))[0]:
                pts.append((x, y))
        seeds = np.array(pts)
        cells = shapely.voronoi_polygons(
            shapely.MultiPoint(seeds), extend_to=self.shape, ordered=True
        )
        self.seeds = seeds
        self.district_polys = [g.intersection(self.shape) for g in cells.geoms]
        d = np.hypot(seeds[:, None, 0] - seeds[None, :r, 0], seeds[:, None, 1] - seeds[None, :r, 1])
        self.region_index = d.argmin(axis=1)
        names = place_names(rng, k + r)
        self.region_codes = [f"R{i + 1}" for i in range(r)]
        self.region_names = names[k:]
        self.district_codes = [
            f"{self.region_codes[g]}D{i + 1:02d}" for i, g in enumerate(self.region_index)
        ]
        self.district_names = names[:k]

    def _roads(self, rng: np.random.Generator) -> None:
        t = self.towns
        edges = minimum_spanning_edges(t.x, t.y)
        big = np.flatnonzero(t.kind != "village")
        for i in big:  # redundancy between towns: link each to its second-nearest town
            d = np.hypot(t.x[big] - t.x[i], t.y[big] - t.y[i])
            j = int(big[np.argsort(d)[2]]) if len(big) > 2 else int(i)
            if j != i and (i, j) not in edges and (j, i) not in edges:
                edges.append((int(i), j))
        lines, kinds, conditions = [], [], []
        for a, b in edges:
            villages = int(t.kind[a] == "village") + int(t.kind[b] == "village")
            kind = ("primary", "secondary", "track")[villages]
            ax, ay, bx, by = t.x[a], t.y[a], t.x[b], t.y[b]
            length = np.hypot(bx - ax, by - ay)
            f = np.array([1 / 3, 2 / 3])
            jitter = rng.normal(0, 0.08 * length, (2, 2))
            mids = np.column_stack([ax + f * (bx - ax), ay + f * (by - ay)]) + jitter
            lines.append(np.vstack([[ax, ay], mids, [bx, by]]))
            kinds.append(kind)
            conditions.append(rng.choice(["good", "fair", "poor"], p=CONDITION[kind]))
        self.road_lines = lines
        self.road_kind = np.array(kinds)
        self.road_condition = np.array(conditions)
        self.all_season = np.isin(self.road_condition, ["good", "fair"])

    @property
    def density(self) -> np.ndarray:
        return self.population / (self.cell / 1000) ** 2


def served_cells(c: Country) -> np.ndarray:
    """True for grid cells whose centre is within 2 km of an all-season road segment."""
    served = np.zeros(c.population.shape, dtype=bool)
    reach = RAI_DISTANCE_M
    for line, ok in zip(c.road_lines, c.all_season, strict=True):
        if not ok:
            continue
        for (ax, ay), (bx, by) in zip(line[:-1], line[1:], strict=True):
            ix = np.flatnonzero((c.cx >= min(ax, bx) - reach) & (c.cx <= max(ax, bx) + reach))
            iy = np.flatnonzero((c.cy >= min(ay, by) - reach) & (c.cy <= max(ay, by) + reach))
            if not len(ix) or not len(iy):
                continue
            px, py = np.meshgrid(c.cx[ix], c.cy[iy])
            near = segment_distance(px, py, ax, ay, bx, by) <= reach
            served[np.ix_(iy, ix)] |= near
    return served
