"""The Plans screen through Pilot: new plan with a clash marked, skipping a date,
changing the time from a date onward, ending a plan, typed text kept literal.

Now is Friday 27 November 2026 11:20 (``fixed_clock``).
"""

from __future__ import annotations

import datetime as dt

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList, Select, Static

from practice_tui.domain import plans
from practice_tui.domain.clients import create_client
from practice_tui.domain.models import Appointment, Client, Plan, PlanSkip
from practice_tui.domain.plans import PlanDraft
from practice_tui.domain.schedule import book_appointment, move_appointment
from practice_tui.domain.settings import list_services
from practice_tui.ui.app import PracticeApp, make_app
from practice_tui.ui.dialogs.common import ConfirmDialog
from practice_tui.ui.dialogs.plan_change import ChangePlanDialog
from practice_tui.ui.dialogs.plan_end import EndPlanDialog
from practice_tui.ui.dialogs.plan_new import NewPlanDialog
from practice_tui.ui.dialogs.plan_skip import SkipDateDialog
from practice_tui.ui.screens.plan_details import PlanDetailsScreen
from practice_tui.ui.screens.plans import PlansScreen
from practice_tui.ui.widgets.client_picker import ClientPicker
from practice_tui.ui.widgets.plan_dates import PlanDateList
from tests.conftest import FIXED_NOW, FIXED_TODAY, fixed_clock
from tests.ui import helpers

SIZE = (100, 30)


def service(name: str = "Medical massage 60") -> int:
    return next(s.id for s in list_services() if s.name == name)


def client(first: str, last: str = "") -> int:
    return create_client({"first_name": first, "last_name": last}, today=FIXED_TODAY).id


async def settle(app: PracticeApp, pilot: Pilot, delay: float = 0) -> None:
    """Wait until the app is idle: the preview (no delay in tests) computed and shown.

    ``delay`` is kept for older callers and not used: nothing here waits for time."""
    await helpers.settle(pilot)


def text_of(widget: Static) -> str:
    return str(widget.render())


def date_lines(dialog) -> list[str]:
    options = dialog.query_one(PlanDateList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def open_plans(app: PracticeApp, pilot: Pilot) -> PlansScreen:
    await settle(app, pilot, 0.05)
    await pilot.press("4")
    await settle(app, pilot, 0.05)
    assert isinstance(app.screen, PlansScreen)
    return app.screen


async def fill_walk_through(app: PracticeApp, pilot: Pilot, name: str = "Dan") -> NewPlanDialog:
    """Every other Monday and Thursday at 9:00 for 10 sessions, from Mon 7 Dec."""
    dialog = app.screen
    assert isinstance(dialog, NewPlanDialog)
    await pilot.press(*name)
    await settle(app, pilot, 0.05)
    await pilot.press("enter")
    await helpers.settle(pilot)
    assert app.focused is dialog.query_one("#plan-first-date", Input)
    await pilot.press(*"2026-12-07")
    dialog.query_one("#plan-time", Input).focus()
    await pilot.press(*"9:00")
    dialog.query_one("#repeat-weeks", Input).focus()
    await pilot.press("backspace", "2")
    dialog.query_one("#repeat-weekdays").focus()  # Monday follows the first date
    await pilot.press("right", "right", "right", "space")  # and Thursday
    dialog.query_one("#plan-count", Input).focus()
    await pilot.press(*"10")
    await settle(app, pilot)
    return dialog


async def test_new_plan_marks_the_clash_skip_it_and_save(db_path) -> None:
    client("Daniel", "Okoye")
    maya = client("Maya", "Thompson")
    book_appointment(
        maya, service(), dt.datetime(2026, 12, 10, 8, 30), minutes=60, allow_outside_hours=True
    )
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await open_plans(app, pilot)
        await pilot.press("n")
        await helpers.settle(pilot)
        dialog = await fill_walk_through(app, pilot)

        title = text_of(dialog.query_one("#plan-preview-title", Static))
        assert "Every other Mon and Thu at 09:00 · 60 min · 10 sessions" in title
        lines = date_lines(dialog)
        assert len(lines) == 10
        assert lines[0].startswith("    1. Mon  7 Dec 2026  09:00")
        assert lines[1].startswith("✗   2. Thu 10 Dec")
        assert "Overlaps Maya Thompson 08:30–09:30 (Medical massage 60)" in lines[1]
        assert "✗ 1 clash" in text_of(dialog.query_one("#plan-preview-counts", Static))

        # Saving with the clash: the form offers to skip it; "go back" saves nothing.
        await pilot.press("ctrl+s")
        await settle(app, pilot, 0.05)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await helpers.settle(pilot)
        assert app.screen is dialog
        assert "clash" in text_of(dialog.query_one("#plan-error", Static))
        assert Plan.select().count() == 0

        # Skip Thu 10 Dec in the preview with k: the plan grows by one date.
        dates = dialog.query_one(PlanDateList)
        dates.focus()
        await pilot.press("down", "k")
        await settle(app, pilot)
        lines = date_lines(dialog)
        assert lines[1].startswith("–") and "skipped" in lines[1]
        assert len(lines) == 11 and "Mon 15 Feb" in lines[-1]
        assert "no conflicts" in text_of(dialog.query_one("#plan-preview-counts", Static))

        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, PlansScreen)
        plan = Plan.get()
        booked = list(
            Appointment.select().where(Appointment.plan == plan.id).order_by(Appointment.start)
        )
        assert len(booked) == 10
        assert dt.datetime(2026, 12, 10, 9) not in {a.start for a in booked}
        assert [s.slot for s in PlanSkip.select()] == [dt.datetime(2026, 12, 10, 9)]
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert "Daniel Okoye" in str(table.get_row_at(0)[1])
        assert "Every other Mon and Thu at 09:00" in str(table.get_row_at(0)[2])
        assert "10 sessions · 10 left" in str(table.get_row_at(0)[2])


async def test_skip_all_clashes_from_the_question(db_path) -> None:
    client("Daniel", "Okoye")
    maya = client("Maya", "Thompson")
    for day in (10, 21):
        book_appointment(maya, service(), dt.datetime(2026, 12, day, 9, 0))
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await open_plans(app, pilot)
        await pilot.press("n")
        await helpers.settle(pilot)
        dialog = await fill_walk_through(app, pilot)
        assert sum(line.startswith("✗") for line in date_lines(dialog)) == 2
        await pilot.press("ctrl+s")
        await settle(app, pilot, 0.05)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, PlansScreen)
    starts = {a.start for a in Appointment.select().where(Appointment.plan.is_null(False))}
    assert len(starts) == 10
    assert not starts & {dt.datetime(2026, 12, 10, 9), dt.datetime(2026, 12, 21, 9)}


async def test_unreadable_rule_gets_a_message_and_keeps_what_was_typed(db_path) -> None:
    client("Daniel", "Okoye")
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await open_plans(app, pilot)
        await pilot.press("n")
        await helpers.settle(pilot)
        dialog = await fill_walk_through(app, pilot)
        dialog.query_one("#repeat-kind", Select).value = "rule"
        await helpers.settle(pilot)
        rule = dialog.query_one("#repeat-rule", Input)
        rule.focus()
        await pilot.press(*"FREQ=WEEKLY;BYDAY=XX")
        await settle(app, pilot)
        error = text_of(dialog.query_one("#plan-error", Static))
        assert "Rule: Cannot read the rule “FREQ=WEEKLY;BYDAY=XX”" in error
        assert rule.has_class("-bad")
        assert dialog.query_one(PlanDateList).option_count == 0
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog
        assert rule.value == "FREQ=WEEKLY;BYDAY=XX"
        assert Plan.select().count() == 0
        # Fixed by hand: the preview comes back.
        await pilot.press(*("backspace",) * 2, *"MO,TH")
        await settle(app, pilot)
        assert text_of(dialog.query_one("#plan-error", Static)) == ""
        assert "Every Mon and Thu at 09:00" in text_of(
            dialog.query_one("#plan-preview-title", Static)
        )
        await pilot.press("escape")
        await helpers.settle(pilot)
        assert isinstance(app.screen, PlansScreen)
    assert Plan.select().count() == 0


def make_plan(client_id: int, *, count: int = 6, now: dt.datetime = FIXED_NOW) -> int:
    draft = PlanDraft(
        client_id=client_id,
        service_id=service(),
        first_start=dt.datetime(2026, 12, 1, 10, 0),
        rule="FREQ=WEEKLY;BYDAY=TU",
        count=count,
    )
    return plans.create_plan(draft, now=now).id


async def test_skip_a_date_from_the_list(db_path) -> None:
    plan_id = make_plan(client("Daniel", "Okoye"), count=4)
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await open_plans(app, pilot)
        await pilot.press("k")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, SkipDateDialog)
        assert dialog.query_one(OptionList).option_count == 4
        await pilot.press("down")
        await settle(app, pilot)
        preview = text_of(dialog.query_one("#skip-preview", Static))
        assert "Cancels the session of Tue 8 Dec 10:00" in preview
        assert "adds Tue 29 Dec 2026 10:00 at its end" in preview
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PlansScreen)
    skipped = Appointment.get(Appointment.start == dt.datetime(2026, 12, 8, 10))
    assert (skipped.status, skipped.cancel_reason) == ("cancelled", "skipped")
    booked = Appointment.select().where(
        (Appointment.plan == plan_id) & (Appointment.status == "booked")
    )
    assert sorted(a.start.day for a in booked) == [1, 15, 22, 29]


async def test_change_the_time_from_a_date_onward_keeps_the_hand_moved_one(db_path) -> None:
    daniel = client("Daniel", "Okoye")
    plan_id = make_plan(daniel, count=6)  # Tue 1 Dec … Tue 5 Jan at 10:00
    moved = Appointment.get(Appointment.start == dt.datetime(2026, 12, 22, 10))
    move_appointment(moved.id, dt.datetime(2026, 12, 23, 11, 0))
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await open_plans(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        details = app.screen
        assert isinstance(details, PlanDetailsScreen)
        table = details.query_one(DataTable)
        assert "moved from Tue 22 Dec 10:00" in str(table.get_row_at(3)[3])
        # From Tue 15 Dec onward, at 14:00.
        await pilot.press("down", "down")
        await pilot.press("e")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ChangePlanDialog)
        assert dialog.query_one("#change-from", Input).value == "2026-12-15"
        time = dialog.query_one("#change-time", Input)
        time.focus()
        time.value = ""
        await pilot.press(*"14:00")
        await settle(app, pilot)
        effects = text_of(dialog.query_one("#change-effects", Static))
        assert "Replaced: 3 sessions" in effects
        assert "Kept as they are (1)" in effects and "moved from Tue 22 Dec 10:00" in effects
        lines = date_lines(dialog)
        assert [line[7:17] for line in lines] == ["Tue 15 Dec", "Tue 29 Dec", "Tue  5 Jan"]
        assert all("14:00" in line for line in lines)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanDetailsScreen)
        assert "Every Tue at 14:00 · 6 sessions · 6 left" in text_of(
            app.screen.query_one("#plan-head", Static)
        )
    kept = Appointment.get_by_id(moved.id)
    assert (kept.start, kept.status) == (dt.datetime(2026, 12, 23, 11), "booked")
    series = sorted(a.start for a in Appointment.select().where(Appointment.client == daniel))
    assert series == [
        dt.datetime(2026, 12, 1, 10),
        dt.datetime(2026, 12, 8, 10),
        dt.datetime(2026, 12, 15, 14),
        dt.datetime(2026, 12, 23, 11),
        dt.datetime(2026, 12, 29, 14),
        dt.datetime(2027, 1, 5, 14),
    ]
    assert Plan.get_by_id(plan_id).ended_on == dt.date(2026, 12, 15)


async def test_end_a_plan_and_find_it_behind_the_toggle(db_path) -> None:
    plan_id = make_plan(client("Daniel", "Okoye"), count=4)
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plans(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, EndPlanDialog)
        from_input = dialog.query_one("#end-from", Input)
        assert from_input.value == "2026-12-01"
        from_input.value = "dec 10"
        await settle(app, pilot)
        title = text_of(dialog.query_one("#end-title", Static))
        assert "From Thu 10 Dec: 2 booked sessions cancelled" in title
        # A date that is not a date: a message, the text stays, nothing ends.
        from_input.value = "feb 30"
        await settle(app, pilot)
        assert "February" in text_of(dialog.query_one("#end-error", Static))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog and from_input.value == "feb 30"
        assert Plan.get_by_id(plan_id).ended_on is None
        from_input.value = "dec 10"
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert screen.query_one(DataTable).row_count == 1  # "No plans yet"
        assert "0 active plans" in text_of(screen.query_one("#plans-summary", Static))
        await pilot.press("A")
        await settle(app, pilot)
        row = screen.query_one(DataTable).get_row_at(0)
        assert "Daniel Okoye" in str(row[1]) and "ended 10 Dec 2026" in str(row[3])
        assert not screen.check_action("end_plan", ())
    reasons = {
        a.start.day: (a.status, a.cancel_reason)
        for a in Appointment.select().where(Appointment.plan == plan_id)
    }
    assert reasons == {
        1: ("booked", ""),
        8: ("booked", ""),
        15: ("cancelled", "plan ended"),
        22: ("cancelled", "plan ended"),
    }


async def test_names_are_shown_literally(db_path) -> None:
    ann = client("[bold]Ann[/]", "Lee")
    # A typed name refuses control characters; another program can still store one.
    Client.update(last_name="Lee\x1b").where(Client.id == ann).execute()
    client("[red]Zed")
    make_plan(ann, count=2)  # Tue 1 and 8 Dec at 10:00
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plans(app, pilot)
        cell = screen.query_one(DataTable).get_row_at(0)[1]
        assert "[bold]Ann[/] Lee␛" in str(cell)
        await pilot.press("n")
        await helpers.settle(pilot)
        dialog = app.screen
        await pilot.press(*"[red")
        await settle(app, pilot, 0.05)
        await pilot.press("enter")
        await helpers.settle(pilot)
        assert dialog.query_one(ClientPicker).client.name == "[red]Zed"
        title = text_of(dialog.query_one("#plan-title", Static))
        assert "[red]Zed" in title
        await pilot.press(*"dec 1")
        dialog.query_one("#plan-time", Input).focus()
        await pilot.press(*"10:00")
        dialog.query_one("#plan-count", Input).focus()
        await pilot.press("2")
        await settle(app, pilot)
        lines = date_lines(dialog)
        assert "Overlaps [bold]Ann[/] Lee␛ 10:00–11:00" in lines[0]


async def test_profile_r_opens_the_form_with_the_client(db_path) -> None:
    daniel = client("Daniel", "Okoye")
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot, 0.05)
        app.open_new_plan(daniel)
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, NewPlanDialog)
        picker = dialog.query_one(ClientPicker)
        assert picker.client is not None and picker.client.id == daniel
        assert picker.input.value == "Daniel Okoye"
        assert app.focused is dialog.query_one("#plan-first-date", Input)


async def test_details_p_opens_the_profile(db_path, monkeypatch) -> None:
    daniel = client("Daniel", "Okoye")
    make_plan(daniel, count=2)
    opened: list[int] = []
    monkeypatch.setattr(PracticeApp, "open_client_profile", lambda self, cid: opened.append(cid))
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await open_plans(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("p")
        await helpers.settle(pilot)
    assert opened == [daniel]


async def test_opening_the_app_fills_the_demo_plans(db_path) -> None:
    """The demo as built (the ``demo_path`` fixture is the demo after this)."""
    from practice_tui.domain.demo import build_demo

    build_demo(FIXED_NOW.date(), FIXED_NOW, timezone="Europe/London")
    before = Appointment.select().where(Appointment.plan.is_null(False)).count()
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot, 0.05)
    after = Appointment.select().where(Appointment.plan.is_null(False)).count()
    assert after > before
    assert all(not p.problems for p in plans.list_plans(now=FIXED_NOW) if p.count)


async def test_out_of_hours_and_long_plans_ask_before_saving(db_path) -> None:
    client("Daniel", "Okoye")
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await open_plans(app, pilot)
        await pilot.press("n")
        await helpers.settle(pilot)
        dialog = await fill_walk_through(app, pilot)
        # Saturdays at 9:00, 201 sessions: a day off, and a long plan.
        dialog.query_one("#repeat-weekdays").focus()
        # The highlight is on Thursday: untick it and Monday, tick Saturday.
        await pilot.press("space", *("left",) * 3, "space", *("right",) * 5, "space")
        count = dialog.query_one("#plan-count", Input)
        count.value = "201"
        await settle(app, pilot)
        assert "! 201 outside working hours" in text_of(
            dialog.query_one("#plan-preview-counts", Static)
        )
        assert "Saturday is a day off." in date_lines(dialog)[0]
        await pilot.press("ctrl+s")
        await settle(app, pilot, 0.05)
        assert isinstance(app.screen, ConfirmDialog)
        assert "outside working hours" in app.screen._title
        await pilot.press("y")
        await settle(app, pilot, 0.05)
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen._title == "Save a plan of 201 sessions?"
        await pilot.press("n")
        await settle(app, pilot, 0.05)
        assert app.screen is dialog and Plan.select().count() == 0
        await pilot.press("ctrl+s")
        await settle(app, pilot, 0.05)
        await pilot.press("y")
        await settle(app, pilot, 0.05)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, PlansScreen)
    assert Appointment.select().where(Appointment.plan.is_null(False)).count() == 201
