"""Issue 16 on screen: a client's audit trail on the profile (``h``), the
privacy curtain (``ctrl+o`` and after idle minutes)."""

from __future__ import annotations

import datetime as dt
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


# --- the privacy curtain ---------------------------------------------------------------


class MovingClock:
    """A clock a test moves by hand (the idle check reads it)."""

    def __init__(self) -> None:
        self.now = FIXED_NOW

    def __call__(self):
        return self.now


def _screen_text(app) -> str:
    """What the terminal shows now, line by line (every layer, as composed),
    painted whole first as a screenshot is (tests hold painting back)."""
    compositor = app.screen._compositor
    compositor.render_update(full=True, screen_stack=app._background_screens)
    return "\n".join(strip.text for strip in compositor.render_strips())


async def test_the_curtain_hides_every_screen_and_dialog_at_once(demo_path: Path) -> None:
    from practice_tui.domain.models import Client
    from practice_tui.ui.curtain import PrivacyCurtain

    names = [c.last_name for c in Client.select()]
    app = make_app(demo_path, clock=fixed_clock, preview_delay=0, welcome=False)
    async with app.run_test(size=(110, 36)) as pilot:
        await settle(pilot)
        for place in ("2", "3", "4", "5", "6", "1", "n"):  # each screen, then a dialog
            await pilot.press(place)
            await settle(pilot)
            below = app.screen
            if place == "n":  # the new-appointment dialog, suggesting clients
                await pilot.press(*"Ann")
                await settle(pilot)
            if place in ("1", "2", "n"):
                assert any(name in _screen_text(app) for name in names)  # names were shown
            await pilot.press("ctrl+o")
            await settle(pilot)
            assert isinstance(app.screen, PrivacyCurtain)
            shown = _screen_text(app)
            assert "Screen hidden" in shown
            assert not any(name in shown for name in names), place
            await pilot.press("x")  # any key; it is not typed or acted on below
            await settle(pilot)
            assert app.screen is below
        # The dialog kept what was typed in it under the curtain.
        await pilot.press("ctrl+o")
        await settle(pilot)
        app.notify("Saved for Maya Kowalski")  # a worker finishing behind the curtain
        await settle(pilot)
        assert "Kowalski" not in _screen_text(app)
        await pilot.press("ctrl+o")  # the same key lifts it too
        await settle(pilot)
        assert app.screen.focused.value == "Ann"
        assert "Kowalski" in _screen_text(app)  # shown now


async def test_the_curtain_falls_after_the_idle_minutes(db_path: Path) -> None:
    from practice_tui.ui.curtain import PrivacyCurtain

    make_client("Ann", "Lee")
    clock = MovingClock()
    app = make_app(db_path, clock=clock, preview_delay=0, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.idle.minutes == 10  # the default
        clock.now = FIXED_NOW + dt.timedelta(minutes=9, seconds=59)
        assert app.idle.check() is False
        await pilot.press("2")  # a key: the person is here
        clock.now += dt.timedelta(minutes=9)
        assert app.idle.check() is False
        clock.now += dt.timedelta(minutes=1, seconds=1)
        assert app.idle.check() is True
        await settle(pilot)
        assert isinstance(app.screen, PrivacyCurtain) and app.screen.idle
        await pilot.press("space")
        await settle(pilot)
        assert not isinstance(app.screen, PrivacyCurtain)
        app.settings_changed(app.timezone, app.late_cancel_hours, 0)  # 0: never by itself
        clock.now += dt.timedelta(hours=5)
        assert app.idle.check() is False
