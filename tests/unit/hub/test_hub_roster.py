"""Rosters: every problem is reported with its line number, and nothing is half-imported."""

from __future__ import annotations

import pytest
from ungp_hub.accounts.passwords import ALPHABET, slip_password
from ungp_hub.accounts.roster import Roster, RosterError


def test_a_good_roster_gives_people_and_groups():
    roster = Roster.parse(
        "username,role,full_name,course,email\n"
        "amina,trainee,Amina Diallo,ais-2026,amina@stat.example\n"
        "bo,instructor,Bo Lind,ais-2026,\n"
        "chen,analyst,,,\n"
        "dana,admin,,,\n"
    )
    groups = {person.username: person.groups for person in roster.people}
    assert groups == {
        "amina": ["trainees", "trainees:ais-2026"],
        "bo": ["instructors:ais-2026"],
        "chen": ["analysts"],
        "dana": [],
    }


def test_every_bad_row_is_reported_with_its_line():
    text = (
        "username,role,course\n"
        "amina,trainee,\n"
        "Bad Name,trainee,\n"
        "amina,trainee,\n"
        "carl,traniee,\n"
        "dina,instructor,\n"
    )
    with pytest.raises(RosterError) as caught:
        Roster.parse(text, "week1.csv")
    problems = caught.value.problems
    assert any(p.startswith("line 3: invalid username 'Bad Name'") for p in problems)
    assert "line 4: duplicate username 'amina' (first on line 2)" in problems
    assert any(p.startswith("line 5: unknown role 'traniee'") for p in problems)
    assert "line 6: an instructor needs a course" in problems
    assert "week1.csv: nothing was imported" in str(caught.value)


def test_missing_and_unknown_columns_are_named():
    with pytest.raises(RosterError) as caught:
        Roster.parse("user,role,grp\nx,trainee,y\n")
    assert "line 1: missing column 'username'" in caught.value.problems
    assert any("unknown column 'grp'" in p for p in caught.value.problems)


def test_an_empty_roster_is_an_error():
    with pytest.raises(RosterError, match="no people"):
        Roster.parse("username,role\n\n")


def test_excel_bom_and_blank_lines_are_accepted(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("\ufeffusername,role\n\nzoe,trainee\n".encode())
    assert [p.username for p in Roster.read(path).people] == ["zoe"]


def test_non_utf8_file_gets_a_clear_error(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes("username,role\nj\xf6rg,trainee\n".encode("latin-1"))
    with pytest.raises(RosterError, match="not UTF-8"):
        Roster.read(path)


def test_slip_passwords_are_random_and_unambiguous():
    passwords = {slip_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert len(password) == 14
        assert set(password.replace("-", "")) <= set(ALPHABET)
        assert not set(password) & set("0O1lI")


def test_full_names_keep_their_accents_and_a_too_long_one_is_refused():
    roster = Roster.parse("username,role,full_name\nana,trainee,  Ana María de la Cruz \n")
    assert roster.people[0].full_name == "Ana María de la Cruz"
    with pytest.raises(RosterError) as caught:
        Roster.parse("username,role,full_name\nben,trainee," + "B" * 201 + "\n")
    assert caught.value.problems == ["line 2: full name longer than 200 characters"]
