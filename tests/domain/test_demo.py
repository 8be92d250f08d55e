"""The demo practice: realistic, repeatable, never written over real records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from practice_tui.domain.appointments import appointments_between
from practice_tui.domain.db import close_database, open_database
from practice_tui.domain.demo import build_demo
from practice_tui.domain.errors import ValidationError
from practice_tui.domain.models import (
    BLOCKING_STATUSES,
    Appointment,
    Client,
    Plan,
    SessionNote,
    Status,
)
from practice_tui.domain.settings import ensure_practice
from practice_tui.domain.today import day_view
from tests.conftest import FIXED_NOW, FIXED_TODAY, TIMEZONE


def test_demo_has_a_realistic_practice(demo_path: Path) -> None:
    assert 55 <= Client.select().count() <= 70
    assert Plan.select().count() >= 3
    start = FIXED_TODAY - dt.timedelta(weeks=12)
    past = Appointment.select().where(
        (Appointment.start >= dt.datetime.combine(start, dt.time()))
        & (Appointment.end <= FIXED_NOW)
    )
    statuses = [a.status for a in past]
    assert statuses.count(Status.COMPLETED.value) > 0.8 * len(statuses)
    assert Status.CANCELLED.value in statuses and Status.NO_SHOW.value in statuses
    assert SessionNote.select().count() > 0.8 * statuses.count(Status.COMPLETED.value)
    ahead = appointments_between(
        FIXED_TODAY + dt.timedelta(days=1), FIXED_TODAY + dt.timedelta(weeks=8)
    )
    assert max(a.start for a in ahead).date() > FIXED_TODAY + dt.timedelta(weeks=7)
    conditions = " ".join(c.complaint.lower() for c in Client.select())
    for word in (
        "low back",
        "hamstring",
        "knee replacement",
        "osteoarthritis",
        "fibromyalgia",
        "migraine",
    ):
        assert word in conditions
    precautions = " ".join(c.contraindications.lower() for c in Client.select())
    for word in ("anticoagulant", "surgery", "dvt"):
        assert word in precautions


def test_today_holds_a_first_visit_and_a_contraindication(demo_path: Path) -> None:
    view = day_view(FIXED_TODAY, now=FIXED_NOW)
    appointments = view.appointments
    assert 5 <= len(appointments) <= 7
    assert any(a.first_visit for a in appointments)
    assert any(a.has_alert and not a.first_visit for a in appointments)
    assert view.notes_owed >= 1


def test_demo_never_double_books(demo_path: Path) -> None:
    rows = list(
        Appointment.select()
        .where(Appointment.status.in_(BLOCKING_STATUSES))
        .order_by(Appointment.start)
    )
    for before, after in zip(rows, rows[1:], strict=False):
        assert before.end + dt.timedelta(minutes=15) <= after.start or (
            before.start.date() != after.start.date()
        ), (before.start, after.start)


def _fingerprint() -> list[tuple]:
    return list(
        Appointment.select(
            Appointment.start, Client.first_name, Client.last_name, Appointment.status
        )
        .join(Client)
        .order_by(Appointment.start, Appointment.id)
        .tuples()
    )


def test_same_seed_same_demo(tmp_path: Path) -> None:
    prints = []
    for name in ("a.db", "b.db"):
        open_database(tmp_path / name)
        ensure_practice()
        build_demo(FIXED_TODAY, FIXED_NOW, timezone=TIMEZONE)
        prints.append(_fingerprint())
        close_database()
    assert len(prints[0]) > 100
    assert prints[0] == prints[1]


@pytest.mark.parametrize("offset", range(7))
def test_every_weekday_has_a_full_today(tmp_path: Path, offset: int) -> None:
    today = FIXED_TODAY + dt.timedelta(days=offset)
    now = dt.datetime.combine(today, dt.time(8, 0))
    open_database(tmp_path / "demo.db")
    ensure_practice()
    build_demo(today, now, timezone=TIMEZONE)
    view = day_view(today, now=now)
    close_database()
    assert 5 <= len(view.appointments) <= 7, today.strftime("%A")
    assert any(a.first_visit for a in view.appointments)
    assert any(a.has_alert for a in view.appointments)


def test_demo_refuses_a_file_with_records(demo_path: Path) -> None:
    before = Appointment.select().count()
    with pytest.raises(ValidationError, match="already holds records"):
        build_demo(FIXED_TODAY, FIXED_NOW)
    assert Appointment.select().count() == before
