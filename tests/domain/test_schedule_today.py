"""The queries behind the Today screen: the agenda with now/next and plan
positions, the week overview, free-time suggestions, the details panel, the
actions each status allows — and a property: whatever is tried, no two kept
appointments ever overlap, and a refused booking stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice_tui.domain.appointments import get_appointment
from practice_tui.domain.clients import create_client
from practice_tui.domain.db import database
from practice_tui.domain.errors import PracticeError
from practice_tui.domain.free_time import next_free_start, suggest_start
from practice_tui.domain.models import Appointment, Plan, SessionNote
from practice_tui.domain.schedule import (
    allowed_actions,
    book_appointment,
    cancel_appointment,
    is_late_cancel,
    mark_completed,
    mark_no_show,
    usual_service,
)
from practice_tui.domain.settings import get_practice, list_services
from practice_tui.domain.today import (
    appointment_details,
    day_agenda,
    last_session,
    week_overview,
    week_start,
)
from tests.conftest import FIXED_NOW, FIXED_TODAY

MON = dt.date(2026, 11, 30)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


@pytest.fixture
def services(db_path) -> dict[str, int]:
    return {s.name: s.id for s in list_services()}


@pytest.fixture
def ann(db_path) -> int:
    return create_client(
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "phone": "555-0101",
            "contraindications": "Warfarin: light pressure only",
            "allergies": "Latex",
        },
        today=FIXED_TODAY,
    ).id


@pytest.fixture
def ben(db_path) -> int:
    return create_client({"first_name": "Ben", "last_name": "Carter"}, today=FIXED_TODAY).id


def test_agenda_marks_the_session_on_now_and_the_next(ann, ben, services) -> None:
    sixty = services["Medical massage 60"]
    done = book_appointment(ann, sixty, at(FIXED_TODAY, 9))
    mark_completed(done.id, now=FIXED_NOW)
    current = book_appointment(ben, sixty, at(FIXED_TODAY, 10, 45))
    cancelled = book_appointment(ann, sixty, at(FIXED_TODAY, 14))
    cancel_appointment(cancelled.id, "Sick", now=FIXED_NOW)
    upcoming = book_appointment(ann, sixty, at(FIXED_TODAY, 15))
    agenda = day_agenda(FIXED_TODAY, now=FIXED_NOW)
    assert (agenda.now_id, agenda.next_id) == (current.id, upcoming.id)
    assert agenda.practice_name == "Test practice"
    # Another day has no "now" or "next".
    other = day_agenda(FIXED_TODAY, now=FIXED_NOW + dt.timedelta(days=1))
    assert (other.now_id, other.next_id) == (None, None)


def test_plan_positions(ann, services) -> None:
    sixty = services["Medical massage 60"]
    with database.atomic():
        plan = Plan.create(
            client=ann,
            service=sixty,
            first_start=at(MON, 9),
            minutes=60,
            rule="FREQ=WEEKLY",
            count=8,
        )
        open_plan = Plan.create(
            client=ann, service=sixty, first_start=at(MON, 15), minutes=60, rule="FREQ=WEEKLY"
        )
    ids = [
        book_appointment(
            ann,
            sixty,
            at(MON + dt.timedelta(weeks=w), 9),
            plan_id=plan.id,
            plan_slot=at(MON + dt.timedelta(weeks=w), 9),
        ).id
        for w in range(3)
    ]
    loose = book_appointment(ann, sixty, at(MON + dt.timedelta(weeks=1), 15), plan_id=open_plan.id)
    agenda = day_agenda(MON + dt.timedelta(weeks=1), now=FIXED_NOW)
    assert agenda.plan_position(ids[1]) == (2, 8)
    assert agenda.plan_position(loose.id) == (1, 1)  # open-ended: sessions made so far
    assert agenda.plan_position(ids[0]) is None  # not on this day
    assert appointment_details(ids[2], now=FIXED_NOW).plan_position == (3, 8)


def test_week_overview_runs_monday_to_sunday(ann, ben, services) -> None:
    sixty = services["Medical massage 60"]
    book_appointment(ann, sixty, at(MON, 9))
    book_appointment(ben, sixty, at(MON + dt.timedelta(days=2), 10))
    week = week_overview(MON + dt.timedelta(days=3), now=FIXED_NOW)
    assert week.first_day == MON == week_start(MON + dt.timedelta(days=6))
    assert [d.day.weekday() for d in week.days] == list(range(7))
    assert [len(d.appointments) for d in week.days] == [1, 0, 1, 0, 0, 0, 0]
    assert week.days[5].working is None and week.days[5].free_minutes == 0
    assert week.days[1].free_minutes == 7 * 60  # a whole working day minus the break
    assert week.count("booked") == 2
    assert week.free_minutes == sum(d.free_minutes for d in week.days)


def test_suggest_start_finds_the_first_time_that_fits(ann, services) -> None:
    sixty = services["Medical massage 60"]
    book_appointment(ann, sixty, at(MON, 9))
    book_appointment(ann, sixty, at(MON, 11), minutes=30)
    # 10:00–11:00 is free, but the buffer leaves 10:15–10:45: no room for 60 minutes.
    assert suggest_start(MON, 60, after=at(MON, 10)) == at(MON, 13, 30)
    assert suggest_start(MON, 30, after=at(MON, 10)) == at(MON, 10, 15)
    assert suggest_start(MON, 60) == at(MON, 13, 30)
    assert suggest_start(MON, 60, after=at(MON, 16, 5)) is None
    assert suggest_start(dt.date(2026, 11, 29), 60) is None  # Sunday off


def test_next_free_start_skips_full_and_closed_days(ann, services) -> None:
    sixty = services["Medical massage 60"]
    # Friday 27 Nov at 16:20: nothing fits before 17:00; the weekend is closed.
    assert next_free_start(at(FIXED_TODAY, 16, 20), 60) == at(MON, 9)
    book_appointment(ann, sixty, at(MON, 9))
    assert next_free_start(at(FIXED_TODAY, 16, 20), 60) == at(MON, 10, 15)


def test_usual_service(ann, ben, services) -> None:
    assert usual_service(ann) in services.values()
    book_appointment(ann, services["Lymphatic drainage 60"], at(MON, 9))
    cancelled = book_appointment(ann, services["Follow-up 30"], at(MON, 14))
    cancel_appointment(cancelled.id, "x", now=FIXED_NOW)
    assert usual_service(ann) == services["Lymphatic drainage 60"]
    # Without a client: the practice's most booked service.
    assert usual_service() == services["Lymphatic drainage 60"]


def test_one_usual_service_for_the_booking_and_the_plan_forms(ann, services) -> None:
    """The last completed session wins over the next booked one, and both
    forms ask the same rule (there used to be two that disagreed)."""
    from practice_tui.domain import plans

    done = book_appointment(ann, services["Follow-up 30"], at(FIXED_TODAY, 9))
    mark_completed(done.id, now=FIXED_NOW)
    book_appointment(ann, services["Deep tissue 60"], at(MON, 9))
    assert usual_service(ann) == services["Follow-up 30"]
    assert plans.usual_service is usual_service


def test_allowed_actions_follow_the_status_and_the_clock(ann, services) -> None:
    sixty = services["Medical massage 60"]
    future = get_appointment(book_appointment(ann, sixty, at(MON, 9)).id)
    assert allowed_actions(future, FIXED_NOW) == {
        "details",
        "profile",
        "edit",
        "move",
        "cancel",
    }
    past = get_appointment(book_appointment(ann, sixty, at(FIXED_TODAY, 9)).id, FIXED_NOW)
    assert allowed_actions(past, FIXED_NOW) >= {"no_show", "complete", "note", "cancel"}
    done = mark_completed(past.id, now=FIXED_NOW)
    assert allowed_actions(done, FIXED_NOW) == {"details", "profile", "note", "reopen"}
    with database.atomic():
        SessionNote.create(appointment=done.id, signed_at=FIXED_NOW)
    signed = get_appointment(done.id, FIXED_NOW)
    assert allowed_actions(signed, FIXED_NOW) == {"details", "profile", "note"}
    missed = mark_no_show(book_appointment(ann, sixty, at(FIXED_TODAY, 10, 15)).id, now=FIXED_NOW)
    assert allowed_actions(missed, FIXED_NOW) == {"details", "profile", "reopen"}


def test_is_late_cancel() -> None:
    assert is_late_cancel(FIXED_NOW + dt.timedelta(hours=23, minutes=59), FIXED_NOW)
    assert is_late_cancel(FIXED_NOW - dt.timedelta(hours=1), FIXED_NOW)
    assert not is_late_cancel(FIXED_NOW + dt.timedelta(hours=24), FIXED_NOW)


def test_details_and_last_session(ann, services) -> None:
    sixty = services["Medical massage 60"]
    earlier = book_appointment(ann, sixty, at(FIXED_TODAY - dt.timedelta(days=7), 9))
    mark_completed(earlier.id, now=FIXED_NOW)
    with database.atomic():
        SessionNote.create(
            appointment=earlier.id,
            pain_before=7,
            pain_after=4,
            areas=["lower back/lumbar:both"],
            techniques=["myofascial release"],
            home_care=["heat"],
            assessment="Less guarding.",
            signed_at=FIXED_NOW - dt.timedelta(days=7),
        )
    missed = book_appointment(ann, sixty, at(FIXED_TODAY - dt.timedelta(days=3), 9))
    mark_no_show(missed.id, now=FIXED_NOW)
    today = book_appointment(ann, sixty, at(FIXED_TODAY, 14), booking_note="Parking at the back")
    details = appointment_details(today.id, now=FIXED_NOW)
    assert (details.phone, details.allergies) == ("555-0101", "Latex")
    assert details.appointment.booking_note == "Parking at the back"
    assert details.visits_before == 1
    assert details.late_if_cancelled_now
    last = details.last_session
    assert last is not None and last.appointment_id == earlier.id  # the no-show is skipped
    assert (last.pain_before, last.pain_after, last.signed) == (7, 4, True)
    assert (last.areas, last.techniques, last.home_care) == ("lower back/lumbar L/R", "MFR", "heat")
    # The first session has no earlier one; a session without a note says so.
    assert last_session(ann, earlier.start) is None
    second = book_appointment(ann, sixty, at(FIXED_TODAY, 9, 30))
    mark_completed(second.id, now=FIXED_NOW)
    latest = last_session(ann, at(FIXED_TODAY, 14))
    assert latest is not None and latest.appointment_id == second.id and not latest.has_note


# --- a property: the stored schedule never overlaps ------------------------------------

_starts = st.builds(
    lambda day, minute: at(MON + dt.timedelta(days=day), 7) + dt.timedelta(minutes=5 * minute),
    st.integers(0, 2),
    st.integers(0, 150),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    attempts=st.lists(
        st.tuples(_starts, st.sampled_from([30, 45, 60, 90]), st.booleans(), st.booleans()),
        min_size=1,
        max_size=12,
    )
)
def test_whatever_is_tried_kept_appointments_never_overlap(db_path, attempts) -> None:
    with database.atomic():
        Appointment.delete().execute()
    client = create_client(
        {"first_name": "Prop", "last_name": "Erty"}, today=FIXED_TODAY, allow_duplicate=True
    ).id
    service = list_services()[0].id
    buffer = dt.timedelta(minutes=get_practice().buffer_minutes)
    for start, minutes, allow, cancel in attempts:
        before = list(Appointment.select().order_by(Appointment.id).tuples())
        try:
            booked = book_appointment(
                client, service, start, minutes=minutes, allow_outside_hours=allow
            )
        except PracticeError:
            assert list(Appointment.select().order_by(Appointment.id).tuples()) == before
            continue
        if cancel:
            cancel_appointment(booked.id, "Changed plans", now=FIXED_NOW)
    kept = sorted(
        (a.start, a.end)
        for a in Appointment.select().where(Appointment.status.in_(("booked", "completed")))
    )
    for (_, first_end), (second_start, _) in zip(kept, kept[1:], strict=False):
        assert first_end + buffer <= second_start
