"""Small things of the daily flow: a new caller created from the booking
form's picker, marks that stay on Today's rows whatever the status, a length
field that refuses what it cannot read, a terminal too small said plainly."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input

from practice_tui.domain.appointments import appointments_between
from practice_tui.domain.models import Client
from practice_tui.domain.schedule import book_appointment, mark_no_show
from practice_tui.ui.dialogs.appointment import AppointmentForm
from practice_tui.ui.dialogs.money_form import MoneyForm
from practice_tui.ui.screens.today import TodayScreen
from practice_tui.ui.widgets.client_picker import ClientPicker, guess_name_and_phone
from tests.conftest import FIXED_NOW, FIXED_TODAY
from tests.ui.test_today_support import (
    at,
    client,
    rows,
    services,
    settle,
    start_app,
    text_of,
    value_of,
)


def test_what_was_typed_fills_the_new_client() -> None:
    assert guess_name_and_phone("Zoe  Park") == ("Zoe", "Park", "")
    assert guess_name_and_phone("Ana María López") == ("Ana", "María López", "")
    assert guess_name_and_phone("555 0199") == ("", "", "555 0199")


async def test_a_new_caller_is_created_from_the_booking_form(db_path) -> None:
    client("Ann", "Lee")
    app, said = start_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press(*"Zoe Park", "enter")  # nobody matches: a new client
        await settle(app, pilot)
        assert isinstance(app.screen, MoneyForm)
        assert value_of(app, "#field-first_name") == "Zoe"
        assert value_of(app, "#field-last_name") == "Park"
        assert app.screen.focused is app.screen.query_one("#field-phone", Input)
        await pilot.press(*"555-0199", "enter")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, AppointmentForm)
        picked = form.query_one(ClientPicker).client
        assert picked is not None and picked.name == "Zoe Park"
        assert form.focused is form.query_one("#date", Input)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        zoe = Client.get(Client.first_name == "Zoe")
        assert zoe.phone == "555-0199"
        month = appointments_between(at(FIXED_TODAY, 0), at(FIXED_TODAY + dt.timedelta(days=30), 0))
        booked = [a for a in month if a.client_id == zoe.id]
        assert len(booked) == 1


async def test_a_no_show_keeps_its_precaution_mark(db_path) -> None:
    ann = client("Ann", "Lee", contraindications="Warfarin: light pressure only")
    booked = book_appointment(ann, services()["Medical massage 60"], at(FIXED_TODAY, 9))
    mark_no_show(booked.id, now=FIXED_NOW)
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        row = next(line for line in rows(app) if "Ann Lee" in line)
        assert "no-show" in row and "⚠" in row


async def test_a_length_it_cannot_read_is_refused_not_cut_to_digits(db_path) -> None:
    app, _ = start_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        minutes = app.screen.query_one("#minutes", Input)
        minutes.value = ""
        minutes.focus()
        await pilot.press(*"14:00")
        await settle(app, pilot)
        assert value_of(app, "#minutes") == "14:00"  # what was typed stays
        assert "“14:00” is not a length" in text_of(app, "#error-minutes")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AppointmentForm)  # nothing booked


async def test_a_terminal_below_80x24_says_it_is_too_small(db_path) -> None:
    app, _ = start_app(db_path)
    async with app.run_test(size=(70, 20)) as pilot:
        await settle(app, pilot)
        notice = app.screen.query_one("#too-small")
        assert "needs at least 80×24" in str(notice.render())
        assert notice.region.width >= 60 and notice.region.height >= 18
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert not app.screen.query("#too-small")
        await pilot.press("2")
        await settle(app, pilot)
        await pilot.resize_terminal(79, 24)
        await settle(app, pilot)
        assert app.screen.query("#too-small")


async def test_a_long_name_ends_with_an_ellipsis_and_the_phone_shows(db_path) -> None:
    long_one = client("Maximiliana-Josefina", "Vandenberghe-Oyelaran-Castellanos", phone="555-0142")
    app, _ = start_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.open_client_profile(long_one)
        await settle(app, pilot)
        head = app.screen.query_one("#profile-name")
        shown = str(head.render())
        assert "…" in shown and shown.rstrip().endswith("☎ 555-0142")
        assert head.region.right <= app.screen.query_one("#profile-visits").region.x
