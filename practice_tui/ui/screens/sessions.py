"""3 Sessions: notes owed first."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from practice_tui.domain.schedule import notes_owed
from practice_tui.domain.types import AppointmentInfo
from practice_tui.ui.text import plain


class SessionsScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("Sessions · notes owed", id="sessions-title")
        yield DataTable(id="sessions-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Date", "Client", "Service", "Status")
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        owed = notes_owed(self.app.now())  # type: ignore[attr-defined]
        self.app.call_from_thread(self.show, owed)

    def show(self, owed: tuple[AppointmentInfo, ...]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for item in owed:
            table.add_row(
                f"{item.start:%a %d %b %H:%M}",
                plain(item.client_name),
                plain(item.service_name),
                item.status,
                key=str(item.id),
            )
