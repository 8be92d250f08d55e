"""A saved plan as a series: its chain of plans (a change continues a plan),
its dates with their appointments and skips, its summary and details."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

import peewee as pw

from practice_tui.domain import recurrence
from practice_tui.domain.db import reads
from practice_tui.domain.errors import (
    NotFound,
)
from practice_tui.domain.models import Appointment, Client, Plan, PlanSkip, Service, SessionNote
from practice_tui.domain.models import Status as S
from practice_tui.domain.plans.data import (
    SKIPPED_REASON,
    PlanChangeNote,
    PlanDetails,
    PlanSession,
    PlanSummary,
)
from practice_tui.domain.plans.expand import _horizon, _iterate
from practice_tui.domain.plans.forms import _day_start
from practice_tui.domain.schedule import check_slot
from practice_tui.domain.types import ClientSummary, display_name
from practice_tui.domain.words import day_month, day_month_year, moment_short


@dataclass(frozen=True)
class _Appt:
    id: int
    plan_id: int
    slot: dt.datetime | None
    start: dt.datetime
    end: dt.datetime
    status: str
    cancel_reason: str
    modified: bool
    has_note: bool
    note_signed: bool


def _chain_of(plan: Plan, by_id: dict[int, Plan] | None = None) -> list[Plan]:
    """The plan and the ones it continues, oldest first."""
    chain = [plan]
    seen = {plan.id}
    while chain[0].replaces_id is not None and chain[0].replaces_id not in seen:
        previous = (by_id or {}).get(chain[0].replaces_id) or Plan.get_or_none(
            Plan.id == chain[0].replaces_id
        )
        if previous is None:
            break
        seen.add(previous.id)
        chain.insert(0, previous)
    return chain


def _head_of(plan: Plan) -> Plan:
    """The latest version of a plan that was changed from a date onward."""
    seen = {plan.id}
    while True:
        successor = Plan.get_or_none(Plan.replaces == plan.id)
        if successor is None or successor.id in seen:
            return plan
        seen.add(successor.id)
        plan = successor


def _appointments(plan_ids: Sequence[int]) -> list[_Appt]:
    if not plan_ids:
        return []
    rows = (
        Appointment.select(
            Appointment.id,
            Appointment.plan,
            Appointment.plan_slot,
            Appointment.start,
            Appointment.end,
            Appointment.status,
            Appointment.cancel_reason,
            Appointment.plan_modified,
            SessionNote.id.alias("note_id"),
            SessionNote.signed_at.alias("note_signed_at"),
        )
        .join(SessionNote, pw.JOIN.LEFT_OUTER, on=(SessionNote.appointment == Appointment.id))
        .where(Appointment.plan.in_(list(plan_ids)))
        .order_by(Appointment.start, Appointment.id)
        .objects()
    )
    return [
        _Appt(
            id=row.id,
            plan_id=row.plan_id,
            slot=row.plan_slot,
            start=row.start,
            end=row.end,
            status=row.status,
            cancel_reason=row.cancel_reason,
            modified=bool(row.plan_modified),
            has_note=row.note_id is not None,
            note_signed=row.note_signed_at is not None,
        )
        for row in rows
    ]


def _skips(plan_ids: Sequence[int]) -> dict[int, set[dt.datetime]]:
    result: dict[int, set[dt.datetime]] = {pid: set() for pid in plan_ids}
    if plan_ids:
        for row in PlanSkip.select().where(PlanSkip.plan.in_(list(plan_ids))):
            result[row.plan_id].add(row.slot)
    return result


def _plan_dates(
    plan: Plan, skipped: set[dt.datetime], horizon: dt.date
) -> list[tuple[dt.datetime, bool]]:
    """A saved plan's own dates: to its end, its ``ended_on`` or the horizon."""
    before = None
    if plan.ended_on is not None:
        before = _day_start(plan.ended_on)
    if plan.count is None and plan.until is None:
        stop = _day_start(max(horizon, plan.filled_until or horizon) + dt.timedelta(days=1))
        before = min(before, stop) if before else stop
    return list(
        _iterate(
            plan.rule,
            plan.first_start,
            count=plan.count,
            until=plan.until,
            skipped=skipped,
            before=before,
        )
    )


def _session(plan: Plan, slot: dt.datetime, appt: _Appt | None, skipped: bool) -> PlanSession:
    if appt is None:
        return PlanSession(
            plan_id=plan.id,
            slot=slot,
            start=slot,
            end=slot + dt.timedelta(minutes=plan.minutes),
            number=None,
            state="skipped" if skipped else "unbooked",
        )
    state = appt.status
    if skipped or (appt.status == S.CANCELLED.value and appt.cancel_reason == SKIPPED_REASON):
        state = "skipped"
    return PlanSession(
        plan_id=plan.id,
        slot=slot,
        start=appt.start,
        end=appt.end,
        number=None,
        state=state,
        appointment_id=appt.id,
        cancel_reason=appt.cancel_reason,
        modified=appt.modified,
        has_note=appt.has_note,
    )


def _series(
    chain: Sequence[Plan],
    appointments: Sequence[_Appt],
    skips: dict[int, set[dt.datetime]],
    horizon: dt.date,
) -> list[PlanSession]:
    """Every session of a plan and its earlier versions, in time order, numbered."""
    by_slot: dict[tuple[int, dt.datetime], _Appt] = {}
    loose: list[_Appt] = []
    for appt in appointments:
        if appt.slot is None:
            loose.append(appt)
            continue
        key = (appt.plan_id, appt.slot)
        current = by_slot.get(key)
        # Two appointments for one date (rebooked after a cancel): show the live one.
        if current is None or current.status == S.CANCELLED.value:
            if current is not None:
                loose.append(current)
            by_slot[key] = appt
        else:
            loose.append(appt)
    rows: list[PlanSession] = []
    earlier_days: set[dt.date] = set()
    for plan in chain:
        own_skips = skips.get(plan.id, set())
        used: set[dt.datetime] = set()
        for slot, is_skipped in _plan_dates(plan, own_skips, horizon):
            appt = by_slot.get((plan.id, slot))
            used.add(slot)
            if is_skipped and appt is None and slot.date() in earlier_days:
                continue  # left out because a kept session of the old plan stands for it
            rows.append(_session(plan, slot, appt, is_skipped))
        for (plan_id, slot), appt in by_slot.items():
            if plan_id == plan.id and slot not in used:
                rows.append(_session(plan, slot, appt, slot in own_skips))
        earlier_days |= {a.slot.date() for a in appointments if a.plan_id == plan.id and a.slot}
    ids = {plan.id: plan for plan in chain}
    for appt in loose:
        rows.append(_session(ids[appt.plan_id], appt.slot or appt.start, appt, False))
    rows.sort(key=lambda r: (r.start, r.slot, r.appointment_id or 0))
    numbered: list[PlanSession] = []
    number = 0
    for row in rows:
        if row.state == "skipped":
            numbered.append(row)
            continue
        number += 1
        numbered.append(replace(row, number=number))
    return numbered


def _unbooked_reason(row: PlanSession) -> str:
    """Why an upcoming date has no appointment: what stands in its way now."""
    check = check_slot(row.start, int((row.end - row.start).total_seconds() // 60))
    for message in check.messages:
        return message
    return "free now; it is booked the next time the app opens"


def _summarise(
    head: Plan,
    rows: Sequence[PlanSession],
    now: dt.datetime,
    *,
    with_reasons: bool = True,
) -> tuple[PlanSummary, list[PlanSession]]:
    client = head.client
    finite = head.count is not None or head.until is not None
    upcoming = [r for r in rows if r.skippable(now)]
    total = sum(r.state != "skipped" for r in rows) if finite else None
    left = len(upcoming) if finite and head.ended_on is None else None
    problems: list[str] = []
    detailed: list[PlanSession] = []
    for row in rows:
        if row.state == "unbooked" and row.start >= now and head.ended_on is None:
            reason = _unbooked_reason(row) if with_reasons else ""
            row = replace(row, detail=reason)
            problems.append(
                f"{moment_short(row.start)} not booked" + (f": {reason}" if reason else "")
            )
        detailed.append(row)
    finished = finite and not upcoming and head.ended_on is None
    rule_words = recurrence.describe_rule(head.rule, head.first_start)
    if head.count is not None:
        end_words = f"{total} session" + ("" if total == 1 else "s")
    elif head.until is not None:
        end_words = f"until {day_month_year(head.until)}"
    else:
        end_words = "no end"
    words = f"{rule_words} · {end_words}"
    if head.ended_on is not None:
        words += f" · ended {day_month(head.ended_on)}"
    elif finished:
        words += " · finished"
    elif left is not None:
        words += f" · {left} left"
    next_start = next((r.start for r in rows if r.start >= now and r.state == "booked"), None)
    summary = PlanSummary(
        id=head.id,
        client_id=head.client_id,
        client_name=display_name(client.first_name, client.last_name, client.preferred_name),
        contraindications=client.contraindications,
        service_id=head.service_id,
        service_name=head.service.name,
        minutes=head.minutes,
        rule=head.rule,
        first_start=head.first_start,
        count=head.count,
        until=head.until,
        ended_on=head.ended_on,
        rule_words=rule_words,
        words=words,
        total=total,
        left=left,
        next_start=next_start,
        problems=tuple(problems),
        finished=finished,
        replaces_id=head.replaces_id,
        version=int(head.version),
    )
    return summary, detailed


def _load_series(head: Plan, now: dt.datetime) -> tuple[list[Plan], list[PlanSession]]:
    chain = _chain_of(head)
    ids = [p.id for p in chain]
    rows = _series(chain, _appointments(ids), _skips(ids), _horizon(now.date()))
    return chain, rows


def _summary_of(plan: Plan, now: dt.datetime) -> PlanSummary:
    head = _head_of(plan)
    chain, rows = _load_series(head, now)
    return _summarise(head, rows, now)[0]


@reads
def list_plans(
    *, now: dt.datetime, include_ended: bool = False, client_id: int | None = None
) -> tuple[PlanSummary, ...]:
    """Active plans (ended and finished ones too when asked), by next date;
    one client's only when ``client_id`` is given.

    Only the latest version of a changed plan is listed; its details show
    the earlier ones.
    """
    successor = Plan.alias("successor")
    query = (
        Plan.select(Plan, Client, Service)
        .join(Client, on=(Plan.client == Client.id))
        .switch(Plan)
        .join(Service, on=(Plan.service == Service.id))
        .where(~pw.fn.EXISTS(successor.select(pw.SQL("1")).where(successor.replaces == Plan.id)))
    )
    if not include_ended:
        query = query.where(
            Plan.ended_on.is_null(True) & (Plan.until.is_null(True) | (Plan.until >= now.date()))
        )
    if client_id is not None:
        query = query.where(Plan.client == client_id)
    heads = list(query)
    every = {p.id: p for p in Plan.select()} if any(p.replaces_id for p in heads) else {}
    chains = {head.id: _chain_of(head, every) for head in heads}
    all_ids = [p.id for chain in chains.values() for p in chain]
    appointments = _appointments(all_ids)
    skips = _skips(all_ids)
    horizon = _horizon(now.date())
    by_plan: dict[int, list[_Appt]] = {}
    for appt in appointments:
        by_plan.setdefault(appt.plan_id, []).append(appt)
    result = []
    for head in heads:
        chain = chains[head.id]
        rows = _series(
            chain,
            [a for p in chain for a in by_plan.get(p.id, [])],
            {p.id: skips.get(p.id, set()) for p in chain},
            horizon,
        )
        summary, _ = _summarise(head, rows, now)
        if summary.active or include_ended:
            result.append(summary)
    far = dt.datetime.max
    result.sort(key=lambda s: (not s.active, s.next_start or far, s.client_name.lower(), s.id))
    return tuple(result)


@reads
def get_plan(plan_id: int, *, now: dt.datetime) -> PlanDetails:
    """A plan with every session of the series (earlier versions included)."""
    plan = Plan.get_or_none(Plan.id == plan_id)
    if plan is None:
        raise NotFound("That plan no longer exists.")
    head = _head_of(plan)
    chain, rows = _load_series(head, now)
    summary, detailed = _summarise(head, rows, now)
    history = tuple(
        PlanChangeNote(
            plan_id=old.id,
            until=old.ended_on or old.first_start.date(),
            words=recurrence.describe_rule(old.rule, old.first_start),
            service_name=old.service.name,
            minutes=old.minutes,
        )
        for old in chain[:-1]
    )
    horizon = _horizon(now.date()) if head.count is None and head.until is None else None
    return PlanDetails(summary=summary, sessions=tuple(detailed), history=history, horizon=horizon)


@reads
def plan_client(client_id: int) -> ClientSummary:
    """The client as the new-plan form's picker shows it (pre-filled from a profile)."""
    row = Client.get_or_none(Client.id == client_id)
    if row is None:
        raise NotFound("That client no longer exists.", field="client")
    return ClientSummary(
        id=row.id,
        name=display_name(row.first_name, row.last_name, row.preferred_name),
        phone=row.phone,
        email=row.email,
        date_of_birth=row.date_of_birth,
        contraindications=row.contraindications,
        archived=bool(row.archived),
    )
