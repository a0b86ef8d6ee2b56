"""Local suppression: blank key values until every record is shared by at least k records.

Recoding (global) changes a variable for everybody; local suppression removes single values
only in the risky records. A suppressed value is set to missing and, by the sdcMicro
convention, then matches every category, so each suppression can only raise ``fk``.

The heuristic here is a simple greedy in rounds: in each round every record still violating
k-anonymity loses one key value, the one of its remaining key variables with the most
categories in the data (many categories is what makes combinations rare; a user-given
``importance`` order overrides this), then frequencies are recomputed. It is transparent and
always terminates (a record with all keys suppressed matches the whole file), but it may
suppress more than sdcMicro's optimised ``localSuppression`` or mu-Argus.

Reference: Hundepool et al. (2012), Statistical Disclosure Control, section 3.4.4; Templ et
al. (2015), J. Stat. Softw. 67(4), section 4.3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from .errors import DisclosureDataError
from .risk import _keys, key_frequencies


@dataclass(frozen=True)
class LocalSuppression:
    """Result of :func:`local_suppression`: the protected data and what it cost."""

    data: pd.DataFrame
    suppressions: pd.Series  # per key variable: values newly set to missing
    suppressed: pd.DataFrame  # boolean, same shape as the key columns: True where suppressed
    rounds: int
    k: int

    @property
    def total(self) -> int:
        """Number of key values suppressed in all."""
        return int(self.suppressions.sum())


def local_suppression(
    data: pd.DataFrame,
    keys: Sequence[str],
    k: int = 3,
    *,
    importance: Sequence[str] | None = None,
) -> LocalSuppression:
    """Suppress key values greedily until the file is k-anonymous on ``keys``.

    ``importance`` lists the key variables from the one to suppress *last* (most important
    to users) to the one to suppress first; by default variables with more categories are
    suppressed first. The input is not modified; key columns of the result may change
    dtype to hold missing values.
    """
    keys = _keys(data, keys)
    if k < 1:
        raise DisclosureDataError(f"k must be at least 1, got {k}.")
    if len(data) < k:
        raise DisclosureDataError(
            f"the file has {len(data)} records, fewer than k={k}: no suppression can make it "
            "k-anonymous."
        )
    if importance is not None:
        if sorted(importance) != sorted(keys):
            raise DisclosureDataError("importance must list each key variable exactly once.")
        priority = {name: i for i, name in enumerate(importance)}  # higher = suppress first
    else:
        priority = {name: int(data[name].nunique()) for name in keys}
    # Order keys by suppression preference; stable for ties (the order of ``keys``).
    order = sorted(keys, key=lambda name: -priority[name])
    out = data.copy()
    for name in keys:  # integer and boolean keys need a nullable dtype to hold "suppressed"
        kind = out[name].dtype.kind
        if kind in "iu":
            out[name] = out[name].astype("Int64")
        elif kind == "b":
            out[name] = out[name].astype("boolean")
    was_missing = out[keys].isna()
    rounds = 0
    while True:
        violating = key_frequencies(out, keys)["fk"].to_numpy() < k
        if not violating.any():
            break
        rounds += 1
        missing = out[keys].isna()
        for name in order:
            # Records still violating that have this variable available take it out; each
            # record loses only its first available variable in this round.
            take = violating & ~missing[name].to_numpy()
            if take.any():
                out.loc[take, name] = pd.NA
                violating &= ~take
        if rounds > len(keys) + 1:  # cannot happen: all-missing keys match every record
            raise AssertionError("local suppression did not converge")
    suppressed = out[keys].isna() & ~was_missing
    return LocalSuppression(
        data=out,
        suppressions=suppressed.sum().astype(int).rename("suppressions"),
        suppressed=suppressed,
        rounds=rounds,
        k=k,
    )
