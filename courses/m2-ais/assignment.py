"""Module 2's graded assignment: its builder, constants, hidden tests and the kept wrong
submissions.

Loaded by make_notebooks.py (which puts courses/ on ``sys.path``) with ``nbcells.sibling``.
"""

from __future__ import annotations

from textwrap import dedent

from nbcells import code, readonly, solution, tests

ASSIGNMENT = "m2_port_calls"
NOTEBOOK = "port_calls.ipynb"

SETUP = """
import numpy as np
import pandas as pd
from ungp_catalogs import read_entry
from ungp_methods.ais import clean_positions, detect_port_calls

pings = read_entry("ais_pings")
ports = read_entry("ais_ports")
vessels = read_entry("ais_vessels")
"""

Q1_SOLUTION = """
### BEGIN SOLUTION
clean = clean_positions(pings).positions
calls = detect_port_calls(clean, ports, buffer_km=2, min_outside="1D", merge_within="24h")
### END SOLUTION
"""

Q2_SOLUTION = '''
def displacement(length, beam, draught, cb_design, design_draught, density=1.025):
    """Displacement in tonnes with the block coefficient adjusted to the draught."""
    ### BEGIN SOLUTION
    d = np.asarray(draught, dtype=float)
    cb = 1 - (1 - np.asarray(cb_design, dtype=float)) * np.cbrt(
        np.asarray(design_draught, dtype=float) / d
    )
    cb = np.clip(cb, 0, 1)
    return cb * np.asarray(length, float) * np.asarray(beam, float) * d * density
    ### END SOLUTION
'''

Q3_SOLUTION = """
### BEGIN SOLUTION
payloads = calls.merge(vessels, on="mmsi", how="left")
args = [payloads[c] for c in ("length", "beam")]
on_arrival = displacement(
    *args, payloads["draught_arrival"], payloads["block_coefficient"], payloads["design_draught"]
)
on_departure = displacement(
    *args, payloads["draught_departure"], payloads["block_coefficient"], payloads["design_draught"]
)
payloads["payload_tonnes"] = on_departure - on_arrival
### END SOLUTION
"""

Q4_SOLUTION = """
### BEGIN SOLUTION
unloaded = (-payloads["payload_tonnes"]).clip(lower=0).fillna(0)
imports_t = unloaded.groupby(payloads["country"]).sum()
### END SOLUTION
"""

HIDDEN_CALLS = """
from ungp_methods.ais import call_payloads as _call_payloads

_reference = _call_payloads(calls, vessels)
"""


def assignment() -> list:
    return [
        readonly(
            "intro",
            """
        # Assignment 2 — Port calls and cargo from AIS

        From the catalogue's AIS position reports you will detect port calls with the trusted
        methods, estimate each call's payload from the draught change yourself, and total the
        cargo unloaded by country: the core of an AIS-based trade indicator.

        Complete each cell marked `YOUR CODE HERE`. Visible tests check the shape of your
        results; hidden tests, run at grading, compare your numbers with `ungp_methods.ais`
        on the same data. **Restart the kernel and run all cells before you submit.**
        """,
        ),
        code(SETUP),
        readonly(
            "q1-text",
            """
        ## Question 1 (2 points) — port calls
        Clean the reports with `clean_positions` (its `.positions`) into `clean`, then detect
        the port calls into `calls` with `detect_port_calls`, following the IMF method: port
        areas widened by a **2 km buffer**, a call ends only after **at least one day**
        outside the port, routes returning to the same port within **24 hours** are merged.
        """,
        ),
        solution("q1-answer", Q1_SOLUTION),
        tests(
            "q1-visible",
            1,
            """
        assert len(clean) < len(pings)
        for column in ["mmsi", "port", "arrival", "departure", "hours_in_port"]:
            assert column in calls.columns
        assert (calls["departure"] >= calls["arrival"]).all() and len(calls) > 0
        """,
        ),
        tests(
            "q1-hidden",
            1,
            "# Hidden tests compare `calls` with ungp_methods.ais.",
            """
            _clean = clean_positions(pings).positions
            _ref = detect_port_calls(_clean, ports, buffer_km=2, min_outside="1D",
                                     merge_within="24h")
            assert len(calls) == len(_ref)
            assert (calls[["mmsi", "port"]].to_numpy() == _ref[["mmsi", "port"]].to_numpy()).all()
            assert (calls["arrival"].to_numpy() == _ref["arrival"].to_numpy()).all()
            """,
        ),
        readonly(
            "q2-text",
            """
        ## Question 2 (3 points) — displacement
        Write `displacement(length, beam, draught, cb_design, design_draught)` (arrays or
        Series, metres) returning tonnes: $C_b(d) \\, L \\, B \\, d \\, \\rho$ with
        $\\rho = 1.025$ t/m³ and the block coefficient adjusted to the draught,
        $C_b(d) = 1 - (1 - C_b)\\,(d_{design}/d)^{1/3}$, clipped to $[0, 1]$
        (MAN Energy Solutions 2011).
        """,
        ),
        solution("q2-answer", Q2_SOLUTION),
        tests(
            "q2-visible",
            1,
            """
        # at the design draught the block coefficient is the design value
        _expected = 0.8 * 200.0 * 30.0 * 12.0 * 1.025
        assert abs(float(displacement(200.0, 30.0, 12.0, 0.8, 12.0)) - _expected) < 1e-6
        assert displacement([200.0, 200.0], [30.0, 30.0], [8.0, 12.0], 0.8, 12.0).shape == (2,)
        """,
        ),
        tests(
            "q2-hidden",
            2,
            "# Hidden tests compare with ungp_methods.ais.displacement_tonnes.",
            """
            from ungp_methods.ais import displacement_tonnes as _displacement_tonnes

            for _d in (3.0, 7.5, 11.0, 16.0):
                _mine = displacement(vessels["length"], vessels["beam"], _d,
                                     vessels["block_coefficient"], vessels["design_draught"])
                _ref = _displacement_tonnes(
                    vessels["length"], vessels["beam"], np.full(len(vessels), _d),
                    block_coefficient=vessels["block_coefficient"],
                    design_draught=vessels["design_draught"],
                )
                np.testing.assert_allclose(np.asarray(_mine, float), _ref, rtol=1e-9)
            """,
        ),
        readonly(
            "q3-text",
            """
        ## Question 3 (3 points) — payload of each call
        Build `payloads`: `calls` with the vessel particulars (`ais_vessels`: `length`, `beam`,
        `block_coefficient`, `design_draught`) and a column `payload_tonnes` = displacement on
        departure - displacement on arrival (positive: cargo loaded).
        """,
        ),
        solution("q3-answer", Q3_SOLUTION),
        tests(
            "q3-visible",
            1,
            """
        assert len(payloads) == len(calls) and "payload_tonnes" in payloads.columns
        assert payloads["payload_tonnes"].notna().any()
        """,
        ),
        tests(
            "q3-hidden",
            2,
            "# Hidden tests compare with ungp_methods.ais.call_payloads.",
            HIDDEN_CALLS
            + dedent("""
            np.testing.assert_allclose(
                payloads["payload_tonnes"].to_numpy(float),
                _reference["payload_tonnes"].to_numpy(float),
                rtol=1e-9, equal_nan=True,
            )
            """),
        ),
        readonly(
            "q4-text",
            """
        ## Question 4 (2 points) — cargo unloaded by country
        Compute `imports_t`: a Series indexed by `country` with the total tonnes unloaded
        (negative payloads, counted as positive tonnes; calls without a payload count 0).
        """,
        ),
        solution("q4-answer", Q4_SOLUTION),
        tests(
            "q4-visible",
            1,
            """
        assert isinstance(imports_t, pd.Series) and (imports_t >= 0).all()
        assert set(imports_t.index) <= set(calls["country"])
        """,
        ),
        tests(
            "q4-hidden",
            1,
            "# Hidden tests compare with ungp_methods.ais.weekly_trade_volume.",
            HIDDEN_CALLS
            + dedent("""
            from ungp_methods.ais import weekly_trade_volume as _weekly_trade_volume

            _weekly = _weekly_trade_volume(_reference, by="country")
            _ref = _weekly.groupby("country")["unloaded_tonnes"].sum()
            _mine = imports_t.reindex(_ref.index).fillna(0)
            np.testing.assert_allclose(_mine.to_numpy(float), _ref.to_numpy(float), rtol=1e-9)
            """),
        ),
    ]


# A trainee who keeps the design block coefficient at every draught (questions 2-4 follow).
WRONG_DESIGN_CB = {
    "q2-answer": '''
    def displacement(length, beam, draught, cb_design, design_draught, density=1.025):
        """Displacement in tonnes: Cb x L x B x d x rho."""
        d = np.asarray(draught, dtype=float)
        cb = np.asarray(cb_design, dtype=float)
        return cb * np.asarray(length, float) * np.asarray(beam, float) * d * density
    ''',
}

# A trainee who takes the port polygons as they are, without the 2 km buffer.
WRONG_NO_BUFFER = {
    "q1-answer": """
    clean = clean_positions(pings).positions
    calls = detect_port_calls(clean, ports, min_outside="1D", merge_within="24h")
    """,
}
