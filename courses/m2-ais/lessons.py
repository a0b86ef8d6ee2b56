"""Module 2's lessons: their cell builders and the code snippets they share.

Loaded by make_notebooks.py (which puts courses/ on ``sys.path``) with ``nbcells.sibling``.
"""

from __future__ import annotations

from nbcells import code, md, opening

DOMAIN = "ais"
IMPORTS = ["import pandas as pd"]
PARAMETERS = """
buffer_km = 2.0  # added around every port area
"""

READ = """
pings = read_entry("ais_pings", catalog_path)
ports = read_entry("ais_ports", catalog_path)
vessels = read_entry("ais_vessels", catalog_path)
"""


def lesson_messages() -> list:
    return [
        md("""
        # Lesson 2.1 — AIS messages: decoding and cleaning

        **You will learn** what an AIS message carries, how raw NMEA sentences become tables
        of positions and static reports, and which rules remove reports that cannot be true.

        Ships broadcast AIS (Automatic Identification System) messages every few seconds to
        minutes: *position reports* (types 1-3: MMSI, position, speed, course, navigational
        status) and *static and voyage reports* (type 5: IMO number, name, dimensions and the
        current **draught**, which lesson 2.3 turns into cargo). Receivers log them as NMEA
        0183 sentences (`!AIVDM,...`), armoured in 6-bit ASCII (ITU-R M.1371-5).
        """),
        *opening(DOMAIN, IMPORTS, PARAMETERS),
        code("""
        from ungp_methods.ais import decode_nmea

        lines = read_entry("ais_nmea_sample", catalog_path)
        print(len(lines), "sentences; the first two:")
        print("\\n".join(lines[:2]))
        decoded = decode_nmea(lines)
        print("position reports:", len(decoded.positions), "| static reports:", len(decoded.static))
        print("counts:", decoded.counts, "| skipped:", decoded.skipped)
        """),
        code("decoded.static.head()"),
        md("""
        ## Cleaning

        Real feeds hold invalid identifiers, impossible positions, duplicates received by two
        stations and GPS jumps. The UN GWG AIS Handbook and Cerdeiro et al. (2020) use five
        rules, applied in order; the report says how many rows each removed, so data loss is
        documented rather than hidden.
        """),
        code(READ),
        code("""
        from ungp_methods.ais import clean_positions

        cleaned = clean_positions(pings)
        clean = cleaned.positions
        print(f"{len(pings):,} reports in, {len(clean):,} kept")
        cleaned.report
        """),
        md("""
        The `gps_jump` rule compares each report with the vessel's last accepted one: a jump
        implying more than 50 knots cannot be a merchant ship.
        """),
        code("""
        from ungp_methods.ais import implied_speed_knots

        one = pings[pings["mmsi"] == pings["mmsi"].mode()[0]].sort_values("timestamp")
        speeds = implied_speed_knots(one["lat"], one["lon"], one["timestamp"])
        print(f"vessel {one['mmsi'].iloc[0]}: {len(one)} reports, largest implied speed "
              f"{pd.Series(speeds).max():.1f} kn")
        ax = clean.plot.scatter(x="lon", y="lat", s=1, figsize=(9, 4), title="Cleaned positions")
        ports.plot.scatter(x="lon", y="lat", s=12, c="red", ax=ax);
        """),
        md("""
        ### Exercise 1
        Which MMSIs were removed as invalid, and why is each one not a ship station?
        (Ship MMSIs have 9 digits and start with a country's Maritime Identification Digits,
        201-775.)
        """),
        code(
            """
            from ungp_methods.ais import valid_mmsi

            bad = pings.loc[~valid_mmsi(pings["mmsi"]), "mmsi"].value_counts()
            bad
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        How many reports does each vessel send per day on average after cleaning, and which
        vessel has the fewest? (Sparse tracks make port calls harder to see.)
        """),
        code(
            """
            days = clean["timestamp"].dt.normalize().nunique()
            per_day = clean.groupby("mmsi").size() / days
            print(f"median {per_day.median():.0f} reports per vessel and day; "
                  f"fewest: {per_day.idxmin()} with {per_day.min():.0f}")
            """,
            hidden=True,
        ),
        md("""
        ## References
        - ITU-R (2014), Recommendation M.1371-5, *Technical characteristics for an automatic
          identification system*.
        - UN Global Working Group on Big Data, *AIS Handbook*, chapters on data processing and
          quality (https://unstats.un.org/wiki/display/AIS).
        - D. Cerdeiro, A. Komaromi, Y. Liu and M. Saeed (2020), "World Seaborne Trade in Real
          Time", IMF Working Paper 20/57, section II.
        """),
    ]


def lesson_port_calls() -> list:
    return [
        md("""
        # Lesson 2.2 — Port calls

        **You will learn** how port calls are detected from position reports: port areas with
        a buffer, stays, the rule that a call ends only after at least a day outside, and the
        merging of short routes inside one port complex. You will check the method against the
        port calls the simulation planted.
        """),
        *opening(DOMAIN, IMPORTS, PARAMETERS),
        code(READ),
        code("""
        from ungp_methods.ais import assign_ports, clean_positions, merge_stays, port_stays

        clean = clean_positions(pings).positions
        clean["port"] = assign_ports(clean["lat"], clean["lon"], ports, buffer_km=buffer_km)
        share = clean["port"].notna().mean()
        print(f"{share:.0%} of the cleaned reports lie in a port area (buffer {buffer_km} km)")
        """),
        md("""
        ## Stays, then calls

        1. A **stay** is a run of consecutive in-port reports of one vessel at one port.
        2. Stays at the same port separated by less than `min_outside` (1 day) are **one call**:
           a ship that waits at an anchorage outside the area, or drops out of receiver range,
           has not left (Cerdeiro et al. 2020, section III).
        3. A route that returns to the same port within 24 h is one call at that port.
        """),
        code("""
        stays = port_stays(clean, ports, buffer_km=buffer_km)
        calls = merge_stays(stays, min_outside="1D", merge_within="24h")
        print(f"{len(stays)} stays -> {len(calls)} port calls")
        calls.head()
        """),
        md("""
        ## Does the method recover the planted truth?

        `ais_port_calls_truth` lists the calls the simulation planted. A detected call
        *matches* a planted one when vessel and port agree and their time spans overlap.
        """),
        code("""
        truth = read_entry("ais_port_calls_truth", catalog_path)


        def matched(found: pd.DataFrame, planted: pd.DataFrame) -> pd.DataFrame:
            pairs = found.merge(
                planted, left_on=["mmsi", "port"], right_on=["mmsi", "locode"],
                suffixes=("", "_true"),
            )
            overlap = (pairs["arrival"] <= pairs["departure_true"]) & (
                pairs["arrival_true"] <= pairs["departure"]
            )
            return pairs[overlap]


        hits = matched(calls, truth)
        recall = hits["call_id"].nunique() / len(truth)
        precision = len(hits) / len(calls)
        print(f"recall {recall:.1%} of {len(truth)} planted calls, precision {precision:.1%}")
        """),
        md("""
        Unmatched detections are usually vessels crossing a port area without stopping;
        a minimum time in port (`min_hours` in `detect_port_calls`) removes most of them.
        How do the parameters change the result?
        """),
        code("""
        from ungp_methods.ais import detect_port_calls

        rows = []
        for buffer in (0.0, buffer_km):
            for min_hours in (0.0, 3.0):
                found = detect_port_calls(clean, ports, buffer_km=buffer, min_hours=min_hours)
                hits = matched(found, truth)
                rows.append({
                    "buffer_km": buffer, "min_hours": min_hours, "calls": len(found),
                    "recall": hits["call_id"].nunique() / len(truth),
                    "precision": len(hits) / len(found),
                })
        pd.DataFrame(rows).round(3)
        """),
        md("""
        ### Exercise 1
        Planted calls with `anchored_from` waited at anchorage, outside the port area, before
        berthing. Were they all detected as one call, starting at the berth?
        """),
        code(
            """
            anchored = truth.dropna(subset=["anchored_from"])
            found_anchored = matched(calls, anchored)
            print(f"{len(anchored)} calls with an anchorage wait; "
                  f"{found_anchored['call_id'].nunique()} detected, "
                  f"{found_anchored.groupby('call_id').size().max()} detection(s) per call at most")
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        What is the median time in port by ship class?
        """),
        code(
            """
            with_class = calls.merge(vessels[["mmsi", "ship_class"]], on="mmsi")
            with_class.groupby("ship_class")["hours_in_port"].median().round(1)
            """,
            hidden=True,
        ),
        md("""
        ## References
        - D. Cerdeiro, A. Komaromi, Y. Liu and M. Saeed (2020), "World Seaborne Trade in Real
          Time", IMF Working Paper 20/57, section III (port calls).
        - UN Global Working Group on Big Data, *AIS Handbook*, port-call detection.
        """),
    ]


def lesson_payloads() -> list:
    return [
        md("""
        # Lesson 2.3 — Payloads and weekly trade indicators

        **You will learn** to estimate the cargo loaded or unloaded during a port call from
        the change in draught, and to aggregate calls and tonnes into weekly indicators that
        can be compared with official trade statistics.
        """),
        *opening(DOMAIN, IMPORTS, PARAMETERS),
        code(READ),
        md("""
        ## From draught to tonnes

        A ship displaces its own weight in water: displacement $= C_b(d) \\, L \\, B \\, d \\,
        \\rho$ with length $L$, beam $B$, draught $d$, sea water density $\\rho = 1.025$ t/m³,
        and a block coefficient that shrinks as the ship rises out of the water:
        $C_b(d) = 1 - (1 - C_b)(d_{design}/d)^{1/3}$ (MAN Energy Solutions 2011). The payload
        of a call is the displacement on departure minus on arrival: positive when loading.
        """),
        code("""
        from ungp_methods.ais import call_payloads, clean_positions, detect_port_calls

        clean = clean_positions(pings).positions
        calls = detect_port_calls(clean, ports, buffer_km=buffer_km)
        with_payload = call_payloads(calls, vessels)
        cols = ["mmsi", "port", "draught_arrival", "draught_departure", "payload_tonnes"]
        with_payload[cols].head()
        """),
        md("""
        ## Against the planted payloads

        `ais_payload_truth` holds the cargo each planted call unloaded and loaded; the net
        change (loaded - unloaded) is what a draught difference can see.
        """),
        code("""
        truth = read_entry("ais_port_calls_truth", catalog_path)
        payload_truth = read_entry("ais_payload_truth", catalog_path)


        def compare(estimated: pd.DataFrame) -> pd.DataFrame:
            pairs = estimated.merge(truth, left_on=["mmsi", "port"], right_on=["mmsi", "locode"])
            pairs = pairs[
                (pairs["arrival_x"] <= pairs["departure_y"])
                & (pairs["arrival_y"] <= pairs["departure_x"])
            ]
            pairs = pairs.merge(payload_truth[["call_id", "loaded_t", "unloaded_t"]], on="call_id")
            pairs["net_true"] = pairs["loaded_t"] - pairs["unloaded_t"]
            return pairs.dropna(subset=["payload_tonnes"])


        pairs = compare(with_payload)
        error = (pairs["payload_tonnes"] - pairs["net_true"]).abs()
        print(f"{len(pairs)} calls compared; median absolute error {error.median():,.0f} t; "
              f"correlation {pairs['payload_tonnes'].corr(pairs['net_true']):.3f}")
        """),
        md("""
        ## Weekly indicators

        Port calls and tonnes per ISO week, by port or country, are the AIS fast indicators of
        the IMF and UN (PortWatch, Cerdeiro et al. 2020, section V).
        """),
        code("""
        from ungp_methods.ais import weekly_port_calls, weekly_trade_volume

        weekly_calls = weekly_port_calls(calls, by="country")
        volume = weekly_trade_volume(with_payload, by="country")
        volume.drop(columns="week_start").nlargest(8, "total_tonnes").round(0)
        """),
        md("""
        ## Coherence with official trade statistics

        The benchmark holds monthly trade by port. AIS unloaded tonnes are a proxy for imports
        (and loaded for exports); over a few days only the direction can be compared.
        """),
        code("""
        trade = read_entry("benchmark_trade_monthly", catalog_path)
        by_port = with_payload.assign(
            unloaded=(-with_payload["payload_tonnes"]).clip(lower=0),
            loaded=with_payload["payload_tonnes"].clip(lower=0),
        ).groupby("port")[["unloaded", "loaded"]].sum()
        official = trade.pivot_table(
            index="locode", columns="flow", values="quantity_t", aggfunc="sum"
        )
        side = by_port.join(official, how="inner")
        print(f"{len(side)} ports in both sources")
        side.round(0)
        """),
        md("""
        ### Exercise 1
        Compare the payload error when the block coefficient is kept at its design value at
        every draught (`adjust_for_draught=False`). Which is closer to the planted payloads,
        and why? Hint: read the method notes of `ais_vessels` (how the simulation turns cargo
        into draught), and think about how full the hull's shape is at a ballast draught
        compared with a laden one. A method can only be checked against a simulation as far
        as the simulation's model agrees with the real world.
        """),
        code(
            """
            fixed = compare(call_payloads(calls, vessels, adjust_for_draught=False))
            fixed_error = (fixed["payload_tonnes"] - fixed["net_true"]).abs()
            print(f"median absolute error: adjusted {error.median():,.0f} t, "
                  f"design Cb {fixed_error.median():,.0f} t")
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        Which country had the most port calls in the busiest week?
        """),
        code(
            """
            busiest = weekly_calls.groupby("week")["port_calls"].sum().idxmax()
            top = weekly_calls[weekly_calls["week"] == busiest].nlargest(1, "port_calls")
            top
            """,
            hidden=True,
        ),
        md("""
        ## References
        - MAN Energy Solutions (2011), *Basic Principles of Ship Propulsion*, p. 9 (block
          coefficient and draught).
        - D. Cerdeiro, A. Komaromi, Y. Liu and M. Saeed (2020), "World Seaborne Trade in Real
          Time", IMF Working Paper 20/57, sections IV-V.
        - Z. Jia, V. Prakash and T. Smith (2019), "Estimating vessel payloads in bulk shipping
          using AIS data", *Int. J. Shipping and Transport Logistics* 11(1).
        """),
    ]
