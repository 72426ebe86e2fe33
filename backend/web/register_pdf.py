"""The commune's register of proxies as a printable PDF (fpdf2; landscape A4): the columns a
mairie's "registre des procurations" holds, one line per proxy."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from backend.services.agents import RegisterLine
from backend.web import words

# Debian's fonts-dejavu-core (scripts/system-deps.sh): every French letter and mark. Without
# it, the PDF core font covers Latin-1, and other characters print as "?".
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
HEADERS = (
    "Référence",
    "Mandant (né·e le)",
    "Mandataire (né·e le)",
    "Portée",
    "Établie le, par",
    "Statut",
)
WIDTHS = (22, 48, 48, 58, 64, 37)


def _font(pdf: FPDF) -> str:
    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        return "DejaVu"
    return "Helvetica"


def _cells(line: RegisterLine) -> tuple[str, ...]:
    authority = line.authority or "en ligne (identité certifiée)"
    status = words.status(line.status)[0]
    if line.reason:
        status += f" : {words.reason(line.reason)}"
    return (
        line.reference,
        f"{line.mandant} ({words.day(line.mandant_born)})",
        f"{line.mandataire} ({words.day(line.mandataire_born)})",
        words.scope(line.scope),
        f"{words.moment(line.established_at)}, {authority}",
        status,
    )


def render(commune: str, lines: list[RegisterLine], printed_at: str) -> bytes:
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_title(f"Registre des procurations — {commune}")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    family = _font(pdf)
    pdf.set_font(family, "B", 14)
    pdf.cell(0, 8, f"Registre des procurations — {commune}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 9)
    pdf.cell(
        0,
        6,
        f"Édité le {words.moment(printed_at)} — {len(lines)} procuration(s)",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    with pdf.table(
        col_widths=WIDTHS,
        headings_style=FontFace(family=family, emphasis="BOLD"),
        line_height=5,
        text_align="LEFT",
    ) as table:
        table.row(HEADERS)
        for line in lines:
            table.row(_cells(line))
    return bytes(pdf.output())
