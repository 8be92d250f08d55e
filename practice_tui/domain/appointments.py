"""Reading appointments: one query joins client, service, note state and the
first-visit flag, and each row becomes a frozen AppointmentInfo.

Alert marks on each appointment: contraindication/precaution on file, first
visit (no earlier appointment that took place or is booked), note owed (the
appointment is completed, or booked and already over, and has no signed note).
"""

from __future__ import annotations

import datetime as dt

import peewee as pw

from practice_tui.domain.db import reads
from practice_tui.domain.errors import NotFound
from practice_tui.domain.models import (
    BLOCKING_STATUSES,
    Appointment,
    Client,
    Service,
    SessionNote,
    Status,
)
from practice_tui.domain.types import (
    AppointmentInfo,
    display_name,
)

_earlier = Appointment.alias("earlier")


def info_query() -> pw.ModelSelect:
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


def _joined_model(row: Appointment, name: str) -> pw.Model | None:
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


def appointment_info(row: Appointment, now: dt.datetime | None) -> AppointmentInfo:
    client = _joined_model(row, "client")
    service = _joined_model(row, "service")
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
    row = info_query().where(Appointment.id == appointment_id).first()
    if row is None:
        raise NotFound("That appointment no longer exists.")
    return appointment_info(row, now)


@reads
def appointments_between(
    first_day: dt.date, last_day: dt.date, now: dt.datetime | None = None
) -> tuple[AppointmentInfo, ...]:
    """Every appointment on ``first_day`` … ``last_day`` (inclusive), by start:
    one that crosses midnight into the first day is shown there too."""
    start = dt.datetime.combine(first_day, dt.time())
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time())
    rows = (
        info_query()
        .where(
            (Appointment.start >= start - dt.timedelta(days=1))  # keeps the index useful
            & (Appointment.start < end)
            & (Appointment.end > start)
        )
        .order_by(Appointment.start, Appointment.id)
    )
    return tuple(appointment_info(row, now) for row in rows)


@reads
def client_appointments(
    client_id: int, now: dt.datetime | None = None, *, limit: int | None = None
) -> tuple[AppointmentInfo, ...]:
    """One client's appointments, newest first."""
    rows = (
        info_query()
        .where(Appointment.client == client_id)
        .order_by(Appointment.start.desc(), Appointment.id.desc())
    )
    if limit is not None:
        rows = rows.limit(limit)
    return tuple(appointment_info(row, now) for row in rows)
