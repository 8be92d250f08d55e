"""Archiving a client who still has something ahead: upcoming bookings and
active plans are listed first (``archive_check``), and the person chooses to
cancel them (ending the plans) or to keep them (``archive_client``).

Cancelling is done the way the rest of the app does it: an active plan is
ended from now on (``plans.end_plan``: its booked sessions are cancelled with
reason "plan ended"); any other upcoming booking is cancelled with reason
``ARCHIVED_REASON``, never as a late cancel (the practice cancelled). Nothing
in the past changes. Keeping them archives the client and leaves every booking
and plan as it is (a plan of an archived client is not topped up).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from practice_tui.domain.clients import client_row, set_archived
from practice_tui.domain.db import reads, writes
from practice_tui.domain.models import Appointment, Service
from practice_tui.domain.models import Status as S
from practice_tui.domain.plans import PlanSummary, end_plan, list_plans
from practice_tui.domain.schedule import set_status
from practice_tui.domain.types import ClientRecord, display_name
from practice_tui.domain.words import moment_short

#: The reason written on a booking cancelled because its client was archived.
ARCHIVED_REASON = "client archived"


@dataclass(frozen=True)
class UpcomingBooking:
    id: int
    start: dt.datetime
    service_name: str
    plan_id: int | None

    @property
    def words(self) -> str:
        """ "Mon 7 Dec 09:00 · Medical massage 60"."""
        return f"{moment_short(self.start)} · {self.service_name}"


@dataclass(frozen=True)
class ArchiveCheck:
    """What archiving a client leaves ahead of them."""

    client_id: int
    name: str
    bookings: tuple[UpcomingBooking, ...]
    plans: tuple[PlanSummary, ...]

    @property
    def anything_ahead(self) -> bool:
        return bool(self.bookings or self.plans)


@reads
def archive_check(client_id: int, *, now: dt.datetime) -> ArchiveCheck:
    """The client's upcoming booked appointments and active plans."""
    row = client_row(client_id)
    query = (
        Appointment.select(Appointment.id, Appointment.start, Appointment.plan, Service.name)
        .join(Service, on=(Appointment.service == Service.id))
        .where(
            (Appointment.client == client_id)
            & (Appointment.status == S.BOOKED.value)
            & (Appointment.start >= now)
        )
        .order_by(Appointment.start)
        .tuples()
    )
    bookings = tuple(
        UpcomingBooking(id=id_, start=start, service_name=name, plan_id=plan_id)
        for id_, start, plan_id, name in query
    )
    active = tuple(p for p in list_plans(now=now, client_id=client_id) if p.active)
    return ArchiveCheck(
        client_id=client_id,
        name=display_name(row.first_name, row.last_name, row.preferred_name),
        bookings=bookings,
        plans=active,
    )


@writes
def archive_client(client_id: int, *, now: dt.datetime, cancel_ahead: bool) -> ClientRecord:
    """Archive the client; with ``cancel_ahead``, first end their active plans
    from now and cancel every other upcoming booking (all in one transaction)."""
    if cancel_ahead:
        check = archive_check(client_id, now=now)
        for plan in check.plans:
            end_plan(plan.id, now.date(), now=now)
        left = [
            row.id
            for row in Appointment.select(Appointment.id).where(
                (Appointment.client == client_id)
                & (Appointment.status == S.BOOKED.value)
                & (Appointment.start >= now)
            )
        ]
        if left:
            set_status(left, S.CANCELLED, now=now, reason=ARCHIVED_REASON, only_booked=True)
    return set_archived(client_id, True, now=now)
