"""Documents made from the records: progress reports and a client's whole record.

Each document is built in two steps, so another format or another section is
one function more: a ``@reads`` service gathers plain frozen data (nothing
read later, nothing computed twice), then renderers turn that data into
Markdown, PDF (through fpdf2) or JSON. Files are written owner-only (0600):
they hold health information.

Not here yet (the money records have not landed): diagnosis codes on the
client and payments. Add them to the gathered data and a section to each
renderer when they do.
"""

from __future__ import annotations

from practice_tui.domain.documents.letterhead import Letterhead, practice_letterhead

__all__ = ["Letterhead", "practice_letterhead"]
