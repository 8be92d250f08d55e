"""The client profile service: visits, sessions with their notes, pain trend, plans."""

from __future__ import annotations

import datetime as dt

import pytest

from practice_tui.domain.clients import create_client, search_clients
from practice_tui.domain.db import database
from practice_tui.domain.errors import NotFound
from practice_tui.domain.models import Plan, SessionNote
from practice_tui.domain.profile import PainTrend, age_on, client_profile
from practice_tui.domain.schedule import (
    book_appointment,
    cancel_appointment,
    mark_completed,
    mark_no_show,
)
from practice_tui.domain.settings import list_services
from practice_tui.domain.vocab import area
from tests.conftest import FIXED_NOW, FIXED_TODAY


def note(appointment_id: int, before: int | None, after: int | None, *, signed: bool = True):
    """Test set-up: a note as the Sessions screen would have written it."""
    with database.atomic():
        SessionNote.create(
            appointment=appointment_id,
            pain_before=before,
            pain_after=after,
            areas=[area("lower back/lumbar", "both"), area("sacrum and glutes", "right")],
            techniques=["trigger point therapy", "myofascial release"],
            signed_at=FIXED_NOW if signed else None,
        )


@pytest.fixture
def client_with_history(db_path):
    client = create_client(
        {
            "first_name": "Daniel",
            "last_name": "Okoye",
            "date_of_birth": "1972-03-04",
            "phone": "555-0142",
            "contraindications": "Warfarin (anticoagulant): light pressure only",
        },
        today=FIXED_TODAY,
    )
    service = list_services()[0]

    def visit(start: dt.datetime) -> int:
        return book_appointment(client.id, service.id, start, allow_outside_hours=True).id

    pains = [(7, 4), (6, 4), (6, 3), (5, 3), (5, 2)]
    days = [dt.datetime(2026, 10, d, 10, 0) for d in (2, 9, 16, 23, 30)]
    for start, (before, after) in zip(days, pains, strict=True):
        appointment = visit(start)
        mark_completed(appointment, now=FIXED_NOW)
        note(appointment, before, after, signed=start.day != 30)
    cancelled = visit(dt.datetime(2026, 11, 6, 10, 0))
    cancel_appointment(cancelled, "Sick (cold)", now=dt.datetime(2026, 11, 5, 9, 0))
    missed = visit(dt.datetime(2026, 11, 13, 10, 0))
    mark_no_show(missed, now=FIXED_NOW)
    owed = visit(dt.datetime(2026, 11, 20, 10, 0))
    mark_completed(owed, now=FIXED_NOW)
    visit(dt.datetime(2026, 12, 4, 10, 0))
    visit(dt.datetime(2026, 12, 1, 9, 0))
    return client.id


def test_profile_lists_visits_sessions_and_trend(client_with_history) -> None:
    profile = client_profile(client_with_history, FIXED_NOW)
    assert profile.client.has_alert
    assert profile.age == 54
    assert [v.start for v in profile.upcoming] == [
        dt.datetime(2026, 12, 1, 9, 0),
        dt.datetime(2026, 12, 4, 10, 0),
    ]
    assert profile.next_visit == dt.datetime(2026, 12, 1, 9, 0)
    assert profile.last_visit == dt.datetime(2026, 11, 20, 10, 0)
    starts = [s.start for s in profile.sessions]
    assert starts == sorted(starts, reverse=True)
    assert profile.sessions_total == len(profile.sessions) == 8
    owed, missed, cancelled, latest = profile.sessions[:4]
    assert (owed.status, owed.has_note, owed.took_place) == ("completed", False, True)
    assert (missed.status, missed.took_place) == ("no_show", False)
    assert (cancelled.status, cancelled.cancel_reason) == ("cancelled", "Sick (cold)")
    assert (latest.pain_before, latest.pain_after) == (5, 2)
    assert latest.areas == ("lower back/lumbar L/R", "sacrum and glutes R")
    assert latest.techniques == ("trigger point", "MFR")
    assert latest.has_note and not latest.signed
    assert profile.sessions[4].signed
    trend = profile.trend
    assert trend.before == (7, 6, 6, 5, 5)
    assert trend.after == (4, 4, 3, 3, 2)
    assert (trend.first_before, trend.latest_before, trend.latest_after) == (7, 5, 2)
    assert trend.change == -2
    assert trend.first_date == dt.date(2026, 10, 2)
    assert profile.has_history
    assert profile.plans == ()


def test_trend_tolerates_notes_with_only_one_score(client_with_history) -> None:
    service = list_services()[0]
    extra = book_appointment(
        client_with_history, service.id, dt.datetime(2026, 11, 24, 10, 0), allow_outside_hours=True
    ).id
    mark_completed(extra, now=FIXED_NOW)
    note(extra, 4, None)
    trend = client_profile(client_with_history, FIXED_NOW).trend
    assert trend.before[-1] == 4 and trend.after[-1] is None
    assert trend.latest_after == 2 and trend.change == -3


def test_a_new_client_has_an_empty_profile(db_path) -> None:
    client = create_client({"first_name": "New"}, today=FIXED_TODAY)
    profile = client_profile(client.id, FIXED_NOW)
    assert profile.upcoming == profile.sessions == profile.plans == ()
    assert profile.trend == PainTrend() and profile.trend.empty
    assert profile.trend.change is None
    assert profile.age is None and profile.last_visit is None and profile.next_visit is None
    assert not profile.has_history


def test_one_scored_session_shows_no_change_yet(db_path) -> None:
    client = create_client({"first_name": "Once"}, today=FIXED_TODAY)
    service = list_services()[0]
    first = book_appointment(
        client.id, service.id, dt.datetime(2026, 11, 2, 10, 0), allow_outside_hours=True
    ).id
    note(first, 6, 3)
    trend = client_profile(client.id, FIXED_NOW).trend
    assert trend.sessions == 1 and trend.change is None


def test_a_missing_client_is_not_found(db_path) -> None:
    with pytest.raises(NotFound):
        client_profile(12345, FIXED_NOW)


def test_active_plans_are_described_in_words(db_path) -> None:
    client = create_client({"first_name": "Pat"}, today=FIXED_TODAY)
    service = list_services()[0]
    plan = Plan.create(
        client=client.id,
        service=service.id,
        first_start=dt.datetime(2026, 11, 3, 10, 0),
        minutes=60,
        rule="FREQ=WEEKLY;BYDAY=TU",
        count=8,
    )
    for week in range(8):
        slot = dt.datetime(2026, 11, 3, 10, 0) + dt.timedelta(weeks=week)
        booked = book_appointment(
            client.id,
            service.id,
            slot,
            allow_outside_hours=True,
            plan_id=plan.id,
            plan_slot=slot,
        )
        if slot < FIXED_NOW:
            mark_completed(booked.id, now=FIXED_NOW)
    ended = Plan.create(
        client=client.id,
        service=service.id,
        first_start=dt.datetime(2026, 6, 1, 9, 0),
        minutes=60,
        rule="FREQ=WEEKLY",
        count=2,
        ended_on=dt.date(2026, 6, 9),
    )
    (line,) = client_profile(client.id, FIXED_NOW).plans
    assert line.plan_id == plan.id != ended.id
    assert line.description == "Every Tue at 10:00 · 8 sessions · 4 left"
    assert line.next_start == dt.datetime(2026, 12, 1, 10, 0)
    assert line.left == 4


def test_age() -> None:
    assert age_on(dt.date(1972, 11, 28), FIXED_TODAY) == 53
    assert age_on(dt.date(1972, 11, 27), FIXED_TODAY) == 54
    assert age_on(None, FIXED_TODAY) is None


def test_demo_client_with_precaution_has_a_trend(demo_path) -> None:
    """The demo gives the profile snapshot something real to show."""
    warfarin = [
        c
        for c in search_clients("", now=FIXED_NOW, limit=500)
        if c.contraindications.startswith("Warfarin")
    ]
    assert warfarin
    profile = client_profile(warfarin[0].id, FIXED_NOW)
    assert profile.trend.sessions >= 3
    assert profile.trend.change is not None
    assert profile.upcoming


def test_every_demo_client_can_be_saved_unchanged(demo_path) -> None:
    """Opening the form on any demo client and pressing ctrl+s must not be refused."""
    from practice_tui.domain.clients import get_client, update_client

    everyone = search_clients("", now=FIXED_NOW, include_archived=True, limit=500)
    assert len(everyone) > 50
    for summary in everyone:
        before = get_client(summary.id)
        after = update_client(summary.id, {}, today=FIXED_TODAY, now=FIXED_NOW)
        assert after.name == before.name
