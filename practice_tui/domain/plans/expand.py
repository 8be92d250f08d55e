"""Expanding a series into dates and checking each against the booking rules
(clash, outside hours, daylight-saving gap), up to the horizon for a plan
without end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from practice_tui.domain import recurrence
from practice_tui.domain.errors import (
    ValidationError,
)
from practice_tui.domain.plans.data import (
    MAX_SESSIONS,
    PlanDate,
)
from practice_tui.domain.schedule import SlotCheck, check_slot, check_slots, describe_clash
from practice_tui.domain.settings import get_practice
from practice_tui.domain.time_off import blocks_between, time_off_reason
from practice_tui.domain.types import TimeOffInfo


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
    time_off: Sequence[TimeOffInfo] | None = None,
) -> PlanDate:
    check = check or check_slot(start, minutes)
    clashes = tuple(
        describe_clash(other, check.start, check.end, buffer)
        for other in check.conflicts
        if other.id not in ignore
    )
    off = time_off_reason(check.start, check.end, time_off)
    return PlanDate(
        start=check.start,
        end=check.end,
        number=number,
        clashes=clashes,
        outside_hours="" if off else check.outside_hours,
        invalid_time=check.invalid_time,
        time_off=off,
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
    practice = get_practice()
    buffer = practice.buffer_minutes
    moments: list[tuple[dt.datetime, int | None]] = []  # (date, number or None if skipped)
    number = 0
    for moment, is_skipped in _iterate(
        rule, first_start, count=count, until=until, skipped=skipped, before=before
    ):
        if is_skipped:
            moments.append((moment, None))
            continue
        number += 1
        if number > MAX_SESSIONS:
            raise ValidationError(
                f"This plan would hold more than {MAX_SESSIONS} sessions; "
                "end it after fewer sessions or on an earlier date.",
                field="count" if count is not None else "until",
            )
        moments.append((moment, number))
    # Every date is checked against one read of the appointments (and one of
    # the time off) around them: a 1,000-session plan is checked in milliseconds.
    wanted = [(m, minutes) for m, n in moments if n is not None]
    checks = iter(check_slots(wanted, practice=practice))
    last = max((m for m, _ in wanted), default=first_start) + dt.timedelta(minutes=minutes)
    off = blocks_between(min((m for m, _ in wanted), default=first_start), last)
    result: list[PlanDate] = []
    for moment, number_or_none in moments:
        if number_or_none is None:
            result.append(
                PlanDate(moment, moment + dt.timedelta(minutes=minutes), None, skipped=True)
            )
        else:
            result.append(
                _check_date(
                    moment,
                    minutes,
                    number_or_none,
                    ignore=ignore,
                    buffer=buffer,
                    check=next(checks),
                    time_off=off,
                )
            )
    return result


def _horizon(today: dt.date) -> dt.date:
    return today + dt.timedelta(weeks=get_practice().plan_horizon_weeks)
