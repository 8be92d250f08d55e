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


def _fill(head: Plan, *, now: dt.datetime, horizon: dt.date) -> int:
    """Book the plan's upcoming dates that have no appointment yet.

    Dates that clash (or do not exist) stay unbooked and are shown as conflicts;
    dates outside working hours are booked (the plan's time was accepted).
    """
    skips = _skips([head.id])[head.id]
    taken = {
        row.plan_slot
        for row in Appointment.select(Appointment.plan_slot).where(
            (Appointment.plan == head.id) & Appointment.plan_slot.is_null(False)
        )
    }
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
    for head in heads:
        client = Client.get_or_none(Client.id == head.client_id)
        if client is None or client.archived:  # deleted by another program: left alone
            continue
        made += _fill(head, now=now, horizon=horizon)
    return made
