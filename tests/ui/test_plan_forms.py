"""The plan forms as a person meets them at 80x24: where focus starts, number
fields that refuse what they cannot read, hints that are hints, real defaults,
the keys a weekly plan costs, and a "Skip and save" that says everything.

Now is Friday 27 November 2026 11:20 (``fixed_clock``).
"""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Static

from practice_tui.domain import plans
from practice_tui.domain.models import Appointment, Plan, PlanSkip
from practice_tui.domain.schedule import book_appointment
from practice_tui.ui.app import make_app
from practice_tui.ui.dialogs.plan_change import ChangePlanDialog
from practice_tui.ui.dialogs.plan_form import SkipClashesDialog
from practice_tui.ui.dialogs.plan_new import NewPlanDialog
from practice_tui.ui.screens.plans import PlansScreen
from practice_tui.ui.widgets.client_picker import ClientPicker
from practice_tui.ui.widgets.plan_repeat import WeekdayToggles
from tests.conftest import fixed_clock
from tests.ui.helpers import settle
from tests.ui.test_plans import client, make_plan, service, text_of

SIZE = (80, 24)


class Keys:
    """Presses keys and counts them; typed text is counted apart."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.keys = 0
        self.typed = 0

    async def press(self, *keys: str) -> None:
        for key in keys:
            self.keys += 1
            await self.pilot.press(key)
            await settle(self.pilot)

    async def type(self, text: str) -> None:
        self.typed += len(text)
        await self.pilot.press(*text)
        await settle(self.pilot)


async def test_weekly_six_session_plan_skipping_clashes_takes_at_most_ten_keys(db_path) -> None:
    client("Daniel", "Okoye")
    maya = client("Maya", "Thompson")
    for day in (8, 22):
        book_appointment(maya, service(), dt.datetime(2026, 12, day, 9, 0))
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys = Keys(pilot)
        await keys.press("4")  # Plans, from Today
        await keys.press("n")
        await keys.type("Dan")
        await keys.press("enter")
        await keys.type("2026-12-01")
        await keys.press("tab")
        await keys.type("9:00")
        await keys.press("tab", "tab")  # past the end kind to the count
        await keys.type("6")
        dialog = app.screen
        assert isinstance(dialog, NewPlanDialog)
        assert dialog.query_one(WeekdayToggles).value == (1,)  # Tuesday, from the date
        await keys.press("ctrl+s")
        assert isinstance(app.screen, SkipClashesDialog)
        await keys.press("y")
        assert isinstance(app.screen, PlansScreen)
        assert keys.keys <= 10, keys.keys
        assert keys.keys == 8  # a change that adds keys is noticed here
    plan = Plan.get()
    booked = sorted(a.start for a in Appointment.select().where(Appointment.plan == plan.id))
    assert [(a.month, a.day) for a in booked] == [
        (12, 1),
        (12, 15),
        (12, 29),
        (1, 5),
        (1, 12),
        (1, 19),
    ]
    assert {s.slot.day for s in PlanSkip.select()} == {8, 22}


async def test_tab_passes_the_seven_weekdays_in_one_step(db_path) -> None:
    client("Daniel", "Okoye")
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(NewPlanDialog())
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#repeat-weeks", Input).focus()
        await pilot.press("tab")
        await settle(pilot)
        toggles = dialog.query_one(WeekdayToggles)
        assert app.focused is toggles
        await pilot.press("right", "right", "space", "right", "space")
        await settle(pilot)
        assert toggles.value == (2, 3)
        assert "[✓] Wed" in str(toggles.render()) and "[ ] Mon" in str(toggles.render())
        await pilot.press("space")  # Thursday again: off
        await settle(pilot)
        assert toggles.value == (2,)
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is not toggles and not isinstance(app.focused, WeekdayToggles)


async def test_new_plan_starts_in_the_client_and_hints_are_hints(db_path) -> None:
    client("Daniel", "Okoye")
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(NewPlanDialog())
        await settle(pilot)
        dialog = app.screen
        assert app.focused is dialog.query_one(ClientPicker).input
        first = dialog.query_one("#plan-first-date", Input)
        time = dialog.query_one("#plan-time", Input)
        assert first.value == "" and first.placeholder.startswith("e.g. ")
        assert time.value == "" and time.placeholder == "e.g. 9:00"
        assert dialog.query_one("#plan-until", Input).placeholder.startswith("e.g. ")
        # Real defaults are values: ten sessions, the service's length, every 1 week.
        assert dialog.query_one("#plan-count", Input).value == "10"
        assert dialog.query_one("#repeat-weeks", Input).value == "1"
        await pilot.press(*"Dan", "enter")
        await settle(pilot)
        assert dialog.query_one("#plan-minutes", Input).value == "60"


async def test_a_length_that_is_not_a_number_is_refused_not_cut_to_digits(db_path) -> None:
    client("Daniel", "Okoye")
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(NewPlanDialog())
        await settle(pilot)
        dialog = app.screen
        await pilot.press(*"Dan", "enter")
        await settle(pilot)
        await pilot.press(*"2026-12-01", "tab", *"9:00")
        length = dialog.query_one("#plan-minutes", Input)
        length.focus()
        await pilot.press(*"14:00")
        await settle(pilot)
        assert length.value == "14:00"
        assert length.has_class("-bad")
        assert "Length: The length is a number of minutes." in text_of(
            dialog.query_one("#plan-error", Static)
        )
        count = dialog.query_one("#plan-count", Input)
        count.focus()
        await pilot.press(*"six")
        await settle(pilot)
        assert count.value == "six" and count.has_class("-bad")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog and Plan.select().count() == 0


async def test_change_form_starts_in_from_and_refuses_a_time_in_the_length(db_path) -> None:
    plan_id = make_plan(client("Daniel", "Okoye"), count=4)
    summary = plans.get_plan(plan_id, now=fixed_clock()).summary
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(ChangePlanDialog(summary, dt.date(2026, 12, 8)))
        await settle(pilot)
        dialog = app.screen
        start = dialog.query_one("#change-from", Input)
        assert app.focused is start
        await pilot.press(*"2026-12-15")  # replaces the whole date (selected on focus)
        await settle(pilot)
        assert start.value == "2026-12-15"
        length = dialog.query_one("#change-minutes", Input)
        length.focus()
        await pilot.press(*"14:00")
        await settle(pilot)
        assert length.value == "14:00" and length.has_class("-bad")
        assert "Length:" in text_of(dialog.query_one("#change-error", Static))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
    assert Plan.select().count() == 1
    assert {a.end - a.start for a in Appointment.select()} == {dt.timedelta(minutes=60)}


async def test_skip_and_save_lists_the_added_date_that_clashes_too(db_path) -> None:
    client("Daniel", "Okoye")
    maya = client("Maya", "Thompson")
    # Tue 1 Dec clashes; the date added at the end (Tue 22 Dec) clashes too.
    for day in (1, 22):
        book_appointment(maya, service(), dt.datetime(2026, 12, day, 9, 0))
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(NewPlanDialog())
        await settle(pilot)
        await pilot.press(*"Dan", "enter")
        await settle(pilot)
        await pilot.press(*"2026-12-01", "tab", *"9:00", "tab", "tab", "3")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, SkipClashesDialog)
        assert question._title == "Skip 2 dates that clash?"
        listed = text_of(question.query_one("#clash-skips", Static))
        assert "skip Tue 1 Dec 09:00" in listed and "skip Tue 22 Dec 09:00" in listed
        assert "first session moves: Tue 1 Dec 09:00 → Tue 8 Dec 09:00" in listed
        assert "add Tue 29 Dec 09:00 at the end" in listed
        assert "3 sessions, Tue 8 Dec 09:00 to Tue 29 Dec 09:00" in listed
        await pilot.press("y")
        await settle(pilot)
    saved = sorted(a.start.day for a in Appointment.select().where(Appointment.plan.is_null(False)))
    assert saved == [8, 15, 29]
    assert sorted(s.slot.day for s in PlanSkip.select()) == [1, 22]
