"""Safety nets through Pilot: signing a note that records no pain, area or
technique asks first, naming what is missing; archiving a client with bookings
ahead lists them and offers to cancel or keep them.

Now is Friday 27 November 2026 11:20 (``fixed_clock``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Static, TextArea

from practice_tui.domain import plans
from practice_tui.domain.clients import get_client
from practice_tui.domain.models import Appointment, Plan, SessionNote
from practice_tui.domain.schedule import book_appointment
from practice_tui.ui.app import make_app
from practice_tui.ui.dialogs.common import ConfirmDialog
from practice_tui.ui.dialogs.settings_form import ChoiceDialog
from practice_tui.ui.screens.client_profile import ClientProfileScreen
from tests.conftest import FIXED_NOW, fixed_clock
from tests.domain.notes_helpers import at, book, make_client
from tests.domain.test_plans import draft, service
from tests.ui.helpers import settle
from tests.ui.test_clients import open_clients
from tests.ui.test_sessions import open_editor


async def test_signing_a_note_with_no_pain_area_or_technique_asks_first(db_path: Path) -> None:
    appointment = book(make_client(), at(0, 9))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        editor.query_one("#subjective", TextArea).text = "Felt better."
        await pilot.press("ctrl+l")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, ConfirmDialog)
        assert question._title == "Sign with no pain score, area treated or technique?"
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is editor
        row = SessionNote.get_or_none(SessionNote.appointment == appointment)
        assert row is None or row.signed_at is None
        # With a pain score only, the question names the other two.
        editor.query_one("#pain_before").focus()
        await pilot.press("5")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.screen._title == "Sign with no area treated or technique?"
        await pilot.press("y")
        await settle(pilot)
    assert SessionNote.get(SessionNote.appointment == appointment).signed_at == FIXED_NOW


async def test_archiving_lists_bookings_ahead_and_cancels_them_when_asked(db_path) -> None:
    ann = make_client("Ann", "Lee")
    single = book_appointment(ann, service(), dt.datetime(2026, 12, 3, 14))
    plan = plans.create_plan(draft(ann, count=2), now=FIXED_NOW)
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_clients(app, pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClientProfileScreen)
        await pilot.press("a")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, ChoiceDialog)
        listed = str(question.query(Static)[1].render())
        assert "Active plan:" in listed and "Every Tue at 10:00" in listed
        assert "Upcoming bookings (3):" in listed
        for when in ("Tue 1 Dec 10:00", "Thu 3 Dec 14:00", "Tue 8 Dec 10:00"):
            assert when in listed
        await pilot.press("escape")  # back: nothing happens
        await settle(pilot)
        assert not get_client(ann).archived
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
    assert get_client(ann).archived
    assert Appointment.get_by_id(single.id).status == "cancelled"
    assert Appointment.select().where(Appointment.status == "booked").count() == 0
    assert Plan.get_by_id(plan.id).ended_on == FIXED_NOW.date()


async def test_archiving_can_keep_what_is_booked(db_path) -> None:
    ann = make_client("Ann", "Lee")
    book_appointment(ann, service(), dt.datetime(2026, 12, 3, 14))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_clients(app, pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.press("k")
        await settle(pilot)
    assert get_client(ann).archived
    assert Appointment.get().status == "booked"
