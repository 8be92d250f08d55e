"""The last line of defence: no character of stored or typed text reaches the
terminal as a control.

Every view shows stored text through ``visible()`` (ESC as ␛, U+202E as
⟨U+202E⟩), and the forms put stored text into their fields the same way. A
character that still slips through — pasted into a field, or in a widget
nobody thought of — would otherwise be written to the terminal raw: ``ESC ] 0;``
retitles the window, ``ESC [ 2 J`` clears it, U+202E reverses what follows.

Textual turns each line of the screen into terminal bytes in ``Strip.render``:
the text of its segments, and escape sequences that Textual makes from their
styles (never from the text). ``install()`` wraps that one place so the text
parts lose every C0/C1 control character and bidirectional control before
they are written. These characters take no cell on screen, so removing them
keeps every column where it was.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from textual.strip import Strip

#: C0 controls but TAB, DEL, C1 controls, and the bidirectional controls
#: (marks, embeddings, overrides, isolates).
UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_segments(segments: list[Segment]) -> list[Segment]:
    return [
        Segment(UNSAFE.sub("", text), style, control) if UNSAFE.search(text) else segment
        for segment in segments
        for text, style, control in (segment,)
    ]


def install() -> None:
    """Wrap ``Strip.render`` once (idempotent)."""
    if getattr(Strip.render, "_practice_guard", False):
        return
    original = Strip.render

    def render(self: Strip, console) -> str:  # type: ignore[no-untyped-def]
        if self._render_cache is None and any(UNSAFE.search(text) for text, _, _ in self._segments):
            self._render_cache = original(Strip(clean_segments(self._segments)), console)
        return original(self, console)

    render._practice_guard = True  # type: ignore[attr-defined]
    Strip.render = render  # type: ignore[method-assign]
