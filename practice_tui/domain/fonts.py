"""The one place PDFs find a Unicode font: fpdf2 ships none, so the first of
the usual system fonts found is embedded (DejaVu Sans on most Linux systems,
Arial Unicode or Arial elsewhere), and names like "Łucja Øster" or "Nguyễn"
print as typed. Without one, PDFs fall back to the core Helvetica (Latin-1).
Used by the money documents (``pdf``) and the clinical ones (``documents``).
"""

from __future__ import annotations

from pathlib import Path

_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts/Supplemental",
    "C:/Windows/Fonts",
)
_FONT_PAIRS = (
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("Arial Unicode.ttf", "Arial Unicode.ttf"),
    ("arial.ttf", "arialbd.ttf"),
    ("Arial.ttf", "Arial Bold.ttf"),
)


def find_font() -> tuple[Path, Path] | None:
    """A regular and a bold Unicode TrueType font on this system, if any."""
    for folder in _FONT_DIRS:
        for regular, bold in _FONT_PAIRS:
            r, b = Path(folder) / regular, Path(folder) / bold
            if r.is_file() and b.is_file():
                return r, b
    return None
