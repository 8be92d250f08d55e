"""Booking rules and the changes made to an appointment: book, edit, move,
cancel, no-show, complete, reopen; and finding a free time.

Clash rule: two appointments clash when their half-open intervals
``[start, end)`` widened by the practice's buffer overlap. Back-to-back is
fine with a zero buffer; cancelled and no-show appointments never block.
Booking outside working hours (or on a day off, or in the break) needs
``allow_outside_hours=True``. A wall-clock time that does not exist on a
daylight-saving change day is refused with the nearest valid times.

``usual_service`` gives the service to offer first (finding a free time for
it is ``free_time``);
``allowed_actions`` which changes the rules allow on an appointment at a given
moment, so a screen offers only those. Reading appointments is in
``appointments``; the Today views in ``today``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import peewee as pw

from practice_tui.domain import audit
from practice_tui.domain.appointments import (
    appointment_info,
    get_appointment,
    info_query,
)
from practice_tui.domain.clock import practice_now
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
from practice_tui.domain.packages import on_status_change
from practice_tui.domain.payments import fee_for
from practice_tui.domain.settings import get_practice, late_cancel_hours
from practice_tui.domain.time_off import blocks_between, time_off_reason
from practice_tui.domain.types import (
    AppointmentInfo,
    PracticeInfo,
    SlotCheck,
    TimeOffInfo,
    display_name,
)
from practice_tui.domain.versions import check_version
from practice_tui.domain.words import slot_short, span

MIN_MINUTES, MAX_MINUTES = 5, 8 * 60
MAX_REASON = 500
MAX_BOOKING_NOTE = 2000


# --- the rules ---------------------------------------------------------------


def _validate_minutes(minutes: int) -> None:
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValidationError(
            f"An appointment lasts {MIN_MINUTES} to {MAX_MINUTES} minutes.", field="minutes"
        )


def _outside_hours(
    practice: PracticeInfo,
    start: dt.datetime,
    end: dt.datetime,
    time_off: Sequence[TimeOffInfo] | None = None,
) -> str:
    """Why ``[start, end)`` is outside working hours, or "" when it is inside.
    Time off counts as outside working hours."""
    if off := time_off_reason(start, end, time_off):
        return off
    day = practice.hours_on(start.weekday())
    if day is None:
        return f"{start:%A} is a day off."
    open_at = dt.datetime.combine(start.date(), day.start)
    close_at = dt.datetime.combine(start.date(), day.end)
    if start < open_at or end > close_at:
        return f"Outside working hours ({start:%a} {span(day.start, day.end)})."
    if day.break_start and day.break_end:
        break_start = dt.datetime.combine(start.date(), day.break_start)
        break_end = dt.datetime.combine(start.date(), day.break_end)
        if start < break_end and break_start < end:
            return f"During the break ({span(day.break_start, day.break_end)})."
    return ""


def clashes(
    other_start: Any, other_end: Any, start: dt.datetime, end: dt.datetime, buffer: int
) -> Any:
    """The clash rule, once: a session ``[other_start, other_end)`` clashes with
    ``[start, end)`` when they overlap once ``[start, end)`` is widened by the
    buffer on both sides. Works on datetimes (a bool) and on model fields (an
    SQL condition), so the query and the search for a free time agree."""
    pad = dt.timedelta(minutes=buffer)
    return (other_start < end + pad) & (other_end > start - pad)


def _clashes(
    start: dt.datetime, end: dt.datetime, buffer: int, exclude_id: int | None
) -> tuple[AppointmentInfo, ...]:
    # No appointment is longer than MAX_MINUTES, so one that reaches this slot
    # starts at most that long before it: the lower bound lets the index on
    # ``start`` read a few rows instead of every earlier appointment.
    earliest = start - dt.timedelta(minutes=buffer + MAX_MINUTES)
    query = info_query().where(
        (Appointment.status.in_(BLOCKING_STATUSES))
        & (Appointment.start > earliest)
        & clashes(Appointment.start, Appointment.end, start, end, buffer)
    )
    if exclude_id is not None:
        query = query.where(Appointment.id != exclude_id)
    return tuple(appointment_info(row, None) for row in query.order_by(Appointment.start))


def describe_clash(
    other: AppointmentInfo, start: dt.datetime, end: dt.datetime, buffer: int
) -> str:
    """ "Overlaps Maya Thompson 09:00–10:00" or, when only the buffer is crossed,
    "Too close to Maya Thompson 09:00–10:00 (15 min buffer)"."""
    when = f"{other.client_name} {span(other.start, other.end)}"
    if other.start.date() != start.date():
        when = f"{other.client_name} {slot_short(other.start, other.end)}"
    if other.start < end and start < other.end:
        return f"Overlaps {when} ({other.service_name})"
    return f"Too close to {when} ({buffer} min buffer between sessions)"


def _check(
    practice: PracticeInfo,
    start: dt.datetime,
    end: dt.datetime,
    exclude_id: int | None,
    nearby: Sequence[AppointmentInfo] | None = None,
    time_off: Sequence[TimeOffInfo] | None = None,
) -> SlotCheck:
    invalid = ""
    tz = zone(practice.timezone)
    for moment in (start, end):
        try:
            check_exists(moment, tz)
        except ValidationError as error:
            invalid = error.message
            break
    buffer = practice.buffer_minutes
    if nearby is None:
        conflicts = _clashes(start, end, buffer, exclude_id)
    else:
        conflicts = tuple(c for c in nearby if clashes(c.start, c.end, start, end, buffer))
    outside = _outside_hours(practice, start, end, time_off)
    clash_messages = tuple(describe_clash(c, start, end, buffer) for c in conflicts)
    messages = [invalid] if invalid else []
    messages += clash_messages
    if outside:
        messages.append(outside)
    return SlotCheck(
        start=start,
        end=end,
        conflicts=conflicts,
        outside_hours=outside,
        invalid_time=invalid,
        clash_messages=clash_messages,
        messages=tuple(messages),
    )


@reads
def check_slot(
    start: dt.datetime,
    minutes: int,
    *,
    exclude_id: int | None = None,
    practice: PracticeInfo | None = None,
) -> SlotCheck:
    """Everything that stands in the way of ``minutes`` from ``start``, without saving.

    ``practice`` saves reading the settings again when many slots are checked
    in one go (a plan's preview)."""
    _validate_minutes(minutes)
    start = start.replace(second=0, microsecond=0)
    end = start + dt.timedelta(minutes=minutes)
    return _check(practice or get_practice(), start, end, exclude_id)


@reads
def check_slots(
    slots: Sequence[tuple[dt.datetime, int]], *, practice: PracticeInfo | None = None
) -> list[SlotCheck]:
    """``check_slot`` for many slots (a plan's dates), with one query for the
    appointments and one for the time off around all of them, not one per slot."""
    practice = practice or get_practice()
    bounds = []
    for start, minutes in slots:
        _validate_minutes(minutes)
        start = start.replace(second=0, microsecond=0)
        bounds.append((start, start + dt.timedelta(minutes=minutes)))
    if not bounds:
        return []
    first, last = min(start for start, _ in bounds), max(end for _, end in bounds)
    nearby = _clashes(first, last, practice.buffer_minutes, None)
    off = blocks_between(first, last)
    return [_check(practice, start, end, None, nearby, off) for start, end in bounds]


def _enforce(check: SlotCheck, allow_outside_hours: bool) -> None:
    if check.invalid_time:
        raise ValidationError(check.invalid_time, field="start")
    if check.conflicts:
        raise ConflictError(
            "; ".join(check.clash_messages) + ".",
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


def _bookable_client(client_id: int, purpose: str) -> Client:
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound("That client no longer exists.", field="client")
    if client.archived:
        raise ValidationError(
            f"{display_name(client.first_name, client.last_name)} is archived; "
            f"unarchive the client to {purpose}.",
            field="client",
        )
    return client


def _bookable_service(service_id: int) -> Service:
    service = Service.get_or_none(Service.id == service_id)
    if service is None:
        raise NotFound("That service no longer exists.", field="service")
    return service


def bookable(client_id: int, service_id: int, *, purpose: str = "book") -> tuple[Client, Service]:
    """The client and service of a booking, an edit or a plan: both must exist,
    and an archived client must be brought back first. Call inside a service."""
    return _bookable_client(client_id, purpose), _bookable_service(service_id)


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
        fee_cents=fee_for(client_id, service_id),
    )
    audit.record("appointment", row.id, "create")
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
    check_version("appointment", Appointment.get_or_none(id=appointment_id), expected_version)
    row = _editable(appointment_id)
    before = audit.stored_values("appointment", appointment_id)
    if row.status != Status.BOOKED.value:
        raise ConflictError(
            f"Only booked appointments can be edited (this one is {_status_word(row.status)})."
        )
    if client_id is not None and client_id != row.client_id:
        row.client = _bookable_client(client_id, "book").id
    if service_id is not None and service_id != row.service_id:
        row.service = _bookable_service(service_id).id
        row.fee_cents = fee_for(row.client_id, service_id)
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
    row.updated_at = practice_now()
    row.save()
    changed = audit.changed_fields(before, audit.stored_values("appointment", row.id))
    audit.record("appointment", row.id, "change", fields=changed)
    return get_appointment(row.id)


def move_appointment(appointment_id: int, start: dt.datetime, **options: Any) -> AppointmentInfo:
    """Move to another date and time, keeping the length (``allow_outside_hours``
    and ``expected_version`` as for ``edit_appointment``)."""
    return edit_appointment(appointment_id, start=start, **options)


def set_status(
    appointment_ids: Iterable[int],
    status: Status,
    *,
    now: dt.datetime,
    reason: str = "",
    late: bool = False,
    only_booked: bool = False,
) -> None:
    """The one place an appointment's status is written (call inside a service,
    after its checks). Cancelling records the reason, the moment and whether it
    was late; any other status clears them. Completing draws a package session;
    going back to booked gives it back and waives a cancellation fee."""
    cancelled = status == Status.CANCELLED
    ids = list(appointment_ids)
    if only_booked:
        ids = [
            row.id
            for row in Appointment.select(Appointment.id).where(
                Appointment.id.in_(ids) & (Appointment.status == Status.BOOKED.value)
            )
        ]
    query = Appointment.update(
        status=status.value,
        cancel_reason=reason if cancelled else "",
        cancelled_at=now.replace(microsecond=0) if cancelled else None,
        late_cancel=late and cancelled,
        updated_at=practice_now(),
    ).where(Appointment.id.in_(ids))
    if only_booked:
        query = query.where(Appointment.status == Status.BOOKED.value)
    query.execute()
    if status in (Status.COMPLETED, Status.BOOKED):
        for appointment_id in ids:
            on_status_change(appointment_id, status.value, now)
    audit.record_many("appointment", ids, _STATUS_ACTIONS[status], fields=("status",))


_STATUS_ACTIONS = {
    Status.CANCELLED: "cancel",
    Status.NO_SHOW: "no_show",
    Status.COMPLETED: "complete",
    Status.BOOKED: "reopen",
}


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
    set_status(
        [row.id], Status.CANCELLED, now=now, reason=reason, late=is_late_cancel(row.start, now)
    )
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
    set_status([row.id], Status.NO_SHOW, now=now)
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
    set_status([row.id], Status.COMPLETED, now=now)
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
    set_status([row.id], Status.BOOKED, now=now)
    return get_appointment(row.id, now)


# --- the day -----------------------------------------------------------------


# --- what can be done with one appointment ------------------------------------


def is_late_cancel(start: dt.datetime, now: dt.datetime, hours: int | None = None) -> bool:
    """A cancel within the practice's late-cancel window (24 hours unless changed
    on the Practice screen) of the start, or after it, is a late cancel."""
    window = late_cancel_hours() if hours is None else hours
    return start - now < dt.timedelta(hours=window)


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


@reads
def usual_service(client_id: int | None = None) -> int | None:
    """The service to offer first, in the booking form and the plan form alike:
    the service of the client's last completed session, else of their next
    booked one, else the practice's most booked active service (of the
    practice's default session length first, a Practice policy), else the
    first active one (by name). Retired services are never offered."""
    active = Service.active == True  # noqa: E712
    if client_id is not None:
        mine = (
            Appointment.select(Appointment.service)
            .join(Service, on=(Appointment.service == Service.id))
            .where((Appointment.client == client_id) & active)
        )
        done = Appointment.status == Status.COMPLETED.value
        booked = Appointment.status == Status.BOOKED.value
        for row in (
            mine.where(done).order_by(Appointment.start.desc()).first(),
            mine.where(booked).order_by(Appointment.start).first(),
        ):
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
        .order_by(
            pw.SQL("uses").desc(),
            Service.minutes != get_practice().default_minutes,
            Service.name,
        )
        .first()
    )
    return row.id if row is not None else None
