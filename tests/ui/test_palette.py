"""The command palette acts: clients by name open the profile, a date opens
that day on Today, and the screen's actions and the global ones are there."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.command import CommandPalette

from practice_tui.ui.dialogs.appointment import AppointmentForm
from practice_tui.ui.screens.client_profile import ClientProfileScreen
from practice_tui.ui.screens.today import TodayScreen
from tests.conftest import FIXED_TODAY
from tests.ui.test_today_support import client, settle, start_app


async def _palette(app, pilot, typed: str) -> list[str]:
    await pilot.press("ctrl+p")
    await settle(app, pilot)
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*typed)
    await settle(app, pilot)
    from textual.widgets import OptionList

    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_a_client_by_name_opens_the_profile(db_path: Path) -> None:
    ann = client("Annabel", "Lee")
    app, _ = start_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        shown = await _palette(app, pilot, "annab")
        assert any("Open Annabel Lee" in line for line in shown)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientProfileScreen) and app.screen.client_id == ann


async def test_go_to_fri_opens_that_day(db_path: Path) -> None:
    app, _ = start_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        shown = await _palette(app, pilot, "go to next fri")
        assert any("Go to Friday 4 December 2026" in line for line in shown), shown
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert app.screen.day == FIXED_TODAY + dt.timedelta(days=7)


async def test_screen_and_global_actions(db_path: Path) -> None:
    app, _ = start_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        shown = await _palette(app, pilot, "new book")
        assert any("New booking" in line for line in shown), shown
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AppointmentForm)
        await pilot.press("escape")
        await settle(app, pilot)
        shown = await _palette(app, pilot, "clients")
        assert any("Clients (2)" in line for line in shown), shown
        await pilot.press("escape")
        await settle(app, pilot)
        shown = await _palette(app, pilot, "go to")
        assert any("Go to (g)" in line for line in shown), shown
        await pilot.press("escape")
        await settle(app, pilot)
        shown = await _palette(app, pilot, "quit")
        assert any("Quit (q)" in line for line in shown), shown
