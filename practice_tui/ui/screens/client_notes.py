"""One client's notes, newest first, with the pain trend; ``enter`` reads one.

Reached from the client's profile (``s``) or from Sessions (``h``) through
``app.open_client_notes``. The client's contraindications are at the top, as
on every note.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize, ScreenResume
from textual.widgets import DataTable, Static

from practice_tui.domain.errors import PracticeError
from practice_tui.domain.notes import ClientNotes, client_notes
from practice_tui.domain.outcomes import PainPoint, pain_series
from practice_tui.domain.vocab import format_areas, format_techniques
from practice_tui.domain.words import moment_column
from practice_tui.ui.base import PracticeScreen
from practice_tui.ui.text import plain, plain_line
from practice_tui.ui.widgets.footer import KeysFooter
from practice_tui.ui.widgets.note_view import pain_pair
from practice_tui.ui.widgets.pain_chart import PainChart


class NotesTable(DataTable):
    """The list of notes; ``enter`` reads the one under the cursor."""

    BINDINGS = [Binding("enter", "select_cursor", "Read note")]


class ClientNotesScreen(PracticeScreen):
    BINDINGS = [
        Binding("p", "profile", "Profile"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id
        self.history: ClientNotes | None = None
        self.pain: tuple[PainPoint, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static("Notes", id="client-notes-title")
        alert = Static("", id="client-notes-alert")
        alert.display = False
        yield alert
        yield Static("Loading…", id="client-notes-trend")
        yield PainChart(id="client-notes-chart")
        yield NotesTable(id="client-notes-table", cursor_type="row")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Date", key="date")
        table.add_column("Service", key="service")
        table.add_column("Pain", key="pain")
        table.add_column("Note", key="state")
        table.add_column("Areas", key="areas")
        table.add_column("Techniques", key="techniques")
        table.focus()
        self.load()

    def on_screen_resume(self, event: ScreenResume) -> None:
        if self.history is not None:
            self.load()

    def on_resize(self, event: Resize) -> None:
        if self.history is not None:
            self._show_trend(self.history)

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        try:
            history = client_notes(self.client_id)
            pain = pain_series(self.client_id)
        except PracticeError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self.show, history, pain)

    def _failed(self, error: PracticeError) -> None:
        self.query_one("#client-notes-trend", Static).update(Text(error.message))
        self.notify(error.message, severity="error")

    def _show_trend(self, history: ClientNotes) -> None:
        count = len(history.notes)
        self.query_one("#client-notes-trend", Static).update(
            Text(f"{count} note{'s' if count != 1 else ''} · pain before → after", style="dim")
        )
        self.query_one(PainChart).show(self.pain, history.trend)

    def show(self, history: ClientNotes, pain: tuple[PainPoint, ...] = ()) -> None:
        self.history = history
        self.pain = pain
        today = self.app.today()
        self.query_one("#client-notes-title", Static).update(
            Text.assemble("Notes · ", plain(history.client_name))
        )
        alert = self.query_one("#client-notes-alert", Static)
        alert.display = history.has_alert
        if history.has_alert:
            alert.update(Text.assemble("⚠ ", plain(history.contraindications, keep_newlines=True)))
        self._show_trend(history)
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        for note in history.notes:
            if note.signed:
                extra = f" +{note.amendment_count}" if note.amendment_count else ""
                state = Text(f"✔ signed{extra}", style="green")
            else:
                state = Text("✎ draft", style="yellow")
            table.add_row(
                moment_column(note.start, today),
                plain_line(note.service_name, 20),
                pain_pair(note.pain_before, note.pain_after) or "–",
                state,
                plain_line(format_areas(note.areas), 28),
                plain_line(format_techniques(note.techniques), 24),
                key=str(note.appointment_id),
            )
        if not history.notes:
            table.add_row("", Text("No notes yet.", style="dim"), "", "", "", "")
        elif keep:
            table.move_cursor(row=min(keep, table.row_count - 1))
        self.refresh_bindings()

    def _selected(self) -> int | None:
        if self.history is None or not self.history.notes:
            return None
        table = self.query_one(DataTable)
        if not 0 <= table.cursor_row < len(self.history.notes):
            return None
        return self.history.notes[table.cursor_row].appointment_id

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        appointment_id = self._selected()
        if appointment_id is not None:
            self.app.open_note_editor(appointment_id)

    def action_profile(self) -> None:
        self.app.open_client_profile(self.client_id)
