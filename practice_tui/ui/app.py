"""The App: five modes (Today, Clients, Sessions, Plans, Practice), global keys, the clock.

``make_app`` is the one way to build it, so tests and snapshots inject a fixed
clock (``clock=lambda: datetime(2026, 11, 27, 11, 20)``) and a file database.
Screens reach each other through the ``open_*`` methods here, so a screen
never imports another screen's module.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message_pump import MessagePump
from textual.screen import ModalScreen, Screen
from textual.timer import Timer

from practice_tui import __version__
from practice_tui.ui.commands import ActionCommands, ClientCommands, DateCommands
from practice_tui.ui.dialogs.common import ConfirmDialog
from practice_tui.ui.screens.today import TodayScreen
from practice_tui.ui.terminal_guard import install as install_terminal_guard

# No stored or typed text reaches the terminal as a control character.
install_terminal_guard()

Clock = Callable[[], dt.datetime]

#: Python's cycle collector runs after this many new objects (then every
#: 20th and 400th run look at older ones): Textual makes tens of thousands
#: of short-lived objects per key, and the default (700, 10, 10) collected
#: dozens of times a key. Set once the first screen is painted.
COLLECTOR_THRESHOLDS = (50_000, 20, 20)


def system_clock() -> dt.datetime:
    """Now on the practice's clock: the wall-clock time in the practice's time zone
    (not the computer's), so a laptop in another zone sees the practice's day."""
    from practice_tui.domain.clock import practice_now

    return practice_now()


def _styled_as_now(screen: Screen) -> Screen:
    """A screen just made for a mode counts as styled with the style sheets as
    they are now.

    Textual marks every new screen as styled with older sheets, so the first
    visit to each screen (and the first paint of Today) parsed every style
    sheet again: once when the screen was made, once when it was switched to,
    and once more when its widgets mounted, because parsing again empties the
    sheets' cache (seen timing each parse; 60-160 ms of the first press of 2
    to 6 on a 20-year practice, about 0.1 s of the first paint). A screen not
    mounted yet has nothing to restyle: its widgets are styled from the sheets
    as they are when they mount. So it is marked current, unless the sheets'
    colours are not the theme's (a theme just picked and not yet applied, which
    Textual then applies to it as before). These are Textual's own counters:
    if a later Textual has none, the screen is left as Textual made it."""
    app = screen.app
    current = getattr(app, "_css_update_count", None)
    if (
        current is not None
        and hasattr(screen, "_css_update_count")
        and getattr(app.stylesheet, "_variables", None) == app.get_css_variables()
    ):
        screen._css_update_count = current
    return screen


def _today_screen() -> Screen:
    return _styled_as_now(TodayScreen())


def _clients_screen() -> Screen:
    from practice_tui.ui.screens.clients import ClientsScreen

    return _styled_as_now(ClientsScreen())


def _sessions_screen() -> Screen:
    from practice_tui.ui.screens.sessions import SessionsScreen

    return _styled_as_now(SessionsScreen())


def _plans_screen() -> Screen:
    from practice_tui.ui.screens.plans import PlansScreen

    return _styled_as_now(PlansScreen())


def _money_screen() -> Screen:
    from practice_tui.ui.screens.money import MoneyScreen

    return _styled_as_now(MoneyScreen())


def _practice_screen() -> Screen:
    from practice_tui.ui.screens.practice import PracticeSettingsScreen

    return _styled_as_now(PracticeSettingsScreen())


class _QuitAnyway(ConfirmDialog):
    """The question asked when quitting with unsaved changes."""


class PracticeApp(App[None]):
    """practice-tui: the day, the clients, the notes, the plans."""

    TITLE = "practice-tui"
    CSS_PATH = "app.tcss"
    # Only Today is imported before the first paint; the other screens' modules
    # load the first time their key is pressed.
    MODES = {
        "today": lambda: _today_screen(),
        "clients": lambda: _clients_screen(),
        "sessions": lambda: _sessions_screen(),
        "plans": lambda: _plans_screen(),
        "money": lambda: _money_screen(),
        "practice": lambda: _practice_screen(),
    }
    DEFAULT_MODE = "today"
    # The palette finds clients, dates and every action (ui/commands.py).
    COMMANDS = App.COMMANDS | {ClientCommands, DateCommands, ActionCommands}
    BINDINGS = [
        Binding("1", "go_mode('today')", "Today", show=False),
        Binding("2", "go_mode('clients')", "Clients", show=False),
        Binding("3", "go_mode('sessions')", "Sessions", show=False),
        Binding("4", "go_mode('plans')", "Plans", show=False),
        Binding("5", "go_mode('money')", "Money", show=False),
        Binding("6", "go_mode('practice')", "Practice", show=False),
        Binding("question_mark", "toggle_keys", "Keys", key_display="?"),
        Binding("q", "quit_key", "Quit", show=False),
        # The privacy curtain (ui/curtain.py): everywhere, also in text fields and dialogs.
        Binding("ctrl+o", "curtain", "Hide screen", show=False, priority=True),
    ]

    #: Keys of the app that a dialog must not act on (``ctrl+q`` still quits).
    _NOT_IN_DIALOGS = frozenset({"switch_mode", "go_mode", "toggle_keys", "quit_key"})
    #: Seconds a live preview waits after the last change before it asks the
    #: domain again (people type in bursts); tests set it to zero.
    DEFAULT_PREVIEW_DELAY = 0.15

    #: Seconds keys wait at most for a screen that never says it is ready (a
    #: safety net: every screen says so as soon as it has shown its fields).
    KEY_HOLD_LIMIT = 1.0

    #: What the look at the file found when it was opened (shown once, at start).
    file_messages: tuple[str, ...] = ()
    #: Seconds of typing after which the note editor keeps a draft by itself (it
    #: also does when a field is left); None: only when asked (ctrl+s). The
    #: command line sets it (``AUTOSAVE_SECONDS``); tests choose.
    autosave_delay: float | None = None
    #: The file can only be read (nothing is saved, plans are not topped up).
    readonly: bool = False
    #: Set by ``run`` (a terminal, not a test's ``run_test``): see ``_set_aside_start_up``.
    _in_a_terminal: bool = False

    def __init__(
        self,
        db_path: Path,
        clock: Clock | None = None,
        *,
        preview_delay: float | None = None,
        welcome: bool = False,
        timezone: str = "",
        late_cancel_hours: int = 24,
        curtain_minutes: int = 10,
    ) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self._clock = clock or system_clock
        self.preview_delay = self.DEFAULT_PREVIEW_DELAY if preview_delay is None else preview_delay
        #: Open the first-run welcome on start (a brand-new file, not the demo).
        self.welcome = welcome
        #: The practice's zone and late-cancel window, kept current by the Practice screen.
        self.timezone = timezone
        self.late_cancel_hours = late_cancel_hours
        #: Keys typed while the screen on top was still opening, oldest first.
        self._held_keys: list[events.Key] = []
        self._hold_timer: Timer | None = None
        self._replaying = False
        self._replayed_key: events.Key | None = None
        #: The last key handed to a widget, and the last key known handled.
        self._in_flight: events.Key | None = None
        self._done_key: events.Key | None = None
        #: A worker is reading what a dialog about to open will show.
        self._expecting_screen = False
        from practice_tui.ui.curtain import IdleWatch

        #: The privacy curtain's idle rule (minutes from the Practice screen).
        self.idle = IdleWatch(self, curtain_minutes)

    def settings_changed(
        self, timezone: str, late_cancel_hours: int, curtain_minutes: int | None = None
    ) -> None:
        """The Practice screen saved: the header, the cancel warning and the
        privacy curtain's idle minutes follow."""
        self.timezone = timezone
        self.late_cancel_hours = late_cancel_hours
        if curtain_minutes is not None:
            self.idle.minutes = curtain_minutes

    def _fatal_error(self) -> None:
        """A crash prints its traceback without the local variables Textual
        shows by default: they would put clinical text (a note being saved, a
        client's record) on the terminal, in its scrollback and in any bug
        report pasted from it."""
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()

    # --- the privacy curtain (ui/curtain.py) ------------------------------------

    def action_curtain(self) -> None:
        from practice_tui.ui import curtain

        curtain.toggle(self)

    def zone_words(self) -> str:
        """ " · Europe/London" when the practice's zone is not the computer's, else ""."""
        from practice_tui.domain.clock import differs_from_computer

        if self.timezone and differs_from_computer(self.timezone):
            return f" · {self.timezone}"
        return ""

    def after_preview_delay(
        self, owner: MessagePump, callback: Callable[[], object]
    ) -> Timer | None:
        """Call ``callback`` on ``owner`` once the preview delay has passed (the
        returned timer can be stopped when another change comes first). With no
        delay it is called as soon as the current message is handled: Textual's
        ``set_timer(0, …)`` divides by its interval when it runs late."""
        if self.preview_delay > 0:
            return owner.set_timer(self.preview_delay, callback)
        owner.call_later(callback)
        return None

    # --- plans kept booked ahead -------------------------------------------------

    def on_mount(self) -> None:
        from practice_tui.ui.curtain import CHECK_EVERY

        self.set_interval(CHECK_EVERY, self.idle.check, name="privacy-curtain")
        for message in self.file_messages:
            self.notify(message, title="About this file", severity="warning", timeout=30)
        # A kept-up-to-date calendar file that cannot be written shows a warning.
        from practice_tui.ui.dialogs import export

        self._stop_watching_calendar = export.watch_calendar_file(self)
        # A brand-new practice file starts with the first-run welcome.
        if self.welcome:
            from practice_tui.ui.dialogs.welcome import WelcomeDialog

            self.push_screen(WelcomeDialog())
        # After the first screen is painted, never before: opening the app
        # does not wait for it. A read-only file is left as it is.
        if not self.readonly:
            self.call_after_refresh(self._top_up_plans)
        if self._in_a_terminal:
            self.call_after_refresh(self._set_aside_start_up)

    def run(self, *args: Any, **kwargs: Any) -> Any:
        self._in_a_terminal = True
        return super().run(*args, **kwargs)

    @staticmethod
    def _set_aside_start_up() -> None:
        """Keep Python's cycle collector out of the way of keys.

        Once the first screen is painted, the app holds some 80,000 long-lived
        objects (Textual, Rich, peewee, the style sheets, the screens). Every
        so often the collector walked all of them, and that full pass stopped
        the app for 50-95 ms in the middle of a key (seen opening a profile
        and the note editor on a 20-year practice). ``gc.freeze`` moves them
        out of its way, as long-running Python servers do; what is made later
        is still collected, less often (``COLLECTOR_THRESHOLDS``). Over the
        same keys on the 20-year practice (days, week, profile, note editor,
        three rounds) the collector's pauses went from 440-580 ms in all, the
        longest 70-90 ms, to 90-150 ms, the longest 20-30 ms; peak memory from
        78 to 86 MB. Not in tests: there each app would freeze the garbage of
        the tests before it (the test process sets its own, in conftest)."""
        gc.freeze()
        gc.set_threshold(*COLLECTOR_THRESHOLDS)

    def on_unmount(self) -> None:
        self._stop_watching_calendar()

    # --- a terminal too small ------------------------------------------------
    #
    # Below 80x24 the screens would drop columns silently (the Clients list's
    # Alert column first: the safety information). Instead the screen in view
    # says the terminal is too small, covering what it would cut.

    MIN_SIZE = (80, 24)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.check_size)

    def check_size(self) -> None:
        """Show or take away the "too small" notice on the screen in view."""
        from textual.css.query import NoMatches
        from textual.widgets import Static

        try:
            screen = self.screen
        except Exception:  # noqa: BLE001 — no screen yet
            return
        width, height = self.size
        small = width < self.MIN_SIZE[0] or height < self.MIN_SIZE[1]
        try:
            notice = screen.query_one("#too-small", Static)
        except NoMatches:
            notice = None
        if small:
            words = (
                f"This terminal is {width}×{height}: practice-tui needs at least "
                f"{self.MIN_SIZE[0]}×{self.MIN_SIZE[1]} to show everything (names, "
                "alerts, keys). Make the window larger or the font smaller."
            )
            if notice is None:
                screen.mount(Static(words, id="too-small", markup=False))
            else:
                notice.update(words)
        elif notice is not None:
            notice.remove()

    @work(thread=True, exclusive=True, group="plan-top-up", exit_on_error=False)
    def _top_up_plans(self) -> None:
        """Book open-ended plans up to their horizon; if that booked anything,
        the screen in view reads its data again. A date that clashes is left
        unbooked, and shown on Plans. Then the other screens' code is loaded."""
        from practice_tui.domain.errors import PracticeError
        from practice_tui.domain.plans import fill_horizon

        now = self.now()
        try:
            booked = fill_horizon(now.date(), now)
        except PracticeError as error:
            self.call_from_thread(self.notify, str(error), severity="error")
            return
        if booked:
            self.call_from_thread(self._show_again)
        # While the first screen is read, load the code of the others, so
        # their first key does not wait for it.
        import practice_tui.ui.screens.client_profile  # noqa: F401
        import practice_tui.ui.screens.clients  # noqa: F401
        import practice_tui.ui.screens.note_editor  # noqa: F401
        import practice_tui.ui.screens.plans  # noqa: F401
        import practice_tui.ui.screens.sessions  # noqa: F401

    def _show_again(self) -> None:
        """Today, in view, shows the sessions just booked; every screen (Today
        below a dialog too) reads its data again when it comes back into view."""
        if isinstance(self.screen, TodayScreen):
            self.screen.reload()

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
        """Notifications never parse markup: their text often holds a client's name.
        Behind the privacy curtain they wait until it is lifted."""
        from practice_tui.textutil import visible
        from practice_tui.ui import curtain

        if curtain.curtain_shown(self):
            curtain.hold(self, lambda: self.notify(message, title=title, severity=severity,
                                                   timeout=timeout))  # fmt: skip
            return
        super().notify(
            visible(message, keep_newlines=True),
            title=visible(title),
            severity=severity,  # type: ignore[arg-type]
            timeout=timeout,
            markup=False,
        )

    # --- keys ----------------------------------------------------------------
    #
    # No key lost. A key reaches the focused widget, and only when it comes
    # back up to the app unhandled does a screen's binding run (``n`` opens
    # the booking form). Two ways a fast typist's keys went astray:
    # - typed while the screen on top is still opening (not mounted yet, or
    #   reading what it shows: ``opening``, see ui/base.py; or a dialog still
    #   being read by a worker: ``expect_screen``), they reached a screen with
    #   nothing focused and vanished;
    # - typed while the key before is still on its way up, they went to the
    #   widget that had the focus before that key opened a form.
    # So such keys wait here, and are handed on in order, one at a time, each
    # once the app has finished with the one before (as if typed at a human
    # pace), as soon as the screen is ready (``release_keys``).

    def _takes_keys(self, screen: Screen) -> bool:
        if self._expecting_screen:
            return False
        return screen.is_mounted and not getattr(screen, "opening", False)

    def expect_screen(self) -> None:
        """A worker is reading what a dialog will show before it opens (``$``
        on Today): keys typed meanwhile wait for that dialog, not the screen
        below. ``screen_not_coming`` when it fails to open."""
        self._expecting_screen = True
        if self._hold_timer is None:
            self._hold_timer = self.set_timer(self.KEY_HOLD_LIMIT, self._release_anyway)

    def screen_not_coming(self) -> None:
        self._expecting_screen = False
        self.release_keys()

    def _key_done(self, key: events.Key) -> bool:
        return key._stop_propagation or key is self._done_key

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)) and not event.is_forwarded:
            self.idle.touch()  # the privacy curtain's idle time starts again
        if not isinstance(event, events.Key):
            await super().on_event(event)
            return
        if event.is_forwarded:
            if event is self._in_flight:
                self._done_key = event  # back up from the focused widget
            await super().on_event(event)
            return
        if event is not self._replayed_key:
            in_flight = self._in_flight is not None and not self._key_done(self._in_flight)
            if self._held_keys or self._replaying or in_flight or not self._takes_keys(self.screen):
                self._held_keys.append(event)
                if self._hold_timer is None:
                    self._hold_timer = self.set_timer(self.KEY_HOLD_LIMIT, self._release_anyway)
                if not self._replaying and self._takes_keys(self.screen):
                    self._start_replay(False)
                elif not hasattr(self.screen, "opening"):
                    # Textual's own screens (the palette) do not say when they
                    # are ready: look again after each refresh until mounted.
                    self.call_after_refresh(self._release_when_mounted)
                return
        await super().on_event(event)
        if event.is_forwarded:
            self._in_flight = event
        else:
            self._done_key = event  # a binding of the app took it at once

    def release_keys(self) -> None:
        """A screen is ready for keys: hand it those typed while it opened."""
        self._expecting_screen = False
        if self._held_keys and not self._replaying:
            self._start_replay(False)

    def _release_when_mounted(self) -> None:
        if not self._held_keys or self._replaying:
            return
        if self._takes_keys(self.screen):
            self.release_keys()
        elif not hasattr(self.screen, "opening") and self._hold_timer is not None:
            self.call_after_refresh(self._release_when_mounted)

    def _release_anyway(self) -> None:
        self._hold_timer = None
        self._expecting_screen = False
        if self._held_keys and not self._replaying:
            self._start_replay(True)

    def _start_replay(self, anyway: bool) -> None:
        self._replaying = True
        self.run_worker(self._replay(anyway), group="held-keys", exit_on_error=False)

    async def _replay(self, anyway: bool) -> None:
        try:
            while self._held_keys:
                if self._in_flight is not None:
                    await self._handled(self._in_flight)
                if not anyway and not self._takes_keys(self.screen):
                    return  # a held key opened another screen: the rest wait for it
                key = self._held_keys.pop(0)
                self._replayed_key = key
                self.post_message(key)
                await self._handled(key)
        finally:
            self._replaying = False
            self._replayed_key = None
            if not self._held_keys and self._hold_timer is not None:
                self._hold_timer.stop()
                self._hold_timer = None

    async def _handled(self, key: events.Key) -> None:
        """Wait until ``key`` has been handled — stopped by a widget, back up at
        the app, or taken by one of its bindings — and nothing it caused is
        still queued. (Never long: at most a few thousand turns of the loop.)"""
        quiet = 0
        for _ in range(5_000):
            await asyncio.sleep(0)
            queued = any(not node._message_queue.empty() for node in (self, *self._registry))
            quiet = quiet + 1 if self._key_done(key) and not queued else 0
            if quiet >= 2:
                return

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
        """``?``: every key of the screen and the global ones, grouped."""
        from practice_tui.ui.dialogs.keys import KeysDialog

        if isinstance(self.screen, KeysDialog):
            self.screen.dismiss(None)
        else:
            self.push_screen(KeysDialog(self.screen))

    def action_go_mode(self, mode: str) -> None:
        """``1``–``6``: the screen of that mode itself (``2`` the Clients list,
        not the last profile opened from it); screens opened over it close,
        each asking first if it holds unsaved text."""
        if self.current_mode != mode:
            self.switch_mode(mode)
        stack = self.screen_stack
        if len(stack) > 1:
            self.return_to(stack[0], "go there")

    def open_day(self, day: dt.date) -> None:
        """A day on Today (the palette's "go to fri")."""
        self.action_go_mode("today")
        today = self.screen_stack[0]
        if isinstance(today, TodayScreen):
            today.week_mode = False
            today.day = day

    def new_client(self) -> None:
        """The new-client form, from the Clients list (the palette's "New client")."""
        self.action_go_mode("clients")
        base = self.screen_stack[0]
        new = getattr(base, "action_new_client", None)
        if new is not None:
            self.call_after_refresh(new)

    def action_go_to_client_search(self) -> None:
        """``/`` on a profile: back to the Clients list, in its search box."""
        self.action_go_mode("clients")
        base = self.screen_stack[0]
        focus_search = getattr(base, "action_focus_search", None)
        if focus_search is not None:
            focus_search()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for mode, title in (
            ("today", "Today"),
            ("clients", "Clients"),
            ("sessions", "Sessions"),
            ("plans", "Plans"),
            ("money", "Money"),
            ("practice", "Practice"),
        ):
            yield SystemCommand(
                f"Go to {title}",
                f"Switch to the {title} screen",
                lambda mode=mode: self.switch_mode(mode),
            )
        # Data out (practice_tui/ui/dialogs/export.py): each asks for a path.
        for title, help_text, kind in (
            ("Export calendar…", "Write an .ics file of the appointments", "calendar"),
            ("Export CSV…", "Write clients, appointments and notes as CSV files", "csv"),
            ("Back up now", "Copy the practice file safely, even while open", "backup"),
        ):
            yield SystemCommand(title, help_text, lambda kind=kind: self._export(kind))
        yield SystemCommand("About", f"practice-tui {__version__} · {self.db_path}", self._about)
        from practice_tui.ui.screens.client_profile import ClientProfileScreen

        if isinstance(screen, ClientProfileScreen):
            yield from screen.palette_commands()

    def _export(self, kind: str) -> None:
        from practice_tui.ui.dialogs import export

        export.start(self, kind)

    def _about(self) -> None:
        self.notify(f"practice-tui {__version__}\nPractice file: {self.db_path}", title="About")

    # --- ways between screens (each screen module provides its own) ---------
    #
    # Going to a screen that is already open returns to it: the screens above
    # it close (each asking first if it holds unsaved text), so moving back
    # and forth between a profile, the client's notes and a note never piles
    # screens up, and ``escape`` always goes back one step to where the
    # person came from.

    def go_to(
        self, is_it: Callable[[Screen], bool], make: Callable[[], Screen], going: str
    ) -> None:
        """Return to the open screen ``is_it`` recognises, or open ``make()`` on top.

        ``going`` finishes "… before you ___?" if a screen above asks first."""
        open_screen = next((s for s in reversed(self.screen_stack) if is_it(s)), None)
        if open_screen is None:
            self.push_screen(make())
        else:
            self.return_to(open_screen, going)

    def return_to(self, target: Screen, going: str | None = None) -> None:
        """Close the screens above ``target``, top first; each may ask before it closes."""
        from practice_tui.ui.base import PracticeScreen

        if target not in self.screen_stack or self.screen is target:
            return
        top = self.screen

        def closed() -> None:
            if self.screen is top:
                self.pop_screen()
                self.return_to(target, going)

        if isinstance(top, PracticeScreen):
            top.leave(closed, going)
        else:
            closed()

    def go_back(self) -> None:
        """One step back: close the current screen (never a mode's own screen)."""
        stack = self.screen_stack
        if len(stack) > 1:
            self.return_to(stack[-2])

    def open_client_profile(self, client_id: int) -> None:
        """Show a client's profile: the one already open, else on top (escape comes back)."""
        from practice_tui.ui.screens.client_profile import ClientProfileScreen

        self.go_to(
            lambda s: isinstance(s, ClientProfileScreen) and s.client_id == client_id,
            lambda: ClientProfileScreen(client_id),
            "open the profile",
        )

    def open_client_account(self, client_id: int) -> None:
        """A client's money: balance, packages, payments, receipts, superbill."""
        from practice_tui.ui.screens.account import AccountScreen

        self.push_screen(AccountScreen(client_id))

    def action_open_client_account_of_screen(self) -> None:
        """``t`` on a client's profile: that client's account."""
        client_id = getattr(self.screen, "client_id", None)
        if isinstance(client_id, int):
            self.open_client_account(client_id)

    def open_client_notes(self, client_id: int) -> None:
        """List one client's session notes, newest first, with the pain trend."""
        from practice_tui.ui.screens.client_notes import ClientNotesScreen

        self.go_to(
            lambda s: isinstance(s, ClientNotesScreen) and s.client_id == client_id,
            lambda: ClientNotesScreen(client_id),
            "go to the client's notes",
        )

    def open_note_editor(self, appointment_id: int) -> None:
        """Write or read the session note of one appointment (read-only once signed)."""
        from practice_tui.ui.screens.note_editor import NoteEditorScreen

        self.go_to(
            lambda s: isinstance(s, NoteEditorScreen) and s.appointment_id == appointment_id,
            lambda: NoteEditorScreen(appointment_id),
            "go to that note",
        )

    def open_booking(self, client_id: int | None = None, start: dt.datetime | None = None) -> None:
        """Book a new appointment, optionally for a client and at a time.

        The booking form opens over the current screen; once booked, the
        confirmation names the client and time, and the Today screen shows it
        when it is next in view (it reloads on resume)."""
        from practice_tui.domain.words import slot_long
        from practice_tui.ui.dialogs.appointment import AppointmentForm

        def booked(result: object) -> None:
            from practice_tui.domain.types import AppointmentInfo

            if isinstance(result, AppointmentInfo):
                self.notify(f"Booked: {result.client_name}, {slot_long(result.start, result.end)}")

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
                self.call_from_thread(self.screen_not_coming)
                self.call_from_thread(self.notify, str(error), severity="error")
                return
            self.call_from_thread(lambda: self.push_screen(NewPlanDialog(client)))

        self.expect_screen()
        self.run_worker(load, thread=True, group="open-new-plan", exit_on_error=False)


def make_app(
    db_path: Path | str,
    clock: Clock | None = None,
    *,
    preview_delay: float | None = None,
    welcome: bool = False,
    autosave_delay: float | None = None,
) -> PracticeApp:
    """Build the app on the practice file at ``db_path`` (opened here unless the
    command line already opened it). Open-ended plans are topped up to their
    horizon by a worker once the first screen is painted (not on a read-only
    file).

    ``welcome=True`` (the command line, never the demo) opens the first-run
    welcome when the file has not been set up yet."""
    from practice_tui.domain.db import current_path, is_readonly, open_database
    from practice_tui.domain.exchange import sync
    from practice_tui.domain.filecheck import check_file
    from practice_tui.domain.settings import ensure_practice, get_practice

    path = Path(db_path)
    current = current_path()
    if current is None or current.resolve() != path.resolve():
        open_database(path)
        if not is_readonly():
            ensure_practice()
    readonly = is_readonly()
    # The calendar file, when the practice keeps one, follows every change.
    if not readonly:
        sync.install()
    practice = get_practice()  # also sets the practice's clock to its zone
    # What another program may have changed behind the app's back: orphaned
    # rows are listed, missing lock triggers put back (shown once, at start).
    messages = list(check_file().messages)
    if readonly:
        messages.insert(
            0,
            f"{path} can only be read (the file, its folder or its disk is read-only): "
            "you can look at everything, but nothing can be saved.",
        )
    app = PracticeApp(
        path,
        clock=clock,
        preview_delay=preview_delay,
        welcome=welcome and not practice.setup_done and not readonly,
        timezone=practice.timezone,
        late_cancel_hours=practice.late_cancel_hours,
        curtain_minutes=practice.curtain_minutes,
    )
    app.file_messages = tuple(messages)
    app.autosave_delay = autosave_delay
    app.readonly = readonly
    return app
