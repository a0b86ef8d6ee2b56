"""Cell-key perturbation of frequency tables (the ABS cell-key method).

Every microdata record gets a random *record key* once, stored with the file. A table cell's
*cell key* is the sum of the record keys of its contributors modulo 1; it looks up a small
noise value in a *perturbation table* that depends on the cell count. Because the key is a
function of who is in the cell, the same cell always gets the same noise, however and
whenever the table is requested: repeated or differenced queries cannot average the noise
away, and published tables are consistent with each other.

Record keys here are integers in ``[0, 2**32)`` and the cell key is
``(sum of record keys mod 2**32) / 2**32``: the same "sum mod 1" as the ABS uniform keys, but
exact, so it cannot depend on the order in which records are summed.

The perturbation table gives, for each cell count ``i`` (counts at or above the last row use
the last row), a probability distribution over noise values ``v`` with ``i + v >= 0``; the
cell key is used as a uniform draw from it (inverse of the cumulative distribution). Zero
cells have no contributors and are never perturbed. :func:`perturbation_table` builds a
zero-mean table from a maximum noise and a target variance; national offices design their
own (e.g. with the ``ptable`` R package) and keep the parameters confidential, and any such
table can be passed as a DataFrame.

References: Fraser & Wooton (2005), A proposed method for confidentialising tabular output to
protect against differencing, UNECE work session on statistical data confidentiality;
Thompson, Broadfoot & Elazar (2013), Methodology for the automatic confidentialisation of
statistical outputs from remote servers at the Australian Bureau of Statistics, UNECE;
Giessing (2016) and Enderle et al. (2020, ptable) for the perturbation-table design.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .errors import DisclosureDataError

KEY_MODULUS = 2**32


def record_keys(n: int, seed: int | np.random.Generator | None = None) -> np.ndarray:
    """``n`` random record keys (int64 in ``[0, 2**32)``), drawn once and stored with the file.

    Pass a ``seed`` to make the keys reproducible; keep it secret, as the keys are what
    protects the tables.
    """
    rng = np.random.default_rng(seed)
    return rng.integers(0, KEY_MODULUS, size=n, dtype=np.int64)


def _tilted(values: np.ndarray, base: np.ndarray) -> np.ndarray:
    """Exponentially tilt ``base`` probabilities over ``values`` so their mean is zero."""
    if values.min() >= 0 or values.max() <= 0:
        probs = np.zeros_like(base)
        probs[values == 0] = 1.0
        return probs
    lo, hi = -50.0, 50.0
    for _ in range(200):  # bisection on the tilt; the mean is increasing in it
        mid = (lo + hi) / 2
        w = base * np.exp(mid * values)
        if (w * values).sum() > 0:
            hi = mid
        else:
            lo = mid
    w = base * np.exp((lo + hi) / 2 * values)
    return w / w.sum()


def perturbation_table(max_noise: int = 2, variance: float = 1.0) -> pd.DataFrame:
    """A zero-mean perturbation table with noise in ``[-max_noise, max_noise]``.

    For each count ``i = 1 .. 2 * max_noise`` (the last row also serves larger counts) the
    noise ``v`` ranges over ``max(-i, -max_noise) .. max_noise`` (so a count never becomes
    negative) with probabilities proportional to ``exp(-v**2 / (2 variance))``, tilted
    exponentially so that the expected noise is zero (an unbiased table). The realised
    variance, smaller than ``variance`` for small counts and for a short range, is returned
    per row. Long-format columns: ``count``, ``noise``, ``probability``, ``variance``.
    """
    if max_noise < 1 or variance <= 0:
        raise DisclosureDataError("max_noise must be >= 1 and variance > 0.")
    rows = []
    for count in range(1, 2 * max_noise + 1):
        values = np.arange(max(-count, -max_noise), max_noise + 1)
        probs = _tilted(values.astype(float), np.exp(-(values**2) / (2 * variance)))
        var = float((probs * values**2).sum())
        rows += [
            {"count": count, "noise": int(v), "probability": float(p), "variance": var}
            for v, p in zip(values, probs, strict=True)
            if p > 0
        ]
    return pd.DataFrame(rows)


def _check_ptable(ptable: pd.DataFrame) -> pd.DataFrame:
    needed = {"count", "noise", "probability"}
    if not needed <= set(ptable.columns):
        raise DisclosureDataError(
            f"the perturbation table needs columns {sorted(needed)}, got {list(ptable.columns)}."
        )
    sums = ptable.groupby("count")["probability"].sum()
    if not np.allclose(sums, 1.0, atol=1e-9):
        bad = sums[~np.isclose(sums, 1.0, atol=1e-9)].index.tolist()
        raise DisclosureDataError(f"probabilities of count(s) {bad} do not sum to 1.")
    if ((ptable["count"] + ptable["noise"] < 0) & (ptable["probability"] > 0)).any():
        raise DisclosureDataError("the perturbation table would make some counts negative.")
    return ptable.sort_values(["count", "noise"], kind="stable")


def perturb_counts(counts: np.ndarray, cell_keys: np.ndarray, ptable: pd.DataFrame) -> np.ndarray:
    """Noise for each cell: the first noise value whose cumulative probability exceeds the key."""
    table = _check_ptable(ptable)
    rows = np.sort(table["count"].unique())
    noise = np.zeros(len(counts), dtype=np.int64)
    row_of = rows[np.clip(np.searchsorted(rows, counts, side="right") - 1, 0, None)]
    for row in rows:
        cells = (row_of == row) & (counts > 0)
        if not cells.any():
            continue
        part = table[table["count"] == row]
        cum = np.cumsum(part["probability"].to_numpy())
        cum[-1] = 1.0  # guard against rounding: every key in [0, 1) finds a value
        pick = np.searchsorted(cum, cell_keys[cells], side="right")
        noise[cells] = part["noise"].to_numpy()[pick]
    return noise


def cell_key_table(
    data: pd.DataFrame,
    by: Sequence[str],
    *,
    record_key: str = "record_key",
    ptable: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Frequency table of ``data`` by ``by`` with cell-key perturbed counts.

    ``data[record_key]`` holds the keys from :func:`record_keys`. Returns one row per observed
    combination of ``by`` with columns ``count`` (true, not for publication), ``cell_key``,
    ``noise`` and ``perturbed_count``. The same records always give the same cell key, hence
    the same perturbed count (margins are cells in their own right: tabulate them with a
    shorter ``by`` and they get their own, consistent noise). ``ptable`` defaults to
    :func:`perturbation_table` ``()``.
    """
    by = list(by)
    missing = [c for c in [*by, record_key] if c not in data.columns]
    if missing:
        raise DisclosureDataError(
            f"column(s) {missing} not in the data; add record keys with "
            "data['record_key'] = record_keys(len(data), seed) once and keep them with the file."
        )
    keys = data[record_key]
    if keys.isna().any() or not np.issubdtype(keys.dtype, np.integer):
        raise DisclosureDataError(
            f"{record_key!r} must hold integer record keys without gaps (see record_keys)."
        )
    if ((keys < 0) | (keys >= KEY_MODULUS)).any():
        raise DisclosureDataError("record keys must lie in [0, 2**32), see record_keys.")
    grouped = data.groupby(by, dropna=False, observed=True, sort=True)[record_key]
    table = grouped.agg(count="size", key_sum="sum")
    table["cell_key"] = (table.pop("key_sum") % KEY_MODULUS).astype(float) / KEY_MODULUS
    counts = table["count"].to_numpy()
    table["noise"] = perturb_counts(
        counts, table["cell_key"].to_numpy(), ptable if ptable is not None else perturbation_table()
    )
    table["perturbed_count"] = table["count"] + table["noise"]
    return table.reset_index()
