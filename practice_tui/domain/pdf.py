"""Simple PDF documents (receipts, statements, superbills) through fpdf2.

A document is a title, a block of header lines, tables and closing lines; the
same content is also rendered as plain text. A Unicode TrueType font is used
when the system has one (``fonts.find_font``: any name prints); otherwise
fpdf2's core Helvetica, with characters it cannot encode shown as "?".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from practice_tui.domain.fonts import find_font


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: Relative column widths (integers).
    widths: tuple[int, ...]
    #: Columns aligned right (amounts).
    right: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Document:
    title: str
    header: tuple[str, ...]
    blocks: tuple[tuple[str, Table | tuple[str, ...]], ...] = field(default_factory=tuple)
    footer: tuple[str, ...] = ()


def _text_table(table: Table) -> list[str]:
    cells = [table.headers, *table.rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(table.headers))]
    lines = []
    for row in cells:
        parts = [
            cell.rjust(widths[i]) if i in table.right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(parts).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def as_text(doc: Document) -> str:
    lines = [doc.title, "=" * len(doc.title), *doc.header]
    for heading, block in doc.blocks:
        lines += ["", heading] if heading else [""]
        lines += _text_table(block) if isinstance(block, Table) else list(block)
    if doc.footer:
        lines += ["", *doc.footer]
    return "\n".join(lines) + "\n"


def write_pdf(doc: Document, path: Path) -> Path:
    """Write ``doc`` as a PDF at ``path`` (overwritten)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    font = find_font()
    if font is not None:
        pdf.add_font("Body", "", str(font[0]))
        pdf.add_font("Body", "B", str(font[1]))
        family = "Body"

        def clean(text: str) -> str:
            return text
    else:
        family = "Helvetica"

        def clean(text: str) -> str:
            return text.encode("latin-1", "replace").decode("latin-1")

    pdf.add_page()
    pdf.set_font(family, "B", 15)
    pdf.cell(0, 9, clean(doc.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 10)
    for line in doc.header:
        pdf.cell(0, 5, clean(line), new_x="LMARGIN", new_y="NEXT")
    for heading, block in doc.blocks:
        pdf.ln(4)
        if heading:
            pdf.set_font(family, "B", 11)
            pdf.cell(0, 7, clean(heading), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(family, "", 10)
        if isinstance(block, Table):
            _pdf_table(pdf, block, family, clean)
        else:
            for line in block:
                pdf.multi_cell(0, 5, clean(line), new_x="LMARGIN", new_y="NEXT")
    if doc.footer:
        pdf.ln(4)
        for line in doc.footer:
            pdf.multi_cell(0, 5, clean(line), new_x="LMARGIN", new_y="NEXT")
    from practice_tui.domain.files import private_folder, replace_private

    private_folder(path.parent)
    replace_private(path, bytes(pdf.output()))
    return path


def _pdf_table(pdf, table: Table, family: str, clean) -> None:  # type: ignore[no-untyped-def]
    total = sum(table.widths)
    room = pdf.epw
    widths = [room * w // total for w in table.widths]
    aligns = ["RIGHT" if i in table.right else "LEFT" for i in range(len(table.headers))]
    with pdf.table(col_widths=widths, text_align=aligns, line_height=6) as grid:
        head = grid.row()
        for cell in table.headers:
            head.cell(clean(cell))
        for values in table.rows:
            row = grid.row()
            for cell in values:
                row.cell(clean(cell))


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[int],
    right: Sequence[int] = (),
) -> Table:
    return Table(tuple(headers), tuple(tuple(r) for r in rows), tuple(widths), frozenset(right))
