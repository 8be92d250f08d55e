"""The app opens on a demo file and the four modes switch with 1–4."""

from __future__ import annotations

from textual.widgets import DataTable

from practice_tui.ui.app import make_app
from tests.conftest import fixed_clock
from tests.ui.helpers import settle


async def test_modes_switch_and_today_lists_the_day(demo_path) -> None:
    app = make_app(demo_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.current_mode == "today"
        table = app.screen.query_one(DataTable)
        assert table.row_count >= 5
        for key, mode in (("2", "clients"), ("3", "sessions"), ("4", "plans"), ("1", "today")):
            await pilot.press(key)
            await settle(pilot)
            assert app.current_mode == mode
        await pilot.press("q")
        await settle(pilot)
    assert app.return_code == 0


async def test_q_in_a_dialog_does_not_quit_and_digits_do_not_switch(demo_path) -> None:
    from practice_tui.ui.dialogs.common import ConfirmDialog

    app = make_app(demo_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(ConfirmDialog("Archive?"))
        await settle(pilot)
        await pilot.press("q", "2")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert app.current_mode == "today"
        assert app.is_running


async def test_quitting_with_unsaved_changes_asks_first(demo_path) -> None:
    from textual.screen import Screen

    class Editing(Screen[None]):
        dirty = True

    app = make_app(demo_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(Editing())
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running
        assert "Quit without saving?" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("n")  # keep editing
        await settle(pilot)
        assert isinstance(app.screen, Editing)
        await pilot.press("ctrl+q")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert app.return_code == 0
