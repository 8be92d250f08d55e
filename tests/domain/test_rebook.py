"""Booking a client's next visit from an appointment: a week later at the same
time, or when the note's "Next visit" says, moved to the first free time after
it when that cannot be booked.

The practice of ``db_path``: Mon–Fri 09:00–17:00, break 12:30–13:30, 15 min
buffer. ``FIXED_NOW`` is Friday 27 Nov 2026 11:20.
"""

from __future__ import annotations

import datetime as dt

import pytest

from practice_tui.domain.clients import create_client
from practice_tui.domain.notes import save_draft
from practice_tui.domain.rebook import next_visit_day, next_visit_days, propose_rebooking
from practice_tui.domain.schedule import book_appointment, mark_completed
from practice_tui.domain.settings import list_services
from tests.conftest import FIXED_NOW, FIXED_TODAY

THU = dt.date(2026, 11, 26)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def _client(first: str) -> int:
    return create_client({"first_name": first, "last_name": "Test"}, today=FIXED_TODAY).id


def _service(name: str = "Medical massage 60") -> int:
    return next(s.id for s in list_services() if s.name == name)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("1 week", 7),
        ("2w", 14),
        ("2 wks", 14),
        ("in 3 weeks", 21),
        ("2-3 weeks", 14),
        ("10 days", 10),
        ("one week", 7),
        ("weekly", 7),
        ("fortnight", 14),
        ("1 month", 28),
        ("", None),
        ("as needed", None),
        ("0 weeks", None),
    ],
)
def test_next_visit_spans(text: str, days: int | None) -> None:
    assert next_visit_days(text) == days


def test_next_visit_dates_count_from_the_session() -> None:
    assert next_visit_day("dec 11", THU) == dt.date(2026, 12, 11)
    assert next_visit_day("2026-12-10", THU) == dt.date(2026, 12, 10)
    assert next_visit_day("2w", THU) == dt.date(2026, 12, 10)
    assert next_visit_day("nov 1", THU) is None  # before the session: not a next visit
    assert next_visit_day("when she can", THU) is None


def test_a_week_later_same_time_same_service_and_length(db_path) -> None:
    ann = _client("Ann")
    sixty = _service()
    done = book_appointment(ann, sixty, at(THU, 10), minutes=75)
    mark_completed(done.id, now=FIXED_NOW)
    proposal = propose_rebooking(done.id, FIXED_NOW)
    assert (proposal.client_id, proposal.service_id, proposal.minutes) == (ann, sixty, 75)
    assert proposal.wanted == proposal.start == at(THU + dt.timedelta(days=7), 10)
    assert proposal.moved_because == ""
    assert proposal.words() == "Proposed: a week later, same time."


def test_the_notes_next_visit_is_the_proposal(db_path) -> None:
    ann = _client("Ann")
    done = book_appointment(ann, _service(), at(THU, 10))
    mark_completed(done.id, now=FIXED_NOW)
    save_draft(done.id, {"next_visit": "2w"}, now=FIXED_NOW)
    proposal = propose_rebooking(done.id, FIXED_NOW)
    assert proposal.start == at(dt.date(2026, 12, 10), 10)
    assert "“2w”" in proposal.source


def test_a_taken_time_moves_to_the_first_free_start_after_it(db_path) -> None:
    ann, ben = _client("Ann"), _client("Ben")
    sixty = _service()
    done = book_appointment(ann, sixty, at(THU, 10))
    book_appointment(ben, sixty, at(THU + dt.timedelta(days=7), 9, 30))
    proposal = propose_rebooking(done.id, FIXED_NOW)
    assert proposal.wanted == at(dt.date(2026, 12, 3), 10)
    # Ben 09:30–10:30 plus the 15-minute buffer: 10:45 is the first free quarter hour.
    assert proposal.start == at(dt.date(2026, 12, 3), 10, 45)
    assert "Overlaps" in proposal.moved_because
    assert "first free time after Thu 3 Dec 10:00" in proposal.words()


def test_a_time_in_the_break_moves_after_it(db_path) -> None:
    ann = _client("Ann")
    # 11:40 + 60 min runs into the 12:30 break (booked so once, a week later not).
    done = book_appointment(ann, _service(), at(THU, 11, 40), allow_outside_hours=True)
    proposal = propose_rebooking(done.id, FIXED_NOW)
    assert proposal.wanted == at(dt.date(2026, 12, 3), 11, 40)
    assert proposal.start == at(dt.date(2026, 12, 3), 13, 30)
    assert "break" in proposal.moved_because


def test_never_proposes_the_past(db_path) -> None:
    ann = _client("Ann")
    old = book_appointment(ann, _service(), at(dt.date(2026, 11, 2), 10))
    proposal = propose_rebooking(old.id, FIXED_NOW)
    assert proposal.wanted == at(dt.date(2026, 11, 30), 10)  # Monday after now
    assert proposal.start == proposal.wanted
