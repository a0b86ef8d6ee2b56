"""The simulated mobile network: radio sites and cells over the fictional region.

The model behind the mobile phone data domain (domains/mobile.py declares its entries).
"""

from __future__ import annotations

import hashlib

import numpy as np
import shapely

from ..context import BuildContext
from ..domains._country import ORIGIN_X, ORIGIN_Y, outline, population_surface, settlements

SIZES = {
    "small": {
        "w": 40e3,
        "h": 30e3,
        "cell": 500.0,
        "towns": 25,
        "subscribers": 600,
        "roamers": 60,
        "days": 14,
    },
    "medium": {
        "w": 80e3,
        "h": 60e3,
        "cell": 500.0,
        "towns": 80,
        "subscribers": 20_000,
        "roamers": 2_000,
        "days": 28,
    },
    "large": {
        "w": 120e3,
        "h": 90e3,
        "cell": 500.0,
        "towns": 150,
        "subscribers": 60_000,
        "roamers": 6_000,
        "days": 28,
    },
}
RADIUS_KM = {"2G": (8.0, 3.0), "3G": (5.0, 2.0), "4G": (4.0, 1.5), "5G": (0.8, 0.8)}
TECH_RANK = {"2G": 0, "3G": 1, "4G": 2, "5G": 3}


def hashed_ids(seed: int, n: int) -> list[str]:
    """Pseudonymous subscriber ids: a salted SHA-256, as operators deliver them."""
    return [hashlib.sha256(f"ungp-mobile:{seed}:{i}".encode()).hexdigest()[:20] for i in range(n)]


class Network:
    """Sites and cells over the region, with the population grid they serve."""

    def __init__(self, ctx: BuildContext) -> None:
        size = ctx.pick(SIZES)
        self.size = size
        rng = ctx.rng("geography")
        shape = shapely.Polygon(outline(rng, size["w"], size["h"]))

        def inside(x, y):
            return shapely.contains_xy(shape, x, y)

        self.towns = settlements(rng, inside, size["towns"], size["w"], size["h"])
        cell = size["cell"]
        self.cell = cell
        cx = ORIGIN_X + (np.arange(int(size["w"] // cell)) + 0.5) * cell
        cy = ORIGIN_Y + size["h"] - (np.arange(int(size["h"] // cell)) + 0.5) * cell
        gx, gy = np.meshgrid(cx, cy)
        pop = population_surface(rng, self.towns, cx, cy, cell)
        keep = inside(gx, gy) & (pop > 0)
        self.gx, self.gy, self.gpop = gx[keep], gy[keep], pop[keep]
        self._sites(ctx.rng("sites"), inside)

    def _sites(self, rng: np.random.Generator, inside) -> None:
        t = self.towns
        xs, ys, urban = [], [], []
        for x, y, p in zip(t.x, t.y, t.population, strict=True):
            k = 1 + int(np.sqrt(p / 2_000))
            spread = 300 + 600 * np.sqrt(p / 50_000)
            xs.extend(x + rng.normal(0, spread, k))
            ys.extend(y + rng.normal(0, spread, k))
            urban.extend([p >= 5_000] * k)
        step = 7_000.0
        for gx in np.arange(ORIGIN_X + step / 2, ORIGIN_X + self.size["w"], step):
            for gy in np.arange(ORIGIN_Y + step / 2, ORIGIN_Y + self.size["h"], step):
                x, y = gx + rng.uniform(-2e3, 2e3), gy + rng.uniform(-2e3, 2e3)
                if inside(np.array([x]), np.array([y]))[0]:
                    xs.append(x)
                    ys.append(y)
                    urban.append(False)
        sx, sy, su = np.array(xs), np.array(ys), np.array(urban)
        d = np.hypot(sx[:, None] - t.x[None, :], sy[:, None] - t.y[None, :])
        zone = np.array([f"Z{j + 1:03d}" for j in d.argmin(axis=1)])
        city = t.population[d.argmin(axis=1)] >= 40_000
        rows = []
        for i in range(len(sx)):
            techs = ["2G"]
            if su[i] or rng.random() < 0.7:
                techs.append("3G")
            if su[i] or rng.random() < 0.4:
                techs.append("4G")
            if city[i] and su[i] and rng.random() < 0.6:
                techs.append("5G")
            for tech in techs:
                radius = RADIUS_KM[tech][1 if su[i] else 0]
                rows.append((i, tech, radius * rng.uniform(0.85, 1.15)))
        self.site = np.array([r[0] for r in rows])
        self.tech = np.array([r[1] for r in rows])
        self.radius_km = np.round(np.array([r[2] for r in rows]), 2)
        self.x, self.y = np.round(sx[self.site], 1), np.round(sy[self.site], 1)
        self.zone = zone[self.site]
        self.cell_id = np.array([f"C{i + 1:05d}" for i in range(len(rows))])
        self.site_x, self.site_y = sx, sy
        # the cell a phone at a site camps on: the site's most advanced technology below 5G
        best = {}
        for j in range(len(rows)):
            s = self.site[j]
            if self.tech[j] != "5G" and (
                s not in best or TECH_RANK[self.tech[j]] > TECH_RANK[self.tech[best[s]]]
            ):
                best[s] = j
        self.camp = np.array([best[s] for s in range(len(sx))])
        # a neighbour for each site: the nearest other site (ping-pong handovers)
        ds = np.hypot(sx[:, None] - sx[None, :], sy[:, None] - sy[None, :])
        np.fill_diagonal(ds, np.inf)
        self.neighbour = ds.argmin(axis=1)

    def serving_site(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        d = np.hypot(x[:, None] - self.site_x[None, :], y[:, None] - self.site_y[None, :])
        return d.argmin(axis=1)
