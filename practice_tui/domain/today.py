"""The day and the week as the Today screen shows them, and the details of
one appointment (read only).

Free gaps are the parts of working hours, outside the break and time off,
where a session can be booked: not covered by a booked or completed
appointment nor by the buffer the clash rule keeps around it, so "free · 1h"
holds a 60-minute session. Gaps shorter than 15 minutes are not listed. A break that an
appointment was booked into (with the override) is shown only around it.

day_view (appointments and gaps), day_agenda (the day view plus the
session on now, the next one and each plan session's place in its series),
week_overview, notes_owed/notes_owed_count, appointment_details
with the client's last_session.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import peewee as pw

from practice_tui.domain.appointments import (
    appointment_info,
    appointments_between,
    get_appointment,
    info_query,
)
from practice_tui.domain.availability import time_off_spans, time_off_words
from practice_tui.domain.db import reads
from practice_tui.domain.models import (
    Appointment,
    Client,
    Plan,
    Service,
    SessionNote,
    Status,
)
from practice_tui.domain.schedule import allowed_actions, is_late_cancel
from practice_tui.domain.settings import get_practice
from practice_tui.domain.types import (
    AppointmentInfo,
    DayView,
    Gap,
    PracticeInfo,
    WorkingDay,
)
from practice_tui.domain.vocab import format_areas, format_techniques

MIN_GAP_MINUTES = 15


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
    # Time off inside the hours is shown as such and is never free.
    off = time_off_spans(day, open_at, close_at)
    for start, end, label in off:
        result.extend(Gap(s, e, "off", label) for s, e in _subtract(start, end, busy))
        taken.append((start, end))
    if hours.break_start and hours.break_end:
        brk_start = dt.datetime.combine(day, hours.break_start)
        brk_end = dt.datetime.combine(day, hours.break_end)
        # An appointment booked into the break (with the override) takes that
        # part of it: the break is shown only around it, never under it.
        for start, end in _subtract(brk_start, brk_end, busy + [(s, e) for s, e, _ in off]):
            result.append(Gap(start, end, "break"))
        taken.append((brk_start, brk_end))
    # A free gap is where a session can be booked: the buffer the clash rule
    # keeps around every appointment is not free ("free · 1h" holds an hour).
    pad = dt.timedelta(minutes=practice.buffer_minutes)
    padded = [(s - pad, e + pad) for s, e in busy]
    shortest = dt.timedelta(minutes=MIN_GAP_MINUTES)
    for start, end in _subtract(open_at, close_at, taken + padded):
        if end - start >= shortest:
            result.append(Gap(start, end))
    return result


def _sort_key(item: AppointmentInfo | Gap) -> tuple[dt.datetime, int, int]:
    if isinstance(item, Gap):
        return (item.start, 0 if item.kind == "free" else 1, 0)
    return (item.start, 2, item.id)


@reads
def day_view(day: dt.date, *, now: dt.datetime, notes_owed: int | None = None) -> DayView:
    """The day's appointments and free gaps, in time order, with counts.

    ``notes_owed`` is the practice-wide count, when the caller already has it
    for this moment (counting it reads every appointment ever kept: 12 ms of a
    20-year practice's 16); otherwise it is counted."""
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
        notes_owed=notes_owed_count(now) if notes_owed is None else notes_owed,
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
        info_query()
        .where(_owed_condition(now))
        .order_by(Appointment.start, Appointment.id)
        .limit(limit)
    )
    return tuple(appointment_info(row, now) for row in rows)


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
def day_agenda(day: dt.date, *, now: dt.datetime, notes_owed: int | None = None) -> DayAgenda:
    """The day for the Today screen, in one consistent read (``notes_owed``
    as for ``day_view``)."""
    view = day_view(day, now=now, notes_owed=notes_owed)
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
    #: The day's time off in words ("Holiday", "Course 14:00–16:00"), "" when none.
    time_off: str = ""

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
def week_overview(day: dt.date, *, now: dt.datetime, notes_owed: int | None = None) -> WeekOverview:
    """The week (Monday to Sunday) holding ``day``, with one query for its
    appointments (``notes_owed`` as for ``day_view``)."""
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
                time_off=time_off_words(date),
            )
        )
    if notes_owed is None:
        notes_owed = notes_owed_count(now)
    return WeekOverview(first_day=first, days=tuple(days), notes_owed=notes_owed)


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
