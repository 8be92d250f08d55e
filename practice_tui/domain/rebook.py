"""Booking a client's next visit from one of their appointments ("book her
again"): the same service and length, one week later at the same time — or
when the visit's note says otherwise ("Next visit: 2w", "10 days", "dec 11"),
then. When that time cannot be booked (a clash, the break, time off, a day
off), the proposal is the first free start after it (``free_time``'s search,
on quarter hours), and says why it moved.

Nothing is booked here: the booking form shows the proposal and books it
through ``schedule.book_appointment``, under the same rules as any booking.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from practice_tui.domain.appointments import get_appointment
from practice_tui.domain.dates import parse_date
from practice_tui.domain.db import reads
from practice_tui.domain.errors import ValidationError
from practice_tui.domain.free_time import next_free_start
from practice_tui.domain.models import Service, SessionNote
from practice_tui.domain.schedule import check_slot, usual_service
from practice_tui.domain.words import clock, weekday_day

#: The usual gap between visits when the note does not say.
DEFAULT_DAYS = 7

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "ten": 10,
}
_UNITS = {"d": 1, "day": 1, "days": 1, "w": 7, "wk": 7, "wks": 7, "week": 7, "weeks": 7}
_UNITS |= {"m": 28, "mo": 28, "month": 28, "months": 28}
#: "2w", "2 weeks", "in 2-3 weeks", "one week", "10 days", "1 month" (four weeks).
_SPAN = re.compile(
    r"^(?:in\s+)?(\d{1,3}|[a-z]+)(?:\s*(?:-|–|to)\s*\d{1,3})?\s*([a-z]+)\b",
)


def next_visit_days(text: str) -> int | None:
    """Days until the next visit written as a span ("1 week", "2w", "10 days",
    "weekly", "fortnight"), or None when the text is not a span."""
    words = " ".join(text.strip().lower().replace(".", " ").split())
    if not words:
        return None
    if words in ("weekly", "next week", "a week", "in a week"):
        return 7
    if words in ("fortnight", "a fortnight", "in a fortnight", "fortnightly", "biweekly"):
        return 14
    if words in ("monthly", "next month", "a month", "in a month"):
        return 28
    match = _SPAN.match(words)
    if match is None:
        return None
    count_text, unit = match.groups()
    count = int(count_text) if count_text.isdigit() else _NUMBER_WORDS.get(count_text)
    if count is None or unit not in _UNITS or count <= 0:
        return None
    return count * _UNITS[unit]


def next_visit_day(text: str, session_day: dt.date) -> dt.date | None:
    """The day a note's "Next visit" names, counted from the session's day: a
    span ("2w") or a date ("dec 11", "2026-12-11", "fri"); None when it names
    none (or a day not after the session)."""
    days = next_visit_days(text)
    if days is not None:
        return session_day + dt.timedelta(days=days)
    try:
        day = parse_date(text, session_day)
    except ValidationError:
        return None
    return day if day > session_day else None


@dataclass(frozen=True)
class Rebooking:
    """What "book again" proposes for one appointment's client."""

    client_id: int
    client_name: str
    service_id: int | None
    minutes: int
    #: The time asked for: a week after the session, or the note's next visit.
    wanted: dt.datetime
    #: The proposed start: ``wanted`` when it can be booked, else the first
    #: free start after it (None when none is free within four weeks).
    start: dt.datetime | None
    #: Where ``wanted`` comes from, in words ("a week later", "the note: “2w”").
    source: str
    #: Why ``start`` is not ``wanted`` ("" when it is).
    moved_because: str = ""

    def words(self) -> str:
        """One line for the form: what is proposed and why."""
        if self.start is None:
            return (
                f"Asked for {weekday_day(self.wanted)} ({self.source}): "
                f"{self.moved_because} No free time in the four weeks after it."
            )
        if self.start == self.wanted:
            return f"Proposed: {self.source}, same time."
        return (
            f"Proposed: first free time after {weekday_day(self.wanted)} "
            f"{clock(self.wanted)} ({self.source}): {self.moved_because}"
        )


@reads
def propose_rebooking(appointment_id: int, now: dt.datetime) -> Rebooking:
    """The next visit of ``appointment_id``'s client: same service and length,
    a week later at the same time (or the day the note's "Next visit" names),
    never in the past (a week at a time later), moved to the first free start
    after it when it cannot be booked. A retired service is replaced by the
    client's usual one."""
    info = get_appointment(appointment_id)
    note = SessionNote.get_or_none(SessionNote.appointment == appointment_id)
    written = note.next_visit.strip() if note is not None else ""
    day = next_visit_day(written, info.start.date()) if written else None
    if day is not None:
        source = f"the note's next visit “{written}”"
    else:
        day = info.start.date() + dt.timedelta(days=DEFAULT_DAYS)
        source = "a week later"
    wanted = dt.datetime.combine(day, info.start.time())
    while wanted < now:
        wanted += dt.timedelta(days=DEFAULT_DAYS)
    service_id: int | None = info.service_id
    minutes = info.minutes
    service = Service.get_or_none(Service.id == info.service_id)
    if service is None or not service.active:
        service_id = usual_service(info.client_id)
    check = check_slot(wanted, minutes)
    start: dt.datetime | None = wanted
    moved = ""
    if not check.ok:
        moved = " ".join(check.messages)
        start = next_free_start(wanted, minutes)
    return Rebooking(
        client_id=info.client_id,
        client_name=info.client_name,
        service_id=service_id,
        minutes=minutes,
        wanted=wanted,
        start=start,
        source=source,
        moved_because=moved,
    )
