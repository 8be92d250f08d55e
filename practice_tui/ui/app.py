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
from textual.screen import ModalScreen, Screen

from practice_tui import __version__
from practice_tui.ui.dialogs.common import ConfirmDialog
from practice_tui.ui.screens.clients import ClientsScreen
from practice_tui.ui.screens.plans import PlansScreen
from practice_tui.ui.screens.sessions import SessionsScreen
from practice_tui.ui.screens.today import TodayScreen
from practice_tui.ui.terminal_guard import install as install_terminal_guard

# No stored or typed text reaches the terminal as a control character.
install_terminal_guard()

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class _QuitAnyway(ConfirmDialog):
    """The question asked when quitting with unsaved changes."""


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
        Binding("q", "quit_key", "Quit", show=False),
    ]

    #: Keys of the app that a dialog must not act on (``ctrl+q`` still quits).
    _NOT_IN_DIALOGS = frozenset({"switch_mode", "toggle_keys", "quit_key"})

    #: Seconds a live preview waits after the last change before it asks the
    #: domain again (people type in bursts); tests set it to zero.
    DEFAULT_PREVIEW_DELAY = 0.15

    def __init__(
        self, db_path: Path, clock: Clock | None = None, *, preview_delay: float | None = None
    ) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self._clock = clock or system_clock
        self.preview_delay = self.DEFAULT_PREVIEW_DELAY if preview_delay is None else preview_delay

    #: What the look at the file found when it was opened (shown once, at start).
    file_messages: tuple[str, ...] = ()
    #: Seconds of typing after which the note editor keeps a draft by itself (it
    #: also does when a field is left); None: only when asked (ctrl+s). The
    #: command line sets it (``AUTOSAVE_SECONDS``); tests choose.
    autosave_delay: float | None = None

    def on_mount(self) -> None:
        for message in self.file_messages:
            self.notify(message, title="About this file", severity="warning", timeout=30)

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In a dialog, letters and digits belong to the dialog: ``1``–``4`` and
        ``q`` do nothing there (``ctrl+q`` and ``escape`` still work)."""
        if isinstance(self.screen, ModalScreen) and action in self._NOT_IN_DIALOGS:
            return False
        return True

    def _unsaved(self) -> list[Screen]:
        """Open screens with changes not yet saved (they expose ``dirty``)."""
        stacks = getattr(self, "_screen_stacks", None) or {"": self.screen_stack}
        return [
            screen
            for stack in stacks.values()
            for screen in stack
            if getattr(screen, "dirty", False) is True
        ]

    async def action_quit_key(self) -> None:
        await self.action_quit()

    async def action_quit(self) -> None:
        """Quit — but never throw away a note or a form being written without asking."""
        if isinstance(self.screen, _QuitAnyway) or not self._unsaved():
            self.exit()
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        self.push_screen(
            _QuitAnyway(
                "Quit without saving?",
                "A note or form has changes that are not saved yet.",
                yes="Quit anyway",
                no="Keep editing",
                danger=True,
            ),
            answered,
        )

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
        """Show a client's profile on top of the current screen (escape comes back)."""
        from practice_tui.ui.screens.client_profile import ClientProfileScreen

        self.push_screen(ClientProfileScreen(client_id))

    def open_client_notes(self, client_id: int) -> None:
        """List one client's session notes, newest first, with the pain trend."""
        from practice_tui.ui.screens.client_notes import ClientNotesScreen

        self.push_screen(ClientNotesScreen(client_id))

    def open_note_editor(self, appointment_id: int) -> None:
        """Write or read the session note of one appointment (read-only once signed)."""
        from practice_tui.ui.screens.note_editor import NoteEditorScreen

        self.push_screen(NoteEditorScreen(appointment_id))

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
        """Start a recurring plan, optionally for a client (the profile's ``r``):
        the client is read in a worker, then the form opens with it filled in."""
        from practice_tui.ui.dialogs.plan_new import NewPlanDialog

        if client_id is None:
            self.push_screen(NewPlanDialog())
            return

        def load() -> None:
            from practice_tui.domain.errors import PracticeError
            from practice_tui.domain.plans import plan_client

            try:
                client = plan_client(client_id)
            except PracticeError as error:
                self.call_from_thread(self.notify, str(error), severity="error")
                return
            self.call_from_thread(lambda: self.push_screen(NewPlanDialog(client)))

        self.run_worker(load, thread=True, group="open-new-plan", exit_on_error=False)


def make_app(
    db_path: Path | str,
    clock: Clock | None = None,
    *,
    preview_delay: float | None = None,
    autosave_delay: float | None = None,
) -> PracticeApp:
    """Build the app on the practice file at ``db_path`` (opened here unless the
    command line already opened it), with its plans filled to the horizon."""
    from practice_tui.domain.db import current_path, is_readonly, open_database
    from practice_tui.domain.filecheck import check_file
    from practice_tui.domain.plans import fill_horizon
    from practice_tui.domain.settings import ensure_practice

    path = Path(db_path)
    current = current_path()
    if current is None or current.resolve() != path.resolve():
        open_database(path)
        if not is_readonly():
            ensure_practice()
    # What another program may have changed behind the app's back: orphaned
    # rows are listed, missing lock triggers put back (shown once, at start).
    messages = list(check_file().messages)
    if is_readonly():
        messages.insert(
            0,
            f"{path} can only be read (the file, its folder or its disk is read-only): "
            "you can look at everything, but nothing can be saved.",
        )
    else:
        # Open-ended plans stay booked ahead each time the app opens. This runs
        # before the interface starts (a few milliseconds), so every screen sees
        # the same schedule from its first frame.
        now = (clock or system_clock)()
        fill_horizon(now.date(), now)
    app = PracticeApp(path, clock=clock, preview_delay=preview_delay)
    app.file_messages = tuple(messages)
    app.autosave_delay = autosave_delay
    return app
