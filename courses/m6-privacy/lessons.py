"""Module 6's lessons: their builders and the code snippets they share.

Loaded by make_notebooks.py with ``nbcells.sibling`` once ``courses/`` is on the path.
"""

from __future__ import annotations

from nbcells import code, md, opening

DOMAIN = "privacy"
IMPORTS = ["import numpy as np", "import pandas as pd"]
PARAMETERS = """
k = 3  # k-anonymity threshold
epsilon_total = 1.0  # privacy-loss budget of the data set
"""
OPEN_NOTE = "  # the privacy domain is restricted: your group must see it"

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
        *opening(DOMAIN, IMPORTS, PARAMETERS, OPEN_NOTE),
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
        *opening(DOMAIN, IMPORTS, PARAMETERS, OPEN_NOTE),
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
