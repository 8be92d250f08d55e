"""Archiving a client with bookings ahead: listed first, then cancelled (plans
ended) or kept. Now is Friday 27 November 2026 11:20."""

from __future__ import annotations

import datetime as dt

from practice_tui.domain import plans
from practice_tui.domain.archiving import ARCHIVED_REASON, archive_check, archive_client
from practice_tui.domain.clients import get_client
from practice_tui.domain.models import Appointment, Plan
from practice_tui.domain.note_fields import NoteFields, missing_before_signing
from practice_tui.domain.schedule import book_appointment
from tests.conftest import FIXED_NOW
from tests.domain.test_plans import client, draft, service


def _setup() -> tuple[int, int, int, int]:
    daniel = client()
    past = book_appointment(daniel, service(), dt.datetime(2026, 11, 26, 10))
    single = book_appointment(daniel, service(), dt.datetime(2026, 12, 3, 14))
    plan = plans.create_plan(draft(daniel, count=3), now=FIXED_NOW)
    return daniel, past.id, single.id, plan.id


def test_the_check_lists_every_upcoming_booking_and_active_plan(db_path) -> None:
    daniel, past, single, plan_id = _setup()
    check = archive_check(daniel, now=FIXED_NOW)
    assert check.anything_ahead and check.name == "Daniel Okoye"
    assert [b.start for b in check.bookings] == [
        dt.datetime(2026, 12, 1, 10),
        dt.datetime(2026, 12, 3, 14),
        dt.datetime(2026, 12, 8, 10),
        dt.datetime(2026, 12, 15, 10),
    ]
    assert check.bookings[1].words == "Thu 3 Dec 14:00 · Medical massage 60"
    assert [p.id for p in check.plans] == [plan_id]
    assert not archive_check(client("Olive", "Older"), now=FIXED_NOW).anything_ahead


def test_cancel_ahead_ends_the_plan_and_cancels_the_rest(db_path) -> None:
    daniel, past, single, plan_id = _setup()
    archive_client(daniel, now=FIXED_NOW, cancel_ahead=True)
    assert get_client(daniel).archived
    assert Appointment.get_by_id(past).status == "booked"  # the past is left alone
    assert (Appointment.get_by_id(single).status, Appointment.get_by_id(single).cancel_reason) == (
        "cancelled",
        ARCHIVED_REASON,
    )
    sessions = Appointment.select().where(Appointment.plan == plan_id)
    assert {(a.status, a.cancel_reason) for a in sessions} == {("cancelled", "plan ended")}
    assert Plan.get_by_id(plan_id).ended_on == FIXED_NOW.date()
    assert not archive_check(daniel, now=FIXED_NOW).anything_ahead


def test_keep_ahead_archives_and_leaves_every_booking(db_path) -> None:
    daniel, past, single, plan_id = _setup()
    archive_client(daniel, now=FIXED_NOW, cancel_ahead=False)
    assert get_client(daniel).archived
    assert Appointment.select().where(Appointment.status == "cancelled").count() == 0
    assert Plan.get_by_id(plan_id).ended_on is None


def test_signing_names_what_a_note_usually_records_and_this_one_lacks() -> None:
    assert missing_before_signing(NoteFields(subjective="Felt better.")) == (
        "pain score",
        "area treated",
        "technique",
    )
    full = NoteFields(pain_after=2, areas=("neck:both",), techniques=("Swedish",))
    assert missing_before_signing(full) == ()
    assert missing_before_signing(NoteFields(pain_before=5, techniques=("Swedish",))) == (
        "area treated",
    )
