"""Small builders for note tests: a client and appointments around FIXED_NOW."""

from __future__ import annotations

import datetime as dt

from practice_tui.domain.clients import create_client
from practice_tui.domain.schedule import book_appointment
from practice_tui.domain.settings import list_services
from tests.conftest import FIXED_TODAY


def make_client(first: str = "Maya", last: str = "Thompson", contraindications: str = "") -> int:
    record = create_client(
        {"first_name": first, "last_name": last, "contraindications": contraindications},
        today=FIXED_TODAY,
    )
    return record.id


def book(client_id: int, start: dt.datetime, service: str = "Medical massage 60") -> int:
    service_id = next(s.id for s in list_services() if s.name == service)
    return book_appointment(client_id, service_id, start, allow_outside_hours=True).id


def at(days_ago: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A time ``days_ago`` days before the fixed today."""
    return dt.datetime.combine(FIXED_TODAY - dt.timedelta(days=days_ago), dt.time(hour, minute))
