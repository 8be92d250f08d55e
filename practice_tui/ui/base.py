"""What every screen of the app shares: how it is left.

A screen pushed over a mode's screen (a profile, a client's notes, a note)
is left with ``escape`` — one step back, to the screen below — or when the
app returns to a screen further down (going to a screen that is already open
returns to it, see ``PracticeApp.go_to``). Either way the app asks the screen
first through ``leave``: a screen holding unsaved text asks the person before
it is closed; the others simply close.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen


class PracticeScreen(Screen[None]):
    """A full screen of practice-tui (not a dialog)."""

    def leave(self, then: Callable[[], object], going: str | None = None) -> None:
        """Let this screen be closed: call ``then`` once it may go.

        ``going`` says where the person is going, in words that finish the
        sentence "… before you ___?" for screens that ask (None: just leaving)."""
        then()

    def action_back(self) -> None:
        """``escape``: one step back, to the screen below (never past a mode's screen)."""
        self.app.go_back()  # type: ignore[attr-defined]
