"""The App: four modes (Today, Clients, Sessions, Plans), global keys, the clock.

``make_app`` is the one way to build it, so tests and snapshots inject a fixed
clock (``clock=lambda: datetime(2026, 11, 27, 11, 20)``) and a file database.
Screens reach each other through the ``open_*`` methods here, so a screen
never imports another screen's module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from practice_tui import __version__
from practice_tui.ui.screens.clients import ClientsScreen
from practice_tui.ui.screens.plans import PlansScreen
from practice_tui.ui.screens.sessions import SessionsScreen
from practice_tui.ui.screens.today import TodayScreen

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class PracticeApp(App[None]):
    """practice-tui: the day, the clients, the notes, the plans."""

    TITLE = "practice-tui"
    CSS_PATH = "app.tcss"
    MODES = {
        "today": TodayScreen,
        "clients": ClientsScreen,
        "sessions": SessionsScreen,
        "plans": PlansScreen,
    }
    DEFAULT_MODE = "today"
    BINDINGS = [
        Binding("1", "switch_mode('today')", "Today", show=False),
        Binding("2", "switch_mode('clients')", "Clients", show=False),
        Binding("3", "switch_mode('sessions')", "Sessions", show=False),
        Binding("4", "switch_mode('plans')", "Plans", show=False),
        Binding("question_mark", "toggle_keys", "Keys", key_display="?"),
        Binding("q", "quit", "Quit", show=False),
    ]

    def __init__(self, db_path: Path, clock: Clock | None = None) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self._clock = clock or system_clock

    # --- the clock -----------------------------------------------------------

    def now(self) -> dt.datetime:
        return self._clock()

    def today(self) -> dt.date:
        return self.now().date()

    # --- safety: typed text is never markup ---------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: str = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications never parse markup: their text often holds a client's name."""
        from practice_tui.textutil import visible

        super().notify(
            visible(message, keep_newlines=True),
            title=visible(title),
            severity=severity,  # type: ignore[arg-type]
            timeout=timeout,
            markup=False,
        )

    # --- keys ----------------------------------------------------------------

    def action_toggle_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for mode, title in (
            ("today", "Today"),
            ("clients", "Clients"),
            ("sessions", "Sessions"),
            ("plans", "Plans"),
        ):
            yield SystemCommand(
                f"Go to {title}",
                f"Switch to the {title} screen",
                lambda mode=mode: self.switch_mode(mode),
            )
        yield SystemCommand("About", f"practice-tui {__version__} · {self.db_path}", self._about)

    def _about(self) -> None:
        self.notify(f"practice-tui {__version__}\nPractice file: {self.db_path}", title="About")

    # --- ways between screens (each screen module provides its own) ---------

    def open_client_profile(self, client_id: int) -> None:
        """Show a client's profile."""
        self.notify("Client profiles arrive with the Clients screen.", severity="warning")

    def open_client_notes(self, client_id: int) -> None:
        """List one client's session notes."""
        self.notify("Note history arrives with the Sessions screen.", severity="warning")

    def open_note_editor(self, appointment_id: int) -> None:
        """Write or read the session note of one appointment."""
        self.notify("The note editor arrives with the Sessions screen.", severity="warning")

    def open_booking(self, client_id: int | None = None, start: dt.datetime | None = None) -> None:
        """Book a new appointment, optionally for a client and at a time.

        The booking form opens over the current screen; once booked, the
        confirmation names the client and time, and the Today screen shows it
        when it is next in view (it reloads on resume)."""
        from practice_tui.ui.dialogs.appointment import AppointmentForm, when_words

        def booked(result: object) -> None:
            from practice_tui.domain.types import AppointmentInfo

            if isinstance(result, AppointmentInfo):
                self.notify(f"Booked: {result.client_name}, {when_words(result.start, result.end)}")

        self.push_screen(AppointmentForm("new", client_id=client_id, start=start), booked)

    def open_new_plan(self, client_id: int | None = None) -> None:
        """Start a recurring plan, optionally for a client."""
        self.notify("Plans arrive with the Plans screen.", severity="warning")


def make_app(db_path: Path | str, clock: Clock | None = None) -> PracticeApp:
    """Build the app on the practice file at ``db_path`` (opened here unless the
    command line already opened it)."""
    from practice_tui.domain.db import database, open_database
    from practice_tui.domain.settings import ensure_practice

    path = Path(db_path)
    current = database.obj
    if current is None or Path(current.database).resolve() != path.resolve():
        open_database(path)
        ensure_practice()
    return PracticeApp(path, clock=clock)
