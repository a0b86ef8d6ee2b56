"""Cargo loaded or unloaded in a port call, from the change in draught.

A floating ship displaces its own weight of water (Archimedes), so

    displacement [t] = Cb(d) * L * B * d * rho,   rho = 1.025 t/m3 (seawater)

with length ``L`` and beam ``B`` in metres, draught ``d`` in metres and ``Cb`` the block
coefficient (hull volume below the waterline over the volume of the L x B x d box). ``Cb``
falls as a ship rises out of the water, because the hull narrows towards the keel; the
relation used here, from MAN Energy Solutions (2011) "Basic Principles of Ship Propulsion"
(the Riddlesworth approximation), is

    Cb(d) = 1 - (1 - Cb_design) * (d_design / d) ** (1/3)

where ``Cb_design`` is the block coefficient at the design (summer load line) draught
``d_design``. AIS-based trade estimates (Cerdeiro, Komaromi, Liu and Saeed 2020, IMF
WP/20/57, Section IV; Jia, Prakash and Smith 2019) estimate cargo as the difference between
displacements at departure and arrival, which cancels the lightship weight, fuel and stores
(assumed unchanged during the call):

    payload = displacement(departure draught) - displacement(arrival draught)

Positive payload = cargo loaded (exports), negative = cargo unloaded (imports). A missing
draught gives NaN, never zero. The formula for Cb(d) was checked against MAN (2011) as
quoted by the US EPA marine emissions tools; the IMF paper's own text could not be consulted
here, so courses should cite MAN (2011) for the Cb adjustment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .errors import AISDataError, require_columns

SEAWATER_DENSITY = 1.025  # t/m3


def block_coefficient_at_draught(
    cb_design: ArrayLike, design_draught: ArrayLike, draught: ArrayLike
) -> np.ndarray:
    """Cb(d) = 1 - (1 - Cb_design) * (d_design / d)^(1/3), clipped to [0, 1].

    Reference: MAN Energy Solutions (2011), Basic Principles of Ship Propulsion, p. 9.
    NaN where any input is missing or the draught is not positive.
    """
    cb = np.asarray(cb_design, dtype=float)
    dd = np.asarray(design_draught, dtype=float)
    d = np.asarray(draught, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 1.0 - (1.0 - cb) * np.cbrt(dd / d)
    out = np.clip(out, 0.0, 1.0)
    return np.where((d > 0) & (dd > 0), out, np.nan)


def displacement_tonnes(
    length: ArrayLike,
    beam: ArrayLike,
    draught: ArrayLike,
    *,
    block_coefficient: ArrayLike,
    design_draught: ArrayLike | None = None,
    density: float = SEAWATER_DENSITY,
) -> np.ndarray:
    """Displacement in tonnes: Cb(d) x L x B x d x rho (see module docstring).

    ``block_coefficient`` is the design value; with ``design_draught`` it is adjusted to the
    actual draught, without it used as given. Reference: MAN (2011); Cerdeiro et al. (2020).
    """
    d = np.asarray(draught, dtype=float)
    if design_draught is None:
        cb = np.broadcast_to(np.asarray(block_coefficient, dtype=float), d.shape)
    else:
        cb = block_coefficient_at_draught(block_coefficient, design_draught, d)
    return cb * np.asarray(length, float) * np.asarray(beam, float) * d * density


def call_payloads(
    calls: pd.DataFrame,
    vessels: pd.DataFrame,
    *,
    adjust_for_draught: bool = True,
    density: float = SEAWATER_DENSITY,
) -> pd.DataFrame:
    """Add displacement on arrival and departure and the payload (t) to each port call.

    ``calls`` comes from :func:`detect_port_calls`. ``vessels`` has one row per ``mmsi`` with
    ``length``, ``beam`` (m), ``block_coefficient`` (design value, e.g. from a ship register)
    and optionally ``design_draught`` (m). Where the design draught is unknown it is taken as
    the deepest draught the vessel reported in ``calls``, a common proxy when no register
    data are available (state this in any publication). ``payload_tonnes`` is NaN when a
    draught or a particular is missing. ``adjust_for_draught=False`` keeps Cb at its design
    value at every draught (payload = Cb L B rho x draught change, the "tonnes per metre
    immersion" approximation of Jia, Prakash and Smith 2019).
    """
    require_columns(calls, {"mmsi": "mmsi"}, "port calls")
    require_columns(
        vessels,
        {"mmsi": "mmsi", "length": "length", "beam": "beam", "Cb": "block_coefficient"},
        "vessels",
    )
    if vessels["mmsi"].duplicated().any():
        raise AISDataError("the vessels table repeats an mmsi; keep one row per vessel.")
    cols = ["mmsi", "length", "beam", "block_coefficient"]
    if "design_draught" in vessels.columns:
        cols.append("design_draught")
    out = calls.merge(vessels[cols], on="mmsi", how="left", validate="many_to_one")
    deepest = (
        out[["draught_arrival", "draught_departure"]]
        .max(axis=1)
        .groupby(out["mmsi"])
        .transform("max")
    )
    if "design_draught" in out.columns:
        design = out["design_draught"].astype(float).fillna(deepest)
        out = out.drop(columns="design_draught")
    else:
        design = deepest
    for when in ("arrival", "departure"):
        out[f"displacement_{when}"] = displacement_tonnes(
            out["length"],
            out["beam"],
            out[f"draught_{when}"],
            block_coefficient=out["block_coefficient"],
            design_draught=design if adjust_for_draught else None,
            density=density,
        )
    out["payload_tonnes"] = out["displacement_departure"] - out["displacement_arrival"]
    return out.drop(columns=["length", "beam", "block_coefficient"])
