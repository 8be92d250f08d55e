"""2 Clients: the client list."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from practice_tui.domain.clients import search_clients
from practice_tui.domain.types import ClientSummary
from practice_tui.ui.text import plain


class ClientsScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("Clients", id="clients-title")
        yield DataTable(id="clients-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Name", "Phone", "Email", "")
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        clients = search_clients("", now=self.app.now())  # type: ignore[attr-defined]
        self.app.call_from_thread(self.show, clients)

    def show(self, clients: tuple[ClientSummary, ...]) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for client in clients:
            table.add_row(
                plain(client.name),
                plain(client.phone),
                plain(client.email),
                "⚠" if client.has_alert else "",
                key=str(client.id),
            )
