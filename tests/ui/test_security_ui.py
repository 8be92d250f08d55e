"""Issue 16 on screen: a client's audit trail on the profile (``h``), the
privacy curtain (``ctrl+o`` and after idle minutes)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from practice_tui.domain import notes
from practice_tui.ui.app import make_app
from practice_tui.ui.dialogs.audit_trail import AuditTrailDialog
from practice_tui.ui.screens.client_profile import ClientProfileScreen
from tests.conftest import FIXED_NOW, fixed_clock
from tests.domain.notes_helpers import at, book, make_client
from tests.ui.helpers import settle


def _text(widget: Static) -> str:
    return str(widget.render())


async def test_the_profile_shows_the_clients_trail_read_only(db_path: Path) -> None:
    ann = make_client("Ann", "Lee")
    make_client("Bob", "Ray")
    appointment = book(ann, at(1, 9))
    notes.sign_note(appointment, {"subjective": "private words"}, now=FIXED_NOW)
    app = make_app(db_path, clock=fixed_clock, preview_delay=0, welcome=False)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        app.open_client_profile(ann)
        await settle(pilot)
        assert isinstance(app.screen, ClientProfileScreen)
        await pilot.press("h")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AuditTrailDialog)
        shown = _text(dialog.query_one("#trail-text", Static))
        lines = shown.splitlines()
        assert "note 1 · Ann Lee · signed" in lines[0]  # newest first
        assert any("client 1 · Ann Lee · created" in line for line in lines)
        assert "Bob" not in shown and "private words" not in shown
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClientProfileScreen)
