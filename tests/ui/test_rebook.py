"""Booking a client again from Today: ``r`` on an appointment proposes the same
service and length a week later (or the note's next visit), ``ctrl+s`` books
it — at most 4 keys from Today; ``n`` on an appointment starts with its client.

The practice of ``db_path``: Mon–Fri 09:00–17:00, break 12:30–13:30, 15 min
buffer; the clock is Friday 27 Nov 2026 11:20.
"""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Select

from practice_tui.domain.appointments import appointments_between
from practice_tui.domain.notes import save_draft
from practice_tui.domain.schedule import book_appointment, mark_completed
from practice_tui.ui.dialogs.appointment import AppointmentForm
from practice_tui.ui.screens.today import TodayScreen
from practice_tui.ui.widgets.agenda import AgendaTable
from practice_tui.ui.widgets.client_picker import ClientPicker
from tests.conftest import FIXED_NOW, FIXED_TODAY
from tests.ui.keys import KeyCount
from tests.ui.test_today_support import (
    at,
    client,
    rows,
    select_row,
    services,
    settle,
    start_app,
    text_of,
    today_screen,
    value_of,
)

NEXT_FRI = FIXED_TODAY + dt.timedelta(days=7)


async def _arrows_to(app, keys: KeyCount, contains: str) -> None:
    """Move to the row with ``contains`` with arrow keys, counting them."""
    table = today_screen(app).query_one(AgendaTable)
    target = next(i for i, row in enumerate(rows(app)) if contains in row)
    while table.cursor_row != target:
        await keys.press("down" if target > table.cursor_row else "up")


async def test_rebook_a_week_later_in_at_most_four_keys(db_path) -> None:
    ann = client("Ann", "Lee")
    service = services()["Medical massage 90"]
    done = book_appointment(ann, service, at(FIXED_TODAY, 9), minutes=75)
    mark_completed(done.id, now=FIXED_NOW)
    app, said = start_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        keys = KeyCount(pilot)
        await _arrows_to(app, keys, "Ann Lee")
        await keys.press("r")
        form = app.screen
        assert isinstance(form, AppointmentForm)
        assert value_of(app, "#client-search") == "Ann Lee"
        assert form.query_one("#service", Select).value == service
        assert (value_of(app, "#date"), value_of(app, "#time")) == ("2026-12-04", "09:00")
        assert value_of(app, "#minutes") == "75"
        assert "a week later" in text_of(app, "#form-hint")
        await keys.press("ctrl+s")
        assert isinstance(app.screen, TodayScreen)
        assert keys.keys <= 4, keys.keys
        (booked,) = [
            a for a in appointments_between(at(NEXT_FRI, 0), at(NEXT_FRI, 23)) if a.client_id == ann
        ]
        assert (booked.start, booked.minutes, booked.service_id) == (at(NEXT_FRI, 9), 75, service)
        assert any("Booked: Ann Lee" in line for line in said)


async def test_rebook_takes_the_notes_next_visit_and_steps_round_a_clash(db_path) -> None:
    ann, ben = client("Ann", "Lee"), client("Ben", "Carter")
    sixty = services()["Medical massage 60"]
    done = book_appointment(ann, sixty, at(FIXED_TODAY, 9))
    mark_completed(done.id, now=FIXED_NOW)
    save_draft(done.id, {"next_visit": "2 weeks"}, now=FIXED_NOW)
    in_two_weeks = FIXED_TODAY + dt.timedelta(days=14)
    book_appointment(ben, sixty, at(in_two_weeks, 9))
    app, _ = start_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, "Ann Lee")
        await pilot.press("r")
        await settle(app, pilot)
        # 09:00 is Ben's; 10:15 is the first free quarter hour after him and the buffer.
        assert (value_of(app, "#date"), value_of(app, "#time")) == ("2026-12-11", "10:15")
        hint = text_of(app, "#form-hint")
        assert "“2 weeks”" in hint and "Overlaps Ben Carter" in hint
        assert "✓ Free" in text_of(app, "#slot-check")


async def test_n_on_an_appointment_starts_with_its_client(db_path) -> None:
    ann = client("Ann", "Lee")
    book_appointment(ann, services()["Medical massage 60"], at(FIXED_TODAY, 14))
    app, _ = start_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, "Ann Lee")
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, AppointmentForm)
        picker = form.query_one(ClientPicker)
        assert picker.client is not None and picker.client.id == ann
        assert form.focused is form.query_one("#date", Input)


async def test_picking_a_client_moves_on_to_the_date(db_path) -> None:
    client("Ann", "Lee")
    app, _ = start_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        await pilot.press(*"ann", "enter")
        await settle(app, pilot)
        form = app.screen
        assert form.query_one(ClientPicker).client is not None
        assert form.focused is form.query_one("#date", Input)
        # Typing the date now changes the date, not the client.
        await pilot.press("ctrl+a", *"mon")
        await settle(app, pilot)
        assert form.query_one(ClientPicker).client is not None


async def test_picking_a_service_from_its_list_moves_on_to_the_date(db_path) -> None:
    client("Ann", "Lee")
    app, _ = start_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        form.query_one("#service", Select).focus()
        await settle(app, pilot)
        await pilot.press("enter")  # opens the list
        await settle(app, pilot)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert form.focused is form.query_one("#date", Input)
