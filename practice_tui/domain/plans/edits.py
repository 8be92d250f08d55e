"""Series edits: skip one date, change from a date onward, end from a date;
each previewed first, then applied in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from practice_tui.domain import audit, recurrence
from practice_tui.domain.db import reads, writes
from practice_tui.domain.errors import (
    ConflictError,
    NotFound,
    ValidationError,
)
from practice_tui.domain.models import Appointment, Plan, PlanSkip, Service
from practice_tui.domain.models import Status as S
from practice_tui.domain.plans.clashes import ROUNDS, ClashSkips, settle_clashes
from practice_tui.domain.plans.create import _enforce
from practice_tui.domain.plans.data import (
    ENDED_REASON,
    MAX_SESSIONS,
    SKIPPED_REASON,
    PlanChange,
    PlanDate,
    PlanSession,
    PlanSummary,
    SeriesEdit,
)
from practice_tui.domain.plans.expand import _check_date, _dates, _horizon, _iterate
from practice_tui.domain.plans.fill import _fill
from practice_tui.domain.plans.forms import _day_start
from practice_tui.domain.plans.series import (
    _head_of,
    _load_series,
    _plan_dates,
    _skips,
    _summarise,
    _summary_of,
)
from practice_tui.domain.schedule import book_appointment, set_status
from practice_tui.domain.settings import get_practice
from practice_tui.domain.versions import check_version
from practice_tui.domain.words import day_month, day_month_year, moment_short, weekday_date


def _active_head(plan_id: int) -> Plan:
    plan = Plan.get_or_none(Plan.id == plan_id)
    if plan is None:
        raise NotFound("That plan no longer exists.")
    head = _head_of(plan)
    if head.ended_on is not None:
        raise ConflictError(f"This plan ended on {weekday_date(head.ended_on)}; it cannot change.")
    return head


def _check_plan(plan_id: int, expected: int | None) -> None:
    """Refuse a save from a form that read the plan at version ``expected`` when
    another window or program changed it since, saying what happened there."""
    row = Plan.get_or_none(Plan.id == plan_id)
    if expected is None or row is None or row.version == expected:
        check_version("plan", row, expected)
        return
    if Plan.get_or_none(Plan.replaces == row.id) is not None and row.ended_on is not None:
        detail = f"It was changed from {weekday_date(row.ended_on)} onward there."
    elif row.ended_on is not None:
        detail = f"It was ended from {weekday_date(row.ended_on)} there."
    else:
        detail = "Its dates changed there (a date skipped or more sessions booked)."
    check_version("plan", row, expected, detail=detail)


def _stamp(plan: Plan, now: dt.datetime) -> Plan:
    """Mark the plan changed at ``now`` (the trigger bumps its version, so a form
    opened before this change is refused); the row as stored."""
    Plan.update(updated_at=now).where(Plan.id == plan.id).execute()
    return Plan.get_by_id(plan.id)


def _find_row(rows: Sequence[PlanSession], slot: dt.datetime) -> PlanSession:
    for row in rows:
        if row.slot == slot or (row.appointment_id is not None and row.start == slot):
            return row
    raise NotFound(f"{moment_short(slot)} is not a date of this plan.")


def _skip_plan(
    plan_id: int, slot: dt.datetime, now: dt.datetime
) -> tuple[Plan, list[PlanSession], PlanSession]:
    head = _active_head(plan_id)
    _, rows = _load_series(head, now)
    row = _find_row(rows, slot)
    if row.state == "skipped":
        raise ConflictError(f"{moment_short(row.slot)} is already skipped.")
    if row.start < now:
        raise ValidationError("Only upcoming dates can be skipped; the past stays as it was.")
    if not row.open:
        raise ConflictError(
            f"The session of {moment_short(row.start)} is {row.description}; "
            "there is nothing to skip."
        )
    return head, rows, row


@reads
def preview_skip(plan_id: int, slot: dt.datetime, *, now: dt.datetime) -> SeriesEdit:
    """What skipping one date does: its session is cancelled ("skipped"), and a
    plan with a count gains a date at its end (shown with its conflicts)."""
    head, rows, row = _skip_plan(plan_id, slot, now)
    summary, _ = _summarise(head, rows, now, with_reasons=False)
    added: list[PlanDate] = []
    if head.count is not None:
        skips = _skips([head.id])[head.id]
        extra = set(skips)
        count = head.count
        if row.plan_id == head.id:
            extra.add(row.slot)
        else:
            count += 1
        old = {s for s, _ in _plan_dates(head, skips, _horizon(now.date()))}
        buffer = get_practice().buffer_minutes
        for moment, is_skipped in _iterate(
            head.rule, head.first_start, count=count, until=head.until, skipped=extra, before=None
        ):
            if not is_skipped and moment not in old:
                added.append(_check_date(moment, head.minutes, None, buffer=buffer))
    cancelled = (row,) if row.appointment_id is not None else ()
    after = summary.rule_words
    if added:
        after += f" · one more date at the end: {moment_short(added[-1].start)}"
    return SeriesEdit(
        plan_id=head.id,
        title=f"Skip {moment_short(row.slot)}",
        before=summary.words,
        after=after,
        cut=row.start,
        cancelled=cancelled,
        dates=tuple(added),
    )


@writes
def skip_date(
    plan_id: int, slot: dt.datetime, *, now: dt.datetime, expected_version: int | None = None
) -> PlanSummary:
    """Skip one upcoming date: its session is cancelled with reason "skipped"
    and the date remembered; a plan with a count books one more date at its end
    (left unbooked, and marked, if that date clashes). ``expected_version`` (what
    the dialog read) refuses a skip on a plan changed elsewhere since."""
    _check_plan(plan_id, expected_version)
    head, _, row = _skip_plan(plan_id, slot, now)
    PlanSkip.create(plan=row.plan_id, slot=row.slot, reason="hand")
    if row.plan_id != head.id and head.count is not None:
        head.count += 1
        head.save(only=[Plan.count])
    if row.appointment_id is not None:
        set_status([row.appointment_id], S.CANCELLED, now=now, reason=SKIPPED_REASON)
    _fill(head, now=now, horizon=_horizon(now.date()))
    stamped = _stamp(head, now)
    audit.record("plan", head.id, "skip", fields=("skipped dates",))
    return _summary_of(stamped, now)


def _cut(from_date: dt.date, now: dt.datetime) -> dt.datetime:
    if from_date < now.date():
        raise ValidationError(
            "A change starts today or later; the past stays as it was.", field="from_date"
        )
    return max(_day_start(from_date), now.replace(second=0, microsecond=0))


@dataclass(frozen=True)
class _ChangePlan:
    edit: SeriesEdit
    head: Plan
    replaced_ids: tuple[int, ...]
    first_start: dt.datetime
    rule: str
    minutes: int
    service_id: int
    count: int | None
    #: The new plan's skipped dates, each with why ("hand", "clash", "kept").
    new_skips: tuple[tuple[dt.datetime, str], ...]
    horizon: dt.date


def _skip_reasons(plan_ids: Sequence[int]) -> dict[tuple[int, dt.datetime], str]:
    return {
        (row.plan_id, row.slot): row.reason
        for row in PlanSkip.select().where(PlanSkip.plan.in_(list(plan_ids)))
    }


def _plan_change(
    plan_id: int,
    change: PlanChange,
    skipped: Iterable[dt.datetime],
    now: dt.datetime,
    clash_skipped: Iterable[dt.datetime] = (),
) -> _ChangePlan:
    head = _active_head(plan_id)
    cut = _cut(change.from_date, now)
    chain, rows = _load_series(head, now)
    summary, _ = _summarise(head, rows, now, with_reasons=False)
    horizon = _horizon(now.date())
    rule = recurrence.normalise_rule(change.rule) if change.rule else head.rule
    time = change.time or head.first_start.time()
    minutes = change.minutes or head.minutes
    service_id = change.service_id or head.service_id
    service = Service.get_or_none(Service.id == service_id)
    if service is None:
        raise NotFound("That service no longer exists.", field="service")
    if change.minutes is None and change.service_id is not None:
        minutes = service.minutes  # a new service brings its own length
    # Which sessions from the cut on are replaced, which are kept.
    replaced: list[PlanSession] = []
    kept: list[PlanSession] = []
    keep_days: set[dt.date] = set()
    #: Days skipped for a clash at the old time (reconsidered below).
    clash_days: set[dt.date] = set()
    old_reasons: dict[dt.date, str] = {}
    reasons = _skip_reasons([p.id for p in chain])
    for row in rows:
        if row.slot < cut or row.state == "unbooked":
            continue
        if row.state == "skipped":
            reason = reasons.get((row.plan_id, row.slot), "hand")
            if reason == "clash" and row.appointment_id is None:
                clash_days.add(row.slot.date())
                continue
            keep_days.add(row.slot.date())
            old_reasons[row.slot.date()] = reason
            continue
        plain = (
            row.plan_id == head.id
            and row.state == "booked"
            and not row.modified
            and not row.has_note
            and row.start >= now
        )
        if plain:
            replaced.append(row)
        else:
            kept.append(row)
            keep_days.add(row.slot.date())
            old_reasons.setdefault(row.slot.date(), "kept")
    # Where the new plan starts: on the old rhythm when the rule stays (so
    # "every other week" keeps its weeks), else on the first day of the change.
    head_skips = _skips([head.id])[head.id]
    if change.rule is None:
        anchor_slot = next(
            (
                s
                for s in recurrence.expand(head.rule, head.first_start, until=head.until)
                if s >= cut
            ),
            None,
        )
        if anchor_slot is None:
            raise ValidationError(
                "The plan has no dates from then on; there is nothing to change.",
                field="from_date",
            )
        anchor = dt.datetime.combine(anchor_slot.date(), time)
    else:
        anchor = dt.datetime.combine(cut.date(), time)
    count = None
    if head.count is not None:
        before_cut = sum(
            not is_skipped
            for _, is_skipped in _iterate(
                head.rule,
                head.first_start,
                count=head.count,
                until=head.until,
                skipped=head_skips,
                before=cut,
            )
        )
        kept_here = sum(1 for r in kept if r.plan_id == head.id)
        count = head.count - before_cut - kept_here
        if count <= 0:
            raise ValidationError(
                "Every session from then on was changed by hand or has taken place; "
                "there is nothing left to change.",
                field="from_date",
            )
    if head.until is not None and head.until < cut.date():
        raise ValidationError("The plan ends before that date.", field="from_date")
    first_start = next(
        (m for m in recurrence.expand(rule, anchor, until=head.until) if m >= cut), None
    )
    if first_start is None:
        raise ValidationError("The new rule gives no date from then on.", field="rule")
    user_days = {s.date() for s in skipped}
    clash_user_days = {s.date() for s in clash_skipped}
    open_ended = count is None and head.until is None
    before = _day_start(horizon + dt.timedelta(days=1)) if open_ended else None
    replaced_ids = {r.appointment_id for r in replaced if r.appointment_id is not None}

    def lay(extra_days: set[dt.date]) -> tuple[set[dt.datetime], list[PlanDate]]:
        """The new plan's dates with the days left out: kept sessions, skipped
        days, the person's skips and ``extra_days`` (skips for a clash)."""
        left_out = keep_days | user_days | clash_user_days | extra_days
        skip_set: set[dt.datetime] = set()
        laid = 0
        for moment in recurrence.expand(rule, first_start, until=head.until):
            if before is not None and moment >= before:
                break
            if moment.date() in left_out:
                skip_set.add(moment)
                continue
            laid += 1
            if (count is not None and laid >= count) or laid > MAX_SESSIONS:
                break
        dates = _dates(
            rule,
            first_start,
            minutes,
            count=count,
            until=head.until,
            skipped=skip_set,
            before=before,
            ignore=replaced_ids,
        )
        return skip_set, dates

    # A date skipped for a clash at the old time is looked at again: it stays
    # skipped only if it still clashes at the new time.
    still: set[dt.date] = set()
    for _ in range(ROUNDS):
        skip_set, dates = lay(still)
        more = {d.start.date() for d in dates if d.blocking and d.start.date() in clash_days}
        if not more - still:
            break
        still |= more

    def reason_for(day: dt.date) -> str:
        if day in user_days:
            return "hand"
        if day in clash_user_days or day in still:
            return "clash"
        return old_reasons.get(day, "kept")

    # Days a kept session stands for are not the person's choice: not listed.
    dates = [d for d in dates if not (d.skipped and d.start.date() in keep_days)]
    after = recurrence.describe_rule(rule, first_start)
    if minutes != head.minutes or service_id != head.service_id:
        after += f" · {service.name} · {minutes} min"
    edit = SeriesEdit(
        plan_id=head.id,
        title=f"Change from {day_month_year(cut)}",
        before=summary.words,
        after=after,
        cut=cut,
        replaced=tuple(replaced),
        kept=tuple(kept),
        dates=tuple(dates),
        open_ended=open_ended,
        horizon=horizon if open_ended else None,
    )
    return _ChangePlan(
        edit=edit,
        head=head,
        replaced_ids=tuple(sorted(replaced_ids)),
        first_start=first_start,
        rule=rule,
        minutes=minutes,
        service_id=service_id,
        count=count,
        new_skips=tuple((slot, reason_for(slot.date())) for slot in sorted(skip_set)),
        horizon=horizon,
    )


@reads
def preview_change(
    plan_id: int,
    change: PlanChange,
    *,
    skipped: Iterable[dt.datetime] = (),
    clash_skipped: Iterable[dt.datetime] = (),
    now: dt.datetime,
) -> SeriesEdit:
    """What changing the plan from a date onward does, before it is applied."""
    return _plan_change(plan_id, change, skipped, now, clash_skipped).edit


@reads
def change_clash_skips(
    plan_id: int,
    change: PlanChange,
    *,
    skipped: Iterable[dt.datetime] = (),
    now: dt.datetime,
) -> ClashSkips:
    """What "Skip and apply" does to a change: every new date skipped for a
    clash and every date that moves (see ``plans.clashes``); apply it with
    ``change_plan(skipped=…, clash_skipped=result.slots)``."""
    hand = list(skipped)
    hand_days = {s.date() for s in hand}
    return settle_clashes(
        lambda skips: (
            _plan_change(
                plan_id, change, hand, now, [s for s in skips if s.date() not in hand_days]
            ).edit.dates
        ),
        hand,
    )


@writes
def change_plan(
    plan_id: int,
    change: PlanChange,
    *,
    skipped: Iterable[dt.datetime] = (),
    clash_skipped: Iterable[dt.datetime] = (),
    now: dt.datetime,
    allow_outside_hours: bool = False,
    expected_version: int | None = None,
) -> PlanSummary:
    """Apply a change from a date onward (see the module docstring).

    ``skipped`` are new dates skipped by hand, ``clash_skipped`` ones skipped
    for a clash (``change_clash_skips``); ``expected_version`` as for
    ``skip_date``."""
    if (
        change.time is None
        and change.minutes is None
        and change.service_id is None
        and change.rule is None
    ):
        raise ValidationError(
            "Nothing to change: give a new time, length, service or repeat.", field="time"
        )
    _check_plan(plan_id, expected_version)
    plan = _plan_change(plan_id, change, skipped, now, clash_skipped)
    _enforce(plan.edit.dates, allow_outside_hours)
    if sum(not d.skipped for d in plan.edit.dates) == 0:
        raise ValidationError("The change leaves no dates to book.", field="from_date")
    head = plan.head
    if plan.replaced_ids:
        removed = Appointment.id.in_(list(plan.replaced_ids)) & (
            Appointment.status == S.BOOKED.value
        )
        gone = [(r.id, r.client_id) for r in Appointment.select().where(removed)]
        Appointment.delete().where(removed).execute()
        for appointment_id, client_id in gone:
            audit.record("appointment", appointment_id, "delete", client_id=client_id)
    head.ended_on = plan.edit.cut.date()
    head.updated_at = now
    head.save(only=[Plan.ended_on, Plan.updated_at])
    audit.record("plan", head.id, "end", fields=("ended_on",))
    new = Plan.create(
        client=head.client_id,
        service=plan.service_id,
        first_start=plan.first_start,
        minutes=plan.minutes,
        rule=plan.rule,
        count=plan.count,
        until=head.until,
        replaces=head.id,
        note=head.note,
        filled_until=plan.horizon if plan.edit.open_ended else None,
        updated_at=now,
    )
    for slot, reason in plan.new_skips:
        PlanSkip.create(plan=new, slot=slot, reason=reason)
    for date in plan.edit.dates:
        if date.skipped:
            continue
        book_appointment(
            head.client_id,
            plan.service_id,
            date.start,
            minutes=plan.minutes,
            allow_outside_hours=allow_outside_hours,
            plan_id=new.id,
            plan_slot=date.start,
        )
    audit.record("plan", new.id, "create", detail=f"replaces plan {head.id}")
    return _summary_of(new, now)


def _end_plan(plan_id: int, from_date: dt.date, now: dt.datetime) -> SeriesEdit:
    head = _active_head(plan_id)
    cut = _cut(from_date, now)
    chain, rows = _load_series(head, now)
    summary, _ = _summarise(head, rows, now, with_reasons=False)
    cancelled = tuple(
        r for r in rows if r.state == "booked" and r.start >= cut and r.appointment_id is not None
    )
    kept = tuple(r for r in rows if r.start >= cut and r.state in ("completed", "no_show"))
    return SeriesEdit(
        plan_id=head.id,
        title=f"End the plan from {day_month_year(cut)}",
        before=summary.words,
        after=f"{summary.rule_words} · ended {day_month(cut)}",
        cut=cut,
        cancelled=cancelled,
        kept=kept,
    )


@reads
def preview_end(plan_id: int, from_date: dt.date, *, now: dt.datetime) -> SeriesEdit:
    """Which sessions ending the plan cancels (booked ones from the date on)."""
    return _end_plan(plan_id, from_date, now)


@writes
def end_plan(
    plan_id: int, from_date: dt.date, *, now: dt.datetime, expected_version: int | None = None
) -> PlanSummary:
    """End the plan: booked sessions from ``from_date`` on are cancelled with
    reason "plan ended"; earlier ones are untouched. ``expected_version`` as for
    ``skip_date``."""
    _check_plan(plan_id, expected_version)
    edit = _end_plan(plan_id, from_date, now)
    ids = [r.appointment_id for r in edit.cancelled if r.appointment_id is not None]
    if ids:
        set_status(ids, S.CANCELLED, now=now, reason=ENDED_REASON, only_booked=True)
    head = Plan.get_by_id(edit.plan_id)
    head.ended_on = edit.cut.date()
    head.updated_at = now
    head.save(only=[Plan.ended_on, Plan.updated_at])
    audit.record("plan", head.id, "end", fields=("ended_on",))
    return _summary_of(Plan.get_by_id(head.id), now)
