"""SDG 11.1.1: urban population living in slums, informal settlements or inadequate housing.

UN-Habitat defines a slum household as an urban household lacking one or more of:

1. access to improved water,
2. access to improved sanitation,
3. sufficient living area: not more than three persons per habitable room,
4. durable housing (a permanent structure protecting against the climate),
5. security of tenure.

The indicator is the share of the urban *population* (persons, not households) living in
such households, estimated from a household survey or census with survey weights:

    sum(weight x persons x slum) / sum(weight x persons), over urban households.

Security of tenure is often not measured in household surveys; UN-Habitat then computes the
indicator on the four other components (pass ``secure_tenure=None``). What counts as
"improved" water or sanitation follows the WHO/UNICEF JMP ladders and must be coded before.

References: UN-Habitat, SDG indicator 11.1.1 metadata (UN Statistics Division, SDG indicators
metadata repository); UN-Habitat (2003), The Challenge of Slums; UN-Habitat (2018), SDG
Indicator 11.1.1 Training Module: Adequate Housing and Slum Upgrading.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import SDGDataError

#: UN-Habitat's threshold for sufficient living area, persons per habitable room.
MAX_PERSONS_PER_ROOM = 3.0


def _flag(households: pd.DataFrame, column: str) -> np.ndarray:
    if column not in households.columns:
        raise SDGDataError(
            f"household table has no column {column!r}; name the right column or pass None "
            "to leave that component out (e.g. secure_tenure=None when tenure is not surveyed)."
        )
    values = households[column]
    if values.isna().any():
        raise SDGDataError(
            f"{values.isna().sum()} household(s) have no value for {column!r}; impute or "
            "drop them (and document it) before computing SDG 11.1.1."
        )
    return values.to_numpy(dtype=bool)


def household_deprivations(
    households: pd.DataFrame,
    *,
    improved_water: str | None = "improved_water",
    improved_sanitation: str | None = "improved_sanitation",
    persons: str = "persons",
    habitable_rooms: str | None = "habitable_rooms",
    durable_housing: str | None = "durable_housing",
    secure_tenure: str | None = "secure_tenure",
    max_persons_per_room: float = MAX_PERSONS_PER_ROOM,
) -> pd.DataFrame:
    """Flag each household's deprivations and whether it is a slum household (>= 1).

    Component columns are booleans saying the household *has* the condition (improved
    water...). Overcrowding is ``persons / habitable_rooms > max_persons_per_room``; a
    household with persons but no habitable room is overcrowded. Pass ``None`` for a
    component that is not measured. Returns, aligned with ``households``: ``lacks_water``,
    ``lacks_sanitation``, ``overcrowded``, ``lacks_durable_housing``, ``lacks_tenure`` (for
    the components used), ``deprivations`` (their number) and ``slum``.
    """
    out = pd.DataFrame(index=households.index)
    if improved_water is not None:
        out["lacks_water"] = ~_flag(households, improved_water)
    if improved_sanitation is not None:
        out["lacks_sanitation"] = ~_flag(households, improved_sanitation)
    if habitable_rooms is not None:
        for col in (persons, habitable_rooms):
            if col not in households.columns or households[col].isna().any():
                raise SDGDataError(f"column {col!r} is missing or has gaps.")
        people = households[persons].to_numpy(float)
        rooms = households[habitable_rooms].to_numpy(float)
        if (people < 0).any() or (rooms < 0).any():
            raise SDGDataError("persons and habitable rooms cannot be negative.")
        with np.errstate(divide="ignore", invalid="ignore"):
            crowded = np.where(rooms > 0, people / np.where(rooms > 0, rooms, 1), np.inf)
        out["overcrowded"] = (crowded > max_persons_per_room) & (people > 0)
    if durable_housing is not None:
        out["lacks_durable_housing"] = ~_flag(households, durable_housing)
    if secure_tenure is not None:
        out["lacks_tenure"] = ~_flag(households, secure_tenure)
    if out.shape[1] == 0:
        raise SDGDataError("no component selected; SDG 11.1.1 needs at least one.")
    out["deprivations"] = out.sum(axis=1).astype(int)
    out["slum"] = out["deprivations"] >= 1
    return out


@dataclass(frozen=True)
class SlumShare:
    """SDG 11.1.1: share of the urban population in slum households, with its parts."""

    share: float
    urban_population: float
    slum_population: float
    by_group: pd.DataFrame | None = None


def slum_population_share(
    households: pd.DataFrame,
    *,
    persons: str = "persons",
    weight: str | None = "weight",
    urban: str | None = "urban",
    by: str | None = None,
    **components: str | None,
) -> SlumShare:
    """Person-weighted share of the urban population living in slum households (SDG 11.1.1).

    Each household counts ``weight x persons`` people; ``urban`` is a boolean column (pass
    ``None`` if the table holds urban households only) and ``weight`` the survey weight
    (``None``: a census, weight 1). ``components`` are passed to
    :func:`household_deprivations` (e.g. ``secure_tenure=None``). ``by`` names a column
    (city, region) to report the share per group too.
    """
    if weight is not None and weight not in households.columns:
        raise SDGDataError(f"no weight column {weight!r}; pass weight=None for census data.")
    if urban is not None:
        households = households[_flag(households, urban)]  # rural households are not scored
    flags = household_deprivations(households, persons=persons, **components)
    w = np.ones(len(households)) if weight is None else households[weight].to_numpy(float)
    if np.isnan(w).any() or (w < 0).any():
        raise SDGDataError("survey weights must be non-negative numbers without gaps.")
    people = households[persons].to_numpy(float) * w
    slum_people = people * flags["slum"].to_numpy()
    total, slum = float(people.sum()), float(slum_people.sum())
    table = None
    if by is not None:
        frame = pd.DataFrame(
            {by: households[by].to_numpy(), "urban_population": people, "slum": slum_people}
        )
        table = frame.groupby(by).sum().rename(columns={"slum": "slum_population"})
        with np.errstate(invalid="ignore", divide="ignore"):
            table["share"] = table["slum_population"] / table["urban_population"]
    return SlumShare(
        share=slum / total if total > 0 else float("nan"),
        urban_population=total,
        slum_population=slum,
        by_group=table,
    )
