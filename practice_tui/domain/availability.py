"""Time off: dated blocks when the therapist does not work.

A block is one day, a range of days, or some hours of one day, with a label
(holiday, course, sick). Rules:

- Time off counts like time outside working hours: booking into it asks to
  confirm (``time_off_reason`` feeds the schedule's out-of-hours check), free
  gaps leave it out and the Today screen shows it in the day.
- A plan's preview marks dates in time off, and "Skip and save" skips them;
  open-ended plans never book into it when they top themselves up.
- Adding time off over booked appointments lists them (``AffectsBookings``)
  and, only after a confirm, cancels them with the reason "therapist
  unavailable" in the same transaction (``cancel_booked=True``); otherwise
  it is saved with ``keep_booked=True`` and they stay booked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from practice_tui.domain.db import reads, writes
from practice_tui.domain.errors import NotFound, ValidationError
from practice_tui.domain.models import Appointment, Status, TimeOff
from practice_tui.domain.time_off import (  # noqa: F401 — the public names stay here too
    _blocks_between,
    _info,
    _span,
    time_off_reason,
    time_off_spans,
    time_off_words,
)
from practice_tui.domain.types import AppointmentInfo, TimeOffInfo

UNAVAILABLE = "therapist unavailable"
MAX_DAYS = 366
MAX_LABEL = 100


@reads
def time_off_on(first_day: dt.date, last_day: dt.date | None = None) -> tuple[TimeOffInfo, ...]:
    """The blocks touching the days ``first_day``–``last_day``."""
    last_day = last_day or first_day
    return tuple(
        _blocks_between(
            dt.datetime.combine(first_day, dt.time()),
            dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time()),
        )
    )


@reads
def upcoming_time_off(today: dt.date, *, limit: int = 200) -> tuple[TimeOffInfo, ...]:
    """Blocks that end today or later, soonest first."""
    rows = (
        TimeOff.select()
        .where(TimeOff.last_day >= today)
        .order_by(TimeOff.first_day, TimeOff.start)
        .limit(limit)
    )
    return tuple(_info(row) for row in rows)


def check_time_off(
    first_day: dt.date,
    last_day: dt.date | None,
    start: dt.time | None,
    end: dt.time | None,
    label: str,
) -> tuple[dt.date, dt.date, dt.time | None, dt.time | None, str]:
    """The block cleaned, or a ``ValidationError`` naming the field."""
    last_day = last_day or first_day
    errors: dict[str, str] = {}
    if last_day < first_day:
        errors["last_day"] = "The last day is before the first day."
    elif (last_day - first_day).days >= MAX_DAYS:
        errors["last_day"] = "Time off is at most a year at a time."
    if (start is None) != (end is None):
        errors["hours"] = "Give both a start and an end time, or none for whole days."
    elif start is not None and end is not None:
        if end <= start:
            errors["hours"] = "The end time must come after the start time."
        elif last_day != first_day:
            errors["hours"] = "Hours off are for one day; leave the hours blank for several days."
    label = " ".join(label.split())
    if len(label) > MAX_LABEL:
        errors["label"] = f"The label is too long (at most {MAX_LABEL} characters)."
    elif any(ord(c) < 32 or ord(c) == 127 for c in label):
        errors["label"] = "The label holds control characters."
    if errors:
        raise ValidationError.from_errors(errors)
    return first_day, last_day, start, end, label or "Time off"


def _booked_inside(
    first_day: dt.date, last_day: dt.date, start: dt.time | None, end: dt.time | None
) -> list[AppointmentInfo]:
    from practice_tui.domain.appointments import get_appointment

    b_start, b_end = _span(first_day, last_day, start, end)
    rows = (
        Appointment.select(Appointment.id)
        .where(
            (Appointment.status == Status.BOOKED.value)
            & (Appointment.start < b_end)
            & (Appointment.end > b_start)
        )
        .order_by(Appointment.start)
    )
    return [get_appointment(row.id) for row in rows]


@reads
def booked_during(
    first_day: dt.date,
    last_day: dt.date | None = None,
    start: dt.time | None = None,
    end: dt.time | None = None,
) -> tuple[AppointmentInfo, ...]:
    """Booked appointments a block would cover (to list before saving it)."""
    first_day, last_day, start, end, _ = check_time_off(first_day, last_day, start, end, "")
    return tuple(_booked_inside(first_day, last_day, start, end))


def read_time_off_form(
    values: dict[str, str], today: dt.date
) -> tuple[dt.date, dt.date, dt.time | None, dt.time | None, str]:
    """The form's text (``first_day``, ``last_day`` blank = the same day and read
    from the first day, so ``next mon`` to ``fri`` is a week; ``hours``
    blank = whole days or ``14:00-16:00``, ``label``) read with every bad field named."""
    from practice_tui.domain.dates import parse_date, parse_time_range

    errors: dict[str, str] = {}
    first = last = None
    start = end = None
    try:
        first = parse_date(values.get("first_day", ""), today)
    except ValidationError as error:
        errors["first_day"] = error.message
    if values.get("last_day", "").strip():
        try:
            # Words count from the first day: "mon" to "fri" is one working week.
            last = parse_date(values["last_day"], first or today)
        except ValidationError as error:
            errors["last_day"] = error.message
    if values.get("hours", "").strip():
        try:
            start, end = parse_time_range(values["hours"])
        except ValidationError as error:
            errors["hours"] = error.message
    if errors or first is None:
        raise ValidationError.from_errors(errors)
    return check_time_off(first, last, start, end, values.get("label", ""))


@writes
def add_time_off(
    first_day: dt.date,
    last_day: dt.date | None = None,
    start: dt.time | None = None,
    end: dt.time | None = None,
    label: str = "",
    *,
    now: dt.datetime,
    cancel_booked: bool = False,
    keep_booked: bool = False,
) -> tuple[TimeOffInfo, tuple[AppointmentInfo, ...]]:
    """Save a block; returns it with the appointments cancelled for it.

    Over booked appointments it refuses (``AffectsBookings`` lists them) unless
    told to cancel them ("therapist unavailable") or keep them."""
    from practice_tui.domain.schedule import cancel_appointment
    from practice_tui.domain.settings import AffectsBookings

    first_day, last_day, start, end, label = check_time_off(first_day, last_day, start, end, label)
    booked = _booked_inside(first_day, last_day, start, end)
    if booked and not (cancel_booked or keep_booked):
        raise AffectsBookings(
            f"{len(booked)} appointment{'s are' if len(booked) > 1 else ' is'} booked in this "
            "time off.",
            conflicts=booked,
        )
    row = TimeOff.create(first_day=first_day, last_day=last_day, start=start, end=end, label=label)
    cancelled: list[AppointmentInfo] = []
    if cancel_booked:
        for item in booked:
            cancelled.append(cancel_appointment(item.id, UNAVAILABLE, now=now))
        # The therapist cancelled: never a client's late cancel.
        Appointment.update(late_cancel=False).where(
            Appointment.id.in_([item.id for item in booked])
        ).execute()
        cancelled = [dataclasses.replace(item, late_cancel=False) for item in cancelled]
    return _info(row), tuple(cancelled)


@writes
def delete_time_off(time_off_id: int) -> None:
    """Remove a block (the appointments it cancelled stay cancelled)."""
    deleted = TimeOff.delete().where(TimeOff.id == time_off_id).execute()
    if not deleted:
        raise NotFound("That time off no longer exists.")
