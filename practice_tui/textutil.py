"""Make typed text safe to show: control characters become visible symbols.

Shared by the terminal interface and the plain-text command line; it imports
nothing but the standard library.
"""

from __future__ import annotations

import unicodedata

_CONTROL_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_CONTROL_PICTURES[0x7F] = "\u2421"  # ␡


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """Replace control characters (and other invisible format characters) with
    visible stand-ins: TAB shows as ␉, ESC as ␛, a zero-width joiner as ⟨U+200D⟩."""
    out = []
    for char in text:
        code = ord(char)
        if keep_newlines and char == "\n":
            out.append(char)
        elif code in _CONTROL_PICTURES:
            out.append(_CONTROL_PICTURES[code])
        elif 0x80 <= code <= 0x9F or unicodedata.category(char) in ("Cf", "Zl", "Zp"):
            out.append(f"⟨U+{code:04X}⟩")
        else:
            out.append(char)
    return "".join(out)


def one_line(text: str, width: int | None = None) -> str:
    """First line of ``text`` made visible, cut to ``width`` with an ellipsis."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    shown = visible(first)
    if width is not None and len(shown) > width:
        shown = shown[: max(width - 1, 0)] + "…"
    return shown
