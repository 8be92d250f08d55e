"""What every screen and dialog of the app shares: a typed ``app``, and how a
screen is left.

``self.app`` is the ``PracticeApp`` for the type checker in every screen and
dialog built on these classes (Textual's ``getters.app``), so
``self.app.now()`` or ``self.app.open_client_profile(...)`` need no cast. At
run time nothing changes: Textual's own ``app`` property answers, so a test
can still show a dialog in a bare ``App``. A widget that needs the app
declares the same line.

A screen pushed over a mode's screen (a profile, a client's notes, a note)
is left with ``escape`` — one step back, to the screen below — or when the
app returns to a screen further down (going to a screen that is already open
returns to it, see ``PracticeApp.go_to``). Either way the app asks the screen
first through ``leave``: a screen holding unsaved text asks the person before
it is closed; the others simply close.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual import events
from textual.screen import ModalScreen, Screen

from practice_tui.ui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from textual import getters

    from practice_tui.ui.app import PracticeApp

ResultType = TypeVar("ResultType")


class _TakesKeys:
    """Keys typed while the screen opens wait for it (``PracticeApp.on_event``).

    A screen is ready once mounted (its ``on_mount`` has asked for the focus);
    one that first reads what it shows sets ``WAITS_FOR_DATA`` and calls
    ``ready_for_keys`` once its fields are there, on failure too."""

    #: The screen shows its fields only after a worker has read them.
    WAITS_FOR_DATA = False
    #: True until the screen is ready for keys.
    opening = True
    #: False until the screen has first come into view.
    _resumed_before = False
    #: Out of view (another screen, mode or dialog over it) since it last came back.
    _away = False

    def _show_footer(self, shown: bool) -> None:
        for footer in self.query(KeysFooter):  # type: ignore[attr-defined]
            footer.styles.visibility = "visible" if shown else "hidden"

    def _on_mount(self, event: events.Mount) -> None:
        # Runs after the screen's own on_mount (and its focus request).
        if not self.WAITS_FOR_DATA:
            self.ready_for_keys()

    def _on_screen_suspend(self, event: events.ScreenSuspend) -> None:
        # A screen behind a dialog hides its footer: the keys shown are the
        # dialog's. Set on the footer alone; a class on the screen (Textual's
        # SUSPENDED_SCREEN_CLASS) would restyle every widget of it, twice.
        self._show_footer(False)
        self._away = True

    def back_in_view(self) -> bool:
        """Asked in ``on_screen_resume``: is the screen coming back into view
        (so it reads again what it shows)?

        False when it is first shown, as its ``on_mount`` has just asked for
        what it shows, and when told again that it is resumed while already in
        view: Textual tells a screen made for a mode's key twice. Every
        screen that reads what it shows asks this (Today and Plans kept flags
        of their own before). The first
        visit to Clients, Sessions, Money and Practice read and drew
        everything two or three times, the later times just after the first
        was on screen, while the person was already pressing keys."""
        away, self._away = self._away, False
        return away

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        self._show_footer(True)
        if not self._resumed_before:
            # Just mounted and styled: Textual would style every widget again.
            self._resumed_before = True
            event.refresh_styles = False
        # A terminal below 80x24 says so on every screen that comes into view.
        check = getattr(self.app, "check_size", None)  # type: ignore[attr-defined]
        if check is not None:
            self.app.call_after_refresh(check)  # type: ignore[attr-defined]

    def ready_for_keys(self) -> None:
        """The fields are there: keys typed meanwhile go to the focused one.

        Textual moves the focus on the app's next turn (``Widget.focus``), so
        the screen takes keys only after that turn, never before it."""
        self.app.call_later(self._take_keys)  # type: ignore[attr-defined]

    def _take_keys(self) -> None:
        if self.opening:
            self.opening = False
            release = getattr(self.app, "release_keys", None)  # type: ignore[attr-defined]
            if release is not None:
                release()


class PracticeScreen(_TakesKeys, Screen[None]):
    """A full screen of practice-tui (not a dialog)."""

    if TYPE_CHECKING:
        app = getters.app(PracticeApp)

    def leave(self, then: Callable[[], object], going: str | None = None) -> None:
        """Let this screen be closed: call ``then`` once it may go.

        ``going`` says where the person is going, in words that finish the
        sentence "… before you ___?" for screens that ask (None: just leaving)."""
        then()

    def action_back(self) -> None:
        """``escape``: one step back, to the screen below (never past a mode's screen)."""
        self.app.go_back()


class PracticeModal(_TakesKeys, ModalScreen[ResultType]):
    """A dialog of practice-tui: a modal screen that answers with a ``ResultType``."""

    if TYPE_CHECKING:
        app = getters.app(PracticeApp)
