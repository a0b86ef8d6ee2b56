"""Printable login slips: one per person, eight to an A4 page, to cut and hand out.

The PDF holds passwords, so it is written with mode 0600 (:func:`write_private`).
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from .private import write_private
from .roster import Person

SLIPS_PER_PAGE = 8


def write_login_slips(
    people: list[Person], passwords: dict[str, str], hub_url: str, out: Path
) -> Path:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    width, height = 95.0, 68.0
    for index, person in enumerate(people):
        if index % SLIPS_PER_PAGE == 0:
            pdf.add_page()
        column, row = index % 2, (index % SLIPS_PER_PAGE) // 2
        x, y = 10 + column * width, 10 + row * height
        pdf.set_draw_color(150, 150, 150)
        pdf.set_line_width(0.2)
        pdf.dashed_line(x, y, x + width, y, 2, 2)
        pdf.set_xy(x + 4, y + 5)
        pdf.set_font("Helvetica", "B", 13)
        pdf.cell(width - 8, 7, "ungp-hub training login", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        lines = [
            f"Name: {person.full_name or person.username}",
            f"Open: {hub_url}",
            f"Username: {person.username}",
            f"Password: {passwords[person.username]}",
            f"Role: {person.role}" + (f" ({person.course})" if person.course else ""),
        ]
        for offset, line in enumerate(lines):
            pdf.set_xy(x + 4, y + 15 + offset * 7)
            pdf.set_font(
                "Courier" if line.startswith(("Username", "Password")) else "Helvetica",
                "B" if line.startswith("Password") else "",
                11,
            )
            pdf.cell(width - 8, 6, _latin1(line))
    return write_private(out, bytes(pdf.output()))


def _latin1(text: str) -> str:
    """The core PDF fonts are Latin-1: keep accents, replace what cannot be printed."""
    return text.encode("latin-1", "replace").decode("latin-1")
