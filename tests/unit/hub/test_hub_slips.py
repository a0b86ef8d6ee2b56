"""Login slips are a real PDF with each person's name, username and password on it."""

from __future__ import annotations

import shutil
import subprocess

from testpolicy import require
from ungp_hub.accounts.roster import Roster
from ungp_hub.accounts.slips import write_login_slips


def test_slips_hold_every_login_eight_per_page(tmp_path):
    rows = "\n".join(f"user{i:02d},trainee,Trainée {i}" for i in range(10))
    roster = Roster.parse("username,role,full_name\n" + rows + "\n")
    passwords = {p.username: f"pw-{p.username}" for p in roster.people}
    pdf = write_login_slips(roster.people, passwords, "https://hub.example.org", tmp_path / "s.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    require(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils)")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert text.count("\f") == 2, "10 slips at 8 per page make 2 pages"
    for person in roster.people:
        assert f"Username: {person.username}" in text
        assert f"Password: pw-{person.username}" in text
    assert "Trainée 3" in text
    assert "https://hub.example.org" in text


def test_slips_and_password_files_are_private_even_over_an_old_file(tmp_path):
    roster = Roster.parse("username,role\nana,trainee\n")
    out = tmp_path / "slips.pdf"
    out.write_bytes(b"an old, world-readable file")
    out.chmod(0o644)
    write_login_slips(roster.people, {"ana": "pw-ana"}, "https://hub.example.org", out)
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_bytes().startswith(b"%PDF")
    fresh = write_login_slips(roster.people, {"ana": "pw"}, "https://h", tmp_path / "new.pdf")
    assert fresh.stat().st_mode & 0o777 == 0o600
