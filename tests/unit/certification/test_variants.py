"""Per-candidate variants: deterministic per candidate and attempt, different between them;
the released notebook holds neither solutions nor reference answers."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from ungp_hub.certification.exams import (
    derive_variant,
    exam_secret,
    reference_answers,
    render_notebook,
)

SECRET = b"k" * 32


def test_same_candidate_gets_the_same_items(cpi_exam):
    assert derive_variant(cpi_exam, SECRET, "alice") == derive_variant(cpi_exam, SECRET, "alice")


def test_two_candidates_get_different_data_and_answers(cpi_exam):
    a = derive_variant(cpi_exam, SECRET, "alice")
    b = derive_variant(cpi_exam, SECRET, "bob")
    for item in ("q1", "q2", "q3"):
        assert a.params[item]["rows"] != b.params[item]["rows"]
    ra, rb = reference_answers(cpi_exam, a), reference_answers(cpi_exam, b)
    assert all(abs(ra[i] - rb[i]) > 1e-6 for i in ra)


def test_a_resit_and_another_secret_give_other_items(cpi_exam):
    first = derive_variant(cpi_exam, SECRET, "alice", attempt=1)
    assert derive_variant(cpi_exam, SECRET, "alice", attempt=2).params != first.params
    assert derive_variant(cpi_exam, b"x" * 32, "alice", attempt=1).params != first.params


def test_reference_answers_match_an_independent_computation(cpi_exam):
    variant = derive_variant(cpi_exam, SECRET, "carol")
    ref = reference_answers(cpi_exam, variant)
    q1 = variant.params["q1"]
    t = pd.DataFrame(q1["rows"], columns=["month", "id", "price", "quantity"])
    p = t.pivot(index="id", columns="month", values="price")[[q1["base"], q1["current"]]].dropna()
    jevons = float(np.exp(np.mean(np.log(p[q1["current"]] / p[q1["base"]]))))
    assert abs(ref["q1"] - jevons) < 1e-12
    q2 = variant.params["q2"]
    t = pd.DataFrame(q2["rows"], columns=["month", "id", "price", "quantity"])
    wide = t.pivot(index="id", columns="month")
    b, c = q2["base"], q2["current"]
    ok = wide["price"][[b, c]].notna().all(axis=1)
    p0, p1 = wide["price"][b][ok], wide["price"][c][ok]
    s0 = p0 * wide["quantity"][b][ok] / (p0 * wide["quantity"][b][ok]).sum()
    s1 = p1 * wide["quantity"][c][ok] / (p1 * wide["quantity"][c][ok]).sum()
    assert abs(ref["q2"] - float(np.exp(((s0 + s1) / 2 * np.log(p1 / p0)).sum()))) < 1e-12


def test_released_notebook_has_the_candidates_data_but_no_solution_or_answer(cpi_exam):
    variant = derive_variant(cpi_exam, SECRET, "dave")
    released = render_notebook(cpi_exam, variant)
    text = json.dumps(released)
    assert "BEGIN SOLUTION" not in text and "np.log(both" not in text
    assert "raise NotImplementedError()" in text
    first_price = variant.params["q1"]["rows"][0][2]
    assert f"{first_price:.2f}" in text
    for value in reference_answers(cpi_exam, variant).values():
        assert repr(value) not in text and f"{value:.6f}" not in text
    assert "{{ungp:" not in text


def test_exam_secret_is_made_once_with_mode_0600(tmp_path):
    secret = exam_secret(tmp_path)
    assert len(secret) == 32 and exam_secret(tmp_path) == secret
    assert (tmp_path / "exam-secret").stat().st_mode & 0o777 == 0o600


def test_the_committed_exam_notebook_is_what_make_notebook_writes(cpi_exam):
    import importlib.util

    import nbformat

    spec = importlib.util.spec_from_file_location(
        "make_cpi_exam", cpi_exam.folder / "make_notebook.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = (cpi_exam.folder / "exam.ipynb").read_text(encoding="utf-8")
    assert written == nbformat.writes(module.build()) + "\n", "run make_notebook.py and commit"
