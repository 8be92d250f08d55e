"""One-line labels whose size never depends on their text.

A ``Static`` asks for the whole screen to be laid out again whenever its text
changes, and a label whose width follows its text (Today's date at the right
of the title) changes the size of its neighbours too, which Textual answers
with a second layout. Today changes these lines at every ←/→, so they are
drawn here in a box of fixed size: a new text only repaints its line.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class Line(Widget):
    """A line of text (cut with an ellipsis when the line is too narrow)."""

    DEFAULT_CSS = """
    Line {
        height: 1;
    }
    """

    def __init__(self, text: Text | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = text if text is not None else Text()

    def show(self, text: Text) -> None:
        """Show ``text`` (repainted only if it changed)."""
        if text != self.text:
            self.text = text
            self.refresh()

    def render(self) -> Text:
        line = self.text.copy()
        line.no_wrap = True
        line.overflow = "ellipsis"
        return line


class HeadLine(Widget):
    """A title at the left and a date (or other words) at the right of one line.

    The right-hand words are kept whole; the title gives way, cut with an
    ellipsis."""

    DEFAULT_CSS = """
    HeadLine {
        height: 1;
    }
    """

    def __init__(self, title: Text | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = title if title is not None else Text()
        self.right = Text()

    def show(self, title: Text, right: Text) -> None:
        """Show ``title`` and ``right`` (repainted only if either changed)."""
        if title != self.title or right != self.right:
            self.title, self.right = title, right
            self.refresh()

    def render(self) -> Text:
        width = self.content_size.width or self.app.size.width
        right = self.right.copy()
        right.truncate(width, overflow="ellipsis")
        room = width - right.cell_len
        line = self.title.copy()
        line.end = ""
        if line.cell_len > room - 1:
            # Cut at a cell, not within a wide character, and never leave the
            # ellipsis after a space.
            line.truncate(max(room - 2, 0))
            line.rstrip()
            if room > 1:
                line.append("…")
        line.append(" " * max(room - line.cell_len, 0))
        line.append_text(right)
        line.no_wrap = True
        return line
