"""Module 7's lessons: their builders and the code snippets they share.

Loaded by make_notebooks.py with ``nbcells.sibling`` once ``courses/`` is on the path.
"""

from __future__ import annotations

from nbcells import code, md, opening

DOMAIN = "geospatial"
IMPORTS = []
PARAMETERS = """
distance_m = 2000  # SDG 9.1.1: within 2 km of an all-season road
"""


def lesson_rai() -> list:
    return [
        md("""
        # Lesson 7.1 — The Rural Access Index (SDG 9.1.1)

        **You will learn** to compute SDG indicator 9.1.1, the share of the rural population
        living within 2 km of an all-season road, by overlaying a population grid with a road
        network in a projected coordinate system, nationally and per district.

        The World Bank's method (Iimi et al. 2016, *Measuring Rural Access: Using New
        Technologies*) replaced household-survey questions with geospatial data: gridded
        population, an urban/rural classification and the roads passable all year round.
        """),
        *opening(DOMAIN, IMPORTS, PARAMETERS),
        code("""
        grid = read_entry("geo_population_grid", catalog_path)
        roads = read_entry("geo_roads", catalog_path)
        admin = read_entry("geo_admin_boundaries", catalog_path)
        print(f"grid: {len(grid):,} cells, {grid['population'].sum():,.0f} people, "
              f"{grid.loc[grid['rural'], 'population'].sum():,.0f} rural")
        print(f"roads: {len(roads)} segments, {roads['length_km'].sum():.0f} km, "
              f"{roads.loc[roads['all_season'], 'length_km'].sum():.0f} km all-season")
        print("CRS:", roads.crs.name, "| units:", roads.crs.axis_info[0].unit_name)
        """),
        code("""
        ax = admin[admin["admin_level"] == 2].boundary.plot(color="grey", linewidth=0.5,
                                                            figsize=(7, 6))
        ax.scatter(grid["x"], grid["y"], s=2, c=grid["rural"].map({True: "tan", False: "red"}))
        roads.plot(ax=ax, column="all_season", cmap="coolwarm_r", linewidth=1.5, legend=True)
        ax.set_title("Population cells (red: urban) and roads (all-season or not)");
        """),
        md("""
        ## The indicator

        Distances must be computed in metres, in a projected CRS (here UTM 36S): degrees are
        not distances. A grid cell is represented by its centre.
        """),
        code("""
        from ungp_methods.sdg import rural_access_index

        rai = rural_access_index(grid, roads, by="district_code", distance=distance_m)
        print(f"Rural Access Index: {rai.share:.1%} of {rai.rural_population:,.0f} rural people")
        rai.by_group.round(3)
        """),
        md("""
        The catalogue's truth was computed at build time with an exact point-to-segment
        distance test:
        """),
        code("""
        truth = read_entry("geo_rural_access_truth", catalog_path).set_index("scope")
        gaps = (rai.by_group["share"] - truth["rai"].drop("national")).abs()
        print(f"national: {rai.share:.6f} vs truth {truth.loc['national', 'rai']:.6f}; "
              f"largest district gap {gaps.max():.2e}")
        """),
        md("""
        ## By hand with a buffer

        The same number with geopandas: buffer the all-season roads by 2 km and count the
        rural population whose cell centre falls inside.
        """),
        code("""
        import geopandas as gpd

        corridor = roads[roads["all_season"]].union_all().buffer(distance_m)
        points = gpd.GeoSeries(gpd.points_from_xy(grid["x"], grid["y"]), crs=roads.crs)
        served = grid["rural"] & points.within(corridor).to_numpy()
        by_hand = grid.loc[served, "population"].sum() / grid.loc[grid["rural"], "population"].sum()
        print(f"by hand {by_hand:.4%} vs library {rai.share:.4%} (a polygon buffer "
              "approximates circles with segments, so tiny differences are possible)")
        """),
        md("""
        ### Exercise 1
        What would the index be if every road counted, whatever its condition? Why does SDG
        9.1.1 insist on all-season roads?
        """),
        code(
            """
            every_road = rural_access_index(grid, roads, all_season=None, distance=distance_m)
            print(f"all roads {every_road.share:.1%} vs all-season {rai.share:.1%}")
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        Which district has the lowest index, and how many rural people there live more than
        2 km from an all-season road?
        """),
        code(
            """
            worst = rai.by_group["share"].idxmin()
            row = rai.by_group.loc[worst]
            print(f"{worst}: {row['share']:.1%}, "
                  f"{row['rural_population'] - row['served_population']:,.0f} people unserved")
            """,
            hidden=True,
        ),
        md("""
        ## References
        - A. Iimi, F. Ahmed, E. C. Anderson, A. S. Diehl, L. Maiyo, T. Peralta-Quiros and
          K. S. Rao (2016), *Measuring Rural Access: Using New Technologies*, World Bank.
        - UN Statistics Division, SDG indicator metadata 9.1.1 (custodian: World Bank).
        """),
    ]


def lesson_slums() -> list:
    return [
        md("""
        # Lesson 7.2 — Urban population in slums (SDG 11.1.1) from a household survey

        **You will learn** UN-Habitat's household definition of a slum, how to estimate the
        share of the urban *population* living in slum households from a weighted sample,
        and how the estimate compares with the census value.
        """),
        *opening(DOMAIN, IMPORTS, PARAMETERS),
        code("""
        import pandas as pd

        survey = read_entry("geo_household_survey", catalog_path)
        print(f"{len(survey)} households surveyed, representing {survey['weight'].sum():,.0f}; "
              f"{survey['urban'].mean():.0%} urban in the sample")
        survey.head()
        """),
        md("""
        ## The definition

        A slum household is an urban household lacking at least one of: improved water,
        improved sanitation, sufficient living area (at most three persons per habitable room),
        durable housing, security of tenure (UN-Habitat, SDG 11.1.1 metadata). The indicator
        counts *people*: each household weighs `weight x persons`.
        """),
        code("""
        from ungp_methods.sdg import household_deprivations, slum_population_share

        urban = survey[survey["urban"]]
        flags = household_deprivations(urban)
        flags.mean().round(3)
        """),
        code("""
        share = slum_population_share(survey, by="district_code")
        truth = read_entry("geo_slum_share_truth", catalog_path).set_index("scope")
        census = truth.loc["national", "share"]
        print(f"survey estimate {share.share:.1%}, census value {census:.1%}")
        compare = pd.DataFrame({"survey": share.by_group["share"], "census": truth["share"]})
        compare.drop("national").round(3)
        """),
        md("""
        Districts with few urban households in the sample are estimated poorly: a national
        survey is designed for national (and perhaps regional) estimates, not districts.

        ### Exercise 1
        Many surveys do not ask about tenure; UN-Habitat then uses the four other components.
        How much does the national share change without tenure?
        """),
        code(
            """
            four = slum_population_share(survey, secure_tenure=None)
            print(f"five components {share.share:.1%}, four components {four.share:.1%}")
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        Compute the share of urban *households* (weighted) that are slum households. Why is
        it different from the share of the population?
        """),
        code(
            """
            w = urban["weight"]
            households_share = (w * flags["slum"]).sum() / w.sum()
            size = urban.groupby(flags["slum"])["persons"].mean()
            print(f"households {households_share:.1%} vs population {share.share:.1%}; mean "
                  f"size: slum {size[True]:.1f}, other {size[False]:.1f} persons")
            """,
            hidden=True,
        ),
        md("""
        ## References
        - UN-Habitat, SDG indicator 11.1.1 metadata, UN Statistics Division.
        - UN-Habitat (2018), *SDG Indicator 11.1.1 Training Module: Adequate Housing and Slum
          Upgrading*.
        - UN-Habitat (2003), *The Challenge of Slums: Global Report on Human Settlements*.
        """),
    ]
