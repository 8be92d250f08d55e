"""The common shape of the PDFs: A4, a Unicode font, the letterhead on top,
"page N of M" and the date made at the foot; files written owner-only.

fpdf2 draws text in a TrueType font so names like "Łucja Øster" or "Nguyễn"
print as typed. It ships no such font, so the first of the usual system
fonts found is embedded (DejaVu Sans on most Linux systems, Arial Unicode or
Arial on macOS and Windows). On a system without any, the PDF falls back to
the PDF core font Helvetica, which has Latin-1 only: other characters print
as "?" there (and a note on the first page says so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from practice_tui.domain import files
from practice_tui.domain.documents.letterhead import Letterhead
from practice_tui.domain.fonts import find_font
from practice_tui.domain.words import long_date
from practice_tui.textutil import visible


class Document(FPDF):
    """An A4 page with the letterhead, a title and page numbers."""

    def __init__(self, letterhead: Letterhead, title: str, made: dt.datetime) -> None:
        super().__init__(format="A4")
        self.letterhead = letterhead
        self.doc_title = title
        self.made = made
        font = find_font()
        if font is not None:
            self.add_font("Body", "", str(font[0]))
            self.add_font("Body", "B", str(font[1]))
            self.family = "Body"
            self.unicode = True
        else:
            self.family = "Helvetica"
            self.unicode = False
        self.set_title(title)
        self.set_creator("practice-tui")
        self.set_author(letterhead.practice or "practice-tui")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)
        self.alias_nb_pages()
        self.add_page()

    # --- text that came from people ----------------------------------------------

    def safe(self, text: str) -> str:
        """Control characters made visible; outside Latin-1 replaced by the core font."""
        shown = visible(text, keep_newlines=True)
        if self.unicode:
            return shown
        return (
            shown.replace("→", "->")
            .replace("−", "-")
            .replace("–", "-")
            .replace("—", "-")
            .replace("…", "...")
            .replace("“", '"')
            .replace("”", '"')
            .replace("·", "-")
            .encode("latin-1", "replace")
            .decode("latin-1")
        )

    def header(self) -> None:
        self.set_font(self.family, "B", 13)
        self.cell(0, 6, self.safe(self.letterhead.practice), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(self.family, "", 9)
        for line in self.letterhead.lines[1:]:
            self.cell(0, 4.5, self.safe(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(150, 150, 150)
        self.line(self.l_margin, self.get_y() + 1.5, self.w - self.r_margin, self.get_y() + 1.5)
        self.ln(4)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(self.family, "", 8)
        self.set_text_color(110, 110, 110)
        made = f"{self.doc_title} · made {long_date(self.made.date())}"
        self.cell(0, 5, self.safe(made), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    # --- building blocks --------------------------------------------------------------

    def title_block(self, title: str, subtitle: str = "") -> None:
        self.set_font(self.family, "B", 16)
        self.multi_cell(0, 8, self.safe(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font(self.family, "", 10)
            self.multi_cell(0, 5, self.safe(subtitle), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def heading(self, text: str) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(2)
        self.set_font(self.family, "B", 11.5)
        self.cell(0, 7, self.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(200, 200, 200)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(1.5)

    def para(self, text: str, *, size: float = 10, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, self.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def field(self, label: str, value: str) -> None:
        """``Label  value`` with the value wrapping under itself."""
        if not value.strip():
            return
        self.set_font(self.family, "B", 10)
        self.cell(44, 5, self.safe(label))
        self.set_font(self.family, "", 10)
        self.multi_cell(0, 5, self.safe(value.strip()), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def item(self, title: str, text: str) -> None:
        """A bold line and the text under it, indented (long titles never overlap)."""
        self.set_font(self.family, "B", 10)
        self.multi_cell(0, 5, self.safe(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(self.family, "", 10)
        self.set_x(self.l_margin + 6)
        self.multi_cell(0, 5, self.safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(0.8)

    def signature(self, lines: Sequence[str], made: dt.date) -> None:
        """A line to sign on, the therapist's name, credentials and registration under it."""
        if self.get_y() > self.h - 50:
            self.add_page()
        self.ln(12)
        self.set_draw_color(60, 60, 60)
        self.line(self.l_margin, self.get_y(), self.l_margin + 80, self.get_y())
        self.ln(1)
        for index, line in enumerate(lines):
            self.para(line, bold=index == 0)
        self.para(f"Date: {long_date(made)}", size=9)

    def table(
        self, headings: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]
    ) -> None:
        """A plain table whose cells wrap; the heading row repeats on a new page."""
        self.set_font(self.family, "", 9)
        self.set_fill_color(255, 255, 255)
        with super().table(
            col_widths=tuple(widths),
            text_align="LEFT",
            line_height=4.6,
            first_row_as_headings=True,
            borders_layout="HORIZONTAL_LINES",
            headings_style=_heading_style(self.family),
        ) as table:
            heading = table.row()
            for text in headings:
                heading.cell(self.safe(text))
            for values in rows:
                row = table.row()
                for text in values:
                    row.cell(self.safe(text))
        self.ln(2)


def _heading_style(family: str):  # type: ignore[no-untyped-def]
    from fpdf.fonts import FontFace

    return FontFace(family=family, emphasis="BOLD", fill_color=(235, 235, 235))


def write_private(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` owner-only (0600), never over an existing file."""
    files.write_private(path, data)
