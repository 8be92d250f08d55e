"""The app opens on a demo file and the four modes switch with 1–4."""

from __future__ import annotations

from practice_tui.ui.app import make_app
from practice_tui.ui.widgets.agenda import AgendaTable
from tests.conftest import fixed_clock
from tests.ui.helpers import settle


async def test_modes_switch_and_today_lists_the_day(demo_path) -> None:
    app = make_app(demo_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.current_mode == "today"
        table = app.screen.query_one(AgendaTable)
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


def test_a_run_sets_aside_what_starting_made_once_today_is_painted(demo_path, monkeypatch) -> None:
    """``run`` (a terminal) freezes the start-up objects out of the cycle
    collector's way after the first paint and makes it collect less often;
    ``run_test`` never does (each test's app would freeze the garbage of the
    tests before it)."""
    import gc

    from practice_tui.ui.app import COLLECTOR_THRESHOLDS

    done: list[tuple[str, str]] = []
    app = make_app(demo_path, clock=fixed_clock)
    monkeypatch.setattr(gc, "freeze", lambda: done.append(("freeze", type(app.screen).__name__)))
    monkeypatch.setattr(gc, "set_threshold", lambda *limits: done.append(("limits", limits)))

    async def look(pilot) -> None:
        await settle(pilot)
        assert app.screen.query_one(AgendaTable).row_count >= 5
        app.exit()

    app.run(headless=True, size=(100, 30), auto_pilot=look)
    assert done == [("freeze", "TodayScreen"), ("limits", COLLECTOR_THRESHOLDS)]

    async def in_a_test() -> None:
        other = make_app(demo_path, clock=fixed_clock)
        async with other.run_test(size=(100, 30)) as pilot:
            await settle(pilot)

    import asyncio

    asyncio.run(in_a_test())
    assert len(done) == 2
