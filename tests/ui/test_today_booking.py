"""Booking, editing and moving from the Today screen: the form fills itself
sensibly, shows a clash or an out-of-hours time before saving, and a refused
save keeps the form open with what was typed and stores nothing.

The practice of ``db_path``: Mon–Fri 09:00–17:00, break 12:30–13:30, 15 min
buffer; the clock is Friday 27 Nov 2026 11:20.
"""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Select

from practice_tui.domain.appointments import get_appointment
from practice_tui.domain.schedule import book_appointment
from practice_tui.ui.dialogs.appointment import AppointmentForm
from practice_tui.ui.dialogs.common import ConfirmDialog
from practice_tui.ui.screens.today import TodayScreen
from practice_tui.ui.widgets.client_picker import ClientPicker
from tests.conftest import FIXED_TODAY
from tests.ui.test_today_support import (
    at,
    client,
    rows,
    select_row,
    services,
    settle,
    start_app,
    stored,
    text_of,
    today_screen,
    value_of,
)

MON = dt.date(2026, 11, 30)


async def pick_client(app, pilot, typed: str) -> None:
    app.screen.query_one(ClientPicker).focus()
    await pilot.press(*typed)
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert app.screen.query_one(ClientPicker).client is not None


async def set_field(app, pilot, selector: str, value: str) -> None:
    app.screen.query_one(selector, Input).value = value
    await settle(app, pilot)


async def test_book_in_the_selected_free_gap(db_path) -> None:
    client("Ann", "Lee", phone="555-0142")
    ben = client("Ben", "Carter")
    sixty = services()["Medical massage 60"]
    book_appointment(ben, sixty, at(FIXED_TODAY, 9))
    app, said = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, "13:30–17:00")
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, AppointmentForm) and form.mode == "new"
        # The start is the gap's; the service the practice's most booked, with its length.
        assert (value_of(app, "#date"), value_of(app, "#time")) == ("2026-11-27", "13:30")
        assert form.query_one("#service", Select).value == sixty
        assert value_of(app, "#minutes") == "60"
        assert "✓ Free: Fri 27 Nov 2026 13:30–14:30" in text_of(app, "#slot-check")
        assert text_of(app, "#date-words") == "Friday 27 November 2026"
        await pick_client(app, pilot, "0142")  # part of the phone number
        assert value_of(app, "#client-search") == "Ann Lee"
        await set_field(app, pilot, "#note", "Bring referral letter")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        booked = today_screen(app).appointment
        assert booked is not None and booked.client_name == "Ann Lee"
        assert (booked.start, booked.minutes) == (at(FIXED_TODAY, 13, 30), 60)
        assert get_appointment(booked.id).booking_note == "Bring referral letter"
        assert "Booked: Ann Lee, Fri 27 Nov 13:30–14:30" in said
        assert any("Ann Lee" in line and "13:30–14:30" in line for line in rows(app))


async def test_a_gap_after_an_appointment_starts_after_the_buffer(db_path) -> None:
    ann = client("Ann", "Lee")
    book_appointment(ann, services()["Medical massage 60"], at(MON, 9))
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("g", *"mon", "enter")
        await settle(app, pilot)
        await select_row(app, pilot, "10:15–12:30")
        await pilot.press("n")
        await settle(app, pilot)
        assert value_of(app, "#time") == "10:15"
        assert "✓ Free" in text_of(app, "#slot-check")


async def test_n_on_an_appointment_offers_the_time_after_it(db_path) -> None:
    ann = client("Ann", "Lee")
    sixty = services()["Medical massage 60"]
    for hour, minute in ((9, 0), (11, 30), (16, 0)):
        book_appointment(ann, sixty, at(MON, hour, minute))
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("g", *"mon", "enter")
        await settle(app, pilot)
        for row, offered in (
            ("09:00–10:00", ("2026-11-30", "10:15")),  # after it and the buffer
            ("11:30–12:30", ("2026-11-30", "13:30")),  # after the lunch break
            ("16:00–17:00", ("2026-12-01", "09:00")),  # nothing left: the next day
        ):
            await select_row(app, pilot, row)
            await pilot.press("n")
            await settle(app, pilot)
            assert (value_of(app, "#date"), value_of(app, "#time")) == offered
            await pilot.press("escape")
            await settle(app, pilot)


async def test_a_shorter_service_moves_the_suggested_start_into_the_gap(db_path) -> None:
    ann = client("Ann", "Lee")
    names = services()
    book_appointment(ann, names["Medical massage 60"], at(MON, 15, 15))
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("g", *"mon", "enter")
        await settle(app, pilot)
        # The buffer after Ann's session is not free: the gap is 16:30–17:00.
        await select_row(app, pilot, "16:30–17:00")
        await pilot.press("n")
        await settle(app, pilot)
        # An hour does not fit in the 30 free minutes: the next time it can be
        # booked is proposed, never one that is then refused.
        assert value_of(app, "#time") == "09:00"
        assert "✓ Free: Tue 1 Dec 2026 09:00–10:00" in text_of(app, "#slot-check")
        app.screen.query_one("#service", Select).value = names["Follow-up 30"]
        await settle(app, pilot)
        assert (value_of(app, "#minutes"), value_of(app, "#time")) == ("30", "16:30")
        assert "✓ Free: Mon 30 Nov 2026 16:30–17:00" in text_of(app, "#slot-check")
        # A time typed by the person is theirs: another service does not move it.
        await set_field(app, pilot, "#time", "9:00")
        app.screen.query_one("#service", Select).value = names["Deep tissue 60"]
        await settle(app, pilot)
        assert value_of(app, "#time") == "9:00"


async def test_a_clash_is_shown_before_saving_and_a_refused_save_keeps_the_form(
    db_path,
) -> None:
    client("Ann", "Lee")
    ben = client("Ben", "Carter")
    book_appointment(ben, services()["Medical massage 60"], at(FIXED_TODAY, 14))
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pick_client(app, pilot, "ann")
        await set_field(app, pilot, "#time", "14:30")
        check = text_of(app, "#slot-check")
        assert "✗ Overlaps Ben Carter 14:00–15:00 (Medical massage 60)" in check
        before = stored()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AppointmentForm)
        assert "Overlaps Ben Carter 14:00–15:00" in text_of(app, "#error-time")
        assert "Not saved" in text_of(app, "#form-error")
        assert value_of(app, "#time") == "14:30" and value_of(app, "#client-search") == "Ann Lee"
        assert stored() == before
        # Within the buffer is named as such.
        await set_field(app, pilot, "#time", "15:05")
        assert "Too close to Ben Carter 14:00–15:00 (15 min buffer" in text_of(app, "#slot-check")
        await set_field(app, pilot, "#time", "15:15")
        assert "✓ Free" in text_of(app, "#slot-check")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert len(stored()) == 2


async def test_out_of_hours_needs_an_explicit_yes(db_path) -> None:
    client("Ann", "Lee")
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pick_client(app, pilot, "ann")
        await set_field(app, pilot, "#time", "17:30")
        assert "⚠ Outside working hours (Fri 09:00–17:00)" in text_of(app, "#slot-check")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, AppointmentForm)
        assert "Not saved: Outside working hours" in text_of(app, "#form-error")
        assert value_of(app, "#time") == "17:30"
        assert stored() == []
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert today_screen(app).appointment.start == at(FIXED_TODAY, 17, 30)


async def test_bad_dates_times_and_missing_choices_are_named_at_their_fields(db_path) -> None:
    client("Ann", "Lee")
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await set_field(app, pilot, "#date", "feb 30")
        await set_field(app, pilot, "#time", "25:00")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AppointmentForm)
        assert "February" in text_of(app, "#error-date") and "no day 30" in text_of(
            app, "#error-date"
        )
        assert "not a time of day" in text_of(app, "#error-time")
        assert "Pick a client" in text_of(app, "#error-client")
        assert (value_of(app, "#date"), value_of(app, "#time")) == ("feb 30", "25:00")
        assert stored() == []
        await set_field(app, pilot, "#date", "mon")
        await set_field(app, pilot, "#time", "10")
        await set_field(app, pilot, "#minutes", "0")
        assert "5 to 480 minutes" in text_of(app, "#error-minutes")
        await pick_client(app, pilot, "ann")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AppointmentForm)
        assert stored() == []
        await set_field(app, pilot, "#minutes", "45")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        booked = today_screen(app).appointment
        assert (booked.start, booked.minutes) == (at(MON, 10), 45)
        assert today_screen(app).day == MON


async def test_a_time_that_does_not_exist_is_refused(db_path) -> None:
    client("Ann", "Lee")
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pick_client(app, pilot, "ann")
        await set_field(app, pilot, "#date", "2027-03-28")
        await set_field(app, pilot, "#time", "01:30")
        assert "01:30 does not exist on Sun 28 Mar 2027" in text_of(app, "#slot-check")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AppointmentForm)
        assert "Nearest valid times" in text_of(app, "#error-time")
        assert stored() == []


async def test_changing_the_service_brings_its_length_and_the_client_their_usual(
    db_path,
) -> None:
    ann = client("Ann", "Lee", contraindications="Warfarin: light pressure")
    names = services()
    book_appointment(ann, names["Lymphatic drainage 60"], at(FIXED_TODAY - dt.timedelta(days=7), 9))
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pick_client(app, pilot, "ann")
        form = app.screen
        assert form.query_one("#service", Select).value == names["Lymphatic drainage 60"]
        assert "⚠ Warfarin: light pressure" in text_of(app, "#client-alert")
        form.query_one("#service", Select).value = names["Initial assessment 90"]
        await settle(app, pilot)
        assert value_of(app, "#minutes") == "90"
        # Once the person has chosen, picking the client again does not override it.
        await pick_client(app, pilot, "")
        assert form.query_one("#service", Select).value == names["Initial assessment 90"]


async def test_edit_keeps_what_is_not_changed(db_path) -> None:
    ann, ben = client("Ann", "Lee"), client("Ben", "Carter")
    sixty = services()["Medical massage 60"]
    first = book_appointment(ann, sixty, at(FIXED_TODAY, 14), booking_note="gate code 12")
    book_appointment(ben, sixty, at(FIXED_TODAY, 15, 35))
    app, said = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, "Ann Lee")
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, AppointmentForm) and form.mode == "edit"
        assert value_of(app, "#client-search") == "Ann Lee"
        assert (value_of(app, "#time"), value_of(app, "#minutes")) == ("14:00", "60")
        assert value_of(app, "#note") == "gate code 12"
        # Its own time is not a clash with itself; a longer session would reach Ben.
        assert "✓ Free" in text_of(app, "#slot-check")
        await set_field(app, pilot, "#minutes", "90")
        assert "Too close to Ben Carter" in text_of(app, "#slot-check")
        before = stored()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AppointmentForm) and stored() == before
        await set_field(app, pilot, "#minutes", "75")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        edited = get_appointment(first.id)
        assert (edited.minutes, edited.booking_note, edited.client_name) == (
            75,
            "gate code 12",
            "Ann Lee",
        )
        assert "Saved: Ann Lee, Fri 27 Nov 14:00–15:15" in said


async def test_move_checks_the_new_time_and_follows_the_appointment(db_path) -> None:
    ann, ben = client("Ann", "Lee"), client("Ben", "Carter")
    sixty = services()["Medical massage 60"]
    first = book_appointment(ann, sixty, at(FIXED_TODAY, 14))
    book_appointment(ben, sixty, at(MON, 10))
    app, said = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, "Ann Lee")
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, AppointmentForm) and app.screen.mode == "move"
        assert "now Fri 27 Nov 2026 14:00–15:00" in text_of(app, "#move-summary")
        await set_field(app, pilot, "#date", "mon")
        await set_field(app, pilot, "#time", "10:30")
        assert "✗ Overlaps Ben Carter 10:00–11:00" in text_of(app, "#slot-check")
        await pilot.press("enter")  # enter on the time saves a move
        await settle(app, pilot)
        assert isinstance(app.screen, AppointmentForm)
        assert get_appointment(first.id).start == at(FIXED_TODAY, 14)
        await set_field(app, pilot, "#time", "11:15")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert get_appointment(first.id).start == at(MON, 11, 15)
        assert today_screen(app).day == MON
        assert today_screen(app).appointment.id == first.id
        assert "Moved: Ann Lee, Mon 30 Nov 11:15–12:15" in said


async def test_escape_leaves_the_form_without_saving(db_path) -> None:
    client("Ann", "Lee")
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pick_client(app, pilot, "ann")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen) and stored() == []


async def test_open_booking_from_elsewhere_prefills_client_and_time(db_path) -> None:
    ann = client("Ann", "Lee")
    app, said = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        app.open_booking(ann, at(MON, 15))
        await settle(app, pilot)
        assert isinstance(app.screen, AppointmentForm)
        assert value_of(app, "#client-search") == "Ann Lee"
        assert (value_of(app, "#date"), value_of(app, "#time")) == ("2026-11-30", "15:00")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.current_mode == "clients"
        assert "Booked: Ann Lee, Mon 30 Nov 2026 15:00–16:00" in said
        # Without a time: the next free time from now.
        app.open_booking(ann)
        await settle(app, pilot)
        assert (value_of(app, "#date"), value_of(app, "#time")) == ("2026-11-27", "11:30")
