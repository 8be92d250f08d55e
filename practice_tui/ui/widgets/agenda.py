"""The day's agenda as a table: one row per appointment, free gap or break.

The table only renders the ``DayAgenda`` it is given and says what the
person did (``Highlighted``, ``Chosen``); the screen calls the services. Its
columns are sized to the width it has, so the day reads well at 80 columns:
a long name or service is cut with an ellipsis rather than pushing the
status off screen. ``←``/``→`` are left to the screen (previous/next day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.events import Resize
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable

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


class AgendaTable(DataTable[Text], inherit_bindings=False):
    """The day as rows; ``↑``/``↓`` move, the screen owns every other key."""

    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
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
        super().__init__(
            id=id, cursor_type="row", show_header=False, cell_padding=0, zebra_stripes=False
        )
        self._items: dict[str, Item] = {}
        self._width = 0

    @property
    def item(self) -> Item | None:
        """The item under the cursor."""
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return self._items.get(key or "")

    def watch_agenda(self) -> None:
        self._rebuild(keep=self.item)

    def on_resize(self, event: Resize) -> None:
        # Only a new width: a new height (the "no appointments" line shown or
        # hidden above) changes nothing here. ``event.size`` counts the padding.
        if self.size.width != self._width:
            self._rebuild(keep=self.item)

    def select(self, item: Item | None) -> None:
        """Put the cursor on ``item`` (an appointment is found by id)."""
        if item is None:
            return
        key = row_key(item)
        if key in self._items:
            self.move_cursor(row=self.get_row_index(key), scroll=True)

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
        with self.prevent(DataTable.RowHighlighted):
            self.clear(columns=True)
            for name, width in zip(
                ("when", "client", "service", "length", "status", "note"),
                (
                    widths.when,
                    widths.client,
                    widths.service,
                    widths.length,
                    widths.status,
                    widths.note,
                ),
                strict=True,
            ):
                self.add_column(name, width=width, key=name)
            self._items = {}
            if agenda is not None:
                for item in agenda.view.items:
                    key = row_key(item)
                    self._items[key] = item
                    if isinstance(item, Gap):
                        cells = _gap_cells(item, widths, agenda.now)
                    else:
                        cells = _appointment_cells(item, agenda, widths, item.id in self.unpaid)
                    self.add_row(*cells, key=key)
        target = keep if keep is not None and row_key(keep) in self._items else None
        if target is None and agenda is not None:
            target = self._default_item(agenda)
        if target is not None:
            self.move_cursor(row=self.get_row_index(row_key(target)), scroll=True)
        self.post_message(self.Highlighted(self.item))

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

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self._items.get(event.row_key.value or "")))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self._items.get(event.row_key.value or "")
        if item is not None:
            self.post_message(self.Chosen(item))
