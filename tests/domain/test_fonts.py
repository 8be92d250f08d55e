"""One font lookup for every PDF: receipts and superbills (``pdf``) and
progress reports and client records (``documents``) embed the same font."""

from __future__ import annotations

from practice_tui.domain import fonts, pdf
from practice_tui.domain.documents import pdf as documents_pdf


def test_both_kinds_of_pdf_use_the_one_lookup() -> None:
    assert pdf.find_font is fonts.find_font
    assert documents_pdf.find_font is fonts.find_font
    found = fonts.find_font()
    assert found is None or all(path.is_file() for path in found)
