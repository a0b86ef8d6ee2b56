"""Module 4's lessons: their cell builders and the code snippets they share.

Loaded by make_notebooks.py (which puts courses/ on ``sys.path``) with ``nbcells.sibling``.
"""

from __future__ import annotations

from nbcells import code, md, opening

DOMAIN = "mobile"
IMPORTS = ["import pandas as pd"]
PARAMETERS = """
home_mcc = "001"  # the reporting country's Mobile Country Code (ITU-T E.212)
k = 10  # publication threshold: counts below k are suppressed
"""

READ = """
events = read_entry("mobile_events", catalog_path)
cells = read_entry("mobile_cells", catalog_path)
zone_of = cells.set_index("cell_id")["zone"]
domestic = events[events["mcc"] == home_mcc]
print(
    f"{len(events):,} events of {events['subscriber'].nunique():,} SIMs over "
    f"{events['timestamp'].dt.date.nunique()} days; "
    f"{domestic['subscriber'].nunique():,} domestic SIMs (MCC {home_mcc})"
)
"""


def lesson_homes() -> list:
    return [
        md("""
        # Lesson 4.1 — Where do subscribers live? Home location from event records

        **You will learn** what call detail records (CDR) hold, how the *night-time* and the
        *majority* rules turn them into a usual-residence area per subscriber, how to measure
        the result against a planted truth, and how to publish residents per area safely.

        An operator records an event each time a phone makes a call, sends an SMS or opens a
        data session: a pseudonymous subscriber id, the time and the serving cell. Nobody
        records where people *live*; home detection infers it (UN GWG Handbook on the Use of
        Mobile Phone Data for Official Statistics, 2019).
        """),
        *opening(DOMAIN, IMPORTS, PARAMETERS),
        code(READ),
        code("events.head()"),
        md("""
        Timestamps carry the time zone, so `.dt.hour` is the *local* hour: home rules are about
        local nights, and a UTC hour would shift every night by three hours here.

        ## Two rules

        * **night-time rule**: the cell with the most events between 20:00 and 07:00, seen on
          at least `min_nights` distinct nights (a night is dated by its evening, so 02:00 on
          Tuesday belongs to Monday's night);
        * **majority rule**: the cell where the subscriber was seen on the most distinct days,
          at least `min_days` of them.

        Both are compared by Vanhoof et al. (2018). Subscribers without enough evidence are
        left *unassigned*, never guessed; the assignment rate is a quality indicator to publish.
        """),
        code("""
        from ungp_methods.mobile import majority_home, night_time_home

        night = night_time_home(domestic, area="cell_id")
        major = majority_home(domestic, area="cell_id")
        for name, result in [("night-time", night), ("majority", major)]:
            print(f"{name:10s} assignment rate {result.assignment_rate:.1%}")
        night.homes.head()
        """),
        md("""
        ## Checking against the planted truth

        The catalogue's simulation planted a home cell for every domestic subscriber
        (`mobile_homes_truth`). Accuracy is the share of *assigned* subscribers whose home is
        right; the unassigned should be the low-activity ones.
        """),
        code("""
        truth = read_entry("mobile_homes_truth", catalog_path).set_index("subscriber")


        def accuracy(result) -> float:
            found = result.homes.set_index("subscriber")["home_area"]
            return float((found == truth.loc[found.index, "home_cell"]).mean())


        quality = pd.DataFrame(
            {
                "assigned": [len(night.homes), len(major.homes)],
                "accuracy": [accuracy(night), accuracy(major)],
            },
            index=["night-time", "majority"],
        )
        print(quality.round(4))
        low = truth["low_activity"]
        unassigned = night.unassigned["subscriber"]
        print(
            f"{low.loc[unassigned].mean():.0%} of the {len(unassigned)} unassigned subscribers "
            f"are low-activity ones (they are {low.mean():.0%} of all)"
        )
        """),
        md("""
        The majority rule is fooled by people who spend their working days in the same cell
        more often than their evenings at home. Where do its errors land?
        """),
        code("""
        wrong = major.homes.set_index("subscriber")["home_area"]
        wrong = wrong[wrong != truth.loc[wrong.index, "home_cell"]]
        at_work = (wrong == truth.loc[wrong.index, "work_cell"]).mean()
        print(f"{len(wrong)} majority-rule errors; {at_work:.0%} of them put home at the work cell")
        """),
        md("""
        ## Publishing residents per zone

        Counts of subscribers per area are published only at or above a threshold `k` (UN GWG
        Handbook, privacy chapter; Hundepool et al. 2012, ch. 4): a count of 2 describes two
        identifiable people. `suppress_small_counts` hides counts below `k` (primary
        suppression). Counts are of SIMs, not people: a statistic still needs the operator's
        market share and a model of who has a phone.
        """),
        code("""
        from ungp_methods.mobile import suppress_small_counts

        homes = night.homes.assign(zone=night.homes["home_area"].map(zone_of))
        residents = homes.groupby("zone").size().rename("count").reset_index()
        published = suppress_small_counts(residents, k=k)
        print(published["suppression"].replace("", "published").value_counts().to_dict())
        published.head(8)
        """),
        md("""
        ### Exercise 1
        How do the assignment rate and the accuracy of the night-time rule change with
        `min_nights` = 1, 3, 7?
        """),
        code(
            """
            rows = {}
            for n in [1, 3, 7]:
                result = night_time_home(domestic, area="cell_id", min_nights=n)
                rows[n] = {"assignment_rate": result.assignment_rate, "accuracy": accuracy(result)}
            pd.DataFrame(rows).T.round(4)
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        The majority rule's errors sit at work places. Apply it only to events outside weekday
        office hours (Monday-Friday 09:00-17:00): how do its accuracy and assignment rate
        change?
        """),
        code(
            """
            t = domestic["timestamp"]
            office = (t.dt.day_of_week < 5) & (t.dt.hour >= 9) & (t.dt.hour < 17)
            off_work = majority_home(domestic[~office], area="cell_id")
            print(f"accuracy {accuracy(off_work):.2%} (all events: {accuracy(major):.2%}); "
                  f"assignment rate {off_work.assignment_rate:.1%}")
            """,
            hidden=True,
        ),
        md("""
        ## References
        - UN Global Working Group on Big Data (2019), *Handbook on the Use of Mobile Phone Data
          for Official Statistics*.
        - M. Vanhoof, F. Reis, T. Ploetz and Z. Smoreda (2018), "Assessing the quality of home
          detection from mobile phone data for official statistics", *Journal of Official
          Statistics* 34(4), 935-960.
        - A. Hundepool et al. (2012), *Statistical Disclosure Control*, Wiley, chapter 4.
        """),
    ]


def lesson_mobility() -> list:
    return [
        md("""
        # Lesson 4.2 — Mobility and tourism: origin-destination matrices and inbound roamers

        **You will learn** to build origin-destination (OD) matrices from homes and from
        consecutive stays, to count inbound tourists from roaming SIMs, and to compare both
        with what the simulation planted.
        """),
        *opening(DOMAIN, IMPORTS, PARAMETERS),
        code(READ),
        md("""
        ## Home to visited zone

        The simplest OD table counts, per day, the distinct residents of zone *o* (their home
        from lesson 4.1) seen in zone *d*. Restricted to weekday office hours it approximates
        commuting (UN GWG Handbook 2019, mobility chapter).
        """),
        code("""
        from ungp_methods.mobile import night_time_home, od_home_to_visited, od_matrix

        dom = domestic.assign(zone=domestic["cell_id"].map(zone_of))
        homes = night_time_home(dom, area="zone").homes
        hour, weekday = dom["timestamp"].dt.hour, dom["timestamp"].dt.day_of_week
        office = dom[(weekday < 5) & (hour >= 9) & (hour < 17)]
        od = od_home_to_visited(office, homes, include_home=True, area="zone")
        n_days = od["date"].nunique()
        daily = od_matrix(od) / n_days  # mean distinct subscribers per weekday
        print(f"{n_days} weekdays, {daily.shape[0]} zones")
        daily.iloc[:6, :6].round(1)
        """),
        md("""
        The truth (`mobile_od_truth`) counts each commuter once, by home and work zone. Our
        daily table also counts people who pass through a zone, and counts non-workers at
        home, so it is larger; the *pattern* should agree.
        """),
        code("""
        truth_od = read_entry("mobile_od_truth", catalog_path)
        truth_od = truth_od.set_index(["origin_zone", "destination_zone"])["commuters"]
        compare = pd.concat(
            {"estimate": daily.stack(), "truth": truth_od.rename_axis(["origin", "destination"])},
            axis=1,
        ).fillna(0)
        r = compare.corr().loc["estimate", "truth"]
        off = compare.index.get_level_values(0) != compare.index.get_level_values(1)
        r_off = compare[off].corr().loc["estimate", "truth"]
        print(f"correlation with the truth: all pairs {r:.2f}, between different zones {r_off:.2f}")
        total = compare.sum()
        print(f"totals: estimate {total['estimate']:.0f}, truth {total['truth']:.0f}")
        """),
        md("""
        ## Trips between consecutive stays

        A second definition collapses each subscriber's events into *stays* (consecutive events
        in the same zone); stays shorter than `min_stay` are treated as passing through, and
        each move between two stays on the same day is a trip.
        """),
        code("""
        from ungp_methods.mobile import od_trips

        trips = od_trips(dom, min_stay="30min", area="zone")
        per_day = trips.groupby("date")["trips"].sum()
        print(f"{per_day.mean():.0f} trips a day between zones (min {per_day.min()}, "
              f"max {per_day.max()})")
        """),
        md("""
        ## Inbound tourism

        A SIM's home country is its Mobile Country Code, the first three digits of the IMSI
        (ITU-T E.212); the events carry it as `mcc`. Following Eurostat (2014), a roaming SIM
        is a *tourist* (overnight visitor, IRTS 2008) only when seen on at least two distinct
        days; same-day visitors are left out.
        """),
        code("""
        from ungp_methods.mobile import inbound_tourism

        roamers_truth = read_entry("mobile_roamers_truth", catalog_path)
        countries = dict(zip(roamers_truth["mcc"], roamers_truth["country"], strict=False))
        roaming = events[events["mcc"] != home_mcc]  # the method drops domestic SIMs anyway
        tourism = inbound_tourism(roaming, home_mcc=home_mcc, area="cell_id", countries=countries)
        tourism.head()
        """),
        md("""
        Per country over the whole period we count *distinct* SIMs (a visitor seen on five
        days is one visitor), which cannot be summed from the daily table; compare with the
        truth's overnight visitors.
        """),
        code("""
        everywhere = roaming.assign(country_wide="all")
        national = inbound_tourism(everywhere, home_mcc=home_mcc, area="country_wide")
        days_seen = roaming.groupby("subscriber")["timestamp"].agg(lambda t: t.dt.date.nunique())
        tourists = roaming[roaming["subscriber"].map(days_seen) >= 2]
        estimate = tourists.groupby("mcc")["subscriber"].nunique()
        truth_tourists = roamers_truth[roamers_truth["overnight"]].groupby("mcc").size()
        by_country = pd.DataFrame({"estimate": estimate, "truth": truth_tourists}).fillna(0)
        by_country.index = by_country.index.map(countries)
        print("largest daily count of tourists in the country:", national["visitors"].max())
        by_country.astype(int)
        """),
        md("""
        ### Exercise 1
        How many same-day roaming visitors did the two-day rule leave out, and does that match
        the truth (`overnight == False`)?
        """),
        code(
            """
            same_day = int((days_seen < 2).sum())
            print(same_day, "same-day visitors;",
                  int((~roamers_truth["overnight"]).sum()), "in the truth")
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        Publish tourism counts with the threshold `k`, first by date, zone and country, then by
        country over the whole period (distinct visitors, `by_country["estimate"]`). What share
        of the cells survives each time, and what does that say about the level of detail that
        a small sample can support?
        """),
        code(
            """
            from ungp_methods.mobile import suppress_small_counts

            by_zone = inbound_tourism(roaming.assign(zone=roaming["cell_id"].map(zone_of)),
                                      home_mcc=home_mcc, area="zone")
            detailed = suppress_small_counts(by_zone, k=k, count="visitors")
            totals = suppress_small_counts(by_country.rename(columns={"estimate": "count"}), k=k)
            for name, shown in [("date x zone x country", detailed), ("country", totals)]:
                print(f"{name}: {(shown['suppression'] == '').mean():.0%} of {len(shown)} cells")
            """,
            hidden=True,
        ),
        md("""
        ## References
        - UN Global Working Group on Big Data (2019), *Handbook on the Use of Mobile Phone Data
          for Official Statistics*, mobility and tourism chapters.
        - Eurostat (2014), *Feasibility Study on the Use of Mobile Positioning Data for Tourism
          Statistics*, consolidated report.
        - United Nations (2010), *International Recommendations for Tourism Statistics 2008*.
        """),
    ]
