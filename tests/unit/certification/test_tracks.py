"""tracks.yaml: the repository's file is valid; each kind of mistake names its key."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
import yaml
from ungp_hub.certification.errors import TracksError
from ungp_hub.certification.tracks import parse_programme

from .conftest import TRACKS


@pytest.fixture
def data():
    return yaml.safe_load(TRACKS.read_text())


def test_repository_tracks_cover_foundation_and_every_domain(programme):
    assert {"foundation", "ais", "cpi", "mobile", "earth-observation", "privacy"} <= set(
        programme.tracks
    )
    cpi = programme.track("cpi")
    assert cpi.offered and cpi.exam.id == "x3-scanner-cpi"
    assert cpi.required_modules == ("m0-foundations", "m3-scanner-cpi")
    assert cpi.exam.time_limit == timedelta(minutes=90)
    assert cpi.max_attempts == 3 and cpi.days_between_attempts == 14
    assert programme.track("privacy").validity_months == 24  # its own, over the default


def test_modules_match_the_course_folders(programme):
    for module in programme.modules.values():
        folder = TRACKS.parents[1] / "courses" / module.id
        if module.assignments:
            listed = yaml.safe_load((folder / "module.yaml").read_text())["assignments"]
            assert set(module.assignments) <= {a["name"] for a in listed}


def _error(data, root) -> str:
    with pytest.raises(TracksError) as caught:
        parse_programme(data, root, "tracks.yaml")
    return str(caught.value)


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (
            lambda d: d["tracks"]["cpi"]["exam"].update(pass_mark=170),
            "tracks.cpi.exam.pass_mark",
            "greater than the maximum",
        ),
        (lambda d: d["tracks"]["cpi"].update(colour="red"), "tracks.cpi", "colour"),
        (
            lambda d: d["tracks"]["cpi"]["required_modules"].append("m9-nothing"),
            "tracks.cpi.required_modules.2",
            "m9-nothing",
        ),
        (
            lambda d: d["tracks"]["cpi"]["exam"].update(closes="2025-01-01T00:00:00Z"),
            "tracks.cpi.exam.closes",
            "before it opens",
        ),
        (
            lambda d: d["tracks"]["cpi"]["exam"].update(opens="next monday"),
            "tracks.cpi.exam.opens",
            "ISO 8601",
        ),
        (
            lambda d: d["tracks"]["ais"]["exam"].update(id="x9-unwritten"),
            "tracks.ais.exam.id",
            "exam.yaml",
        ),
        (lambda d: d["defaults"]["attempts"].update(max=0), "defaults.attempts.max", "minimum"),
        (
            lambda d: d["tracks"]["mobile"]["exam"].update(id="x3-scanner-cpi"),
            "tracks.mobile.exam.id",
            "already the exam",
        ),
    ],
)
def test_a_bad_value_is_named_by_its_key(data, change, key, words):
    bad = copy.deepcopy(data)
    change(bad)
    message = _error(bad, TRACKS.parent)
    assert f"{key}:" in message and words in message


def test_defaults_apply_where_a_track_sets_nothing(data):
    data["defaults"]["attempts"] = {"max": 2, "days_between": 7}
    programme = parse_programme(data, TRACKS.parent)
    assert (programme.track("cpi").max_attempts, programme.track("cpi").days_between_attempts) == (
        2,
        7,
    )
