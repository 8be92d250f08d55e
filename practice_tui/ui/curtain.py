"""The privacy curtain: ``ctrl+o`` anywhere hides everything behind a neutral
page at once; any key brings the screen back.

A client who sits down while the therapist checks the schedule must not read
other clients' names. The curtain is a modal screen pushed over whatever is
shown — a screen or a dialog, with its typed text kept underneath — that
covers the whole terminal with a page naming nothing (no client, no time,
no practice). Notifications (which may hold a name) are cleared with it.

After the Practice screen's idle minutes (``curtain_minutes``, 10 unless
changed; 0: never) without a key or a click, the curtain falls by itself. The
idle check runs on a Textual interval and reads the app's clock, so a test
moves the clock and calls ``IdleWatch.check`` instead of waiting. On an
encrypted practice file, lifting a curtain that fell by itself asks for the
passphrase first (``unlock``): the laptop was left alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, Vertical
from textual.widgets import Input, Static

from practice_tui.ui.base import PracticeModal
from practice_tui.ui.widgets.text_box import TextBox

if TYPE_CHECKING:
    from practice_tui.ui.app import PracticeApp

#: The key that drops (and lifts) the curtain everywhere. ``ctrl+b`` would be
#: closer to "blank", but it is tmux's prefix key: in tmux it never arrives.
CURTAIN_KEY = "ctrl+o"

#: How often the idle check runs (seconds); it compares the app's clock.
CHECK_EVERY = 15.0


class PrivacyCurtain(PracticeModal[None]):
    """A neutral page over everything; any key (or click) lifts it."""

    def __init__(self, *, idle: bool = False, locked: bool = False) -> None:
        super().__init__()
        #: It fell by itself after the idle minutes.
        self.idle = idle
        #: The passphrase must be typed before it lifts (an encrypted file, left idle).
        self.locked = locked

    def compose(self) -> ComposeResult:
        with Middle():
            with Center():
                yield Static(
                    Text.assemble(
                        ("Screen hidden", "bold"),
                        "\n\n",
                        ("Press any key to continue.", "dim"),
                    ),
                    id="curtain-text",
                )

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        self.lift()

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.lift()

    def on_unmount(self) -> None:
        """Notifications that came while it was down are shown now."""
        held, self.app.held_notifications = getattr(self.app, "held_notifications", []), []
        for show in held:
            self.app.call_later(show)

    def lift(self) -> None:
        """Bring the screen back (asking the passphrase first, when it must)."""
        if self.locked:

            def answered(right: bool | None) -> None:
                if right:
                    self.dismiss(None)

            self.app.push_screen(PassphrasePrompt(), answered)
            return
        self.dismiss(None)


class PassphrasePrompt(PracticeModal[bool]):
    """The practice file's passphrase, asked before a curtain that fell by itself
    lifts. A wrong one is said under the box; ``escape`` keeps the curtain."""

    BINDINGS = [Binding("escape", "keep", "Keep hidden")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("The screen was left alone", style="bold"), classes="dialog-title")
            yield Static(Text("Type the practice file's passphrase to show it again."))
            yield TextBox(password=True, id="curtain-passphrase", max_length=1000)
            yield Static("", id="curtain-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        from practice_tui.domain.db import passphrase_matches

        event.stop()
        if passphrase_matches(event.value):
            self.dismiss(True)
            return
        event.input.value = ""
        self.query_one("#curtain-error", Static).update(
            Text("That is not the passphrase.", style="bold")
        )

    def action_keep(self) -> None:
        self.dismiss(False)


class IdleWatch:
    """When the person last pressed a key or clicked, and the curtain's rule."""

    def __init__(self, app: PracticeApp, minutes: int) -> None:
        self.app = app
        self.minutes = minutes
        self.last_seen: dt.datetime = app.now()

    def touch(self) -> None:
        """A key or a click: the person is here."""
        self.last_seen = self.app.now()

    def check(self) -> bool:
        """Drop the curtain if the idle minutes have passed (True if it fell now)."""
        if self.minutes <= 0 or curtain_shown(self.app):
            return False
        if self.app.now() - self.last_seen < dt.timedelta(minutes=self.minutes):
            return False
        drop(self.app, idle=True)
        return True


def hold(app: PracticeApp, show: Callable[[], object]) -> None:
    """Keep a notification (it may name a client) until the curtain is lifted."""
    held = getattr(app, "held_notifications", None)
    if held is None:
        held = app.held_notifications = []  # type: ignore[attr-defined]
    held.append(show)


def curtain_shown(app: PracticeApp) -> bool:
    return any(isinstance(screen, PrivacyCurtain) for screen in app.screen_stack)


def drop(app: PracticeApp, *, idle: bool = False) -> None:
    """Hide everything now (also over dialogs); notifications go too."""
    if curtain_shown(app):
        return
    from practice_tui.domain.db import encrypted_open

    app.clear_notifications()
    app.push_screen(PrivacyCurtain(idle=idle, locked=idle and encrypted_open()))


def toggle(app: PracticeApp) -> None:
    """``ctrl+o``: drop the curtain, or lift it when it is down."""
    screen = app.screen
    if isinstance(screen, PrivacyCurtain):
        screen.lift()
    else:
        drop(app)
