"""A picture of the new-plan preview at the fixed date, on the demo practice:
every other Monday and Thursday at 9:00 for 10 sessions, clashes marked, one
date skipped."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from practice_tui.ui.app import make_app
from practice_tui.ui.widgets.plan_dates import PlanDateList
from tests.conftest import fixed_clock
from tests.ui.test_plans import fill_walk_through, settle


async def _plan_preview(pilot: Pilot) -> None:
    app = pilot.app
    await settle(app, pilot, 0.05)  # type: ignore[arg-type]
    await pilot.press("4")
    await settle(app, pilot, 0.05)  # type: ignore[arg-type]
    await pilot.press("n")
    await settle(app, pilot)  # type: ignore[arg-type]
    dialog = await fill_walk_through(app, pilot)  # type: ignore[arg-type]
    dialog.query_one(PlanDateList).focus()
    await pilot.press("down", "k")
    await settle(app, pilot)  # type: ignore[arg-type]
    # The cursor would blink in a field; the list has the focus.
    assert not isinstance(app.focused, Input)


def test_new_plan_preview_snapshot(snap_compare, demo_path) -> None:
    assert snap_compare(
        make_app(demo_path, clock=fixed_clock, preview_delay=0),
        terminal_size=(100, 30),
        run_before=_plan_preview,
    )
