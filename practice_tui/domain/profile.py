"""A client's profile: the record with age, alerts, upcoming visits, past
sessions with their notes' pain scores, the pain trend over the whole history,
and the client's active plans, read in one consistent read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw
from dateutil.relativedelta import relativedelta

from practice_tui.domain.clients import as_datetime, client_record, client_row, history_exists
from practice_tui.domain.db import reads
from practice_tui.domain.models import (
    BLOCKING_STATUSES,
    Appointment,
    Service,
    SessionNote,
    Status,
)
from practice_tui.domain.plans import list_plans
from practice_tui.domain.types import ClientRecord
from practice_tui.domain.vocab import TECHNIQUE_SHORT, format_area

#: How much of a long history the profile shows (the rest is counted).
PROFILE_UPCOMING = 8
PROFILE_SESSIONS = 30
#: Sessions drawn in the pain sparkline (the change is always since the first visit).
TREND_POINTS = 16


@dataclass(frozen=True)
class UpcomingVisit:
    appointment_id: int
    start: dt.datetime
    end: dt.datetime
    service: str
    plan_id: int | None = None


@dataclass(frozen=True)
class PastSession:
    """One past appointment, with what its note says (if it has one)."""

    appointment_id: int
    start: dt.datetime
    service: str
    #: booked (over but not marked), completed, cancelled or no_show.
    status: str
    pain_before: int | None = None
    pain_after: int | None = None
    #: Treated areas as read by a person ("lower back/lumbar L/R").
    areas: tuple[str, ...] = ()
    #: Techniques in their short forms ("MFR").
    techniques: tuple[str, ...] = ()
    has_note: bool = False
    signed: bool = False
    cancel_reason: str = ""

    @property
    def took_place(self) -> bool:
        return self.status in BLOCKING_STATUSES


@dataclass(frozen=True)
class PainTrend:
    """Pain before and after each session that recorded it, oldest first.

    ``before``/``after`` hold at most ``TREND_POINTS`` latest sessions (``None``
    where a note gave only one of the two); ``first_*``/``latest_*`` and the
    change are over the whole history.
    """

    before: tuple[int | None, ...] = ()
    after: tuple[int | None, ...] = ()
    sessions: int = 0
    first_date: dt.date | None = None
    first_before: int | None = None
    latest_before: int | None = None
    latest_after: int | None = None

    @property
    def change(self) -> int | None:
        """Pain before a session now, against the first visit (negative is better)."""
        if self.first_before is None or self.latest_before is None or self.sessions < 2:
            return None
        return self.latest_before - self.first_before

    @property
    def empty(self) -> bool:
        return self.sessions == 0


@dataclass(frozen=True)
class ActivePlan:
    plan_id: int
    service: str
    #: "Every Tue at 10:00 · 8 sessions · 3 left"
    description: str
    next_start: dt.datetime | None
    left: int


@dataclass(frozen=True)
class ClientProfile:
    """Everything the profile screen shows about one client, read at once."""

    client: ClientRecord
    age: int | None
    last_visit: dt.datetime | None
    next_visit: dt.datetime | None
    upcoming: tuple[UpcomingVisit, ...]
    upcoming_total: int
    #: Newest first.
    sessions: tuple[PastSession, ...]
    sessions_total: int
    trend: PainTrend
    plans: tuple[ActivePlan, ...]
    has_history: bool


def age_on(born: dt.date | None, today: dt.date) -> int | None:
    if born is None:
        return None
    return relativedelta(today, born).years


def _session(row: Appointment) -> PastSession:
    note: SessionNote | None = getattr(row, "note_row", None)
    has_note = note is not None and note.id is not None
    return PastSession(
        appointment_id=row.id,
        start=row.start,
        service=row.service.name,
        status=row.status,
        pain_before=note.pain_before if has_note else None,
        pain_after=note.pain_after if has_note else None,
        areas=tuple(format_area(a) for a in note.areas) if has_note else (),
        techniques=tuple(TECHNIQUE_SHORT.get(t, t) for t in note.techniques) if has_note else (),
        has_note=has_note,
        signed=has_note and note.signed_at is not None,
        cancel_reason=row.cancel_reason,
    )


def pain_trend(client_id: int) -> PainTrend:
    """Pain before and after across all of a client's scored sessions (the
    profile and the note history show the same numbers)."""
    rows = list(
        SessionNote.select(SessionNote.pain_before, SessionNote.pain_after, Appointment.start)
        .join(Appointment, on=(SessionNote.appointment == Appointment.id))
        .where(
            (Appointment.client == client_id)
            & (SessionNote.pain_before.is_null(False) | SessionNote.pain_after.is_null(False))
        )
        .order_by(Appointment.start, Appointment.id)
        .tuples()
    )
    if not rows:
        return PainTrend()
    befores = [before for before, _, _ in rows if before is not None]
    afters = [after for _, after, _ in rows if after is not None]
    shown = rows[-TREND_POINTS:]
    return PainTrend(
        before=tuple(before for before, _, _ in shown),
        after=tuple(after for _, after, _ in shown),
        sessions=len(rows),
        first_date=as_datetime(rows[0][2]).date() if rows[0][2] else None,  # type: ignore[union-attr]
        first_before=befores[0] if befores else None,
        latest_before=befores[-1] if befores else None,
        latest_after=afters[-1] if afters else None,
    )


@reads
def client_profile(client_id: int, now: dt.datetime) -> ClientProfile:
    """The client's record with their visits, notes, pain trend and active plans."""
    row = client_row(client_id)
    mine = Appointment.client == client_id
    upcoming_where = mine & (Appointment.start >= now) & (Appointment.status == Status.BOOKED.value)
    upcoming = tuple(
        UpcomingVisit(
            appointment_id=a.id, start=a.start, end=a.end, service=a.service.name, plan_id=a.plan_id
        )
        for a in Appointment.select(Appointment, Service)
        .join(Service)
        .where(upcoming_where)
        .order_by(Appointment.start, Appointment.id)
        .limit(PROFILE_UPCOMING)
    )
    upcoming_total = Appointment.select().where(upcoming_where).count()
    past_where = mine & (Appointment.start < now)
    past_rows = (
        Appointment.select(Appointment, Service, SessionNote)
        .join(Service)
        .switch(Appointment)
        .join(
            SessionNote,
            pw.JOIN.LEFT_OUTER,
            on=(SessionNote.appointment == Appointment.id),
            attr="note_row",
        )
        .where(past_where)
        .order_by(Appointment.start.desc(), Appointment.id.desc())
        .limit(PROFILE_SESSIONS)
    )
    sessions = tuple(_session(a) for a in past_rows)
    sessions_total = Appointment.select().where(past_where).count()
    last_visit = (
        Appointment.select(pw.fn.MAX(Appointment.start))
        .where(past_where & Appointment.status.in_(BLOCKING_STATUSES))
        .scalar()
    )
    plans = tuple(
        ActivePlan(
            plan_id=plan.id,
            service=plan.service_name,
            description=plan.words,
            next_start=plan.next_start,
            left=plan.left or 0,
        )
        for plan in list_plans(now=now, client_id=client_id)
    )
    return ClientProfile(
        client=client_record(row),
        age=age_on(row.date_of_birth, now.date()),
        last_visit=as_datetime(last_visit),
        next_visit=upcoming[0].start if upcoming else None,
        upcoming=upcoming,
        upcoming_total=upcoming_total,
        sessions=sessions,
        sessions_total=sessions_total,
        trend=pain_trend(client_id),
        plans=plans,
        has_history=history_exists(client_id),
    )
