"""Module 4's lesson 4.3 (population covered by mobile technology, ITU): its cell builder.

The module's shared snippets (domain, imports, parameters) are in lessons.py; both are loaded
by make_notebooks.py with ``nbcells.sibling``.
"""

from __future__ import annotations

from nbcells import code, md, opening, sibling

shared = sibling(__file__, "lessons")


def lesson_coverage() -> list:
    return [
        md("""
        # Lesson 4.3 — Population coverage by technology (SDG 9.c.1)

        **You will learn** how the ITU computes the share of the population covered by at
        least a 2G, 3G, 4G or 5G network, by overlaying cell coverage on a population grid,
        and why "at least" matters.
        """),
        *opening(shared.DOMAIN, shared.IMPORTS, shared.PARAMETERS),
        code("""
        import numpy as np

        cells = read_entry("mobile_cells", catalog_path)
        grid = read_entry("mobile_population_grid", catalog_path)
        print(f"{len(cells)} cells on {cells['site_id'].nunique()} sites; "
              f"{len(grid):,} grid cells, {grid['population'].sum():,.0f} inhabitants")
        cells.groupby("technology")["radius_km"].describe()[["count", "min", "max"]]
        """),
        md("""
        ## The indicator

        SDG indicator 9.c.1 is the *proportion of population covered by a mobile network, by
        technology* (ITU indicators i271G, i271GA, i271A, i271B). A person counts as covered by
        "at least 3G" when within range of a 3G, 4G or 5G signal. The usual calculation is a
        grid overlay: a grid cell is covered when its centre lies within a cell's coverage
        radius (ITU Handbook for the Collection of Administrative Data on
        Telecommunications/ICT, 2020).
        """),
        code("""
        from ungp_methods.mobile import population_coverage

        coverage = population_coverage(grid, cells)
        coverage.round(2)
        """),
        md("""
        The simulation computed the same indicator with planar distances in metres
        (`mobile_coverage_truth`); the library uses great-circle distances on latitude and
        longitude. The two agree closely:
        """),
        code("""
        truth = read_entry("mobile_coverage_truth", catalog_path).set_index("technology")
        gap = (coverage.set_index("technology")["coverage_pct"] - truth["coverage_pct"]).abs()
        print("largest gap from the truth:", round(float(gap.max()), 3), "percentage points")
        """),
        md("""
        ## By hand for one technology

        With projected coordinates (metres) a covered grid cell is just one within `radius_km`
        of a qualifying cell:
        """),
        code("""
        tech = "4G"
        later = cells[cells["technology"].isin(["4G", "5G"])]
        dx = grid["x"].to_numpy()[:, None] - later["x"].to_numpy()[None, :]
        dy = grid["y"].to_numpy()[:, None] - later["y"].to_numpy()[None, :]
        covered = (np.hypot(dx, dy) <= later["radius_km"].to_numpy()[None, :] * 1000).any(axis=1)
        by_hand = 100 * grid.loc[covered, "population"].sum() / grid["population"].sum()
        planted = truth.at[tech, "coverage_pct"]
        print(f"at least {tech}: by hand {by_hand:.2f}%, truth {planted:.2f}%")
        """),
        md("""
        ### Exercise 1
        Compute coverage by *exactly* each technology (`at_least=False`) and compare it with
        "at least". When can the two differ? (Hint: is there a site with 5G but no 4G, or 4G
        but no 3G?) SDG 9.c.1 asks for "at least".
        """),
        code(
            """
            exactly = population_coverage(grid, cells, at_least=False).set_index("technology")
            both = pd.DataFrame({"at_least": coverage.set_index("technology")["coverage_pct"],
                                 "exactly": exactly["coverage_pct"]})
            techs = cells.groupby("site_id")["technology"].agg(set)
            for new, old in [("5G", "4G"), ("4G", "3G")]:
                n_sites = sum(new in t and old not in t for t in techs)
                print(f"sites with {new} but no {old}: {n_sites}")
            both.round(2)  # where they agree, cells of an earlier technology cover the gaps
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        How many people live outside any 4G coverage, and in how many grid cells?
        """),
        code(
            """
            print(f"{grid.loc[~covered, 'population'].sum():,.0f} people in "
                  f"{int((~covered & (grid['population'] > 0)).sum())} grid cells")
            """,
            hidden=True,
        ),
        md("""
        ## References
        - ITU (2020), *Handbook for the Collection of Administrative Data on
          Telecommunications/ICT*, indicators i271G-i271B.
        - UN Statistics Division, SDG indicator metadata 9.c.1.
        """),
    ]
