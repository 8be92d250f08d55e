"""Settings and plan forms opened before another window saved the same record:
the save is refused with what happened, nothing is overwritten, what was typed
stays, and reloading puts the person's edits back on top of the stored record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Input, Static

from practice_tui.domain import plans
from practice_tui.domain.models import Plan
from practice_tui.domain.settings import get_practice
from practice_tui.ui.app import make_app
from practice_tui.ui.dialogs.plan_change import ChangePlanDialog
from practice_tui.ui.dialogs.plan_end import EndPlanDialog
from practice_tui.ui.dialogs.settings_form import SettingsForm
from practice_tui.ui.dialogs.stale_record import StaleRecordDialog
from tests.conftest import FIXED_NOW, fixed_clock
from tests.domain.test_plans import client, draft
from tests.ui.helpers import settle
from tests.ui.test_practice import open_section
from tests.ui.test_reliability_ui import other_window


def shown(screen) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(s.render()) for s in screen.query(Static))


async def test_practice_details_changed_elsewhere_are_kept_and_mine_reapplied(
    db_path: Path,
) -> None:
    app = make_app(db_path, clock=fixed_clock, preview_delay=0, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(app, pilot, "details")
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SettingsForm)
        other_window(
            db_path,
            "from practice_tui.domain.settings import update_practice\n"
            "update_practice(phone='020 7946 0000', registration='RMT 4471')\n",
        )
        form.query_one("#field-name", Input).value = "Calm Hands"
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, StaleRecordDialog)
        words = shown(dialog)
        assert "practice settings were changed in another window" in words
        assert "Phone number" in words and "Registration" in words
        stored = get_practice()
        assert (stored.phone, stored.name) == ("020 7946 0000", "Test practice")
        await pilot.press("r")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#field-name", Input).value == "Calm Hands"
        assert form.query_one("#field-phone", Input).value == "020 7946 0000"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, SettingsForm)
        final = get_practice()
        assert (final.name, final.phone, final.registration) == (
            "Calm Hands",
            "020 7946 0000",
            "RMT 4471",
        )


async def test_policies_saved_elsewhere_discarding_mine_shows_theirs(db_path: Path) -> None:
    app = make_app(db_path, clock=fixed_clock, preview_delay=0, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_section(app, pilot, "policies")
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SettingsForm)
        other_window(
            db_path,
            "from practice_tui.domain.policy_fees import save_policies\n"
            "save_policies({'buffer_minutes': '5'}, '40')\n",
        )
        form.query_one("#field-late_cancel_hours", Input).value = "48"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StaleRecordDialog)
        assert get_practice().late_cancel_hours == 24
        await pilot.press("d")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#field-buffer_minutes", Input).value == "5"
        assert form.query_one("#field-policy_fee", Input).value == "40.00"
        assert form.query_one("#field-late_cancel_hours", Input).value == "24"


async def test_plan_ended_elsewhere_refuses_the_change_and_keeps_the_form(db_path: Path) -> None:
    summary = plans.create_plan(draft(client(), count=6), now=FIXED_NOW)
    app = make_app(db_path, clock=fixed_clock, preview_delay=0, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(ChangePlanDialog(summary, dt.date(2026, 12, 7)))
        await settle(pilot)
        dialog = app.screen
        other_window(
            db_path,
            "from practice_tui.domain import plans\n"
            f"plans.end_plan({summary.id}, dt.date(2026, 12, 10), "
            "now=dt.datetime(2026, 11, 27, 11, 30))\n",
        )
        dialog.query_one("#change-time", Input).value = "14:00"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        stale = app.screen
        assert isinstance(stale, StaleRecordDialog)
        assert "ended from Thu 10 Dec 2026 there" in shown(stale)
        assert Plan.select().count() == 1  # nothing changed
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#change-time", Input).value == "14:00"
        assert "plan was changed" in shown(dialog)


async def test_plan_skipped_elsewhere_reload_lets_the_end_go_through(db_path: Path) -> None:
    summary = plans.create_plan(draft(client(), count=6), now=FIXED_NOW)
    app = make_app(db_path, clock=fixed_clock, preview_delay=0, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(EndPlanDialog(summary, dt.date(2026, 12, 20)))
        await settle(pilot)
        dialog = app.screen
        other_window(
            db_path,
            "from practice_tui.domain import plans\n"
            f"plans.skip_date({summary.id}, dt.datetime(2026, 12, 8, 10), "
            "now=dt.datetime(2026, 11, 27, 11, 30))\n",
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, StaleRecordDialog)
        assert Plan.get_by_id(summary.id).ended_on is None
        await pilot.press("r")
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#end-from", Input).value == "2026-12-20"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not dialog
        assert Plan.get_by_id(summary.id).ended_on == dt.date(2026, 12, 20)
