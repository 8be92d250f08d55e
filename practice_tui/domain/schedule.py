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
than the buffer are changeover time and are not listed. A break that an
appointment was booked into (with the override) is shown only around it.

For the Today screen: ``day_agenda`` (the day view plus the session on now,
the next one and each plan session's place in its series), ``week_overview``,
``suggest_start``/``next_free_start`` (the first start where a length fits
every rule), ``usual_service``, ``allowed_actions`` (which changes the rules
allow on an appointment at a given moment, so a screen offers only those) and
``appointment_details`` with the client's ``last_session`` (read only).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import peewee as pw

from practice_tui.domain.dates import check_exists, exists_locally, zone
from practice_tui.domain.db import reads, writes
from practice_tui.domain.errors import ConflictError, NotFound, OutsideHoursError, ValidationError
from practice_tui.domain.models import (
    BLOCKING_STATUSES,
    Appointment,
    Client,
    Plan,
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
    WorkingDay,
    display_name,
)
from practice_tui.domain.versions import check_version
from practice_tui.domain.vocab import format_areas, format_techniques

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
        # Outer joins: a row whose client or service another program deleted
        # is still shown (as missing), never silently left out.
        .join(Client, pw.JOIN.LEFT_OUTER, on=(Appointment.client == Client.id))
        .switch(Appointment)
        .join(Service, pw.JOIN.LEFT_OUTER, on=(Appointment.service == Service.id))
        .switch(Appointment)
        .join(SessionNote, pw.JOIN.LEFT_OUTER, on=(SessionNote.appointment == Appointment.id))
    )


def _joined_model(row: Appointment, name: str, model: type[pw.Model]) -> pw.Model | None:
    """The joined client or service of ``row``, or None when another program
    deleted it (never a lazy query that raises ``DoesNotExist``)."""
    related = row.__rel__.get(name)
    if related is None or getattr(related, "id", None) is None:
        return None
    return related


def _joined(row: Appointment, name: str) -> object:
    """A column selected from the joined note. peewee puts aliased columns of a
    joined model on that model (``row.sessionnote``), not on the row itself."""
    if name in row.__dict__:
        return row.__dict__[name]
    note = row.__dict__.get("sessionnote")
    return getattr(note, name, None) if note is not None else None


def _info(row: Appointment, now: dt.datetime | None) -> AppointmentInfo:
    client = _joined_model(row, "client", Client)
    service = _joined_model(row, "service", Service)
    client_name = (
        display_name(client.first_name, client.last_name, client.preferred_name)
        if client is not None
        else f"(missing client #{row.client_id})"
    )
    service_name = service.name if service is not None else f"(missing service #{row.service_id})"
    note_id = _joined(row, "note_id")
    signed = _joined(row, "note_signed_at") is not None
    took_place = row.status == Status.COMPLETED.value or (
        row.status == Status.BOOKED.value and now is not None and row.end <= now
    )
    return AppointmentInfo(
        id=row.id,
        client_id=row.client_id,
        client_name=client_name,
        service_id=row.service_id,
        service_name=service_name,
        start=row.start,
        end=row.end,
        status=row.status,
        cancel_reason=row.cancel_reason,
        late_cancel=bool(row.late_cancel),
        booking_note=row.booking_note,
        plan_id=row.plan_id,
        plan_slot=row.plan_slot,
        plan_modified=bool(row.plan_modified),
        contraindications=client.contraindications if client is not None else "",
        first_visit=bool(getattr(row, "is_first_visit", False)) and row.status in BLOCKING_STATUSES,
        note_owed=took_place and not signed,
        has_note=note_id is not None,
        note_signed=signed,
        version=row.version,
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
    """Every appointment on ``first_day`` … ``last_day`` (inclusive), by start:
    one that crosses midnight into the first day is shown there too."""
    start = dt.datetime.combine(first_day, dt.time())
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time())
    rows = (
        _info_query()
        .where(
            (Appointment.start >= start - dt.timedelta(days=1))  # keeps the index useful
            & (Appointment.start < end)
            & (Appointment.end > start)
        )
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
    conflicts: tuple[AppointmentInfo, ...] | None = None,
) -> SlotCheck:
    invalid = ""
    tz = zone(practice.timezone)
    for moment in (start, end):
        try:
            check_exists(moment, tz)
        except ValidationError as error:
            invalid = error.message
            break
    if conflicts is None:
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


@reads
def check_slots(
    starts: Sequence[dt.datetime], minutes: int, *, exclude_id: int | None = None
) -> tuple[SlotCheck, ...]:
    """``check_slot`` for many times at once (a plan's dates): one query for
    every appointment in their span instead of one per time, same answers."""
    _validate_minutes(minutes)
    if not starts:
        return ()
    practice = get_practice()
    pad = dt.timedelta(minutes=practice.buffer_minutes)
    length = dt.timedelta(minutes=minutes)
    slots = [s.replace(second=0, microsecond=0) for s in starts]
    query = _info_query().where(
        (Appointment.status.in_(BLOCKING_STATUSES))
        & (Appointment.start < max(slots) + length + pad)
        & (Appointment.end > min(slots) - pad)
    )
    if exclude_id is not None:
        query = query.where(Appointment.id != exclude_id)
    booked = [_info(row, None) for row in query.order_by(Appointment.start, Appointment.id)]
    booked_starts = [a.start for a in booked]
    longest = max((a.end - a.start for a in booked), default=dt.timedelta(0))
    checks = []
    for start in slots:
        end = start + length
        first = bisect.bisect_left(booked_starts, start - pad - longest)
        last = bisect.bisect_left(booked_starts, end + pad)
        conflicts = tuple(a for a in booked[first:last] if a.end > start - pad)
        checks.append(_check(practice, start, end, exclude_id, conflicts))
    return tuple(checks)


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


def bookable(client_id: int, service_id: int, *, purpose: str = "book") -> tuple[Client, Service]:
    """The client and service of a new booking or plan: both must exist, and an
    archived client must be brought back first. Call inside a service."""
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound("That client no longer exists.", field="client")
    if client.archived:
        raise ValidationError(
            f"{display_name(client.first_name, client.last_name)} is archived; "
            f"unarchive the client to {purpose}.",
            field="client",
        )
    service = Service.get_or_none(Service.id == service_id)
    if service is None:
        raise NotFound("That service no longer exists.", field="service")
    return client, service


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
    _, service = bookable(client_id, service_id)
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
    expected_version: int | None = None,
) -> AppointmentInfo:
    """Change any part of a booked appointment; time changes pass the same checks
    as a new booking. A plan session changed by hand is marked so series edits
    leave it alone. With ``expected_version`` (what the form read), a change
    made elsewhere since is refused (``StaleRecordError``)."""
    check_version(
        "appointment", Appointment.get_or_none(Appointment.id == appointment_id), expected_version
    )
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
    appointment_id: int,
    start: dt.datetime,
    *,
    allow_outside_hours: bool = False,
    expected_version: int | None = None,
) -> AppointmentInfo:
    """Move to another date and time, keeping the length."""
    return edit_appointment(
        appointment_id,
        start=start,
        allow_outside_hours=allow_outside_hours,
        expected_version=expected_version,
    )


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


def _subtract(
    start: dt.datetime, end: dt.datetime, busy: list[tuple[dt.datetime, dt.datetime]]
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The parts of ``[start, end)`` that no interval in ``busy`` covers."""
    pieces: list[tuple[dt.datetime, dt.datetime]] = []
    cursor = start
    for b_start, b_end in sorted(busy):
        if b_end <= cursor or b_start >= end:
            continue
        if b_start > cursor:
            pieces.append((cursor, b_start))
        cursor = max(cursor, b_end)
        if cursor >= end:
            break
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


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
    taken = list(busy)
    if hours.break_start and hours.break_end:
        brk_start = dt.datetime.combine(day, hours.break_start)
        brk_end = dt.datetime.combine(day, hours.break_end)
        # An appointment booked into the break (with the override) takes that
        # part of it: the break is shown only around it, never under it.
        for start, end in _subtract(brk_start, brk_end, busy):
            result.append(Gap(start, end, "break"))
        taken.append((brk_start, brk_end))
    shortest = dt.timedelta(minutes=max(MIN_GAP_MINUTES, practice.buffer_minutes + 1))
    for start, end in _subtract(open_at, close_at, taken):
        if end - start >= shortest:
            result.append(Gap(start, end))
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


# --- what can be done with one appointment ------------------------------------


def is_late_cancel(start: dt.datetime, now: dt.datetime) -> bool:
    """A cancel within 24 hours of the start (or after it) is a late cancel."""
    return start - now < dt.timedelta(hours=LATE_CANCEL_HOURS)


def allowed_actions(info: AppointmentInfo, now: dt.datetime) -> frozenset[str]:
    """The changes the rules allow on ``info`` at ``now``, so a screen offers only those.

    ``edit``/``move``/``cancel`` need a booked appointment without a signed note;
    ``no_show``/``complete`` also need it to have started; ``note`` needs a
    session that took place (or a note already written); ``reopen`` undoes a
    cancel, no-show or completion while no signed note locks it.
    """
    actions = {"details", "profile"}
    booked = info.status == Status.BOOKED.value
    started = info.start <= now
    if booked and not info.note_signed:
        actions |= {"edit", "move", "cancel"}
        if started:
            actions |= {"no_show", "complete"}
    if info.status == Status.COMPLETED.value or (booked and started) or info.has_note:
        actions.add("note")
    if not booked and not info.note_signed:
        actions.add("reopen")
    return frozenset(actions)


# --- the day and the week as the Today screen shows them -----------------------


@dataclass(frozen=True)
class DayAgenda:
    """One day as the Today screen shows it: the day view plus what the
    therapist looks at first (which session is on now, which comes next, where
    a plan session sits in its series)."""

    view: DayView
    practice_name: str
    #: The appointment taking place at ``now`` (only on the current day).
    now_id: int | None = None
    #: The next booked appointment still to start (only on the current day).
    next_id: int | None = None
    #: ``(appointment id, session number, sessions in the plan or None)``.
    plan_positions: tuple[tuple[int, int, int | None], ...] = ()
    #: The moment the agenda was read (what is past is shown as past).
    now: dt.datetime | None = None

    def plan_position(self, appointment_id: int) -> tuple[int, int | None] | None:
        for key, number, total in self.plan_positions:
            if key == appointment_id:
                return number, total
        return None


def _plan_positions(
    appointments: tuple[AppointmentInfo, ...],
) -> tuple[tuple[int, int, int | None], ...]:
    """Where each plan session sits in its series: its slot's rank among the
    plan's appointments; the total is the plan's count, or the sessions made so
    far for a plan that runs to a date or without end."""
    wanted = {a.id for a in appointments if a.plan_id is not None}
    if not wanted:
        return ()
    plan_ids = {a.plan_id for a in appointments if a.plan_id is not None}
    counts = {
        row.id: row.count for row in Plan.select(Plan.id, Plan.count).where(Plan.id.in_(plan_ids))
    }
    order = pw.fn.COALESCE(Appointment.plan_slot, Appointment.start)
    rows = (
        Appointment.select(Appointment.id, Appointment.plan)
        .where(Appointment.plan.in_(plan_ids))
        .order_by(Appointment.plan, order, Appointment.id)
        .tuples()
    )
    by_plan: dict[int, list[int]] = {}
    for appointment_id, plan_id in rows:
        by_plan.setdefault(plan_id, []).append(appointment_id)
    result = []
    for plan_id, ids in by_plan.items():
        total = counts.get(plan_id) or None
        for index, appointment_id in enumerate(ids, start=1):
            if appointment_id in wanted:
                result.append((appointment_id, index, total if total else len(ids)))
    return tuple(sorted(result))


def _now_and_next(
    appointments: tuple[AppointmentInfo, ...], day: dt.date, now: dt.datetime
) -> tuple[int | None, int | None]:
    if day != now.date():
        return None, None
    current = next((a.id for a in appointments if a.blocks_time and a.start <= now < a.end), None)
    upcoming = next(
        (a.id for a in appointments if a.status == Status.BOOKED.value and a.start > now), None
    )
    return current, upcoming


@reads
def day_agenda(day: dt.date, *, now: dt.datetime) -> DayAgenda:
    """The day for the Today screen, in one consistent read."""
    view = day_view(day, now=now)
    current, upcoming = _now_and_next(view.appointments, day, now)
    return DayAgenda(
        view=view,
        practice_name=get_practice().name,
        now_id=current,
        next_id=upcoming,
        plan_positions=_plan_positions(view.appointments),
        now=now,
    )


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekDay:
    day: dt.date
    working: WorkingDay | None
    appointments: tuple[AppointmentInfo, ...]
    free_minutes: int

    def count(self, status: str) -> int:
        return sum(a.status == status for a in self.appointments)


@dataclass(frozen=True)
class WeekOverview:
    """Seven days from a Monday, each with its appointments and free time."""

    first_day: dt.date
    days: tuple[WeekDay, ...]
    notes_owed: int

    @property
    def last_day(self) -> dt.date:
        return self.first_day + dt.timedelta(days=6)

    def count(self, status: str) -> int:
        return sum(day.count(status) for day in self.days)

    @property
    def free_minutes(self) -> int:
        return sum(day.free_minutes for day in self.days)


@reads
def week_overview(day: dt.date, *, now: dt.datetime) -> WeekOverview:
    """The week (Monday to Sunday) holding ``day``, with one query for its appointments."""
    first = week_start(day)
    practice = get_practice()
    appointments = appointments_between(first, first + dt.timedelta(days=6), now)
    days = []
    for offset in range(7):
        date = first + dt.timedelta(days=offset)
        todays = tuple(a for a in appointments if a.start.date() == date)
        gaps = _gaps(practice, date, todays)
        days.append(
            WeekDay(
                day=date,
                working=practice.hours_on(date.weekday()),
                appointments=todays,
                free_minutes=sum(g.minutes for g in gaps if g.kind == "free"),
            )
        )
    return WeekOverview(first_day=first, days=tuple(days), notes_owed=notes_owed_count(now))


# --- finding a free time --------------------------------------------------------


def _busy_between(
    start: dt.datetime, end: dt.datetime, exclude_id: int | None
) -> list[tuple[dt.datetime, dt.datetime]]:
    query = Appointment.select(Appointment.start, Appointment.end).where(
        Appointment.status.in_(BLOCKING_STATUSES)
        & (Appointment.start < end)
        & (Appointment.end > start)
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
    pad = dt.timedelta(minutes=practice.buffer_minutes)
    candidate = max(
        earliest.replace(second=0, microsecond=0), dt.datetime.combine(day, hours.start)
    )
    overshoot = (candidate.minute % step) if step > 1 else 0
    if overshoot:
        candidate += dt.timedelta(minutes=step - overshoot)
    close_at = dt.datetime.combine(day, hours.end)
    while candidate + length <= close_at:
        end = candidate + length
        clash = any(b_start < end + pad and b_end > candidate - pad for b_start, b_end in busy)
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
def usual_service(client_id: int | None = None) -> int | None:
    """The service to offer first: the client's latest kept booking's, else the
    practice's most booked active service, else the first active one."""
    active = Service.active == True  # noqa: E712
    if client_id is not None:
        row = (
            Appointment.select(Appointment.service)
            .join(Service, on=(Appointment.service == Service.id))
            .where(
                (Appointment.client == client_id)
                & Appointment.status.in_(BLOCKING_STATUSES)
                & active
            )
            .order_by(Appointment.start.desc())
            .first()
        )
        if row is not None:
            return row.service_id
    row = (
        Service.select(Service.id, pw.fn.COUNT(Appointment.id).alias("uses"))
        .join(
            Appointment,
            pw.JOIN.LEFT_OUTER,
            on=(Appointment.service == Service.id) & Appointment.status.in_(BLOCKING_STATUSES),
        )
        .where(active)
        .group_by(Service.id)
        .order_by(pw.SQL("uses").desc(), Service.name)
        .first()
    )
    return row.id if row is not None else None


# --- the details of one appointment ----------------------------------------------


@dataclass(frozen=True)
class LastSession:
    """The client's previous session (the latest completed one before this
    appointment) and, when it has one, what its note says."""

    appointment_id: int
    start: dt.datetime
    service_name: str
    has_note: bool = False
    signed: bool = False
    pain_before: int | None = None
    pain_after: int | None = None
    areas: str = ""
    techniques: str = ""
    pressure: str = ""
    assessment: str = ""
    plan_text: str = ""
    home_care: str = ""


@dataclass(frozen=True)
class AppointmentDetails:
    appointment: AppointmentInfo
    phone: str
    email: str
    pressure_preference: str
    conditions: str
    medications: str
    allergies: str
    complaint: str
    referring_provider: str
    #: ``(session number, sessions in the plan)`` for a plan session.
    plan_position: tuple[int, int | None] | None
    #: Sessions that took place before this one.
    visits_before: int
    last_session: LastSession | None
    actions: frozenset[str]
    #: Whether cancelling now would be a late cancel.
    late_if_cancelled_now: bool


@reads
def last_session(client_id: int, before: dt.datetime) -> LastSession | None:
    """The client's latest completed session before ``before``, with its note
    (read only; notes are written on the Sessions screen)."""
    row = (
        Appointment.select(Appointment.id, Appointment.start, Service.name)
        .join(Service, on=(Appointment.service == Service.id))
        .where(
            (Appointment.client == client_id)
            & (Appointment.start < before)
            & (Appointment.status == Status.COMPLETED.value)
        )
        .order_by(Appointment.start.desc(), Appointment.id.desc())
        .first()
    )
    if row is None:
        return None
    base = LastSession(appointment_id=row.id, start=row.start, service_name=row.service.name)
    note = SessionNote.get_or_none(SessionNote.appointment == row.id)
    if note is None:
        return base
    return dataclasses.replace(
        base,
        has_note=True,
        signed=note.signed_at is not None,
        pain_before=note.pain_before,
        pain_after=note.pain_after,
        areas=format_areas(note.areas),
        techniques=format_techniques(note.techniques),
        pressure=note.pressure,
        assessment=note.assessment,
        plan_text=note.plan_text,
        home_care=", ".join(note.home_care),
    )


@reads
def appointment_details(appointment_id: int, *, now: dt.datetime) -> AppointmentDetails:
    """Everything the details panel shows, in one consistent read."""
    info = get_appointment(appointment_id, now)
    client = Client.get_by_id(info.client_id)
    visits_before = (
        Appointment.select()
        .where(
            (Appointment.client == info.client_id)
            & (Appointment.start < info.start)
            & (Appointment.status == Status.COMPLETED.value)
        )
        .count()
    )
    return AppointmentDetails(
        appointment=info,
        phone=client.phone,
        email=client.email,
        pressure_preference=client.pressure_preference,
        conditions=client.conditions,
        medications=client.medications,
        allergies=client.allergies,
        complaint=client.complaint,
        referring_provider=client.referring_provider,
        plan_position=dict(
            ((key, (number, total)) for key, number, total in _plan_positions((info,)))
        ).get(info.id),
        visits_before=visits_before,
        last_session=last_session(info.client_id, info.start),
        actions=allowed_actions(info, now),
        late_if_cancelled_now=is_late_cancel(info.start, now),
    )
