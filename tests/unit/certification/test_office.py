"""The exam office's rules, on the hub's clock: window, modules, time limit, attempts, re-sits."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import nbformat
import pytest
from ungp_hub.certification.errors import ExamRefused, NotFound

from .conftest import NOW


def _pass_modules(modules, who="alice"):
    modules.passed[who] = {"m0-foundations", "m3-scanner-cpi"}


def _notebook_bytes(office, sitting) -> bytes:
    return nbformat.writes(office.notebook(sitting)).encode()


def test_fetch_needs_the_required_modules(office, modules):
    with pytest.raises(ExamRefused, match="required modules not passed yet: m0-foundations"):
        office.start("alice", "cpi", NOW)
    modules.passed["alice"] = {"m0-foundations"}
    with pytest.raises(ExamRefused, match=r"m3-scanner-cpi \(no graded submission\)"):
        office.start("alice", "cpi", NOW)


def test_fetch_only_inside_the_window_of_an_open_track(office, modules, programme):
    _pass_modules(modules)
    window = programme.track("cpi").exam
    with pytest.raises(ExamRefused, match="opens at 2026-01-01"):
        office.start("alice", "cpi", window.opens - timedelta(minutes=1))
    with pytest.raises(ExamRefused, match="closed at 2027-12-31"):
        office.start("alice", "cpi", window.closes)
    planned = dataclasses.replace(programme.track("ais"), status="planned")
    office.programme = dataclasses.replace(programme, tracks={**programme.tracks, "ais": planned})
    with pytest.raises(ExamRefused, match="track ais is planned"):
        office.start("alice", "ais", NOW)


def test_fetching_again_returns_the_same_sitting_and_notebook(office, modules):
    _pass_modules(modules)
    first = office.start("alice", "cpi", NOW)
    again = office.start("alice", "cpi", NOW + timedelta(minutes=30))
    assert again.id == first.id and again.deadline == first.deadline
    assert (NOW + timedelta(minutes=90)).isoformat() == first.deadline
    assert json.dumps(office.notebook(first)) == json.dumps(office.notebook(again))


def test_a_submission_after_the_time_limit_is_refused_with_the_times(office, modules):
    _pass_modules(modules)
    sitting = office.start("alice", "cpi", NOW)
    data = _notebook_bytes(office, sitting)
    with pytest.raises(ExamRefused) as refused:
        office.submit("alice", "cpi", data, NOW + timedelta(minutes=95))
    reason = refused.value.reason
    assert "5 min after your time limit ended at 2026-06-01 10:30:00" in reason
    assert "fetched at 2026-06-01 09:00:00" in reason
    assert office.registry.sitting(sitting.id).state == "expired"
    with pytest.raises(NotFound, match="no open sitting"):
        office.submit("alice", "cpi", data, NOW + timedelta(minutes=96))


def test_submission_in_time_gives_a_receipt_with_the_hash(office, modules):
    _pass_modules(modules)
    sitting = office.start("alice", "cpi", NOW)
    data = _notebook_bytes(office, sitting)
    done = office.submit("alice", "cpi", data, NOW + timedelta(minutes=10))
    receipt = done.receipt()
    import hashlib

    assert receipt["sha256"] == hashlib.sha256(data).hexdigest()
    assert receipt["state"] == "submitted" and receipt["submitted_at"].startswith(
        "2026-06-01T09:10"
    )


def test_malformed_submission_is_refused_and_the_sitting_stays_open(office, modules):
    _pass_modules(modules)
    sitting = office.start("alice", "cpi", NOW)
    with pytest.raises(ExamRefused, match="not a Jupyter notebook"):
        office.submit("alice", "cpi", b"{not json", NOW + timedelta(minutes=1))
    assert office.registry.sitting(sitting.id).state == "open"


def test_resit_waits_and_attempts_are_limited(office, modules, programme):
    _pass_modules(modules)
    now = NOW
    for attempt in (1, 2, 3):
        sitting = office.start("alice", "cpi", now)
        assert sitting.attempt == attempt
        office.submit("alice", "cpi", _notebook_bytes(office, sitting), now + timedelta(minutes=5))
        if attempt < 3:
            with pytest.raises(ExamRefused, match="re-sit of x3-scanner-cpi is possible from"):
                office.start("alice", "cpi", now + timedelta(days=13))
        now += timedelta(days=15)
    with pytest.raises(ExamRefused, match="used all 3 attempts"):
        office.start("alice", "cpi", now)


def test_a_sitting_never_outlasts_the_window(office, modules, programme):
    _pass_modules(modules)
    closes = programme.track("cpi").exam.closes
    sitting = office.start("alice", "cpi", closes - timedelta(minutes=20))
    assert sitting.deadline == closes.isoformat()


def test_a_holder_of_a_valid_certificate_cannot_sit_again(office, modules):
    _pass_modules(modules)
    with pytest.raises(ExamRefused, match="already hold a valid"):
        office.start("alice", "cpi", NOW, holds_valid_certificate=True)


def test_the_registry_never_holds_two_open_sittings(office, modules):
    first = office.registry.add_sitting(
        "zoe", "cpi", "x3-scanner-cpi", 1, NOW, NOW + timedelta(minutes=90)
    )
    second = office.registry.add_sitting(
        "zoe", "cpi", "x3-scanner-cpi", 1, NOW, NOW + timedelta(minutes=90)
    )
    assert second.id == first.id
    assert len(office.registry.sittings("zoe", "cpi")) == 1
