"""The profile's past sessions, newest first: one line each, in columns.

Date, service, pain before→after, areas and techniques (or why it did not
take place), and the note's state. The columns are laid out here for the
width the widget has, so its height is known without drawing it (a line
per session) and drawing it is a handful of ``Text`` lines. A Rich ``Table``
did the same, but measured and drew every cell each time the profile was
laid out: 12 ms and 15-30 ms for thirty sessions, several times while a
profile opened.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from practice_tui.domain.profile import PastSession
from practice_tui.domain.words import day_month_year
from practice_tui.ui.text import plain, section

#: Spaces between two columns.
GAP = 2
#: The service is cut (with "…") beyond this many cells.
SERVICE_MOST = 22
#: Below this, the areas give the service some of its room.
SERVICE_LEAST = 8


def pain_cell(session: PastSession) -> Text:
    """The pain column, tight for a list: "7→4", "?" for a score not asked
    (a note's own page says "7 → 4": ``note_view.pain_pair``)."""
    if session.pain_before is None and session.pain_after is None:
        return Text("")
    before = "?" if session.pain_before is None else str(session.pain_before)
    after = "?" if session.pain_after is None else str(session.pain_after)
    return Text(f"{before}→{after}")


def note_mark(session: PastSession) -> Text:
    if not session.took_place:
        return Text("")
    if session.signed:
        return Text("✔", style="green")
    if session.has_note:
        return Text("draft", style="yellow")
    return Text("✎ owed", style="yellow")


def session_cells(session: PastSession) -> tuple[Text, Text, Text, Text, Text]:
    """Date, service, pain, what was done (or why not) and the note's mark."""
    date = Text(day_month_year(session.start))
    service = plain(session.service)
    if session.took_place:
        what = plain(", ".join(session.areas))
        if session.techniques:
            what.append("  ")
            what.append_text(plain(", ".join(session.techniques), style="dim"))
    else:
        word = "no-show" if session.status == "no_show" else "cancelled"
        what = Text(word, style="italic")
        if session.cancel_reason.strip():
            what.append(": ")
            what.append_text(plain(session.cancel_reason.strip()))
        what.stylize("dim")
        date.stylize("dim")
        service.stylize("dim")
    return date, service, pain_cell(session), what, note_mark(session)


def _cell(text: Text, width: int, justify: str = "left") -> Text:
    """``text`` in exactly ``width`` cells: cut with "…", padded with spaces."""
    text = text.copy()
    if text.cell_len > width:
        text.truncate(width, overflow="ellipsis")
    text.align(justify, width)  # type: ignore[arg-type]
    return text


def session_lines(rows: Sequence[tuple[Text, ...]], width: int) -> list[Text]:
    """The rows laid out in ``width`` cells: date and pain to the right, the
    service up to ``SERVICE_MOST`` cells, the note's mark in full, and the
    areas in what is left."""
    if not rows:
        return []
    widest = [max(row[index].cell_len for row in rows) for index in range(5)]
    date, service, pain, _, note = widest
    service = min(service, SERVICE_MOST)
    areas = width - (date + service + pain + note + 4 * GAP)
    if areas < SERVICE_LEAST:
        service = max(min(service, SERVICE_LEAST), service + areas - SERVICE_LEAST)
        areas = max(width - (date + service + pain + note + 4 * GAP), 0)
    gap = " " * GAP
    lines = []
    for cells in rows:
        line = Text(no_wrap=True, overflow="crop")
        for index, (cell, room, justify) in enumerate(
            zip(
                cells,
                (date, service, pain, areas, note),
                ("right", "left", "right", "left", "left"),
                strict=True,
            )
        ):
            if index:
                line.append(gap)
            line.append_text(_cell(cell, room, justify))
        line.truncate(width)
        lines.append(line)
    return lines


class PastSessions(Widget):
    """The client's past sessions (``show``), under a "sessions" title."""

    DEFAULT_CSS = "PastSessions { height: auto; }"

    HEADING = "sessions, newest first"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[tuple[Text, ...]] = []
        self._more = 0
        self._shown = False

    def show(self, sessions: Sequence[PastSession], total: int) -> None:
        """``sessions`` newest first, of ``total`` in all (the rest are counted)."""
        self._rows = [session_cells(session) for session in sessions]
        self._more = max(total - len(sessions), 0)
        self._shown = True
        self.refresh(layout=True)

    def _line_count(self) -> int:
        if not self._shown:
            return 0
        return 1 + (len(self._rows) or 1) + (1 if self._more else 0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._line_count()

    def render(self) -> RenderableType:
        if not self._shown:
            return Text("")
        parts: list[RenderableType] = [section(self.HEADING)]
        if not self._rows:
            parts.append(Text("No past sessions.", style="dim"))
        else:
            parts.extend(session_lines(self._rows, self.size.width))
        if self._more:
            parts.append(Text(f"… and {self._more} older (s lists every note)", style="dim"))
        return Group(*parts)
