"""A picture of the Practice screen's services at 80x24 on the demo practice,
at the fixed clock, with the focus on the table (no blinking cursor)."""

from __future__ import annotations

import datetime as dt

from textual.pilot import Pilot

from practice_tui.domain.availability import add_time_off
from practice_tui.ui.app import make_app
from tests.conftest import FIXED_NOW, fixed_clock


async def _services(pilot: Pilot) -> None:
    app = pilot.app
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.press("6", "down", "down", "down", "enter")
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def _time_off(pilot: Pilot) -> None:
    await _services(pilot)
    await pilot.press("escape", "up", "enter")
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_practice_services_at_80x24(snap_compare, demo_path) -> None:
    assert snap_compare(
        make_app(demo_path, clock=fixed_clock, preview_delay=0),
        terminal_size=(80, 24),
        run_before=_services,
    )


def test_practice_time_off_at_80x24(snap_compare, demo_path) -> None:
    add_time_off(
        dt.date(2026, 12, 21),
        dt.date(2026, 12, 31),
        label="Winter holiday",
        now=FIXED_NOW,
        keep_booked=True,
    )
    add_time_off(
        dt.date(2026, 12, 9),
        None,
        dt.time(14),
        dt.time(17),
        "Course: lymphatic",
        now=FIXED_NOW,
        keep_booked=True,
    )
    assert snap_compare(
        make_app(demo_path, clock=fixed_clock, preview_delay=0),
        terminal_size=(80, 24),
        run_before=_time_off,
    )
