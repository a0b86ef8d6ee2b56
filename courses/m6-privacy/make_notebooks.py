"""Build module 6's notebooks: lessons, the nbgrader source notebook and kept submissions.

Run ``python courses/m6-privacy/make_notebooks.py`` after editing; commit the .ipynb files it
writes (a test checks they match this script).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from nbcells import (  # noqa: E402
    code,
    main,
    md,
    parameters,
    readonly,
    solution,
    tests,
)

PARAMETERS = """
scale = "small"  # data scale the lesson was written for: small | medium | large
catalog_path = None  # None: $UNGP_CATALOG, else /srv/data/catalog.yaml
k = 3  # k-anonymity threshold
epsilon_total = 1.0  # privacy-loss budget of the data set
"""

OPEN = """
import numpy as np
import pandas as pd
from ungp_catalogs import open_catalog, read_entry

cat = open_catalog(catalog_path)  # the privacy domain is restricted: your group must see it
data_scale = cat.privacy.metadata["scale"]
if data_scale != scale:
    print(f"Note: this catalogue holds {data_scale!r} data; the lesson was written for {scale!r}.")
"""

READ = """
persons = read_entry("privacy_census_persons", catalog_path)
labels = [f"{a:02d}-{a + 4:02d}" for a in range(0, 85, 5)] + ["85+"]
bins = [*range(0, 90, 5), 200]
persons["age_group"] = pd.cut(persons["age"], bins, right=False, labels=labels).astype(str)
KEYS = ["region", "sex", "age_group", "household_size", "occupation"]
print(f"{len(persons):,} persons in the sample, {persons['weight'].sum():,.0f} in the population")
"""


def lesson_microdata() -> list:
    return [
        md("""
        # Lesson 6.1 — Disclosure risk of microdata: frequencies, risk, k-anonymity

        **You will learn** to measure the re-identification risk of a microdata file from its
        key variables, to check the risk model against the true population frequencies, and
        to make a file k-anonymous with local suppression.

        A census sample without names can still identify people: an intruder who knows a
        neighbour's region, sex, age, household size and occupation can look for the one
        record that matches. These *key variables* (quasi-identifiers) drive the risk
        (Hundepool et al. 2012, ch. 3; sdcMicro, Templ et al. 2015).
        """),
        parameters(PARAMETERS),
        code(OPEN),
        md("""
        The truth table of the population uses 5-year age groups, so we recode age the same
        way (with plain pandas: global recoding is the first protection step anyway).
        """),
        code(READ),
        md("""
        ## Sample and population frequencies

        For each record, $f_k$ counts the sample records with the same key combination and
        $F_k$, the sum of their weights, estimates how many people in the population share
        it. A sample unique ($f_k = 1$) is risky only if it is also rare in the population.
        """),
        code("""
        from ungp_methods.privacy import key_frequencies

        freq = key_frequencies(persons, KEYS, weight="weight")
        print(f"{(freq['fk'] == 1).sum()} sample uniques among {len(freq)} records")
        freq.describe().round(1)
        """),
        md("""
        ## Individual risk, checked against the population

        The Benedetti-Franconi individual risk estimates the probability that a match on the
        keys is the right person, $E[1/F_k \\mid f_k]$ (Franconi and Polettini 2004). The
        catalogue holds the true population frequency of every combination
        (`privacy_key_population_truth`), so we can compare with $1/F_k$ itself.
        """),
        code("""
        from ungp_methods.privacy import risk_summary

        summary = risk_summary(persons, KEYS, weight="weight", k=k)
        truth = read_entry("privacy_key_population_truth", catalog_path)
        true_F = persons[KEYS].merge(truth, on=KEYS, how="left")["population"].to_numpy()
        summary["true_risk"] = 1 / true_F
        by_fk = summary.assign(fk_class=summary["fk"].clip(upper=4)).groupby("fk_class")
        by_fk[["risk", "true_risk"]].mean().round(4)
        """),
        code("""
        expected = summary["risk"].sum()
        actual = summary["true_risk"].sum()
        print(f"expected re-identifications: model {expected:.1f}, truth {actual:.1f}")
        population_uniques = int(np.count_nonzero(true_F == 1))
        print(f"{population_uniques} records are unique in the whole population")
        """),
        md("""
        The model sees only the sample; where it and the population disagree, the population
        wins. A risk model that understates the risk of sample uniques is a reason to protect
        more than the model asks for.
        """),
        md("""
        ## k-anonymity and local suppression

        A file is $k$-anonymous when every key combination is shared by at least $k$ records
        (Sweeney 2002). Local suppression blanks single key values of the violating records;
        a blank matches every category (sdcMicro convention), so frequencies can only rise.
        """),
        code("""
        from ungp_methods.privacy import k_anonymity_violations, local_suppression

        before = int(k_anonymity_violations(persons, KEYS, k=k).sum())
        protected = local_suppression(persons, KEYS, k=k)
        after = int(k_anonymity_violations(protected.data, KEYS, k=k).sum())
        print(f"{before} records violate {k}-anonymity; after {protected.total} suppressions "
              f"in {protected.rounds} rounds: {after}")
        protected.suppressions
        """),
        md("""
        ### Exercise 1
        Which region has the highest share of records violating k-anonymity? Why might that be?
        """),
        code(
            """
            violates = k_anonymity_violations(persons, KEYS, k=k)
            violates.groupby(persons["region"]).mean().sort_values(ascending=False).round(3)
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        Suppress occupation last (it matters most to users) with `importance=`. How many
        values are suppressed now, per variable?
        """),
        code(
            """
            order = ["occupation", "region", "sex", "age_group", "household_size"]
            kept = local_suppression(persons, KEYS, k=k, importance=order)
            print(kept.total, "suppressions (default order:", protected.total, ")")
            kept.suppressions
            """,
            hidden=True,
        ),
        md("""
        ## References
        - A. Hundepool et al. (2012), *Statistical Disclosure Control*, Wiley, chapter 3.
        - M. Templ, A. Kowarik and B. Meindl (2015), "Statistical disclosure control for
          micro-data using the R package sdcMicro", *Journal of Statistical Software* 67(4).
        - L. Franconi and S. Polettini (2004), "Individual risk estimation in mu-Argus: a
          review", *Privacy in Statistical Databases*, LNCS 3050.
        - L. Sweeney (2002), "k-anonymity: a model for protecting privacy", *International
          Journal of Uncertainty, Fuzziness and Knowledge-Based Systems* 10(5).
        """),
    ]


def lesson_tables() -> list:
    return [
        md("""
        # Lesson 6.2 — Protecting tables: cell-key perturbation and differential privacy

        **You will learn** how the cell-key method adds consistent noise to frequency tables,
        and how differential privacy (DP) releases counts and means with a privacy-loss
        budget, using the OpenDP library.
        """),
        parameters(PARAMETERS),
        code(OPEN),
        code(READ),
        md("""
        ## The cell-key method

        Every record gets a random *record key* once. A cell's key is the sum of its records'
        keys (mod 1), and it picks the noise from a *perturbation table*. The same records
        always give the same noise, so asking twice, or differencing two tables, cannot
        average the noise away (Fraser and Wooton 2005; Thompson et al. 2013, ABS).
        """),
        code("""
        from ungp_methods.privacy import cell_key_table, perturbation_table, record_keys

        persons["record_key"] = record_keys(len(persons), seed=20240101)
        ptable = perturbation_table(max_noise=2, variance=1.0)
        ptable.pivot(index="count", columns="noise", values="probability").round(3)
        """),
        code("""
        table = cell_key_table(persons, ["region", "occupation"])
        again = cell_key_table(persons.sample(frac=1, random_state=1), ["region", "occupation"])
        same = (table["perturbed_count"].to_numpy() == again["perturbed_count"].to_numpy()).all()
        print(f"{len(table)} cells, mean noise {table['noise'].mean():+.3f}, "
              f"same result after shuffling the records: {same}")
        table.head()
        """),
        md("""
        ## Differential privacy

        A mechanism is $\\varepsilon$-differentially private when adding or removing one
        person changes the probability of any output by at most a factor $e^{\\varepsilon}$
        (Dwork et al. 2006). A count changes by at most 1, so Laplace noise of scale
        $1/\\varepsilon$ suffices. Several releases on the same data add up their epsilons
        (sequential composition), so a data holder fixes a *budget*.
        """),
        code("""
        from ungp_methods.privacy import BudgetExceededError, PrivacyBudget, dp_count, dp_mean

        budget = PrivacyBudget(epsilon_total)
        north = persons[persons["region"] == "North"]
        count = dp_count(north, epsilon=0.5, budget=budget, label="persons in North")
        print(f"true {len(north)}, released {count.value:.0f} +/- {count.accuracy:.1f} "
              f"(95%), spent {budget.spent} of {budget.total_epsilon}")
        """),
        md("""
        A DP mean needs bounds fixed *before* looking at the data (here: the questionnaire
        caps monthly earnings at 10 000) and a size; the census count is public here.
        """),
        code("""
        employed = persons.loc[persons["activity_status"] == "employed", "income"]
        mean = dp_mean(employed, bounds=(0, 10_000), epsilon=0.5, size=len(employed),
                       budget=budget, label="mean income of the employed")
        print(f"true {employed.mean():.1f}, released {mean.value:.1f} +/- {mean.accuracy:.1f}")
        try:
            dp_count(persons, epsilon=0.1, budget=budget)
        except BudgetExceededError as refused:
            print("refused:", refused)
        """),
        md("""
        ### Exercise 1
        Release the North count 200 times with epsilon 0.5 (no budget: this is only a
        simulation of the noise). What share of releases fall within the stated accuracy?
        """),
        code(
            """
            draws = np.array([dp_count(north, epsilon=0.5).value for _ in range(200)])
            inside = np.abs(draws - len(north)) <= count.accuracy
            print(f"{inside.mean():.0%} within +/- {count.accuracy:.1f} (promised: at least 95%)")
            """,
            hidden=True,
        ),
        md("""
        ### Exercise 2
        How does the accuracy of a DP count change with epsilon = 0.1, 0.5, 1, 2?
        """),
        code(
            """
            pd.Series({eps: dp_count(north, epsilon=eps).accuracy for eps in [0.1, 0.5, 1, 2]},
                      name="accuracy (95%)").round(2)
            """,
            hidden=True,
        ),
        md("""
        ## References
        - B. Fraser and J. Wooton (2005), "A proposed method for confidentialising tabular
          output to protect against differencing", UNECE work session on statistical data
          confidentiality.
        - C. Dwork, F. McSherry, K. Nissim and A. Smith (2006), "Calibrating noise to
          sensitivity in private data analysis", *TCC 2006*.
        - C. Dwork and A. Roth (2014), *The Algorithmic Foundations of Differential Privacy*.
        - The OpenDP Library documentation, opendp.org.
        """),
    ]


ASSIGNMENT = "m6_disclosure_control"
NOTEBOOK = "disclosure_control.ipynb"

Q1_SOLUTION = '''
def frequencies(data: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """fk (sample frequency) and Fk (sum of weights) of each record's key combination."""
    ### BEGIN SOLUTION
    grouped = data.groupby(keys)["weight"]
    return pd.DataFrame(
        {"fk": grouped.transform("size"), "Fk": grouped.transform("sum")}, index=data.index
    )
    ### END SOLUTION


freq = frequencies(persons, KEYS)
'''

Q2_SOLUTION = """
from ungp_methods.privacy import individual_risk

### BEGIN SOLUTION
n_violations = int((freq["fk"] < 3).sum())
expected_reidentifications = float(individual_risk(freq["fk"], freq["Fk"]).sum())
### END SOLUTION
"""

Q3_SOLUTION = '''
def perturbed_table(data: pd.DataFrame, by: list[str], ptable: pd.DataFrame) -> pd.DataFrame:
    """Cell-key perturbed frequency table: by..., count, cell_key, noise, perturbed_count."""
    ### BEGIN SOLUTION
    table = data.groupby(by)["record_key"].agg(count="size", key_sum="sum").reset_index()
    table["cell_key"] = (table.pop("key_sum") % 2**32) / 2**32
    last = ptable["count"].max()

    def noise(row) -> int:
        part = ptable[ptable["count"] == min(row["count"], last)].sort_values("noise")
        cumulative = np.cumsum(part["probability"].to_numpy())
        cumulative[-1] = 1.0
        return int(part["noise"].to_numpy()[np.searchsorted(cumulative, row["cell_key"],
                                                            side="right")])

    table["noise"] = table.apply(noise, axis=1)
    table["perturbed_count"] = table["count"] + table["noise"]
    return table
    ### END SOLUTION


published = perturbed_table(persons, ["region", "occupation"], PTABLE)
'''

Q4_SOLUTION = """
from ungp_methods.privacy import PrivacyBudget, dp_count, dp_mean

budget = PrivacyBudget(1.0)
### BEGIN SOLUTION
north_count = dp_count(persons[persons["region"] == "North"], epsilon=0.5, budget=budget)
employed = persons.loc[persons["activity_status"] == "employed", "income"]
income_mean = dp_mean(employed, bounds=(0, 10_000), epsilon=0.5, size=len(employed),
                      budget=budget)
### END SOLUTION
"""

SETUP = """
import numpy as np
import pandas as pd
from ungp_catalogs import read_entry
from ungp_methods.privacy import perturbation_table, record_keys

persons = read_entry("privacy_census_persons")
group = np.minimum(persons["age"] // 5, 17)
persons["age_group"] = group * 5  # lower bound of the 5-year age group (85 = 85+)
KEYS = ["region", "sex", "age_group", "household_size", "occupation"]
persons["record_key"] = record_keys(len(persons), seed=7)
PTABLE = perturbation_table(max_noise=2, variance=1.0)
"""


def assignment() -> list:
    return [
        readonly(
            "intro",
            """
        # Assignment 6 — Disclosure control of a census sample

        You will measure the disclosure risk of the catalogue's census sample (restricted
        data: do not copy it out of the hub), protect a frequency table with the cell-key
        method and release two statistics with differential privacy under a budget.

        Complete each cell marked `YOUR CODE HERE`. Questions 1 and 3 must be written with
        your own pandas/numpy code, not with `ungp_methods`. Visible tests check the shape
        of your results; hidden tests, run at grading, compare them with the trusted
        library `ungp_methods.privacy` on the same data.
        **Restart the kernel and run all cells before you submit.**
        """,
        ),
        code(SETUP),
        readonly(
            "q1-text",
            """
        ## Question 1 (3 points) — key frequencies
        Write `frequencies(data, keys)`: for every record, `fk` = the number of sample
        records with the same values of all `keys`, and `Fk` = the sum of their `weight`
        (the estimated population frequency). Same index as `data`.
        """,
        ),
        solution("q1-answer", Q1_SOLUTION),
        tests(
            "q1-visible",
            1,
            """
        assert list(freq.columns[:2]) == ["fk", "Fk"] and freq.index.equals(persons.index)
        assert (freq["fk"] >= 1).all() and (freq["Fk"] >= freq["fk"] - 1e-9).all()
        assert (freq["fk"] == 1).sum() == (~persons.duplicated(KEYS, keep=False)).sum()
        """,
        ),
        tests(
            "q1-hidden",
            2,
            "# Hidden tests compare with ungp_methods.privacy.key_frequencies.",
            """
from ungp_methods.privacy import key_frequencies

_ref = key_frequencies(persons, KEYS, weight="weight")
assert (freq["fk"].to_numpy() == _ref["fk"].to_numpy()).all()
np.testing.assert_allclose(freq["Fk"].to_numpy(), _ref["Fk"].to_numpy(), rtol=1e-9)
""",
        ),
        readonly(
            "q2-text",
            """
        ## Question 2 (2 points) — k-anonymity and expected re-identifications
        Compute `n_violations`, the number of records that violate **3**-anonymity on `KEYS`,
        and `expected_reidentifications`, the sum over records of the individual risk
        (`ungp_methods.privacy.individual_risk` of your `fk` and `Fk`).
        """,
        ),
        solution("q2-answer", Q2_SOLUTION),
        tests(
            "q2-visible",
            1,
            """
        assert isinstance(n_violations, int) and 0 < n_violations < len(persons)
        assert 0 < expected_reidentifications < len(persons)
        """,
        ),
        tests(
            "q2-hidden",
            1,
            "# Hidden tests compare with ungp_methods.privacy.risk_summary.",
            """
from ungp_methods.privacy import risk_summary

_sum = risk_summary(persons, KEYS, weight="weight", k=3)
assert n_violations == int(_sum["violates_k"].sum())
assert abs(expected_reidentifications - _sum["risk"].sum()) < 1e-6
""",
        ),
        readonly(
            "q3-text",
            """
        ## Question 3 (3 points) — a cell-key perturbed table
        Write `perturbed_table(data, by, ptable)`: one row per observed combination of `by`
        (sorted) with `count`, `cell_key` = (sum of the cell's `record_key` mod 2**32) / 2**32,
        `noise` and `perturbed_count` = count + noise. The noise is read from `ptable` (long
        format: `count, noise, probability`) in the row of the cell's count (counts above the
        last row use the last row): the first noise value, in increasing order, whose
        cumulative probability exceeds the cell key.
        """,
        ),
        solution("q3-answer", Q3_SOLUTION),
        tests(
            "q3-visible",
            1,
            """
        assert {"count", "cell_key", "noise", "perturbed_count"} <= set(published.columns)
        assert published["cell_key"].between(0, 1).all()
        assert (published["perturbed_count"] >= 0).all() and published["noise"].abs().max() <= 2
        assert published["count"].sum() == len(persons)
        """,
        ),
        tests(
            "q3-hidden",
            2,
            "# Hidden tests compare with ungp_methods.privacy.cell_key_table.",
            """
from ungp_methods.privacy import cell_key_table

_ref = cell_key_table(persons, ["region", "occupation"], ptable=PTABLE)
_mine = published.sort_values(["region", "occupation"]).reset_index(drop=True)
for _c in ["count", "noise", "perturbed_count"]:
    assert (_mine[_c].to_numpy() == _ref[_c].to_numpy()).all(), _c
np.testing.assert_allclose(_mine["cell_key"], _ref["cell_key"], atol=1e-12)
""",
        ),
        readonly(
            "q4-text",
            """
        ## Question 4 (2 points) — differential privacy within a budget
        With `ungp_methods.privacy` and the budget of epsilon 1.0 created below, release
        `north_count`: the DP count of persons in the region `North` with epsilon 0.5, and
        `income_mean`: the DP mean `income` of the `employed` (`activity_status`) with public
        bounds (0, 10000), the public size `len(...)` of that group and epsilon 0.5. Both
        must be charged to `budget`.
        """,
        ),
        solution("q4-answer", Q4_SOLUTION),
        tests(
            "q4-visible",
            1,
            """
        assert north_count.epsilon == 0.5 and income_mean.epsilon == 0.5
        assert north_count.value >= 0 and 0 <= income_mean.value <= 10_000
        """,
        ),
        tests(
            "q4-hidden",
            1,
            "# Hidden tests check the budget and that the releases are near the truth.",
            """
assert abs(budget.spent - 1.0) < 1e-9 and not budget.can_afford(0.01)
_n = int((persons["region"] == "North").sum())
assert abs(north_count.value - _n) <= 30 * north_count.scale
_inc = persons.loc[persons["activity_status"] == "employed", "income"].clip(0, 10_000)
assert income_mean.size == len(_inc)
assert abs(income_mean.value - _inc.mean()) <= 30 * income_mean.scale
""",
        ),
    ]


def _strip(text: str) -> str:
    return text.replace("    ### BEGIN SOLUTION\n", "").replace("    ### END SOLUTION\n", "")


# A trainee who forgets the weights: Fk becomes the sample count fk.
WRONG_UNWEIGHTED = {
    "q1-answer": _strip(
        Q1_SOLUTION.replace('grouped.transform("sum")', 'grouped.transform("size").astype(float)')
    ),
}

# A trainee who releases both statistics without charging the budget.
WRONG_NO_BUDGET = {
    "q4-answer": """
    from ungp_methods.privacy import PrivacyBudget, dp_count, dp_mean

    budget = PrivacyBudget(1.0)
    north_count = dp_count(persons[persons["region"] == "North"], epsilon=0.5)
    employed = persons.loc[persons["activity_status"] == "employed", "income"]
    income_mean = dp_mean(employed, bounds=(0, 10_000), epsilon=0.5, size=len(employed))
    """,
}


if __name__ == "__main__":
    main(
        __file__,
        lessons={
            "01-disclosure-risk-of-microdata.ipynb": lesson_microdata,
            "02-cell-key-and-differential-privacy.ipynb": lesson_tables,
        },
        assignment=ASSIGNMENT,
        notebook_name=NOTEBOOK,
        source=assignment,
        wrong={
            "unweighted_fk": WRONG_UNWEIGHTED,
            "no_budget": WRONG_NO_BUDGET,
        },
    )
