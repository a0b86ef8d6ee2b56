"""Weekly scanner data: stores x GTINs x weeks with churn, relaunches and promotions.

The model is the minimum that makes the multilateral methods worth teaching:
- each COICOP class has a latent price level (a drifting random walk) that a good index should
  recover; it is kept as planted truth and drives the official CPI benchmark;
- products enter and exit (churn), so a matched-model index loses sample;
- some products are relaunched under a new GTIN with a hidden price increase (higher price or a
  smaller package), which only a relaunch-aware method links;
- promotions cut the price for a week or two and make quantities spike, which is what
  separates unit-value and weighted methods.
Quantities follow a Poisson demand with a constant price elasticity; weeks with no sales have
no row, as in real scanner data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .gtin import gtin13

# ECOICOP 5-digit subclasses: code, label, typical price (EUR), package sizes, unit.
CLASSES: list[tuple[str, str, float, tuple[int, ...], str]] = [
    ("01.1.1.3", "Bread", 2.2, (400, 500, 800), "g"),
    ("01.1.4.1", "Whole milk", 1.1, (500, 1000, 1500), "ml"),
    ("01.1.4.4", "Yoghurt", 1.6, (150, 500, 1000), "g"),
    ("01.2.1.1", "Coffee", 5.5, (250, 500, 1000), "g"),
    ("01.2.2.1", "Mineral or spring waters", 0.7, (500, 1500, 6000), "ml"),
    ("05.6.1.1", "Cleaning and maintenance products", 3.4, (500, 750, 1000), "ml"),
]
BRANDS = ["Alba", "Brio", "Corvo", "Delta", "Estrela", "Fjord", "Granja", "Hadley", "Iris"]
START_WEEK = np.datetime64("2022-01-03")  # a Monday


@dataclass(frozen=True)
class ScannerSize:
    stores: int
    products_per_class: int
    weeks: int


@dataclass
class ScannerData:
    weeks: np.ndarray  # datetime64[D] week starts
    level: np.ndarray  # (classes, weeks) latent price level, 1.0 in week 0
    sales: dict[str, np.ndarray]
    items: dict[str, np.ndarray]  # one row per GTIN
    relaunches: dict[str, np.ndarray]
    promotions: dict[str, np.ndarray]


def simulate(size: ScannerSize, rng: np.random.Generator) -> ScannerData:
    n_c, n_w, n_s = len(CLASSES), size.weeks, size.stores
    weeks = START_WEEK + 7 * np.arange(n_w)
    inflation = rng.uniform(0.01, 0.09, n_c)
    shocks = rng.normal(0, 0.004, (n_c, n_w))
    shocks[:, 0] = 0
    level = np.exp(np.cumsum(inflation[:, None] / 52 + shocks, axis=1))
    season = 1 + 0.15 * np.sin(
        2 * np.pi * (np.arange(n_w)[None, :] / 52 + rng.uniform(0, 1, (n_c, 1)))
    )

    # products
    n_p = n_c * size.products_per_class
    p_class = np.repeat(np.arange(n_c), size.products_per_class)
    typical = np.array([c[2] for c in CLASSES])
    p_base = typical[p_class] * rng.lognormal(0, 0.35, n_p)
    p_pop = rng.lognormal(1.0, 1.0, n_p)
    p_elast = rng.uniform(1.2, 3.0, n_p)
    at_start = rng.random(n_p) < 0.6
    p_entry = np.where(at_start, 0, rng.integers(1, max(2, n_w - 4), n_p))
    life = np.maximum(6, rng.exponential(n_w * 0.8, n_p).astype(np.int64))
    p_exit = np.minimum(n_w, p_entry + life)
    drift = np.exp(np.cumsum(rng.normal(0, 0.006, (n_p, n_w)), axis=1))
    sizes_idx = rng.integers(0, 3, n_p)
    p_size = np.array([CLASSES[c][3][i] for c, i in zip(p_class, sizes_idx, strict=True)])

    # relaunches split a product into two GTIN items
    can = (p_exit - p_entry) >= 20
    relaunched = can & (rng.random(n_p) < 0.12)
    r_week = np.where(
        relaunched,
        p_entry + 8 + rng.integers(0, 10**6, n_p) % np.maximum(1, p_exit - p_entry - 16),
        -1,
    )
    shrink = relaunched & (rng.random(n_p) < 0.5)
    new_size = np.where(shrink, np.round(p_size * 0.9).astype(np.int64), p_size)
    new_mult = np.where(shrink, 1.0, rng.uniform(1.05, 1.2, n_p))

    first_end = np.where(relaunched, r_week, p_exit)
    it_prod = np.concatenate([np.arange(n_p), np.flatnonzero(relaunched)])
    it_start = np.concatenate([p_entry, r_week[relaunched]])
    it_end = np.concatenate([first_end, p_exit[relaunched]])
    it_mult = np.concatenate([np.ones(n_p), new_mult[relaunched]])
    it_size = np.concatenate([p_size, new_size[relaunched]])
    n_i = len(it_prod)
    # GS1 prefix 20: restricted circulation numbers, never a real trade item
    gtins = gtin13(200_000_000_000 + rng.choice(10**9, n_i, replace=False))

    # store assortment: each store lists each item with probability 0.8
    s_price = rng.lognormal(0, 0.03, n_s)
    s_scale = rng.lognormal(0, 0.5, n_s)
    listed = rng.random((n_i, n_s)) < 0.8
    pair_item, pair_store = np.nonzero(listed)
    span = it_end[pair_item] - it_start[pair_item]
    row_pair = np.repeat(np.arange(len(pair_item)), span)
    offset = np.arange(len(row_pair)) - np.repeat(np.cumsum(span) - span, span)
    item = pair_item[row_pair]
    store = pair_store[row_pair]
    week = it_start[item] + offset
    prod = it_prod[item]
    cls = p_class[prod]

    regular = p_base[prod] * level[cls, week] * drift[prod, week] * it_mult[item] * s_price[store]
    start = rng.random(len(item)) < 0.03
    second = np.zeros_like(start)
    second[1:] = start[:-1] & (item[1:] == item[:-1]) & (store[1:] == store[:-1])
    second &= rng.random(len(item)) < 0.5
    promo = start | second
    depth = np.where(promo, rng.uniform(0.15, 0.35, len(item)), 0.0)
    price = np.round(regular * (1 - depth), 2)
    boost = np.where(promo, (1 - depth) ** -4.0, 1.0)
    relative = level[cls, week] * drift[prod, week] * it_mult[item]
    mean_q = p_pop[prod] * s_scale[store] * season[cls, week] * relative ** -p_elast[prod]
    mean_q = mean_q * boost * 3.0
    qty = rng.poisson(mean_q)
    keep = qty > 0
    sales = {
        "store": store[keep],
        "item": item[keep],
        "week": week[keep],
        "quantity": qty[keep].astype(np.int32),
        "turnover": np.round(price[keep] * qty[keep], 2),
    }
    order = np.lexsort((sales["item"], sales["store"], sales["week"]))
    sales = {k: v[order] for k, v in sales.items()}
    sales["gtin"] = gtins[sales["item"]]
    sales["coicop"] = np.array([c[0] for c in CLASSES], dtype=object)[
        p_class[it_prod[sales["item"]]]
    ]

    brand = rng.integers(0, len(BRANDS), n_p)
    items = {
        "gtin": gtins,
        "product": it_prod,
        "coicop": np.array([CLASSES[c][0] for c in p_class[it_prod]], dtype=object),
        "description": np.array(
            [
                f"{BRANDS[brand[p]]} {CLASSES[p_class[p]][1].lower()} {s} {CLASSES[p_class[p]][4]}"
                for p, s in zip(it_prod, it_size, strict=True)
            ],
            dtype=object,
        ),
        "package_size": it_size,
        "package_unit": np.array([CLASSES[c][4] for c in p_class[it_prod]], dtype=object),
        "first_week": weeks[it_start],
        "last_week": weeks[it_end - 1],
    }
    rel = np.flatnonzero(relaunched)
    new_items = n_p + np.arange(len(rel))
    relaunches = {
        "old_gtin": gtins[rel],
        "new_gtin": gtins[new_items],
        "relaunch_week": weeks[r_week[rel]],
        "old_package_size": p_size[rel],
        "new_package_size": new_size[rel],
        "price_factor": np.round(new_mult[rel], 4),
    }
    pr = np.flatnonzero(promo)
    promotions = {
        "store": store[pr],
        "gtin": gtins[item[pr]],
        "week": week[pr],
        "discount": np.round(depth[pr], 4),
        "sold": qty[pr] > 0,
    }
    p_order = np.lexsort((promotions["gtin"], promotions["store"], promotions["week"]))
    promotions = {k: v[p_order] for k, v in promotions.items()}
    return ScannerData(weeks, level, sales, items, relaunches, promotions)
