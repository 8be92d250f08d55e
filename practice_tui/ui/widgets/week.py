"""Seven days side by side: each day's appointments as start time and a short name.

Renders the ``WeekOverview`` it is given, with the ``selected`` day picked
out; a click on a day's column posts ``WeekGrid.DayClicked``. Names are cut
to fit: "Maya K." when the column has room, initials ("MK") when it does not.
"""

from __future__ import annotations

import datetime as dt

from rich import box
from rich.table import Table
from rich.text import Text
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from practice_tui.domain.today import WeekOverview
from practice_tui.domain.types import AppointmentInfo, Status
from practice_tui.domain.words import clock, length_short
from practice_tui.textutil import visible
from practice_tui.ui.widgets.agenda import ALERT, FIRST, OWED


def short_name(name: str) -> str:
    """ "Maya Thompson" → "Maya T."; a single name stays as it is."""
    words = visible(name).split()
    if len(words) < 2:
        return words[0] if words else "?"
    return f"{words[0]} {words[-1][0]}."


def initials(name: str) -> str:
    """ "Maya Thompson" → "MT"."""
    words = visible(name).split()
    return "".join(word[0] for word in words[:1] + words[1:][-1:]).upper() or "?"


#: Cells a "09:00 Maya K.⚠★" entry needs to show short names rather than initials.
SHORT_NAMES_FROM = 15


def _entry(item: AppointmentInfo, width: int) -> Text:
    """``09:00 Maya K.⚠`` in a wide column, ``09:00 MK⚠`` in a narrow one (the
    same form across the week so the columns read alike); marks that do not
    fit are dropped, the precaution last."""
    muted = item.status in (Status.CANCELLED.value, Status.NO_SHOW.value)
    marks = Text(end="")
    if not muted:
        for flag, (symbol, mark_style, _) in (
            (item.has_alert, ALERT),
            (item.first_visit, FIRST),
            (item.note_owed, OWED),
        ):
            if flag:
                marks.append(symbol, style=mark_style)
    room = width - 6
    name = short_name(item.client_name) if width >= SHORT_NAMES_FROM else ""
    if not name or len(name) + marks.cell_len > room:
        name = initials(item.client_name)
    if len(name) + marks.cell_len > room:
        marks.truncate(max(room - len(name), 0))
    text = Text(f"{clock(item.start)} ", style="dim" if muted else "bold", end="")
    text.append(name, style="dim strike" if muted else "")
    text.append_text(marks)
    return text


#: Background of the selected day's column.
SELECTED = "on grey23"


class WeekGrid(Widget, can_focus=True):
    """One column per day, Monday to Sunday."""

    class DayClicked(Message):
        def __init__(self, day: dt.date) -> None:
            super().__init__()
            self.day = day

    overview: reactive[WeekOverview | None] = reactive(None)
    selected: reactive[dt.date | None] = reactive(None)
    today: reactive[dt.date | None] = reactive(None)

    def render(self) -> Table | Text:
        overview = self.overview
        if overview is None:
            return Text("Loading the week…", style="dim")
        # Seven equal columns with a one-cell gap between them.
        column = max((self.size.width - 6) // 7, 8)
        table = Table(
            box=box.SIMPLE_HEAD,
            expand=False,
            padding=(0, 0),
            pad_edge=False,
            show_edge=False,
            collapse_padding=True,
        )
        cells: list[Text] = []
        totals: list[Text] = []
        for day in overview.days:
            header = Text(f"{day.day:%a} {day.day.day}", end="")
            if day.day == self.today:
                header.append(" •", style="bold green")
            chosen = day.day == self.selected
            table.add_column(
                header,
                header_style="bold reverse" if chosen else "bold",
                style=SELECTED if chosen else "",
                width=column,
                no_wrap=True,
            )
            lines = Text(end="")
            time_off = getattr(day, "time_off", "")
            if time_off:
                # Time off is marked first: a holiday week reads at a glance.
                lines.append(f"⊘ {visible(time_off)}"[:column], style="bold magenta")
            if day.working is None and not day.appointments and not time_off:
                lines.append("day off", style="dim italic")
            elif not day.appointments and not time_off:
                lines.append("free", style="green")
            for index, item in enumerate(day.appointments):
                if index or time_off:
                    lines.append("\n")
                lines.append_text(_entry(item, column))
            cells.append(lines)
            total = Text(end="")
            if day.working is not None or day.appointments:
                visits = day.count(Status.BOOKED.value) + day.count(Status.COMPLETED.value)
                total.append(f"{visits} visit{'s' if visits != 1 else ''}", style="dim")
                if day.free_minutes:
                    total.append(f"\n{length_short(day.free_minutes)} free", style="green")
            totals.append(total)
        table.add_row(*cells, end_section=True)
        table.add_row(*totals)
        return table

    def on_click(self, event: Click) -> None:
        overview = self.overview
        if overview is None or self.size.width <= 0:
            return
        column = max((self.size.width - 6) // 7, 8)
        index = min(max(event.x - 1, 0) // (column + 1), 6)
        self.post_message(self.DayClicked(overview.days[index].day))
