"""Module 6's graded assignment: the nbgrader source notebook and the kept wrong submissions.

Loaded by make_notebooks.py with ``nbcells.sibling`` once ``courses/`` is on the path.
"""

from __future__ import annotations

from nbcells import code, readonly, solution, tests

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
