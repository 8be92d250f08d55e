"""Pain before and after each visit as a bar chart drawn into a PDF (fpdf2's
own lines and rectangles: a vector drawing, not a picture of the screen)."""

from __future__ import annotations

from collections.abc import Sequence

from practice_tui.domain.documents.pdf import Document
from practice_tui.domain.outcomes import PainPoint


def draw_pain_chart(pdf: Document, pain: Sequence[PainPoint], *, height: float = 48) -> None:
    """Pain before and after each visit as grouped bars, drawn with fpdf2's own
    lines and rectangles (a vector drawing, not a picture of the screen)."""
    if not pain:
        return
    left = pdf.l_margin + 9
    width = pdf.w - pdf.r_margin - left
    if pdf.get_y() + height + 16 > pdf.h - 18:
        pdf.add_page()
    top = pdf.get_y() + 3
    bottom = top + height
    pdf.set_font(pdf.family, "", 7)
    pdf.set_draw_color(215, 215, 215)
    pdf.set_line_width(0.2)
    for level in range(0, 11, 2):
        y = bottom - height * level / 10
        pdf.line(left, y, left + width, y)
        pdf.set_xy(pdf.l_margin, y - 2)
        pdf.cell(7, 4, str(level), align="R")
    slot = width / len(pain)
    bar = min(6.0, slot * 0.36)
    for index, point in enumerate(pain):
        x = left + slot * index + (slot - 2 * bar) / 2
        for offset, value, colour in (
            (0.0, point.before, (222, 160, 40)),
            (bar, point.after, (60, 150, 90)),
        ):
            if value is None:
                continue
            bar_height = max(height * value / 10, 0.4)
            pdf.set_fill_color(*colour)
            pdf.rect(x + offset, bottom - bar_height, bar, bar_height, style="F")
    pdf.set_draw_color(90, 90, 90)
    pdf.line(left, bottom, left + width, bottom)
    # Dates under the bars: as many as fit without overlapping.
    every = max(1, int(16 / slot) + 1)
    for index, point in enumerate(pain):
        if index % every and index != len(pain) - 1:
            continue
        pdf.set_xy(left + slot * index, bottom + 0.8)
        pdf.cell(slot, 4, f"{point.day.day} {point.day:%b}", align="C")
    # Legend
    y = bottom + 6
    pdf.set_xy(left, y)
    for label, colour in (("before the session", (222, 160, 40)), ("after", (60, 150, 90))):
        pdf.set_fill_color(*colour)
        pdf.rect(pdf.get_x(), y + 1, 3, 3, style="F")
        pdf.set_x(pdf.get_x() + 4)
        pdf.cell(pdf.get_string_width(label) + 6, 5, label)
    pdf.set_xy(pdf.l_margin, y + 7)
