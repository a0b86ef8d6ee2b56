"""The printable certificate: name, track, date, id and a QR code to the verification page.

The PDF is a convenience for people; the JSON credential is what is signed. The QR code leads
to the hub's public verification page, which checks the registry's copy of the credential.
DejaVu Sans (Debian's fonts-dejavu-core) is used when present, so any name prints; without
it the PDF falls back to a core font and replaces characters it cannot show.
"""

from __future__ import annotations

import io
from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _qr_png(url: str) -> bytes:
    import qrcode

    image = qrcode.make(url, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def certificate_pdf(
    holder: str,
    track_title: str,
    issuer_name: str,
    issued: str,
    valid_until: str,
    credential_id: str,
    verify_url: str,
) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="L", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    family = "Helvetica"
    if (DEJAVU / "DejaVuSans.ttf").exists() and (DEJAVU / "DejaVuSans-Bold.ttf").exists():
        pdf.add_font("DejaVu", "", str(DEJAVU / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(DEJAVU / "DejaVuSans-Bold.ttf"))
        family = "DejaVu"

    def text(value: str) -> str:
        if family == "DejaVu":
            return value
        return value.encode("latin-1", "replace").decode("latin-1")

    pdf.set_draw_color(20, 70, 130)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_y(28)
    pdf.set_font(family, "", 14)
    pdf.cell(0, 10, text(issuer_name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 26)
    pdf.cell(0, 16, "Certificate", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 13)
    pdf.cell(0, 10, "This certifies that", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 22)
    pdf.cell(0, 14, text(holder), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 13)
    pdf.cell(0, 10, "has earned the", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 16)
    pdf.multi_cell(0, 9, text(track_title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 11)
    pdf.set_y(150)
    pdf.set_x(20)
    lines = [
        f"Issued: {issued[:10]}    Valid until: {valid_until[:10]}",
        f"Credential id: {credential_id}",
        "Verify: scan the QR code or open",
        verify_url,
    ]
    for line in lines:
        pdf.set_x(20)
        pdf.cell(200, 7, text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(_qr_png(verify_url)), x=240, y=140, w=40, h=40)
    pdf.set_title(f"{track_title} - {holder}")
    pdf.set_creator("ungp-hub certification")
    return bytes(pdf.output())
