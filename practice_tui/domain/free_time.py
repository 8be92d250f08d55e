"""Finding a free time for a new booking: the first start where a session of
a given length fits inside working hours without a clash (the one clash rule,
``schedule.clashes``), after the selected appointment or in the selected gap."""

from __future__ import annotations

import datetime as dt

from practice_tui.domain.dates import exists_locally, zone
from practice_tui.domain.db import reads
from practice_tui.domain.models import (
    BLOCKING_STATUSES,
    Appointment,
)
from practice_tui.domain.schedule import _outside_hours, _validate_minutes, clashes
from practice_tui.domain.settings import get_practice
from practice_tui.domain.types import (
    Gap,
    PracticeInfo,
)


def _busy_between(
    start: dt.datetime, end: dt.datetime, exclude_id: int | None
) -> list[tuple[dt.datetime, dt.datetime]]:
    query = Appointment.select(Appointment.start, Appointment.end).where(
        Appointment.status.in_(BLOCKING_STATUSES)
        & clashes(Appointment.start, Appointment.end, start, end, 0)
    )
    if exclude_id is not None:
        query = query.where(Appointment.id != exclude_id)
    return [(row_start, row_end) for row_start, row_end in query.tuples()]


def _first_fit(
    practice: PracticeInfo,
    day: dt.date,
    minutes: int,
    earliest: dt.datetime,
    busy: list[tuple[dt.datetime, dt.datetime]],
    step: int,
) -> dt.datetime | None:
    """The earliest start on ``day`` at or after ``earliest``, on a ``step``-minute
    mark, that passes every booking rule (hours, break, buffer, DST)."""
    hours = practice.hours_on(day.weekday())
    if hours is None:
        return None
    tz = zone(practice.timezone)
    length = dt.timedelta(minutes=minutes)
    candidate = max(
        earliest.replace(second=0, microsecond=0), dt.datetime.combine(day, hours.start)
    )
    overshoot = (candidate.minute % step) if step > 1 else 0
    if overshoot:
        candidate += dt.timedelta(minutes=step - overshoot)
    close_at = dt.datetime.combine(day, hours.end)
    while candidate + length <= close_at:
        end = candidate + length
        buffer = practice.buffer_minutes
        clash = any(clashes(b_start, b_end, candidate, end, buffer) for b_start, b_end in busy)
        if (
            not clash
            and not _outside_hours(practice, candidate, end)
            and exists_locally(candidate, tz)
            and exists_locally(end, tz)
        ):
            return candidate
        candidate += dt.timedelta(minutes=step)
    return None


@reads
def suggest_start(
    day: dt.date,
    minutes: int,
    *,
    after: dt.datetime | None = None,
    exclude_id: int | None = None,
    step: int = 5,
) -> dt.datetime | None:
    """The first start on ``day`` (at or after ``after``) where ``minutes`` fit
    without breaking a rule, or None when the day has no room."""
    _validate_minutes(minutes)
    practice = get_practice()
    pad = dt.timedelta(minutes=practice.buffer_minutes)
    day_start = dt.datetime.combine(day, dt.time())
    busy = _busy_between(day_start - pad, day_start + dt.timedelta(days=1) + pad, exclude_id)
    return _first_fit(practice, day, minutes, after or day_start, busy, step)


@reads
def next_free_start(
    after: dt.datetime,
    minutes: int,
    *,
    days: int = 28,
    exclude_id: int | None = None,
    step: int = 15,
) -> dt.datetime | None:
    """The first free start from ``after`` on, looking ``days`` ahead (one query)."""
    _validate_minutes(minutes)
    practice = get_practice()
    pad = dt.timedelta(minutes=practice.buffer_minutes)
    first = after.date()
    end = dt.datetime.combine(first + dt.timedelta(days=days + 1), dt.time())
    busy = _busy_between(after - pad, end + pad, exclude_id)
    for offset in range(days + 1):
        day = first + dt.timedelta(days=offset)
        earliest = after if offset == 0 else dt.datetime.combine(day, dt.time())
        found = _first_fit(practice, day, minutes, earliest, busy, step)
        if found is not None:
            return found
    return None


@reads
def suggest_booking_start(
    minutes: int,
    now: dt.datetime,
    *,
    day: dt.date | None = None,
    after: dt.datetime | None = None,
    gap: Gap | None = None,
) -> dt.datetime | None:
    """Where a new booking starts unless the person says otherwise: in the
    chosen free ``gap`` (or, when ``minutes`` do not fit there, the next free
    start after it); else on ``day``, after the appointment ``after`` (and
    not before now); else the next free time from there or from now; else 09:00
    on ``day``."""
    if gap is not None:
        # A start that can be booked: in the gap when the length fits there,
        # else the next free time after it (never a time that is then refused).
        fit = suggest_start(gap.start.date(), minutes, after=gap.start)
        if fit is not None and fit < gap.end:
            return fit
        return next_free_start(max(gap.start, now), minutes, step=5) or gap.start
    if day is None:
        return next_free_start(now, minutes)
    earliest = dt.datetime.combine(day, dt.time())
    if after is not None:
        earliest = max(earliest, after)
    if day == now.date():
        earliest = max(earliest, now)
    fit = suggest_start(day, minutes, after=earliest)
    if fit is None and day >= now.date():
        fit = next_free_start(max(earliest, now), minutes)
    return fit or dt.datetime.combine(day, dt.time(9, 0))
