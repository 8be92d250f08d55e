"""Recurring treatment plans: preview, create, list, skip, change onward, end.

A plan's sessions are real appointments (``Appointment.plan`` and
``plan_slot``, the date of the plan each was made for), so Today, the agenda
and the client's profile show them and each can be moved or cancelled alone;
moving one by hand sets ``plan_modified`` and series edits leave it alone.

Choices made here (the issue left them open):

* **Counting.** "10 sessions" means ten sessions take place: a skipped date
  does not use one up, so the plan runs one date longer (see
  ``recurrence``). A session cancelled by hand still counts.
* **Saving a new plan.** Nothing is written until save. Dates that still
  overlap a booking (or sit too close to one, within the practice's buffer)
  or fall in a daylight-saving gap refuse the save with a message naming
  them: skip them in the preview or pick another time. Dates outside working
  hours (or on a day off, or in the break) need an explicit confirmation. A
  plan of more than ``CONFIRM_SESSIONS`` sessions needs a confirmation; the
  hard limit is ``MAX_SESSIONS`` (said in the message, never silent).
* **Finite plans** get every appointment when saved. **Open-ended plans** get
  appointments ``Practice.plan_horizon_weeks`` ahead and ``fill_horizon``
  (run when the app opens) keeps them filled. Filling never double-books: a
  date that clashes by then is left "not booked" and marked as a conflict on
  the plan, and filled the next time if it has become free. Filling accepts
  dates outside working hours, because the plan's time was accepted when it
  was saved.
* **Skip one date**: the appointment is cancelled with reason "skipped" and
  the date is remembered in ``PlanSkip``; a plan with a count then books one
  more date at its end.
* **Change from a date onward** ends the plan at that date and starts a
  continuing plan (``Plan.replaces``) with the new time, length, service or
  rule. Upcoming sessions that were never touched by hand (booked, not moved
  or edited, no note) are *replaced*: deleted and booked again at the new
  time. They never took place and hold nothing, so deleting them keeps Today
  free of a cancelled twin for every session. Sessions moved or edited by
  hand, completed, cancelled or with a note are *kept* and listed; a new date
  on the same day as a kept session is left out (the kept one stands for it),
  and skipped days stay skipped. The count carries over, so a 10-session plan
  still holds 10 sessions. With the rule unchanged, the new plan keeps the old
  rhythm ("every other week" stays on the same weeks).
* **End from a date**: upcoming booked sessions from that date (moved ones
  too) are cancelled with reason "plan ended"; earlier ones are untouched.
* Series edits start today or later; the past is never rewritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import peewee as pw

from practice_tui.domain import recurrence
from practice_tui.domain.dates import parse_date, parse_time
from practice_tui.domain.db import reads, writes
from practice_tui.domain.errors import (
    ConflictError,
    NotFound,
    OutsideHoursError,
    PracticeError,
    ValidationError,
)
from practice_tui.domain.models import Appointment, Client, Plan, PlanSkip, Service, SessionNote
from practice_tui.domain.models import Status as S
from practice_tui.domain.schedule import (
    SlotCheck,
    book_appointment,
    bookable,
    check_slot,
    check_slots,
    describe_clash,
)
from practice_tui.domain.settings import get_practice
from practice_tui.domain.types import ClientSummary, display_name

#: A plan longer than this asks to confirm before it is saved.
CONFIRM_SESSIONS = 200
#: The most sessions one plan can hold (said in the error message).
MAX_SESSIONS = 1000
SKIPPED_REASON = "skipped"
ENDED_REASON = "plan ended"

END_KINDS = ("count", "until", "none")


class LongPlanError(PracticeError):
    """The plan would create more than ``CONFIRM_SESSIONS`` sessions; confirm to save."""

    def __init__(self, sessions: int) -> None:
        super().__init__(
            f"This plan creates {sessions} sessions (more than {CONFIRM_SESSIONS}). "
            "Confirm to save it anyway."
        )
        self.sessions = sessions


# --- plain data handed to the interface ----------------------------------------


@dataclass(frozen=True)
class PlanForm:
    """The new-plan form as typed: text where a person types, ids and numbers
    where they pick."""

    client_id: int | None = None
    service_id: int | None = None
    minutes: str = ""
    first_date: str = ""
    time: str = ""
    kind: str = "weekly"
    weekdays: tuple[int, ...] = ()
    interval: str = "1"
    nth: int = 1
    weekday: int = 0
    day: str = "1"
    rule_text: str = ""
    end_kind: str = "count"
    count: str = ""
    until: str = ""


@dataclass(frozen=True)
class PlanDraft:
    """A plan read from the form, not yet saved."""

    client_id: int
    service_id: int
    first_start: dt.datetime
    rule: str
    minutes: int | None = None
    count: int | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class PlanDate:
    """One date of a plan being previewed, with what stands in its way."""

    start: dt.datetime
    end: dt.datetime
    number: int | None
    skipped: bool = False
    #: "Overlaps Maya Thompson 08:30–09:30 (Medical massage 60)" …
    clashes: tuple[str, ...] = ()
    outside_hours: str = ""
    invalid_time: str = ""

    @property
    def blocking(self) -> bool:
        """It would stop the save: an overlap or a time that does not exist."""
        return not self.skipped and bool(self.clashes or self.invalid_time)

    @property
    def problems(self) -> tuple[str, ...]:
        if self.skipped:
            return ()
        return tuple(m for m in (self.invalid_time, *self.clashes, self.outside_hours) if m)


@dataclass(frozen=True)
class PlanPreview:
    words: str
    dates: tuple[PlanDate, ...]
    open_ended: bool
    #: For an open-ended plan, the dates shown (and booked at once) end here.
    horizon: dt.date | None = None

    @property
    def sessions(self) -> int:
        return sum(not d.skipped for d in self.dates)

    @property
    def clashes(self) -> int:
        return sum(bool(d.clashes) and not d.skipped for d in self.dates)

    @property
    def invalid(self) -> int:
        return sum(bool(d.invalid_time) and not d.skipped for d in self.dates)

    @property
    def outside(self) -> int:
        return sum(bool(d.outside_hours) and not d.skipped for d in self.dates)

    @property
    def blocking(self) -> tuple[PlanDate, ...]:
        return tuple(d for d in self.dates if d.blocking)

    @property
    def needs_confirm(self) -> bool:
        return self.sessions > CONFIRM_SESSIONS


@dataclass(frozen=True)
class PlanSession:
    """One date of a saved plan: what happened or will happen to it."""

    plan_id: int
    #: The date of the plan it was made for.
    slot: dt.datetime
    #: When it takes place (the appointment's time, when it was moved).
    start: dt.datetime
    end: dt.datetime
    number: int | None
    #: booked, completed, cancelled, no_show, skipped or unbooked.
    state: str
    appointment_id: int | None = None
    cancel_reason: str = ""
    modified: bool = False
    has_note: bool = False
    #: Why a date is not booked ("Overlaps …"), when it is not.
    detail: str = ""

    @property
    def moved(self) -> bool:
        return self.appointment_id is not None and self.start != self.slot

    def upcoming(self, now: dt.datetime) -> bool:
        return self.start >= now

    @property
    def description(self) -> str:
        """ "moved from Mon 11 Jan 09:00", "cancelled: flu", "not booked: Overlaps …"."""
        words = {
            "booked": "booked",
            "completed": "completed",
            "no_show": "no-show",
            "skipped": "skipped",
            "unbooked": "not booked",
        }.get(self.state, self.state)
        if self.state == "cancelled":
            words = f"cancelled: {self.cancel_reason}" if self.cancel_reason else "cancelled"
        if self.state == "unbooked" and self.detail:
            words += f": {self.detail}"
        if self.moved:
            words += f" · moved from {_short(self.slot)}"
        elif self.modified:
            words += " · changed by hand"
        return words


@dataclass(frozen=True)
class PlanSummary:
    id: int
    client_id: int
    client_name: str
    contraindications: str
    service_id: int
    service_name: str
    minutes: int
    rule: str
    first_start: dt.datetime
    count: int | None
    until: dt.date | None
    ended_on: dt.date | None
    #: "Every Tue at 10:00"
    rule_words: str
    #: "Every Tue at 10:00 · 8 sessions · 3 left"
    words: str
    #: Sessions in the series (finite plans), upcoming ones not cancelled.
    total: int | None
    left: int | None
    next_start: dt.datetime | None
    #: Upcoming dates not booked, each with why.
    problems: tuple[str, ...]
    finished: bool
    replaces_id: int | None = None

    @property
    def active(self) -> bool:
        return self.ended_on is None and not self.finished

    @property
    def status(self) -> str:
        if self.ended_on is not None:
            return f"ended {self.ended_on.day} {self.ended_on:%b %Y}"
        if self.finished:
            return "finished"
        return "active"


@dataclass(frozen=True)
class PlanChangeNote:
    """One earlier version of a changed plan: from when, and what it was."""

    plan_id: int
    until: dt.date
    words: str
    service_name: str
    minutes: int


@dataclass(frozen=True)
class PlanDetails:
    summary: PlanSummary
    sessions: tuple[PlanSession, ...]
    #: Earlier versions of the plan (changes from a date onward), oldest first.
    history: tuple[PlanChangeNote, ...] = ()
    horizon: dt.date | None = None


@dataclass(frozen=True)
class PlanChange:
    """A change from ``from_date`` onward; ``None`` keeps what the plan has."""

    from_date: dt.date
    time: dt.time | None = None
    minutes: int | None = None
    service_id: int | None = None
    rule: str | None = None


@dataclass(frozen=True)
class ChangeForm:
    """The change form as typed."""

    from_date: str = ""
    time: str = ""
    minutes: str = ""
    service_id: int | None = None
    kind: str = "weekly"
    weekdays: tuple[int, ...] = ()
    interval: str = "1"
    nth: int = 1
    weekday: int = 0
    day: str = "1"
    rule_text: str = ""


@dataclass(frozen=True)
class SeriesEdit:
    """What a series edit will do, shown before it is applied."""

    plan_id: int
    title: str
    before: str
    after: str
    cut: dt.datetime
    #: Booked sessions cancelled (skip, end) or replaced (change).
    cancelled: tuple[PlanSession, ...] = ()
    replaced: tuple[PlanSession, ...] = ()
    #: Sessions left as they are, each with why (moved, completed …).
    kept: tuple[PlanSession, ...] = ()
    #: New dates (a change's new sessions; a skip's date added at the end).
    dates: tuple[PlanDate, ...] = ()
    open_ended: bool = False
    horizon: dt.date | None = None

    @property
    def blocking(self) -> tuple[PlanDate, ...]:
        return tuple(d for d in self.dates if d.blocking)

    @property
    def outside(self) -> int:
        return sum(bool(d.outside_hours) and not d.skipped for d in self.dates)

    @property
    def sessions(self) -> int:
        return sum(not d.skipped for d in self.dates)


# --- small helpers ------------------------------------------------------------


def _short(moment: dt.datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b} {moment:%H:%M}"


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _int(text: str, field: str, message: str, errors: dict[str, str]) -> int | None:
    text = text.strip()
    if not text.lstrip("-").isdigit():
        errors[field] = message
        return None
    return int(text)


def _repeat_from_fields(
    kind: str,
    weekdays: tuple[int, ...],
    interval: str,
    nth: int,
    weekday: int,
    day: str,
    rule_text: str,
    errors: dict[str, str],
) -> str | None:
    every = 1
    if kind != "rule":
        value = _int(interval or "1", "interval", "Repeat every 1 to 99 (a number).", errors)
        if value is None:
            return None
        every = value
    day_number = 1
    if kind == "monthly_day":
        text = day.strip().lower()
        if text in ("last", "-1"):
            day_number = -1
        else:
            value = _int(text, "day", "The day of the month is 1 to 31, or last.", errors)
            if value is None:
                return None
            day_number = value
    try:
        return recurrence.rule_from_repeat(
            recurrence.Repeat(
                kind=kind,
                weekdays=weekdays,
                interval=every,
                nth=nth,
                weekday=weekday,
                day=day_number,
                text=rule_text,
            )
        )
    except ValidationError as error:
        errors[error.field or "rule"] = error.message
        return None


def read_plan_form(form: PlanForm, *, now: dt.datetime) -> PlanDraft:
    """The form's fields read and checked together; every bad field is named."""
    errors: dict[str, str] = {}
    if form.client_id is None:
        errors["client"] = "Pick a client: type part of a name, then enter."
    if form.service_id is None:
        errors["service"] = "Pick a service."
    minutes = None
    if form.minutes.strip():
        minutes = _int(form.minutes, "minutes", "The length is a number of minutes.", errors)
        if minutes is not None and not 5 <= minutes <= 480:
            errors["minutes"] = "A session lasts 5 to 480 minutes."
    first_day = first_time = None
    try:
        first_day = parse_date(form.first_date, now.date())
    except ValidationError as error:
        errors["first_date"] = error.message
    try:
        first_time = parse_time(form.time)
    except ValidationError as error:
        errors["time"] = error.message
    rule = _repeat_from_fields(
        form.kind,
        form.weekdays,
        form.interval,
        form.nth,
        form.weekday,
        form.day,
        form.rule_text,
        errors,
    )
    first_start = None
    if first_day is not None and first_time is not None:
        first_start = dt.datetime.combine(first_day, first_time)
        if first_start < now:
            errors["first_date"] = "The first session would be in the past."
    count = until = None
    if form.end_kind == "count":
        count = _int(form.count, "count", "After how many sessions? Type a number.", errors)
        if count is not None and not 1 <= count <= MAX_SESSIONS:
            errors["count"] = f"A plan holds 1 to {MAX_SESSIONS} sessions."
    elif form.end_kind == "until":
        try:
            until = parse_date(form.until, now.date())
        except ValidationError as error:
            errors["until"] = error.message
        if until is not None and first_day is not None and until < first_day:
            errors["until"] = "The end date is before the first session."
    elif form.end_kind != "none":
        errors["end"] = "Pick how the plan ends."
    if errors:
        raise ValidationError.from_errors(errors)
    assert form.client_id is not None and form.service_id is not None
    assert first_start is not None and rule is not None
    return PlanDraft(
        client_id=form.client_id,
        service_id=form.service_id,
        first_start=first_start,
        rule=rule,
        minutes=minutes,
        count=count,
        until=until,
    )


def read_change_form(form: ChangeForm, plan: PlanSummary, *, today: dt.date) -> PlanChange:
    """The change form read and checked; fields left as the plan has them
    become ``None`` (unchanged)."""
    errors: dict[str, str] = {}
    from_date = None
    try:
        from_date = parse_date(form.from_date, today)
    except ValidationError as error:
        errors["from_date"] = error.message
    if from_date is not None and from_date < today:
        errors["from_date"] = "A change starts today or later; the past stays as it was."
    time = None
    try:
        time = parse_time(form.time)
    except ValidationError as error:
        errors["time"] = error.message
    minutes = None
    if form.minutes.strip():
        minutes = _int(form.minutes, "minutes", "The length is a number of minutes.", errors)
        if minutes is not None and not 5 <= minutes <= 480:
            errors["minutes"] = "A session lasts 5 to 480 minutes."
    rule = _repeat_from_fields(
        form.kind,
        form.weekdays,
        form.interval,
        form.nth,
        form.weekday,
        form.day,
        form.rule_text,
        errors,
    )
    if errors:
        raise ValidationError.from_errors(errors)
    assert from_date is not None
    return PlanChange(
        from_date=from_date,
        time=None if time == plan.first_start.time() else time,
        minutes=None if minutes in (None, plan.minutes) else minutes,
        service_id=None if form.service_id in (None, plan.service_id) else form.service_id,
        rule=None if rule == plan.rule else rule,
    )


# --- expansion and checks -----------------------------------------------------


def _iterate(
    rule: str,
    first_start: dt.datetime,
    *,
    count: int | None,
    until: dt.date | None,
    skipped: set[dt.datetime],
    before: dt.datetime | None,
    limit: int = MAX_SESSIONS + 1,
) -> Iterator[tuple[dt.datetime, bool]]:
    """Dates in order with whether each is skipped; skipped ones do not count.

    Stops at ``count`` sessions, at ``before``, or after ``limit`` sessions.
    """
    made = 0
    seen = 0
    for moment in recurrence.expand(rule, first_start, until=until):
        if before is not None and moment >= before:
            return
        seen += 1
        if seen > limit * 4 + 100:
            return  # a rule skipped almost everywhere; never loop for ever
        if moment in skipped:
            yield moment, True
            continue
        yield moment, False
        made += 1
        if (count is not None and made >= count) or made >= limit:
            return


def _check_date(
    start: dt.datetime,
    minutes: int,
    number: int | None,
    *,
    ignore: set[int] = frozenset(),  # type: ignore[assignment]
    buffer: int,
    check: SlotCheck | None = None,
) -> PlanDate:
    check = check or check_slot(start, minutes)
    clashes = tuple(
        describe_clash(other, check.start, check.end, buffer)
        for other in check.conflicts
        if other.id not in ignore
    )
    return PlanDate(
        start=check.start,
        end=check.end,
        number=number,
        clashes=clashes,
        outside_hours=check.outside_hours,
        invalid_time=check.invalid_time,
    )


def _dates(
    rule: str,
    first_start: dt.datetime,
    minutes: int,
    *,
    count: int | None,
    until: dt.date | None,
    skipped: set[dt.datetime],
    before: dt.datetime | None,
    ignore: set[int] = frozenset(),  # type: ignore[assignment]
) -> list[PlanDate]:
    buffer = get_practice().buffer_minutes
    result: list[PlanDate] = []
    number = 0
    moments = list(
        _iterate(rule, first_start, count=count, until=until, skipped=skipped, before=before)
    )
    wanted = [m for m, is_skipped in moments if not is_skipped][: MAX_SESSIONS + 1]
    # One query for every date (a 1,000-session plan is checked in milliseconds).
    checks = dict(zip(wanted, check_slots(wanted, minutes), strict=True))
    for moment, is_skipped in moments:
        if is_skipped:
            result.append(
                PlanDate(moment, moment + dt.timedelta(minutes=minutes), None, skipped=True)
            )
            continue
        number += 1
        if number > MAX_SESSIONS:
            raise ValidationError(
                f"This plan would hold more than {MAX_SESSIONS} sessions; "
                "end it after fewer sessions or on an earlier date.",
                field="count" if count is not None else "until",
            )
        result.append(
            _check_date(
                moment, minutes, number, ignore=ignore, buffer=buffer, check=checks.get(moment)
            )
        )
    return result


def _horizon(today: dt.date) -> dt.date:
    return today + dt.timedelta(weeks=get_practice().plan_horizon_weeks)


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
        end = f"until {draft.until.day} {draft.until:%b %Y} · {sessions} sessions"
    words = f"{recurrence.describe_rule(draft.rule, draft.first_start)} · {minutes} min · {end}"
    return PlanPreview(words=words, dates=tuple(dates), open_ended=open_ended, horizon=horizon)


@reads
def skip_clashes(
    draft: PlanDraft, *, skipped: Iterable[dt.datetime] = (), now: dt.datetime
) -> tuple[dt.datetime, ...]:
    """The skips that leave no clashing date: the given ones, every date that
    clashes, and, as a plan with a count grows at its end, the added dates that
    clash too. Refuses when that never settles (every date clashes)."""
    chosen = set(skipped)
    for _ in range(50):
        preview = preview_plan(draft, skipped=chosen, now=now)
        blocking = {d.start for d in preview.blocking}
        if not blocking:
            return tuple(sorted(chosen))
        chosen |= blocking
    raise ConflictError(
        "Too many dates clash at this time; pick another time or day.", field="time"
    )


def _enforce(dates: Sequence[PlanDate], allow_outside_hours: bool) -> None:
    """Refuse dates that clash or do not exist; out-of-hours ones need consent."""
    blocking = [d for d in dates if d.blocking]
    if blocking:
        first = blocking[0]
        reason = first.invalid_time or first.clashes[0]
        more = f" and {len(blocking) - 1} more" if len(blocking) > 1 else ""
        raise ConflictError(
            f"{len(blocking)} date{'s' if len(blocking) > 1 else ''} clash: "
            f"{_short(first.start)} — {reason}{more}. Skip them (k) or pick another time.",
            field="dates",
        )
    outside = [d for d in dates if d.outside_hours and not d.skipped]
    if outside and not allow_outside_hours:
        raise OutsideHoursError(
            f"{len(outside)} date{'s are' if len(outside) > 1 else ' is'} outside working "
            f"hours ({_short(outside[0].start)}: {outside[0].outside_hours}) "
            "Confirm to book them anyway.",
            field="dates",
        )


@writes
def create_plan(
    draft: PlanDraft,
    *,
    skipped: Iterable[dt.datetime] = (),
    now: dt.datetime,
    allow_outside_hours: bool = False,
    confirm_long: bool = False,
) -> PlanSummary:
    """Save the plan and book its sessions, all or nothing."""
    if draft.first_start < now:
        raise ValidationError("The first session would be in the past.", field="first_date")
    skipped = set(skipped)
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
    skips = [{"plan": plan.id, "slot": d.start} for d in preview.dates if d.skipped]
    stamp = dt.datetime.now().replace(microsecond=0)
    sessions = [
        {
            "client": draft.client_id,
            "service": draft.service_id,
            "start": d.start,
            "end": d.start + dt.timedelta(minutes=minutes),
            "plan": plan.id,
            "plan_slot": d.start,
            "created_at": stamp,
            "updated_at": stamp,
        }
        for d in preview.dates
        if not d.skipped
    ]
    for rows, model in ((skips, PlanSkip), (sessions, Appointment)):
        for first in range(0, len(rows), 200):
            model.insert_many(rows[first : first + 200]).execute()
    return _summary_of(plan, now)


# --- the saved series ---------------------------------------------------------


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
    upcoming = [r for r in rows if r.start >= now and r.state in ("booked", "unbooked")]
    total = sum(r.state != "skipped" for r in rows) if finite else None
    left = len(upcoming) if finite and head.ended_on is None else None
    problems: list[str] = []
    detailed: list[PlanSession] = []
    for row in rows:
        if row.state == "unbooked" and row.start >= now and head.ended_on is None:
            reason = _unbooked_reason(row) if with_reasons else ""
            row = replace(row, detail=reason)
            problems.append(f"{_short(row.start)} not booked" + (f": {reason}" if reason else ""))
        detailed.append(row)
    finished = finite and not upcoming and head.ended_on is None
    rule_words = recurrence.describe_rule(head.rule, head.first_start)
    if head.count is not None:
        end_words = f"{total} session" + ("" if total == 1 else "s")
    elif head.until is not None:
        end_words = f"until {head.until.day} {head.until:%b %Y}"
    else:
        end_words = "no end"
    words = f"{rule_words} · {end_words}"
    if head.ended_on is not None:
        words += f" · ended {head.ended_on.day} {head.ended_on:%b}"
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


@reads
def usual_service(client_id: int | None) -> int | None:
    """The service a plan form starts on: the client's latest completed visit,
    else their latest booking, else the practice's most booked service."""
    active = Service.active == True  # noqa: E712
    if client_id is not None:
        for status in (S.COMPLETED.value, S.BOOKED.value):
            row = (
                Appointment.select(Appointment.service)
                .join(Service, on=(Appointment.service == Service.id))
                .where((Appointment.client == client_id) & (Appointment.status == status) & active)
                .order_by(Appointment.start.desc())
                .first()
            )
            if row is not None:
                return row.service_id
    common = (
        Appointment.select(Appointment.service, pw.fn.COUNT(Appointment.id).alias("uses"))
        .join(Service, on=(Appointment.service == Service.id))
        .where(active)
        .group_by(Appointment.service)
        .order_by(pw.SQL("uses").desc(), Appointment.service)
        .first()
    )
    if common is not None:
        return common.service_id
    first = Service.select(Service.id).where(active).order_by(Service.name).first()
    return first.id if first is not None else None


# --- keeping plans filled -------------------------------------------------------


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


# --- series edits ----------------------------------------------------------------


def _active_head(plan_id: int) -> Plan:
    plan = Plan.get_or_none(Plan.id == plan_id)
    if plan is None:
        raise NotFound("That plan no longer exists.")
    head = _head_of(plan)
    if head.ended_on is not None:
        raise ConflictError(f"This plan ended on {head.ended_on:%a %d %b %Y}; it cannot change.")
    return head


def _find_row(rows: Sequence[PlanSession], slot: dt.datetime) -> PlanSession:
    for row in rows:
        if row.slot == slot or (row.appointment_id is not None and row.start == slot):
            return row
    raise NotFound(f"{_short(slot)} is not a date of this plan.")


def _skip_plan(
    plan_id: int, slot: dt.datetime, now: dt.datetime
) -> tuple[Plan, list[PlanSession], PlanSession]:
    head = _active_head(plan_id)
    _, rows = _load_series(head, now)
    row = _find_row(rows, slot)
    if row.state == "skipped":
        raise ConflictError(f"{_short(row.slot)} is already skipped.")
    if row.start < now:
        raise ValidationError("Only upcoming dates can be skipped; the past stays as it was.")
    if row.state not in ("booked", "unbooked"):
        raise ConflictError(
            f"The session of {_short(row.start)} is {row.description}; there is nothing to skip."
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
        after += f" · one more date at the end: {_short(added[-1].start)}"
    return SeriesEdit(
        plan_id=head.id,
        title=f"Skip {_short(row.slot)}",
        before=summary.words,
        after=after,
        cut=row.start,
        cancelled=cancelled,
        dates=tuple(added),
    )


@writes
def skip_date(plan_id: int, slot: dt.datetime, *, now: dt.datetime) -> PlanSummary:
    """Skip one upcoming date: its session is cancelled with reason "skipped"
    and the date remembered; a plan with a count books one more date at its end
    (left unbooked, and marked, if that date clashes)."""
    head, _, row = _skip_plan(plan_id, slot, now)
    PlanSkip.create(plan=row.plan_id, slot=row.slot)
    if row.plan_id != head.id and head.count is not None:
        head.count += 1
        head.save(only=[Plan.count])
    if row.appointment_id is not None:
        Appointment.update(
            status=S.CANCELLED.value,
            cancel_reason=SKIPPED_REASON,
            cancelled_at=now.replace(microsecond=0),
            late_cancel=False,
            updated_at=dt.datetime.now().replace(microsecond=0),
        ).where(Appointment.id == row.appointment_id).execute()
    _fill(head, now=now, horizon=_horizon(now.date()))
    return _summary_of(head, now)


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
    new_skips: tuple[dt.datetime, ...]
    horizon: dt.date


def _plan_change(
    plan_id: int, change: PlanChange, skipped: Iterable[dt.datetime], now: dt.datetime
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
    for row in rows:
        if row.slot < cut or row.state == "unbooked":
            continue
        if row.state == "skipped":
            keep_days.add(row.slot.date())
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
    open_ended = count is None and head.until is None
    before = _day_start(horizon + dt.timedelta(days=1)) if open_ended else None
    # Days left out of the new plan: kept sessions, skipped days, the person's skips.
    skip_set: set[dt.datetime] = set()
    laid = 0
    for moment in recurrence.expand(rule, first_start, until=head.until):
        if before is not None and moment >= before:
            break
        if moment.date() in keep_days or moment.date() in user_days:
            skip_set.add(moment)
            continue
        laid += 1
        if (count is not None and laid >= count) or laid > MAX_SESSIONS:
            break
    replaced_ids = {r.appointment_id for r in replaced if r.appointment_id is not None}
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
    # Days a kept session stands for are not the person's choice: not listed.
    dates = [d for d in dates if not (d.skipped and d.start.date() in keep_days)]
    after = recurrence.describe_rule(rule, first_start)
    if minutes != head.minutes or service_id != head.service_id:
        after += f" · {service.name} · {minutes} min"
    edit = SeriesEdit(
        plan_id=head.id,
        title=f"Change from {cut.day} {cut:%b %Y}",
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
        new_skips=tuple(sorted(skip_set)),
        horizon=horizon,
    )


@reads
def preview_change(
    plan_id: int,
    change: PlanChange,
    *,
    skipped: Iterable[dt.datetime] = (),
    now: dt.datetime,
) -> SeriesEdit:
    """What changing the plan from a date onward does, before it is applied."""
    return _plan_change(plan_id, change, skipped, now).edit


@writes
def change_plan(
    plan_id: int,
    change: PlanChange,
    *,
    skipped: Iterable[dt.datetime] = (),
    now: dt.datetime,
    allow_outside_hours: bool = False,
) -> PlanSummary:
    """Apply a change from a date onward (see the module docstring)."""
    if (
        change.time is None
        and change.minutes is None
        and change.service_id is None
        and change.rule is None
    ):
        raise ValidationError(
            "Nothing to change: give a new time, length, service or repeat.", field="time"
        )
    plan = _plan_change(plan_id, change, skipped, now)
    _enforce(plan.edit.dates, allow_outside_hours)
    if sum(not d.skipped for d in plan.edit.dates) == 0:
        raise ValidationError("The change leaves no dates to book.", field="from_date")
    head = plan.head
    if plan.replaced_ids:
        Appointment.delete().where(
            Appointment.id.in_(list(plan.replaced_ids)) & (Appointment.status == S.BOOKED.value)
        ).execute()
    head.ended_on = plan.edit.cut.date()
    head.save(only=[Plan.ended_on])
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
    )
    for slot in plan.new_skips:
        PlanSkip.create(plan=new, slot=slot)
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
        title=f"End the plan from {cut.day} {cut:%b %Y}",
        before=summary.words,
        after=f"{summary.rule_words} · ended {cut.day} {cut:%b}",
        cut=cut,
        cancelled=cancelled,
        kept=kept,
    )


@reads
def preview_end(plan_id: int, from_date: dt.date, *, now: dt.datetime) -> SeriesEdit:
    """Which sessions ending the plan cancels (booked ones from the date on)."""
    return _end_plan(plan_id, from_date, now)


@writes
def end_plan(plan_id: int, from_date: dt.date, *, now: dt.datetime) -> PlanSummary:
    """End the plan: booked sessions from ``from_date`` on are cancelled with
    reason "plan ended"; earlier ones are untouched."""
    edit = _end_plan(plan_id, from_date, now)
    ids = [r.appointment_id for r in edit.cancelled if r.appointment_id is not None]
    if ids:
        Appointment.update(
            status=S.CANCELLED.value,
            cancel_reason=ENDED_REASON,
            cancelled_at=now.replace(microsecond=0),
            late_cancel=False,
            updated_at=dt.datetime.now().replace(microsecond=0),
        ).where(Appointment.id.in_(ids) & (Appointment.status == S.BOOKED.value)).execute()
    head = Plan.get_by_id(edit.plan_id)
    head.ended_on = edit.cut.date()
    head.save(only=[Plan.ended_on])
    return _summary_of(head, now)


__all__ = [
    "CONFIRM_SESSIONS",
    "MAX_SESSIONS",
    "ChangeForm",
    "LongPlanError",
    "PlanChange",
    "PlanDate",
    "PlanDetails",
    "PlanDraft",
    "PlanForm",
    "PlanPreview",
    "PlanSession",
    "PlanSummary",
    "SeriesEdit",
    "change_plan",
    "create_plan",
    "end_plan",
    "fill_horizon",
    "get_plan",
    "list_plans",
    "plan_client",
    "preview_change",
    "preview_end",
    "preview_plan",
    "preview_skip",
    "read_change_form",
    "read_plan_form",
    "skip_clashes",
    "skip_date",
    "usual_service",
]
