"""Keeping open-ended plans filled up to the horizon, never double-booking."""

from __future__ import annotations

import datetime as dt

import peewee as pw

from practice_tui.domain.availability import time_off_reason
from practice_tui.domain.db import writes
from practice_tui.domain.errors import (
    ConflictError,
    ValidationError,
)
from practice_tui.domain.models import Appointment, Client, Plan
from practice_tui.domain.plans.expand import _horizon
from practice_tui.domain.plans.forms import _day_start
from practice_tui.domain.plans.series import (
    _plan_dates,
    _skips,
)
from practice_tui.domain.schedule import book_appointment


def _taken(plan_ids: list[int]) -> dict[int, set[dt.datetime]]:
    """The slots of these plans that already have an appointment, by plan."""
    taken: dict[int, set[dt.datetime]] = {plan_id: set() for plan_id in plan_ids}
    if plan_ids:
        rows = Appointment.select(Appointment.plan, Appointment.plan_slot).where(
            Appointment.plan.in_(plan_ids) & Appointment.plan_slot.is_null(False)
        )
        for plan_id, slot in rows.tuples():
            taken[plan_id].add(slot)
    return taken


def _fill(
    head: Plan,
    *,
    now: dt.datetime,
    horizon: dt.date,
    skips: set[dt.datetime] | None = None,
    taken: set[dt.datetime] | None = None,
) -> int:
    """Book the plan's upcoming dates that have no appointment yet (``skips``
    and ``taken`` when the caller has read them for many plans at once).

    Dates that clash (or do not exist) stay unbooked and are shown as conflicts;
    dates outside working hours are booked (the plan's time was accepted).
    """
    if skips is None:
        skips = _skips([head.id])[head.id]
    if taken is None:
        taken = _taken([head.id])[head.id]
    made = 0
    for slot, is_skipped in _plan_dates(head, skips, horizon):
        if is_skipped or slot < now or slot in taken:
            continue
        if time_off_reason(slot, slot + dt.timedelta(minutes=head.minutes)):
            continue  # never booked into time off; shown unbooked with its reason
        try:
            book_appointment(
                head.client_id,
                head.service_id,
                slot,
                minutes=head.minutes,
                allow_outside_hours=True,
                plan_id=head.id,
                plan_slot=slot,
            )
        except (ConflictError, ValidationError):
            continue
        made += 1
    if head.count is None and head.until is None:
        if head.filled_until is None or head.filled_until < horizon:
            head.filled_until = horizon
            head.save(only=[Plan.filled_until])
    return made


@writes
def fill_horizon(today: dt.date, now: dt.datetime | None = None) -> int:
    """Keep every active plan booked: finite plans to their end, open-ended ones
    ``plan_horizon_weeks`` ahead. Returns how many sessions were booked."""
    now = now or _day_start(today)
    horizon = _horizon(today)
    made = 0
    successor = Plan.alias("successor")
    heads = Plan.select().where(
        Plan.ended_on.is_null(True)
        & (Plan.until.is_null(True) | (Plan.until >= today))
        & ~pw.fn.EXISTS(successor.select(pw.SQL("1")).where(successor.replaces == Plan.id))
    )
    heads = list(heads)
    if not heads:
        return 0
    # What every plan needs, read once for all of them (the app tops plans up
    # at each start).
    active = {
        client_id
        for client_id, archived in Client.select(Client.id, Client.archived)
        .where(Client.id.in_({head.client_id for head in heads}))
        .tuples()
        if not archived
    }
    ids = [head.id for head in heads]
    skips, taken = _skips(ids), _taken(ids)
    for head in heads:
        if head.client_id not in active:  # archived, or deleted by another program
            continue
        made += _fill(head, now=now, horizon=horizon, skips=skips[head.id], taken=taken[head.id])
    return made
