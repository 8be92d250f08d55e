"""Appointments and the day: booking, clash rules, status changes, free gaps.

Clash rule: two appointments clash when their half-open intervals
``[start, end)`` widened by the practice's buffer overlap. Back-to-back is
fine with a zero buffer; cancelled and no-show appointments never block.
Booking outside working hours (or on a day off, or in the break) needs
``allow_outside_hours=True``. A wall-clock time that does not exist on a
daylight-saving change day is refused with the nearest valid times.

Alert marks on each appointment: contraindication/precaution on file, first
visit (no earlier appointment that took place or is booked), note owed (the
appointment is completed, or booked and already over, and has no signed note).

Free gaps are the parts of working hours, outside the break, not covered by a
booked or completed appointment; gaps shorter than 15 minutes or no longer
than the buffer are changeover time and are not listed.
"""

from __future__ import annotations

import datetime as dt

import peewee as pw

from practice_tui.domain.dates import check_exists, zone
from practice_tui.domain.db import reads, writes
from practice_tui.domain.errors import ConflictError, NotFound, OutsideHoursError, ValidationError
from practice_tui.domain.models import (
    BLOCKING_STATUSES,
    Appointment,
    Client,
    Service,
    SessionNote,
    Status,
)
from practice_tui.domain.settings import get_practice
from practice_tui.domain.types import (
    AppointmentInfo,
    DayView,
    Gap,
    PracticeInfo,
    SlotCheck,
    display_name,
)

MIN_GAP_MINUTES = 15
MIN_MINUTES, MAX_MINUTES = 5, 8 * 60
LATE_CANCEL_HOURS = 24
MAX_REASON = 500
MAX_BOOKING_NOTE = 2000

_earlier = Appointment.alias("earlier")


def _info_query() -> pw.ModelSelect:
    """Appointments with client, service, note state and first-visit flag, one query."""
    first_visit = ~pw.fn.EXISTS(
        _earlier.select(pw.SQL("1")).where(
            (_earlier.client == Appointment.client)
            & (_earlier.start < Appointment.start)
            & (_earlier.status.in_(BLOCKING_STATUSES))
        )
    )
    return (
        Appointment.select(
            Appointment,
            Client.id,
            Client.first_name,
            Client.last_name,
            Client.preferred_name,
            Client.contraindications,
            Service.id,
            Service.name,
            SessionNote.id.alias("note_id"),
            SessionNote.signed_at.alias("note_signed_at"),
            first_visit.alias("is_first_visit"),
        )
        .join(Client, on=(Appointment.client == Client.id))
        .switch(Appointment)
        .join(Service, on=(Appointment.service == Service.id))
        .switch(Appointment)
        .join(SessionNote, pw.JOIN.LEFT_OUTER, on=(SessionNote.appointment == Appointment.id))
    )


def _info(row: Appointment, now: dt.datetime | None) -> AppointmentInfo:
    client = row.client
    note_id = getattr(row, "note_id", None)
    signed = getattr(row, "note_signed_at", None) is not None
    took_place = row.status == Status.COMPLETED.value or (
        row.status == Status.BOOKED.value and now is not None and row.end <= now
    )
    return AppointmentInfo(
        id=row.id,
        client_id=row.client_id,
        client_name=display_name(client.first_name, client.last_name, client.preferred_name),
        service_id=row.service_id,
        service_name=row.service.name,
        start=row.start,
        end=row.end,
        status=row.status,
        cancel_reason=row.cancel_reason,
        late_cancel=bool(row.late_cancel),
        booking_note=row.booking_note,
        plan_id=row.plan_id,
        plan_slot=row.plan_slot,
        plan_modified=bool(row.plan_modified),
        contraindications=client.contraindications,
        first_visit=bool(getattr(row, "is_first_visit", False)) and row.status in BLOCKING_STATUSES,
        note_owed=took_place and not signed,
        has_note=note_id is not None,
        note_signed=signed,
    )


@reads
def get_appointment(appointment_id: int, now: dt.datetime | None = None) -> AppointmentInfo:
    row = _info_query().where(Appointment.id == appointment_id).first()
    if row is None:
        raise NotFound("That appointment no longer exists.")
    return _info(row, now)


@reads
def appointments_between(
    first_day: dt.date, last_day: dt.date, now: dt.datetime | None = None
) -> tuple[AppointmentInfo, ...]:
    """Every appointment starting on ``first_day`` … ``last_day`` (inclusive), by start."""
    start = dt.datetime.combine(first_day, dt.time())
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time())
    rows = (
        _info_query()
        .where((Appointment.start >= start) & (Appointment.start < end))
        .order_by(Appointment.start, Appointment.id)
    )
    return tuple(_info(row, now) for row in rows)


@reads
def client_appointments(
    client_id: int, now: dt.datetime | None = None, *, limit: int | None = None
) -> tuple[AppointmentInfo, ...]:
    """One client's appointments, newest first."""
    rows = (
        _info_query()
        .where(Appointment.client == client_id)
        .order_by(Appointment.start.desc(), Appointment.id.desc())
    )
    if limit is not None:
        rows = rows.limit(limit)
    return tuple(_info(row, now) for row in rows)


# --- the rules ---------------------------------------------------------------


def _validate_minutes(minutes: int) -> None:
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValidationError(
            f"An appointment lasts {MIN_MINUTES} to {MAX_MINUTES} minutes.", field="minutes"
        )


def _outside_hours(practice: PracticeInfo, start: dt.datetime, end: dt.datetime) -> str:
    """Why ``[start, end)`` is outside working hours, or "" when it is inside."""
    day = practice.hours_on(start.weekday())
    if day is None:
        return f"{start:%A} is a day off."
    open_at = dt.datetime.combine(start.date(), day.start)
    close_at = dt.datetime.combine(start.date(), day.end)
    if start < open_at or end > close_at:
        return f"Outside working hours ({start:%a} {day.start:%H:%M}–{day.end:%H:%M})."
    if day.break_start and day.break_end:
        break_start = dt.datetime.combine(start.date(), day.break_start)
        break_end = dt.datetime.combine(start.date(), day.break_end)
        if start < break_end and break_start < end:
            return f"During the break ({day.break_start:%H:%M}–{day.break_end:%H:%M})."
    return ""


def _clashes(
    start: dt.datetime, end: dt.datetime, buffer: int, exclude_id: int | None
) -> tuple[AppointmentInfo, ...]:
    pad = dt.timedelta(minutes=buffer)
    query = _info_query().where(
        (Appointment.status.in_(BLOCKING_STATUSES))
        & (Appointment.start < end + pad)
        & (Appointment.end > start - pad)
    )
    if exclude_id is not None:
        query = query.where(Appointment.id != exclude_id)
    return tuple(_info(row, None) for row in query.order_by(Appointment.start))


def describe_clash(
    other: AppointmentInfo, start: dt.datetime, end: dt.datetime, buffer: int
) -> str:
    """ "Overlaps Maya Thompson 09:00–10:00" or, when only the buffer is crossed,
    "Too close to Maya Thompson 09:00–10:00 (15 min buffer)"."""
    when = f"{other.client_name} {other.start:%H:%M}–{other.end:%H:%M}"
    if other.start.date() != start.date():
        when = f"{other.client_name} {other.start:%a %d %b %H:%M}–{other.end:%H:%M}"
    if other.start < end and start < other.end:
        return f"Overlaps {when} ({other.service_name})"
    return f"Too close to {when} ({buffer} min buffer between sessions)"


def _check(
    practice: PracticeInfo,
    start: dt.datetime,
    end: dt.datetime,
    exclude_id: int | None,
) -> SlotCheck:
    invalid = ""
    tz = zone(practice.timezone)
    for moment in (start, end):
        try:
            check_exists(moment, tz)
        except ValidationError as error:
            invalid = error.message
            break
    conflicts = _clashes(start, end, practice.buffer_minutes, exclude_id)
    outside = _outside_hours(practice, start, end)
    messages = [invalid] if invalid else []
    messages += [describe_clash(c, start, end, practice.buffer_minutes) for c in conflicts]
    if outside:
        messages.append(outside)
    return SlotCheck(
        start=start,
        end=end,
        conflicts=conflicts,
        outside_hours=outside,
        invalid_time=invalid,
        messages=tuple(messages),
    )


@reads
def check_slot(start: dt.datetime, minutes: int, *, exclude_id: int | None = None) -> SlotCheck:
    """Everything that stands in the way of ``minutes`` from ``start``, without saving."""
    _validate_minutes(minutes)
    start = start.replace(second=0, microsecond=0)
    return _check(get_practice(), start, start + dt.timedelta(minutes=minutes), exclude_id)


def _enforce(check: SlotCheck, allow_outside_hours: bool) -> None:
    if check.invalid_time:
        raise ValidationError(check.invalid_time, field="start")
    if check.conflicts:
        raise ConflictError(
            "; ".join(m for m in check.messages if m.startswith(("Overlaps", "Too close"))) + ".",
            field="start",
            conflicts=check.conflicts,
        )
    if check.outside_hours and not allow_outside_hours:
        raise OutsideHoursError(check.outside_hours + " Confirm to book it anyway.", field="start")


def _clean_text(value: str, limit: int, label: str, field: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise ValidationError(f"{label} is too long (at most {limit} characters).", field=field)
    return value


@writes
def book_appointment(
    client_id: int,
    service_id: int,
    start: dt.datetime,
    *,
    minutes: int | None = None,
    booking_note: str = "",
    allow_outside_hours: bool = False,
    plan_id: int | None = None,
    plan_slot: dt.datetime | None = None,
) -> AppointmentInfo:
    """Book a visit; refuses clashes, and out-of-hours times unless allowed."""
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound("That client no longer exists.", field="client")
    if client.archived:
        raise ValidationError(
            f"{display_name(client.first_name, client.last_name)} is archived; "
            "unarchive the client to book.",
            field="client",
        )
    service = Service.get_or_none(Service.id == service_id)
    if service is None:
        raise NotFound("That service no longer exists.", field="service")
    minutes = service.minutes if minutes is None else minutes
    _validate_minutes(minutes)
    note = _clean_text(booking_note, MAX_BOOKING_NOTE, "The booking note", "booking_note")
    start = start.replace(second=0, microsecond=0)
    end = start + dt.timedelta(minutes=minutes)
    _enforce(_check(get_practice(), start, end, None), allow_outside_hours)
    row = Appointment.create(
        client=client_id,
        service=service_id,
        start=start,
        end=end,
        booking_note=note,
        plan=plan_id,
        plan_slot=plan_slot,
    )
    return get_appointment(row.id)


def _editable(appointment_id: int) -> Appointment:
    row = Appointment.get_or_none(Appointment.id == appointment_id)
    if row is None:
        raise NotFound("That appointment no longer exists.")
    signed = (
        SessionNote.select()
        .where((SessionNote.appointment == row.id) & SessionNote.signed_at.is_null(False))
        .exists()
    )
    if signed:
        raise ConflictError("This appointment has a signed note; it can no longer change.")
    return row


@writes
def edit_appointment(
    appointment_id: int,
    *,
    client_id: int | None = None,
    service_id: int | None = None,
    start: dt.datetime | None = None,
    minutes: int | None = None,
    booking_note: str | None = None,
    allow_outside_hours: bool = False,
) -> AppointmentInfo:
    """Change any part of a booked appointment; time changes pass the same checks
    as a new booking. A plan session changed by hand is marked so series edits
    leave it alone."""
    row = _editable(appointment_id)
    if row.status != Status.BOOKED.value:
        raise ConflictError(
            f"Only booked appointments can be edited (this one is {_status_word(row.status)})."
        )
    if client_id is not None and client_id != row.client_id:
        client = Client.get_or_none(Client.id == client_id)
        if client is None:
            raise NotFound("That client no longer exists.", field="client")
        if client.archived:
            raise ValidationError("That client is archived; unarchive to book.", field="client")
        row.client = client_id
    if service_id is not None and service_id != row.service_id:
        if Service.get_or_none(Service.id == service_id) is None:
            raise NotFound("That service no longer exists.", field="service")
        row.service = service_id
    new_start = (start or row.start).replace(second=0, microsecond=0)
    new_minutes = (
        minutes if minutes is not None else int((row.end - row.start).total_seconds() // 60)
    )
    _validate_minutes(new_minutes)
    new_end = new_start + dt.timedelta(minutes=new_minutes)
    if (new_start, new_end) != (row.start, row.end):
        _enforce(_check(get_practice(), new_start, new_end, row.id), allow_outside_hours)
        if row.plan_id is not None:
            row.plan_modified = True
    if booking_note is not None:
        row.booking_note = _clean_text(
            booking_note, MAX_BOOKING_NOTE, "The booking note", "booking_note"
        )
    if (service_id is not None or client_id is not None) and row.plan_id is not None:
        row.plan_modified = True
    row.start, row.end = new_start, new_end
    row.updated_at = dt.datetime.now().replace(microsecond=0)
    row.save()
    return get_appointment(row.id)


def move_appointment(
    appointment_id: int, start: dt.datetime, *, allow_outside_hours: bool = False
) -> AppointmentInfo:
    """Move to another date and time, keeping the length."""
    return edit_appointment(appointment_id, start=start, allow_outside_hours=allow_outside_hours)


def _status_word(status: str) -> str:
    return status.replace("_", "-")


@writes
def cancel_appointment(appointment_id: int, reason: str, *, now: dt.datetime) -> AppointmentInfo:
    """Cancel with a reason; within 24 hours of the start it is flagged a late cancel."""
    row = _editable(appointment_id)
    if row.status != Status.BOOKED.value:
        raise ConflictError(
            f"Only booked appointments can be cancelled (this one is {_status_word(row.status)})."
        )
    reason = _clean_text(reason, MAX_REASON, "The reason", "reason")
    if not reason:
        raise ValidationError("Give a reason for the cancellation.", field="reason")
    row.status = Status.CANCELLED.value
    row.cancel_reason = reason
    row.cancelled_at = now.replace(microsecond=0)
    row.late_cancel = row.start - now < dt.timedelta(hours=LATE_CANCEL_HOURS)
    row.updated_at = dt.datetime.now().replace(microsecond=0)
    row.save()
    return get_appointment(row.id, now)


@writes
def mark_no_show(appointment_id: int, *, now: dt.datetime) -> AppointmentInfo:
    row = _editable(appointment_id)
    if row.status != Status.BOOKED.value:
        raise ConflictError(
            "Only booked appointments can be marked no-show "
            f"(this one is {_status_word(row.status)})."
        )
    if row.start > now:
        raise ValidationError("This appointment has not started yet; it cannot be a no-show.")
    row.status = Status.NO_SHOW.value
    row.updated_at = dt.datetime.now().replace(microsecond=0)
    row.save()
    return get_appointment(row.id, now)


@writes
def mark_completed(appointment_id: int, *, now: dt.datetime) -> AppointmentInfo:
    row = Appointment.get_or_none(Appointment.id == appointment_id)
    if row is None:
        raise NotFound("That appointment no longer exists.")
    if row.status == Status.COMPLETED.value:
        return get_appointment(row.id, now)
    if row.status != Status.BOOKED.value:
        raise ConflictError(
            f"A {_status_word(row.status)} appointment cannot be completed; reopen it first."
        )
    if row.start > now:
        raise ValidationError("This appointment has not started yet.")
    row.status = Status.COMPLETED.value
    row.updated_at = dt.datetime.now().replace(microsecond=0)
    row.save()
    return get_appointment(row.id, now)


@writes
def reopen_appointment(appointment_id: int, *, now: dt.datetime) -> AppointmentInfo:
    """Undo a cancel, no-show or completion (a slip of the key): back to booked,
    if the time is still free."""
    row = _editable(appointment_id)
    if row.status == Status.BOOKED.value:
        return get_appointment(row.id, now)
    if row.status == Status.CANCELLED.value:
        check = _check(get_practice(), row.start, row.end, row.id)
        if check.conflicts:
            _enforce(check, True)
    row.status = Status.BOOKED.value
    row.cancel_reason = ""
    row.cancelled_at = None
    row.late_cancel = False
    row.updated_at = dt.datetime.now().replace(microsecond=0)
    row.save()
    return get_appointment(row.id, now)


# --- the day -----------------------------------------------------------------


def _gaps(
    practice: PracticeInfo, day: dt.date, appointments: tuple[AppointmentInfo, ...]
) -> list[Gap]:
    hours = practice.hours_on(day.weekday())
    if hours is None:
        return []
    open_at = dt.datetime.combine(day, hours.start)
    close_at = dt.datetime.combine(day, hours.end)
    busy = [(a.start, a.end) for a in appointments if a.blocks_time]
    result: list[Gap] = []
    if hours.break_start and hours.break_end:
        brk = Gap(
            dt.datetime.combine(day, hours.break_start),
            dt.datetime.combine(day, hours.break_end),
            "break",
        )
        result.append(brk)
        busy.append((brk.start, brk.end))
    busy.sort()
    cursor = open_at
    shortest = max(MIN_GAP_MINUTES, practice.buffer_minutes + 1)
    for start, end in busy + [(close_at, close_at)]:
        if start > cursor:
            gap_end = min(start, close_at)
            if (gap_end - cursor) >= dt.timedelta(minutes=shortest):
                result.append(Gap(cursor, gap_end))
        cursor = max(cursor, end)
        if cursor >= close_at:
            break
    # A break that an appointment overlaps is shown only around it.
    return result


def _sort_key(item: AppointmentInfo | Gap) -> tuple[dt.datetime, int, int]:
    if isinstance(item, Gap):
        return (item.start, 0 if item.kind == "free" else 1, 0)
    return (item.start, 2, item.id)


@reads
def day_view(day: dt.date, *, now: dt.datetime) -> DayView:
    """The day's appointments and free gaps, in time order, with counts."""
    practice = get_practice()
    appointments = appointments_between(day, day, now)
    gaps = _gaps(practice, day, appointments)
    free = [g for g in gaps if g.kind == "free"]
    free_minutes = sum(g.minutes for g in free)
    left = 0
    for gap in free:
        if gap.end > now:
            left += int((gap.end - max(gap.start, now)).total_seconds() // 60)
    items = sorted([*appointments, *gaps], key=_sort_key)
    return DayView(
        day=day,
        working=practice.hours_on(day.weekday()),
        items=tuple(items),
        booked=sum(a.status == Status.BOOKED.value for a in appointments),
        completed=sum(a.status == Status.COMPLETED.value for a in appointments),
        cancelled=sum(a.status == Status.CANCELLED.value for a in appointments),
        no_show=sum(a.status == Status.NO_SHOW.value for a in appointments),
        free_minutes=free_minutes,
        free_minutes_left=left,
        notes_owed=notes_owed_count(now),
    )


def _owed_condition(now: dt.datetime) -> pw.Expression:
    return (
        (Appointment.status == Status.COMPLETED.value)
        | ((Appointment.status == Status.BOOKED.value) & (Appointment.end <= now))
    ) & (SessionNote.signed_at.is_null(True))


@reads
def notes_owed_count(now: dt.datetime) -> int:
    """Appointments that took place (completed, or booked and over) without a signed note."""
    return (
        Appointment.select()
        .join(SessionNote, pw.JOIN.LEFT_OUTER, on=(SessionNote.appointment == Appointment.id))
        .where(_owed_condition(now))
        .count()
    )


@reads
def notes_owed(now: dt.datetime, *, limit: int = 500) -> tuple[AppointmentInfo, ...]:
    """The appointments whose note is owed, oldest first."""
    rows = (
        _info_query()
        .where(_owed_condition(now))
        .order_by(Appointment.start, Appointment.id)
        .limit(limit)
    )
    return tuple(_info(row, now) for row in rows)
