"""3 Sessions: the notes still owed first (oldest first), then the recent notes.

A note is owed for an appointment that took place (completed, or booked and
over; never cancelled or no-show) until its note is signed, so a saved draft
is still listed here, marked "draft". The recent notes show who, when, pain
before → after and whether the note is signed. ``enter`` opens the note;
``h`` lists the client's notes; ``p`` opens the client's profile.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize, ScreenResume
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from practice_tui.domain.errors import PracticeError
from practice_tui.domain.notes import NoteSummary, SessionsOverview, sessions_overview
from practice_tui.domain.types import AppointmentInfo
from practice_tui.domain.words import moment_column
from practice_tui.ui.base import PracticeScreen
from practice_tui.ui.text import plain_line
from practice_tui.ui.widgets.footer import KeysFooter
from practice_tui.ui.widgets.note_view import pain_pair

RECENT_LIMIT = 50


def _columns(*cells: tuple[Text | str, int]) -> Text:
    """Fixed-width columns (width 0: the rest of the line), each cut with an ellipsis."""
    line = Text(end="", no_wrap=True)
    for cell, width in cells:
        part = cell.copy() if isinstance(cell, Text) else Text(cell)
        if width:
            part.truncate(width, overflow="ellipsis", pad=True)
        line.append_text(part)
        line.append(" ")
    line.rstrip()
    return line


class SessionsList(OptionList):
    """The two lists in one, with headings the cursor skips."""

    BINDINGS = [Binding("enter", "select", "Open note")]


class SessionsScreen(PracticeScreen):
    BINDINGS = [
        Binding("h", "history", "Client's notes"),
        Binding("p", "profile", "Profile"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.overview: SessionsOverview | None = None
        #: Option id → (appointment id, client id).
        self._rows: dict[str, tuple[int, int]] = {}

    def compose(self) -> ComposeResult:
        yield Static("Sessions", id="sessions-title")
        yield Static("Loading…", id="sessions-summary")
        yield SessionsList(id="sessions-list")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(SessionsList).focus()
        self.load()

    def on_screen_resume(self, event: ScreenResume) -> None:
        if self.back_in_view():
            self.load()

    def on_resize(self, event: Resize) -> None:
        if self.overview is not None:
            self.show(self.overview)

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        try:
            overview = sessions_overview(self.app.now(), recent_limit=RECENT_LIMIT)
        except PracticeError as error:
            self.app.call_from_thread(self.notify, error.message, severity="error")
            return
        self.app.call_from_thread(self.show, overview)

    # --- drawing ---------------------------------------------------------------------

    def _widths(self) -> tuple[int, int]:
        """Client and service column widths for the list's width."""
        width = self.app.size.width - 6  # border, scrollbar, padding
        fixed = 3 + 18 + 2 + 10 + 9 + 2  # mark, date, alert, pain, state, gaps
        spare = max(width - fixed, 24)
        client = min(28, max(14, spare // 2))
        service = min(24, max(10, spare - client))
        return client, service

    def _owed_row(self, item: AppointmentInfo, draft: bool, today: dt.date) -> Text:
        client_w, service_w = self._widths()
        return _columns(
            (Text("✎", style="bold yellow"), 2),
            (
                moment_column(item.start, today),
                17,
            ),
            (plain_line(item.client_name), client_w),
            (Text("⚠" if item.has_alert else "", style="bold yellow"), 1),
            (plain_line(item.service_name, style="dim"), service_w),
            ("", 9),
            (Text("draft", style="yellow") if draft else Text("no note", style="bold red"), 0),
        )

    def _recent_row(self, note: NoteSummary, today: dt.date) -> Text:
        client_w, service_w = self._widths()
        if note.signed:
            extra = f" +{note.amendment_count}" if note.amendment_count else ""
            state = Text(f"signed{extra}", style="green")
        else:
            state = Text("draft", style="yellow")
        return _columns(
            (Text("✔", style="green") if note.signed else Text("✎", style="yellow"), 2),
            (
                moment_column(note.start, today),
                17,
            ),
            (plain_line(note.client_name), client_w),
            (Text("⚠" if note.has_alert else "", style="bold yellow"), 1),
            (plain_line(note.service_name, style="dim"), service_w),
            (pain_pair(note.pain_before, note.pain_after) or "–", 9),
            (state, 0),
        )

    @staticmethod
    def _heading(label: str) -> Option:
        return Option(Text(label, style="bold reverse"), disabled=True)

    def show(self, overview: SessionsOverview) -> None:
        self.overview = overview
        today = self.app.today()
        owed_total = overview.owed_total
        drafts = sum(1 for item in overview.owed if item.id in overview.drafts)
        self.query_one("#sessions-title", Static).update(
            Text(f"Sessions · {owed_total} note{'s' if owed_total != 1 else ''} owed")
        )
        self.query_one("#sessions-summary", Static).update(
            Text(
                f"{owed_total} owed ({drafts} with a draft) · "
                f"{len(overview.recent)} most recent notes below · enter opens a note"
            )
        )
        listing = self.query_one(SessionsList)
        previous_id = None
        if listing.highlighted_option is not None:
            previous_id = listing.highlighted_option.id
        options: list[Option] = []
        self._rows = {}
        options.append(self._heading(f" Notes owed · {owed_total} (oldest first) "))
        if not overview.owed:
            options.append(
                Option(
                    Text("  Nothing owed: every session has a signed note.", style="dim"),
                    disabled=True,
                )
            )
        for item in overview.owed:
            key = f"owed-{item.id}"
            self._rows[key] = (item.id, item.client_id)
            options.append(Option(self._owed_row(item, item.id in overview.drafts, today), id=key))
        if len(overview.owed) < owed_total:
            more = owed_total - len(overview.owed)
            options.append(Option(Text(f"  … and {more} older", style="dim"), disabled=True))
        options.append(self._heading(" Recent notes (newest first) "))
        if not overview.recent:
            options.append(Option(Text("  No notes yet.", style="dim"), disabled=True))
        for note in overview.recent:
            key = f"note-{note.appointment_id}"
            self._rows[key] = (note.appointment_id, note.client_id)
            options.append(Option(self._recent_row(note, today), id=key))
        listing.set_options(options)
        target = previous_id if previous_id in self._rows else None
        if target is None and self._rows:
            target = next(iter(self._rows))
        if target is not None:
            listing.highlighted = listing.get_option_index(target)
        self.refresh_bindings()

    # --- keys --------------------------------------------------------------------------

    def _selected(self) -> tuple[int, int] | None:
        if not self._rows:
            return None  # nothing read yet (maybe no list yet either)
        option = self.query_one(SessionsList).highlighted_option
        if option is None or option.id is None:
            return None
        return self._rows.get(option.id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open", "history", "profile"):
            return self._selected() is not None
        return True

    @on(OptionList.OptionHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        selected = self._selected()
        if selected is not None:
            self.app.open_note_editor(selected[0])

    def action_history(self) -> None:
        selected = self._selected()
        if selected is not None:
            self.app.open_client_notes(selected[1])

    def action_profile(self) -> None:
        selected = self._selected()
        if selected is not None:
            self.app.open_client_profile(selected[1])
