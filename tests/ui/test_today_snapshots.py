"""Pictures of the Today screen at the fixed clock (Friday 27 Nov 2026 11:20):
the busy demo day at 80x24, an empty working day, and the demo week."""

from __future__ import annotations

from textual.pilot import Pilot

from practice_tui.ui.app import make_app
from tests.conftest import fixed_clock
from tests.ui.helpers import settle


async def _week(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)


def test_busy_demo_day_at_80x24(snap_compare, demo_path) -> None:
    app = make_app(demo_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_empty_working_day(snap_compare, db_path) -> None:
    app = make_app(db_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=(100, 30), run_before=settle)


def test_week_overview(snap_compare, demo_path) -> None:
    app = make_app(demo_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=(100, 30), run_before=_week)
