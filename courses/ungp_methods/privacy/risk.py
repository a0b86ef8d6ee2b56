"""Re-identification risk of microdata from key variables (sdcMicro-style).

Key variables (quasi-identifiers) are the characteristics an intruder could know and match
on: region, age group, sex, occupation... For each record, ``fk`` is the number of sample
records sharing its combination of key values and ``Fk`` the estimated number in the
population (sum of survey weights over the same records). A record with ``fk = 1`` is a
sample unique; the individual risk is the probability that an intruder matching on the keys
picks the right person.

Missing key values follow the sdcMicro convention: a missing value (for instance one removed
by local suppression) matches *every* category, so it can only increase ``fk``.

References: Hundepool et al. (2012), Statistical Disclosure Control, Wiley, ch. 3; Templ,
Kowarik & Meindl (2015), Statistical Disclosure Control for Micro-Data Using the R Package
sdcMicro, J. Stat. Softw. 67(4); Franconi & Polettini (2004), Individual risk estimation in
mu-Argus: a review, PSD 2004, LNCS 3050; Benedetti & Franconi (1998).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .errors import DisclosureDataError

# Combination blocks compared at once when keys have missing values (memory ~ block x combos).
_BLOCK = 2048


def _keys(data: pd.DataFrame, keys: Sequence[str]) -> list[str]:
    keys = list(keys)
    missing = [k for k in keys if k not in data.columns]
    if not keys or missing:
        raise DisclosureDataError(
            f"key variable(s) {missing or keys} not in the data (columns: {list(data.columns)});"
            " pass the quasi-identifier column names as keys=."
        )
    return keys


def _weights(data: pd.DataFrame, weight: str | None) -> np.ndarray:
    if weight is None:
        return np.ones(len(data))
    if weight not in data.columns:
        raise DisclosureDataError(f"weight column {weight!r} not in the data.")
    w = data[weight].to_numpy(dtype=float)
    if np.isnan(w).any() or (w <= 0).any():
        raise DisclosureDataError(
            f"survey weights in {weight!r} must be positive numbers without missing values."
        )
    return w


def key_frequencies(
    data: pd.DataFrame, keys: Sequence[str], *, weight: str | None = None
) -> pd.DataFrame:
    """Sample frequency ``fk`` and weighted population frequency ``Fk`` for every record.

    Returns a DataFrame aligned with ``data`` (same index) with columns ``fk`` (int) and
    ``Fk`` (float; equal to ``fk`` without weights). With no missing key values this is a
    plain group count; missing values match every category (sdcMicro's ``freqCalc``), which
    needs a comparison between distinct key combinations.
    """
    keys = _keys(data, keys)
    w = _weights(data, weight)
    codes = np.column_stack([pd.factorize(data[k], use_na_sentinel=True)[0] for k in keys]).astype(
        np.int64
    )  # -1 marks a missing value
    combos, inverse = np.unique(codes, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    n_combo = np.bincount(inverse, minlength=len(combos)).astype(float)
    w_combo = np.bincount(inverse, weights=w, minlength=len(combos))
    if (combos >= 0).all():
        fk_c, Fk_c = n_combo, w_combo
    else:
        fk_c = np.empty(len(combos))
        Fk_c = np.empty(len(combos))
        for start in range(0, len(combos), _BLOCK):
            block = combos[start : start + _BLOCK]
            match = (
                (block[:, None, :] == combos[None, :, :])
                | (block[:, None, :] < 0)
                | (combos[None, :, :] < 0)
            ).all(axis=2)
            fk_c[start : start + len(block)] = match @ n_combo
            Fk_c[start : start + len(block)] = match @ w_combo
    return pd.DataFrame(
        {"fk": fk_c[inverse].astype(np.int64), "Fk": Fk_c[inverse]}, index=data.index
    )


def individual_risk(fk: np.ndarray | pd.Series, Fk: np.ndarray | pd.Series) -> np.ndarray:
    """Benedetti-Franconi individual risk, with the approximation used by sdcMicro.

    With ``p = fk / Fk`` (the sampling fraction of the key cell), the risk is the expected
    value of ``1 / F`` (population cell size) given ``fk``, under a negative binomial model
    for the unseen population units. sdcMicro's ``indivRisk(method="approx")``, which this
    function reproduces, uses the closed forms for small cells and an approximation above:

    * ``fk = 1``: ``r = p / (1 - p) * log(1 / p)``
    * ``fk = 2``: ``r = p / (1 - p) - (p / (1 - p))**2 * log(1 / p)``
    * ``fk >= 3``: ``r = p / (fk - (1 - p))``
    * ``fk = Fk`` (the cell is the whole population, p = 1): ``r = 1 / fk``.

    Reference: Franconi & Polettini (2004); Templ et al. (2015), section 3.2.
    """
    f = np.asarray(fk, dtype=float)
    F = np.asarray(Fk, dtype=float)
    if f.shape != F.shape:
        raise DisclosureDataError("fk and Fk must have the same length.")
    if (f < 1).any() or (F < f - 1e-9).any():
        raise DisclosureDataError(
            "every record needs fk >= 1 and Fk >= fk (weights are at least 1 in a sample); "
            "check the survey weights."
        )
    p = np.clip(f / F, 1e-300, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = p / (1 - p)
        r1 = odds * np.log(1 / p)
        r2 = odds - odds**2 * np.log(1 / p)
        r3 = p / (f - (1 - p))
    risk = np.where(f == 1, r1, np.where(f == 2, r2, r3))
    return np.where(np.isclose(f, F), 1 / f, risk)


def k_anonymity_violations(data: pd.DataFrame, keys: Sequence[str], k: int = 3) -> pd.Series:
    """True for each record whose key combination is shared by fewer than ``k`` records.

    A file is k-anonymous when no record is flagged. ``k = 3`` is a common minimum for
    public-use files; scientific-use files often use 2 or 3, public 5 or more (Hundepool et
    al. 2012, section 3.3).
    """
    if k < 1:
        raise DisclosureDataError(f"k must be at least 1, got {k}.")
    fk = key_frequencies(data, keys)["fk"]
    return (fk < k).rename("violates_k")


def risk_summary(
    data: pd.DataFrame, keys: Sequence[str], *, weight: str | None = None, k: int = 3
) -> pd.DataFrame:
    """``fk``, ``Fk``, individual risk and the k-anonymity flag for every record."""
    freq = key_frequencies(data, keys, weight=weight)
    freq["risk"] = individual_risk(freq["fk"], freq["Fk"])
    freq["violates_k"] = freq["fk"] < k
    return freq
