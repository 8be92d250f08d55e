"""The screens reach each other: the paths a therapist takes across the app.

Each screen's own tests stub the others; these use the real ones.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import Input

from practice_tui.domain.appointments import appointments_between
from practice_tui.domain.clients import create_client, search_clients
from practice_tui.domain.models import Appointment, SessionNote
from practice_tui.domain.schedule import book_appointment
from practice_tui.domain.settings import list_services
from practice_tui.domain.today import day_view
from practice_tui.ui.dialogs.appointment import AppointmentForm
from practice_tui.ui.dialogs.plan_new import NewPlanDialog
from practice_tui.ui.screens.client_notes import ClientNotesScreen
from practice_tui.ui.screens.client_profile import ClientProfileScreen
from practice_tui.ui.screens.note_editor import NoteEditorScreen
from practice_tui.ui.widgets.client_picker import ClientPicker
from tests.conftest import FIXED_NOW, FIXED_TODAY
from tests.ui.test_today_support import rows, select_row, settle, start_app


def _service(name: str) -> int:
    return next(s.id for s in list_services() if s.name == name)


async def test_s_on_today_writes_and_signs_the_note(demo_path: Path) -> None:
    """Issue 5: from Today, `s` on a completed appointment opens its note; the
    note is written, signed, and Today no longer shows it as owed."""
    (owed,) = [a for a in day_view(FIXED_TODAY, now=FIXED_NOW).appointments if a.note_owed][:1]
    app, _ = start_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, owed.client_name)
        await pilot.press("s")
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        editor.query_one("#pain_before", Input).focus()
        await pilot.press("6", "tab", "3")
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        note = SessionNote.get(SessionNote.appointment == owed.id)
        assert (note.pain_before, note.pain_after) == (6, 3)
        assert note.signed_at is not None
        assert Appointment.get_by_id(owed.id).status == "completed"
        await pilot.press("escape")
        await settle(app, pilot)
        row = next(r for r in rows(app) if owed.client_name in r)
        assert "✎" not in row


async def test_p_on_today_opens_the_profile_and_b_books_for_that_client(demo_path: Path) -> None:
    """Issue 4: the profile's `b` opens the Today booking form with the client filled in."""
    target = next(a for a in day_view(FIXED_TODAY, now=FIXED_NOW).appointments if a.has_alert)
    app, said = start_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, target.client_name)
        await pilot.press("p")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientProfileScreen)
        await pilot.press("b")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, AppointmentForm)
        picker = form.query_one(ClientPicker)
        assert picker.client is not None and picker.client.id == target.client_id
        assert picker.input.value == target.client_name


async def test_profile_r_starts_a_plan_and_s_lists_notes(demo_path: Path) -> None:
    """Issues 4 and 6: `r` opens the new-plan form for the client; `s` their notes."""
    (client,) = search_clients("daniel carter", now=FIXED_NOW)
    app, _ = start_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.open_client_profile(client.id)
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert isinstance(app.screen, NewPlanDialog)
        picker = app.screen.query_one(ClientPicker)
        assert picker.client is not None and picker.client.id == client.id
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientProfileScreen)
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientNotesScreen)


async def test_a_new_client_with_a_precaution_shows_the_alert_on_today(db_path: Path) -> None:
    """Issue 4, "done when": the alert of a new client shows on their appointment."""
    client = create_client(
        {
            "first_name": "Nadia",
            "last_name": "Petrova",
            "phone": "+44 7700 900199",
            "contraindications": "Pregnant, 24 weeks: side-lying only",
        },
        today=FIXED_TODAY,
    )
    book_appointment(client.id, _service("Medical massage 60"), dt.datetime(2026, 11, 27, 14, 0))
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        row = next(r for r in rows(app) if "Nadia Petrova" in r)
        assert "⚠" in row and "★" in row
        assert "Pregnant" in row


async def test_plan_sessions_show_on_today(demo_path: Path) -> None:
    """Issue 6: a plan's sessions are real appointments on the day view."""
    planned = next(
        a
        for a in appointments_between(FIXED_TODAY, FIXED_TODAY + dt.timedelta(days=14))
        if a.plan_id is not None and a.start.date() > FIXED_TODAY
    )
    app, _ = start_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        for _ in range((planned.start.date() - FIXED_TODAY).days):
            await pilot.press("right")
            await settle(app, pilot)
        row = next(r for r in rows(app) if planned.client_name in r)
        assert f"{planned.start:%H:%M}" in row
        assert "plan" in row
