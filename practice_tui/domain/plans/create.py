"""Previewing and creating a new plan: nothing is written until save; clashing
dates refuse the save, dates outside hours need a confirmation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from practice_tui.domain import audit, recurrence
from practice_tui.domain.clock import practice_now
from practice_tui.domain.db import reads, writes
from practice_tui.domain.errors import (
    ConflictError,
    OutsideHoursError,
    ValidationError,
)
from practice_tui.domain.models import Appointment, Plan, PlanSkip, Service
from practice_tui.domain.plans.clashes import ClashSkips, settle_clashes
from practice_tui.domain.plans.data import (
    LongPlanError,
    PlanDate,
    PlanDraft,
    PlanPreview,
    PlanSummary,
)
from practice_tui.domain.plans.expand import _dates, _horizon
from practice_tui.domain.plans.forms import _day_start
from practice_tui.domain.plans.series import _summary_of
from practice_tui.domain.schedule import bookable
from practice_tui.domain.settings import get_practice
from practice_tui.domain.words import day_month_year, moment_short


@reads
def preview_plan(
    draft: PlanDraft, *, skipped: Iterable[dt.datetime] = (), now: dt.datetime
) -> PlanPreview:
    """Every date of a new plan with its conflicts; nothing is written.

    An open-ended plan shows the dates up to the practice's horizon.
    """
    _, service = bookable(draft.client_id, draft.service_id, purpose="plan sessions")
    minutes = draft.minutes or service.minutes
    open_ended = draft.count is None and draft.until is None
    horizon = _horizon(now.date()) if open_ended else None
    dates = _dates(
        draft.rule,
        draft.first_start,
        minutes,
        count=draft.count,
        until=draft.until,
        skipped=set(skipped),
        before=_day_start(horizon + dt.timedelta(days=1)) if horizon else None,
    )
    sessions = sum(not d.skipped for d in dates)
    if open_ended:
        end = f"no end · booked {get_practice().plan_horizon_weeks} weeks ahead"
    elif draft.count is not None:
        end = f"{draft.count} session" + ("" if draft.count == 1 else "s")
    else:
        assert draft.until is not None
        end = f"until {day_month_year(draft.until)} · {sessions} sessions"
    words = f"{recurrence.describe_rule(draft.rule, draft.first_start)} · {minutes} min · {end}"
    return PlanPreview(words=words, dates=tuple(dates), open_ended=open_ended, horizon=horizon)


@reads
def plan_clash_skips(
    draft: PlanDraft, *, skipped: Iterable[dt.datetime] = (), now: dt.datetime
) -> ClashSkips:
    """What "Skip and save" does to a new plan: every date skipped for a clash
    (dates added at the end that clash too), every date added, the first
    session when it moves. Save it with ``create_plan(skipped=…,
    clash_skipped=result.slots)``. Refuses when every date clashes."""
    return settle_clashes(lambda skips: preview_plan(draft, skipped=skips, now=now).dates, skipped)


@reads
def skip_clashes(
    draft: PlanDraft, *, skipped: Iterable[dt.datetime] = (), now: dt.datetime
) -> tuple[dt.datetime, ...]:
    """The skips that leave no clashing date: the given ones and every date
    skipped for a clash (see ``plan_clash_skips``)."""
    result = plan_clash_skips(draft, skipped=skipped, now=now)
    return tuple(sorted(set(result.hand) | set(result.slots)))


def _enforce(dates: Sequence[PlanDate], allow_outside_hours: bool) -> None:
    """Refuse dates that clash or do not exist; out-of-hours ones need consent."""
    blocking = [d for d in dates if d.blocking]
    if blocking:
        first = blocking[0]
        reason = first.invalid_time or first.time_off or first.clashes[0]
        more = f" and {len(blocking) - 1} more" if len(blocking) > 1 else ""
        raise ConflictError(
            f"{len(blocking)} date{'s' if len(blocking) > 1 else ''} clash: "
            f"{moment_short(first.start)} — {reason}{more}. Skip them (k) or pick another time.",
            field="dates",
        )
    outside = [d for d in dates if d.outside_hours and not d.skipped]
    if outside and not allow_outside_hours:
        raise OutsideHoursError(
            f"{len(outside)} date{'s are' if len(outside) > 1 else ' is'} outside working "
            f"hours ({moment_short(outside[0].start)}: {outside[0].outside_hours}) "
            "Confirm to book them anyway.",
            field="dates",
        )


@writes
def create_plan(
    draft: PlanDraft,
    *,
    skipped: Iterable[dt.datetime] = (),
    clash_skipped: Iterable[dt.datetime] = (),
    now: dt.datetime,
    allow_outside_hours: bool = False,
    confirm_long: bool = False,
) -> PlanSummary:
    """Save the plan and book its sessions, all or nothing.

    ``skipped`` are dates skipped by hand, ``clash_skipped`` dates skipped for a
    clash (``plan_clash_skips``); the plan remembers which is which."""
    if draft.first_start < now:
        raise ValidationError("The first session would be in the past.", field="first_date")
    clash_set = set(clash_skipped)
    skipped = set(skipped) | clash_set
    preview = preview_plan(draft, skipped=skipped, now=now)
    _enforce(preview.dates, allow_outside_hours)
    if preview.needs_confirm and not confirm_long:
        raise LongPlanError(preview.sessions)
    if preview.sessions == 0:
        raise ValidationError("This plan has no dates left to book.", field="dates")
    service = Service.get_by_id(draft.service_id)
    minutes = draft.minutes or service.minutes
    plan = Plan.create(
        client=draft.client_id,
        service=draft.service_id,
        first_start=draft.first_start,
        minutes=minutes,
        rule=recurrence.normalise_rule(draft.rule),
        count=draft.count,
        until=draft.until,
        filled_until=preview.horizon or preview.dates[-1].start.date(),
    )
    # Every date was checked by the preview above, inside this same write
    # transaction (nobody else can book in between): insert them in bulk, so a
    # long plan holds the file for milliseconds, not seconds.
    skips = [
        {
            "plan": plan.id,
            "slot": d.start,
            "reason": "clash" if d.start in clash_set else "hand",
        }
        for d in preview.dates
        if d.skipped
    ]
    stamp = practice_now()
    sessions = [
        {
            "client": draft.client_id,
            "service": draft.service_id,
            "start": d.start,
            "end": d.start + dt.timedelta(minutes=minutes),
            "plan": plan.id,
            "plan_slot": d.start,
            "fee_cents": service.price_cents,
            "created_at": stamp,
            "updated_at": stamp,
        }
        for d in preview.dates
        if not d.skipped
    ]
    for rows, model in ((skips, PlanSkip), (sessions, Appointment)):
        for first in range(0, len(rows), 200):
            model.insert_many(rows[first : first + 200]).execute()
    audit.record("plan", plan.id, "create", detail=f"{len(sessions)} sessions booked")
    return _summary_of(plan, now)
