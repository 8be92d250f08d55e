"""1 Today: the day's appointments in time order, with free gaps and alerts."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from practice_tui.domain.schedule import day_view
from practice_tui.domain.types import AppointmentInfo, DayView, Gap
from practice_tui.ui.text import plain, plain_line


def long_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


class TodayScreen(Screen[None]):
    """The start screen."""

    BINDINGS = [
        Binding("left", "previous_day", "Prev day", key_display="←"),
        Binding("right", "next_day", "Next day", key_display="→"),
        Binding("t", "go_today", "Today"),
    ]

    day: reactive[dt.date | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield Static(id="today-title")
        yield Static(id="today-summary")
        yield DataTable(id="today-table", cursor_type="row", zebra_stripes=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("", "Time", "Client", "Service", "Status", "Alert")
        self.day = self.app.today()  # type: ignore[attr-defined]

    def watch_day(self, day: dt.date | None) -> None:
        if day is not None:
            self.load(day)

    @work(thread=True, exclusive=True)
    def load(self, day: dt.date) -> None:
        view = day_view(day, now=self.app.now())  # type: ignore[attr-defined]
        self.app.call_from_thread(self.show_day, view)

    def show_day(self, view: DayView) -> None:
        if view.day != self.day:
            return
        self.query_one("#today-title", Static).update(
            Text.assemble(
                ("Today · " if view.day == self.app.today() else "", "bold"),
                (long_date(view.day), "bold"),
            )  # type: ignore[attr-defined]
        )
        free = f"{view.free_minutes // 60}h{view.free_minutes % 60:02d} free"
        self.query_one("#today-summary", Static).update(
            f"{view.booked} booked · {view.completed} done · {view.cancelled} cancelled · "
            f"{free} · {view.notes_owed} notes owed"
        )
        table = self.query_one(DataTable)
        table.clear()
        for item in view.items:
            if isinstance(item, Gap):
                table.add_row(
                    "",
                    f"{item.start:%H:%M}–{item.end:%H:%M}",
                    Text("lunch break" if item.kind == "break" else "free", style="dim"),
                    "",
                    "",
                    "",
                )
            else:
                table.add_row(*self._row(item), key=str(item.id))
        if not view.items:
            table.add_row("", "", Text("No appointments", style="dim"), "", "", "")

    @staticmethod
    def _row(item: AppointmentInfo) -> tuple[Text | str, ...]:
        marks = ("⚠" if item.has_alert else "") + ("★" if item.first_visit else "")
        marks += "✎" if item.note_owed else ""
        return (
            marks,
            f"{item.start:%H:%M}–{item.end:%H:%M}",
            plain(item.client_name),
            plain(item.service_name),
            item.status.replace("_", "-"),
            plain_line(item.contraindications, 30),
        )

    def action_previous_day(self) -> None:
        if self.day:
            self.day -= dt.timedelta(days=1)

    def action_next_day(self) -> None:
        if self.day:
            self.day += dt.timedelta(days=1)

    def action_go_today(self) -> None:
        self.day = self.app.today()  # type: ignore[attr-defined]
