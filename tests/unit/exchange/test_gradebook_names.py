"""Full names in the gradebook: whole in last_name, filled or replaced as the caller says."""

from __future__ import annotations

from exchange_support import COURSE
from nbgrader.api import Gradebook
from ungp_hub.courses.folders import create_course_folder
from ungp_hub.courses.gradebook_names import name_students


def names(url: str) -> dict[str, tuple]:
    with Gradebook(url, COURSE) as gradebook:
        return {s.id: (s.first_name, s.last_name) for s in gradebook.students}


def test_fill_keeps_an_instructors_name_replace_overwrites_it(tmp_path):
    folder = create_course_folder(tmp_path, COURSE)
    url = f"sqlite:///{folder}/gradebook.db"
    with Gradebook(url, COURSE) as gradebook:
        gradebook.add_student("ana", first_name="Ana", last_name="Cruz")
        gradebook.add_student("ben")
    roster = {"ana": "Ana María de la Cruz", "ben": "Ben Okafor", "eve": "Eve Li", "zed": ""}
    changed = name_students(url, COURSE, roster, replace=False, add=False)
    assert changed == ["ben"]
    assert names(url) == {"ana": ("Ana", "Cruz"), "ben": ("", "Ben Okafor")}
    changed = name_students(url, COURSE, roster, replace=True)
    assert changed == ["ana", "eve"]
    assert names(url) == {
        "ana": ("", "Ana María de la Cruz"),
        "ben": ("", "Ben Okafor"),
        "eve": ("", "Eve Li"),
    }
