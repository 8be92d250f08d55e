"""The Practice screen and the first-run welcome through Pilot, at 80x24.
Now is Friday 27 November 2026 11:20 (``fixed_clock``)."""

from __future__ import annotations

import datetime as dt

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from practice_tui.domain.availability import upcoming_time_off
from practice_tui.domain.clients import create_client
from practice_tui.domain.models import Appointment
from practice_tui.domain.schedule import book_appointment, get_appointment
from practice_tui.domain.settings import get_practice, list_services
from practice_tui.ui.app import PracticeApp, make_app
from practice_tui.ui.dialogs.settings_form import ChoiceDialog, SettingsForm
from practice_tui.ui.dialogs.welcome import WelcomeDialog
from practice_tui.ui.screens.practice import PracticeSettingsScreen
from practice_tui.ui.widgets.line import HeadLine
from tests.conftest import FIXED_NOW, FIXED_TODAY, fixed_clock, freeze_the_wall_clock

SIZE = (80, 24)
MONDAY = dt.date(2026, 11, 30)


async def settle(app: PracticeApp, pilot: Pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def open_section(app: PracticeApp, pilot: Pilot, section: str) -> PracticeSettingsScreen:
    await settle(app, pilot)
    await pilot.press("6")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, PracticeSettingsScreen)
    order = ["details", "hours", "time-off", "services", "policies"]
    await pilot.press(*["down"] * order.index(section), "enter")
    await settle(app, pilot)
    assert screen.section == section
    return screen


async def fill(pilot: Pilot, form: SettingsForm, values: dict[str, str]) -> None:
    for key, value in values.items():
        box = form.query_one(f"#field-{key}", Input)
        box.value = value
    await pilot.pause()


def error_of(form: SettingsForm, key: str) -> str:
    return str(form.query_one(f"#error-{key}", Static).render())


def ann() -> int:
    return create_client({"first_name": "Ann", "last_name": "Lee"}, today=FIXED_TODAY).id


async def test_editing_the_week_lists_stranded_bookings_and_saves_after_a_confirm(db_path) -> None:
    booked = book_appointment(ann(), list_services()[0].id, dt.datetime(2026, 11, 30, 9, 0))
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "hours")
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, SettingsForm)
        values = {f"hours-{d}": "10:00-18:00" for d in range(1, 6)}
        values |= {f"break-{d}": "14:00-14:30" for d in range(1, 6)}
        values |= {"hours-0": "", "break-0": "", "hours-6": "", "break-6": "12-13"}
        await fill(pilot, form, values)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "day off" in error_of(form, "break-6")  # a message next to the field
        await fill(pilot, form, {"break-6": ""})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        question = app.screen
        assert isinstance(question, ChoiceDialog)
        assert "Ann Lee" in str(question.query(Static)[1].render())
        assert get_practice().hours_on(0) is not None  # not saved before the confirm
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, PracticeSettingsScreen)
    info = get_practice()
    assert info.hours_on(0) is None and info.hours_on(5).break_start == dt.time(14)
    assert get_appointment(booked.id).status == "booked"


async def test_adding_and_retiring_services(db_path) -> None:
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_section(app, pilot, "services")
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, SettingsForm)
        await fill(pilot, form, {"name": "Hot stone 75", "minutes": "75", "price": "8.555"})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "two decimals" in error_of(form, "price")
        assert form.query_one("#field-price", Input).value == "8.555"  # kept as typed
        await fill(pilot, form, {"price": "110.00"})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        table = screen.query_one("#services", DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        index = names.index("Sports massage 60")
        table.move_cursor(row=index)
        await pilot.press("r")
        await settle(app, pilot)
    active = {s.name: s.price_cents for s in list_services()}
    assert active["Hot stone 75"] == 11000 and "Sports massage 60" not in active


async def test_time_off_over_bookings_offers_to_cancel_them(db_path) -> None:
    booked = book_appointment(ann(), list_services()[0].id, dt.datetime(2026, 12, 1, 10, 0))
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "time-off")
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, SettingsForm)
        await fill(
            pilot, form, {"first_day": "2026-11-30", "last_day": "dec 4", "label": "Holiday"}
        )
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        question = app.screen
        assert isinstance(question, ChoiceDialog)
        assert "Ann Lee" in str(question.query(Static)[1].render())
        await pilot.press("escape")  # back to the form: nothing saved
        await settle(app, pilot)
        assert app.screen is form and upcoming_time_off(FIXED_TODAY) == ()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, PracticeSettingsScreen)
        table = app.screen.query_one("#time-off", DataTable)
        assert "Holiday" in str(table.get_row_at(0)[1])
    row = Appointment.get_by_id(booked.id)
    assert (row.status, row.cancel_reason) == ("cancelled", "therapist unavailable")


async def test_the_welcome_sets_up_a_new_file_in_three_steps(db_path) -> None:
    app = make_app(db_path, clock=fixed_clock, preview_delay=0, welcome=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, WelcomeDialog)
        await pilot.press(*"Calm", "space", *"Hands", "enter", *"Ana", "enter")
        timezone = app.screen.query_one("#welcome-timezone", Input)
        timezone.value = "America/Toronto"
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#welcome-days", Input).value = "tue-sat"
        app.screen.query_one("#welcome-hours", Input).value = "10-18"
        app.screen.query_one("#welcome-break", Input).value = "14:00-14:30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+k")  # skip the services step: keep the usual ones
        await settle(app, pilot)
        assert not isinstance(app.screen, WelcomeDialog)
        title = app.screen.query_one(HeadLine).title.plain
        assert "Calm Hands" in title
    info = get_practice()
    assert info.setup_done and info.timezone == "America/Toronto"
    assert info.hours_on(0) is None and info.hours_on(5).start == dt.time(10)
    assert len(list_services()) == 7


async def test_no_welcome_for_a_file_already_set_up(db_path) -> None:
    from practice_tui.domain.settings import finish_setup

    finish_setup()
    app = make_app(db_path, clock=fixed_clock, preview_delay=0, welcome=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not isinstance(app.screen, WelcomeDialog)


async def test_details_form_warns_about_the_zone_and_keeps_bad_input(db_path) -> None:
    booked = book_appointment(ann(), list_services()[0].id, dt.datetime(2026, 11, 30, 10, 0))
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=SIZE) as pilot:
        await open_section(app, pilot, "details")
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, SettingsForm)
        note = str(form.query_one(".form-note", Static).render())
        assert "wall-clock time" in note
        await fill(pilot, form, {"timezone": "Mars/Base", "npi": "12", "credentials": "[b]RMT"})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Unknown time zone" in error_of(form, "timezone") and "10 digits" in error_of(
            form, "npi"
        )
        assert form.query_one("#field-timezone", Input).value == "Mars/Base"
        assert get_practice().timezone == "Europe/London"
        await fill(pilot, form, {"timezone": "America/Vancouver", "npi": ""})
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, PracticeSettingsScreen)
        assert app.timezone == "America/Vancouver"
    info = get_practice()
    assert (info.timezone, info.credentials) == ("America/Vancouver", "[b]RMT")
    assert get_appointment(booked.id).start == dt.datetime(2026, 11, 30, 10, 0)


async def test_a_new_plan_preview_marks_time_off_and_skip_and_save_skips_it(db_path) -> None:
    from practice_tui.domain.availability import add_time_off
    from practice_tui.domain.models import Plan
    from practice_tui.ui.dialogs.common import ConfirmDialog
    from tests.ui.test_plans import date_lines, fill_walk_through, open_plans
    from tests.ui.test_plans import settle as settle_preview

    create_client({"first_name": "Daniel", "last_name": "Okoye"}, today=FIXED_TODAY)
    add_time_off(dt.date(2026, 12, 21), dt.date(2026, 12, 25), label="Holiday", now=FIXED_NOW)
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_plans(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        dialog = await fill_walk_through(app, pilot)
        lines = date_lines(dialog)
        marked = [line for line in lines if "Time off: Holiday" in line]
        assert [line[:17] for line in marked] == ["✗   3. Mon 21 Dec", "✗   4. Thu 24 Dec"]
        await pilot.press("ctrl+s")
        await settle_preview(app, pilot)
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert "Time off: Holiday" in str(question.query(Static)[1].render())
        await pilot.press("y")
        await settle_preview(app, pilot)
    starts = {a.start.date() for a in Appointment.select().where(Appointment.plan == Plan.get().id)}
    assert len(starts) == 10
    assert not starts & {dt.date(2026, 12, 21), dt.date(2026, 12, 24)}


def test_the_apps_clock_is_the_practices_zone_whatever_tz_says(db_path, monkeypatch) -> None:
    import time

    from practice_tui.domain.clock import differs_from_computer, now_in
    from practice_tui.ui.app import system_clock

    # 11:20 in London; 20:20 in Tokyo, the computer's zone here.
    freeze_the_wall_clock(monkeypatch, dt.datetime(2026, 11, 27, 11, 20, tzinfo=dt.UTC))
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        get_practice()  # Europe/London, from the fixture
        london = now_in("Europe/London")
        assert london == dt.datetime(2026, 11, 27, 11, 20)
        assert system_clock() == london
        assert differs_from_computer("Europe/London")
        assert not differs_from_computer("Asia/Tokyo")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
