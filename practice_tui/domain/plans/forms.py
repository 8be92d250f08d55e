"""Reading the plan forms: the new-plan form and the change form, as typed,
into a draft or a change (every field's problem named at once)."""

from __future__ import annotations

import datetime as dt

from practice_tui.domain import recurrence
from practice_tui.domain.dates import parse_date, parse_time
from practice_tui.domain.errors import (
    ValidationError,
)
from practice_tui.domain.plans.data import (
    MAX_SESSIONS,
    ChangeForm,
    PlanChange,
    PlanDraft,
    PlanForm,
    PlanSummary,
)
from practice_tui.domain.schedule import MAX_MINUTES, MIN_MINUTES


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _int(text: str, field: str, message: str, errors: dict[str, str]) -> int | None:
    text = text.strip()
    if not text.lstrip("-").isdigit():
        errors[field] = message
        return None
    return int(text)


def _minutes(text: str, errors: dict[str, str]) -> int | None:
    """A typed length (blank: the service's), within the booking limits."""
    if not text.strip():
        return None
    minutes = _int(text, "minutes", "The length is a number of minutes.", errors)
    if minutes is not None and not MIN_MINUTES <= minutes <= MAX_MINUTES:
        errors["minutes"] = f"A session lasts {MIN_MINUTES} to {MAX_MINUTES} minutes."
    return minutes


def _repeat_from_form(form: PlanForm | ChangeForm, errors: dict[str, str]) -> str | None:
    """The repeat fields of either form as an RRULE (problems go into ``errors``)."""
    kind, weekdays, interval = form.kind, form.weekdays, form.interval
    nth, weekday, day, rule_text = form.nth, form.weekday, form.day, form.rule_text
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
    minutes = _minutes(form.minutes, errors)
    first_day = first_time = None
    try:
        first_day = parse_date(form.first_date, now.date())
    except ValidationError as error:
        errors["first_date"] = error.message
    try:
        first_time = parse_time(form.time)
    except ValidationError as error:
        errors["time"] = error.message
    rule = _repeat_from_form(form, errors)
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
    minutes = _minutes(form.minutes, errors)
    rule = _repeat_from_form(form, errors)
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
