"""The day's agenda as a table: one row per appointment, free gap or break.

The table only renders the ``DayAgenda`` it is given and says what the
person did (``Highlighted``, ``Chosen``); the screen calls the services. Its
columns are sized to the width it has, so the day reads well at 80 columns:
a long name or service is cut with an ellipsis rather than pushing the
status off screen. ``←``/``→`` are left to the screen (previous/next day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.events import Click, Resize
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from practice_tui.domain.today import DayAgenda
from practice_tui.domain.types import AppointmentInfo, Gap, Status
from practice_tui.domain.words import length, span
from practice_tui.textutil import one_line, visible
from practice_tui.ui.text import plain

Item = AppointmentInfo | Gap

#: The marks, their colours and what they mean (the legend under the table).
ALERT = ("⚠", "bold yellow", "precaution")
FIRST = ("★", "bold magenta", "first visit")
OWED = ("✎", "bold cyan", "note owed")
NOW = ("●", "bold green", "in session")
NEXT = ("▶", "bold cyan", "next")
DONE = ("✓", "green", "done")
UNPAID = ("$", "bold red", "unpaid")
CANCELLED = ("✗", "dim", "cancelled")
NO_SHOW = ("–", "dim", "no-show")
LEGEND_MARKS = (ALERT, FIRST, OWED, UNPAID, NOW, NEXT, DONE)
#: Shorter words for the legend line.
LEGEND_WORDS = {NOW: "now"}

MUTED = "dim"

STATUS_WORDS = {
    Status.BOOKED.value: "booked",
    Status.COMPLETED.value: "completed",
    Status.CANCELLED.value: "cancelled",
    Status.NO_SHOW.value: "no-show",
}


def legend() -> Text:
    """``⚠ precaution  ★ first visit  …`` with each mark in its colour."""
    text = Text(end="")
    for index, (mark, style, meaning) in enumerate(LEGEND_MARKS):
        if index:
            text.append("  ")
        text.append(mark, style=style)
        text.append(f" {LEGEND_WORDS.get((mark, style, meaning), meaning)}", style="dim")
    return text


def precaution_short(text: str) -> str:
    """The head of a precaution: "Warfarin (anticoagulant): light pressure…" →
    "Warfarin (anticoagulant)"; the whole text is in the details."""
    first = one_line(text)
    head, sep, _ = first.partition(":")
    return head.strip() if sep and head.strip() else first


@dataclass(frozen=True)
class Widths:
    when: int
    client: int
    service: int
    length: int
    status: int
    note: int


def column_widths(total: int, client_need: int = 26, service_need: int = 24) -> Widths:
    """Share ``total`` cells between the columns: the fixed ones first, then the
    client and the service (as wide as the day's longest needs, while that
    leaves the note some room), then whatever is left to the note. Each width
    includes the space before the next column."""
    when, length, status = 14, 5, 10
    flexible = max(total - when - length - status, 30)
    client = max(min(client_need, 28), 12)
    service = max(min(service_need, 26), 12)
    least_note = flexible // 5
    over = client + service + least_note - flexible
    if over > 0:
        # Not enough room for everything: the note gives way first, then the
        # client and service share the cut.
        cut_client = min(over * client // (client + service), client - 12)
        client -= cut_client
        service -= min(over - cut_client, service - 12)
    note = max(flexible - client - service, 0)
    return Widths(when, client, service, length, status, note)


def _client_width(item: AppointmentInfo, unpaid: frozenset[int] = frozenset()) -> int:
    marks = (
        int(item.has_alert) + int(item.first_visit) + int(item.note_owed) + int(item.id in unpaid)
    )
    return Text(visible(item.client_name)).cell_len + (marks + 1 if marks else 0) + 1


def _fit(text: Text, width: int) -> Text:
    """Cut ``text`` to ``width - 1`` cells (one is the gap to the next column)."""
    room = max(width - 1, 0)
    if text.cell_len > room:
        text = text.copy()
        text.truncate(room, overflow="ellipsis")
    return text


def _appointment_cells(
    item: AppointmentInfo, agenda: DayAgenda, widths: Widths, unpaid: bool = False
) -> tuple[Text, ...]:
    muted = item.status in (Status.CANCELLED.value, Status.NO_SHOW.value)
    row_style = MUTED if muted else ""
    if item.id == agenda.now_id:
        mark, mark_style, row_style = NOW[0], NOW[1], "bold"
    elif item.id == agenda.next_id:
        mark, mark_style, row_style = NEXT[0], NEXT[1], "bold"
    elif item.status == Status.COMPLETED.value:
        mark, mark_style = DONE[0], DONE[1]
    elif item.status == Status.CANCELLED.value:
        mark, mark_style = CANCELLED[0], CANCELLED[1]
    elif item.status == Status.NO_SHOW.value:
        mark, mark_style = NO_SHOW[0], NO_SHOW[1]
    else:
        mark, mark_style = " ", ""
    when = Text(end="")
    when.append(mark, style=mark_style)
    when.append(f" {span(item.start, item.end)}", style=row_style)

    # The marks stay whatever the status: a no-show still has a precaution on
    # file (and the row is where it is seen when rebooking her).
    marks = Text(end="")
    for flag, (symbol, style, _) in (
        (item.has_alert, ALERT),
        (item.first_visit, FIRST),
        (item.note_owed, OWED),
        (unpaid, UNPAID),
    ):
        if flag:
            marks.append(symbol, style=style)
    name_room = widths.client - 1 - (marks.cell_len + 1 if marks.cell_len else 0)
    client = _fit(plain(item.client_name, style=row_style), name_room + 1)
    if marks.cell_len:
        client.append(" ")
        client.append_text(marks)

    notes: list[tuple[str, str]] = []
    if item.status == Status.CANCELLED.value:
        if item.late_cancel:
            notes.append(("late cancel", "yellow"))
        if item.cancel_reason:
            notes.append((one_line(item.cancel_reason), MUTED))
    elif not muted:
        if item.has_alert:
            notes.append((precaution_short(item.contraindications), "yellow"))
        if item.first_visit:
            notes.append(("new client", "magenta"))
        position = agenda.plan_position(item.id)
        if position is not None:
            number, total = position
            notes.append((f"plan {number}/{total}" if total else f"plan #{number}", ""))
        if item.booking_note.strip():
            notes.append((one_line(item.booking_note), ""))
    note = Text(end="")
    for index, (words, style) in enumerate(notes):
        if index:
            note.append(" · ", style=MUTED)
        note.append_text(plain(words, style=style))

    status = STATUS_WORDS.get(item.status, item.status)
    if item.id == agenda.now_id:
        status = "now"
    return (
        _fit(when, widths.when),
        client,
        _fit(plain(item.service_name, style=row_style), widths.service),
        _fit(Text(f"{item.minutes}m", style=row_style or MUTED), widths.length),
        _fit(Text(status, style=row_style or ("italic" if muted else "")), widths.status),
        _fit(note, widths.note),
    )


def _gap_cells(gap: Gap, widths: Widths, now: dt.datetime | None) -> tuple[Text, ...]:
    when = Text(f"  {span(gap.start, gap.end)}", style=MUTED)
    if gap.kind == "break":
        what = Text("lunch break", style="dim italic")
    elif gap.kind == "off":
        what = Text("⊘ ", style="bold magenta", end="")
        what.append_text(plain(gap.label or "time off", style="bold magenta"))
    else:
        what = Text(end="")
        # Free time already gone is not free any more: shown, but not in green.
        what.append("free", style=MUTED if now is not None and gap.end <= now else "green")
        what.append(f" · {length(gap.minutes)}", style=MUTED)
    blank = Text("")
    return (
        _fit(when, widths.when),
        _fit(what, widths.client + widths.service),
        blank,
        blank,
        blank,
        blank,
    )


def row_key(item: Item) -> str:
    if isinstance(item, Gap):
        return f"{item.kind}-{item.start:%Y%m%d%H%M}"
    return f"appointment-{item.id}"


class AgendaTable(ScrollView, can_focus=True, inherit_bindings=False):
    """The day as rows; ``↑``/``↓`` move, the screen owns every other key.

    Each row is laid out once, when the day arrives, as one line of text (its
    cells cut and padded to the columns' widths) and drawn straight from it:
    the day changes with every ←/→, and a table that measured and drew each
    cell through Rich cost a quarter of that key."""

    COMPONENT_CLASSES = {"agenda--cursor"}

    DEFAULT_CSS = """
    AgendaTable {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        &:focus {
            background-tint: $foreground 5%;
            & > .agenda--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .agenda--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]

    class Highlighted(Message):
        """The cursor moved onto ``item`` (None when the day has no rows)."""

        def __init__(self, item: Item | None) -> None:
            super().__init__()
            self.item = item

    class Chosen(Message):
        """``item`` was clicked a second time (a mouse "open")."""

        def __init__(self, item: Item) -> None:
            super().__init__()
            self.item = item

    agenda: reactive[DayAgenda | None] = reactive(None, always_update=True, init=False)
    #: Completed appointments not fully paid (set by the screen before ``agenda``).
    unpaid: frozenset[int] = frozenset()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: The rows in time order: (key, item, cells).
        self._rows: list[tuple[str, Item, tuple[Text, ...]]] = []
        self._index: dict[str, int] = {}
        self._cursor = 0
        self._width = 0
        self.widths = column_widths(80)
        #: Drawn lines, by (row, under the cursor, width, styles).
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(256)

    # --- what the screen and tests read -------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    def row_cells(self, index: int) -> tuple[Text, ...]:
        """The cells of row ``index``: when, client, service, length, status, note."""
        return self._rows[index][2]

    @property
    def item(self) -> Item | None:
        """The item under the cursor."""
        return self._rows[self._cursor][1] if self._rows else None

    def select(self, item: Item | None) -> None:
        """Put the cursor on ``item`` (an appointment is found by id)."""
        if item is None:
            return
        index = self._index.get(row_key(item))
        if index is not None:
            self.move_cursor(row=index)

    def move_cursor(self, *, row: int, scroll: bool = True) -> None:
        """Put the cursor on row ``row`` (kept within the day) and say so."""
        if not self._rows:
            return
        row = min(max(row, 0), len(self._rows) - 1)
        if scroll:
            self.scroll_to_region(
                Region(0, row, max(self.virtual_size.width, 1), 1), animate=False, force=True
            )
        if row != self._cursor:
            self._cursor = row
            self.refresh()
            self.post_message(self.Highlighted(self.item))

    # --- building the rows ----------------------------------------------------------

    def watch_agenda(self) -> None:
        self._rebuild(keep=self.item)

    def on_resize(self, event: Resize) -> None:
        # Only a new width: a new height (the "no appointments" line shown or
        # hidden above) changes nothing here. ``event.size`` counts the padding.
        if self.size.width != self._width:
            self._rebuild(keep=self.item)

    def _rebuild(self, keep: Item | None) -> None:
        agenda = self.agenda
        self._width = self.size.width
        total = (self.size.width or self.app.size.width) - 1
        appointments = agenda.view.appointments if agenda is not None else ()
        widths = column_widths(
            total,
            max((_client_width(a, self.unpaid) for a in appointments), default=14),
            max((Text(visible(a.service_name)).cell_len + 1 for a in appointments), default=12),
        )
        self.widths = widths
        rows: list[tuple[str, Item, tuple[Text, ...]]] = []
        if agenda is not None:
            for item in agenda.view.items:
                if isinstance(item, Gap):
                    cells = _gap_cells(item, widths, agenda.now)
                else:
                    cells = _appointment_cells(item, agenda, widths, item.id in self.unpaid)
                rows.append((row_key(item), item, cells))
        self._rows = rows
        self._index = {key: index for index, (key, _, _) in enumerate(rows)}
        self._strips.clear()
        self._resize_rows(Size(sum(_column_list(widths)), len(rows)))
        target = keep if keep is not None and row_key(keep) in self._index else None
        if target is None and agenda is not None:
            target = self._default_item(agenda)
        self._cursor = self._index[row_key(target)] if target is not None else 0
        if rows:
            self.scroll_to_region(
                Region(0, self._cursor, max(self.virtual_size.width, 1), 1),
                animate=False,
                force=True,
            )
        self.refresh()
        self.post_message(self.Highlighted(self.item))

    def _resize_rows(self, size: Size) -> None:
        """Make room for ``size`` (columns × rows). Textual lays out the whole
        screen again for a new virtual size, to add or move the scrollbar; a
        day that fits after a day that fitted has no scrollbar either way, so
        its rows are only repainted."""
        room = self.scrollable_content_region.height
        old = self.virtual_size
        if (
            room
            and not self.show_vertical_scrollbar
            and old.width == size.width
            and old.height <= room
            and size.height <= room
        ):
            self.set_reactive(AgendaTable.virtual_size, size)
        else:
            self.virtual_size = size

    def _default_item(self, agenda: DayAgenda) -> Item | None:
        """Where the cursor starts on a new day: the session on now, else the
        next one, else the first appointment, else the first row."""
        appointments = agenda.view.appointments
        for wanted in (agenda.now_id, agenda.next_id):
            for item in appointments:
                if item.id == wanted:
                    return item
        if appointments:
            return appointments[0]
        return agenda.view.items[0] if agenda.view.items else None

    # --- drawing --------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.size.width
        base = self.rich_style
        if index >= len(self._rows):
            return Strip.blank(width, base)
        cursor = index == self._cursor
        cursor_style = self.get_component_rich_style("agenda--cursor") if cursor else None
        key = (index, width, base, cursor_style)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._draw(self._rows[index][2], width, base, cursor_style)
            self._strips[key] = strip
        return strip

    def _draw(
        self, cells: tuple[Text, ...], width: int, base: Style, cursor: Style | None
    ) -> Strip:
        """One row: each cell cut and padded to its column, the cursor's colour
        over the cells' own (their background and emphasis stay), then the rest
        of the line in the row's colour."""
        pre = base + cursor if cursor is not None else base
        post = Style.from_color(color=cursor.color) if cursor is not None else None
        console = self.app.console
        segments: list[Segment] = []
        for cell, room in zip(cells, _column_list(self.widths), strict=True):
            if cell.cell_len > room:
                cell = cell.copy()
                cell.truncate(room, overflow="crop")
            pad = room - cell.cell_len
            segments.extend(Segment.apply_style(_segments(cell, console), pre, post))
            if pad:
                segments.append(Segment(" " * pad, pre + post if post is not None else pre))
        used = sum(_column_list(self.widths))
        if width > used:
            segments.append(Segment(" " * (width - used), pre))
        return Strip(segments).adjust_cell_length(width, base).simplify()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        # The day was scrolled to its cursor before the scrollbar appeared:
        # the new scrollbar starts where the rows are.
        if shown:
            self.vertical_scrollbar.position = self.scroll_y

    # --- keys and the mouse ---------------------------------------------------------

    def _page(self) -> int:
        return max(self.scrollable_content_region.height, 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self._cursor + 1)

    def action_page_up(self) -> None:
        # A page at a time: the view moves a page, the cursor with it.
        self.scroll_relative(y=-self._page(), animate=False, force=True)
        self.move_cursor(row=self._cursor - self._page(), scroll=False)

    def action_page_down(self) -> None:
        self.scroll_relative(y=self._page(), animate=False, force=True)
        self.move_cursor(row=self._cursor + self._page(), scroll=False)

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=len(self._rows) - 1)

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = offset.y + self.scroll_offset.y
        if not 0 <= index < len(self._rows):
            return
        again = index == self._cursor
        self.move_cursor(row=index)
        if again:
            self.post_message(self.Chosen(self._rows[index][1]))


def _segments(text: Text, console: Console) -> Iterable[Segment]:
    """``text`` as segments, its own style included (Rich's ``Text.render``
    leaves it out when the text has no spans)."""
    if text.spans:
        return text.render(console, end="")
    return (Segment(text.plain, console.get_style(text.style, default=Style.null())),)


def _column_list(widths: Widths) -> tuple[int, ...]:
    return (widths.when, widths.client, widths.service, widths.length, widths.status, widths.note)
