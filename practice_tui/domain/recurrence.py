"""Recurrence rules (RFC 5545 RRULE) expanded with ``dateutil.rrule``.

Expansion runs on naive local wall-clock times, so "every Tuesday at 10:00"
stays at 10:00 across daylight-saving changes. A plan stores its rule without
COUNT/UNTIL (its end lives in separate columns) and its skipped dates itself,
because ``rruleset`` has no text form.

What "N sessions" means: a plan of 10 sessions holds 10 sessions. A date
skipped (a holiday, a clash) does not use one up, so the series runs one date
longer, the way a therapist counts a prescribed course. (RFC 5545 would let an
EXDATE eat into COUNT; ``build`` hands dateutil an UNTIL at the last kept date
instead, so both agree.) An "until" date is the last day a session may fall on.

The rule's time of day is always the plan's start time: BYHOUR, BYMINUTE and
BYSECOND are refused, so "at 09:00" in the words is true of every date. As in
dateutil, the first date is the first occurrence of the rule on or after the
start: a weekly Mon/Thu rule started on a Friday begins the next Monday.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from dateutil.rrule import rrule, rruleset, rrulestr

from practice_tui.domain.errors import ValidationError
from practice_tui.domain.words import clock, day_month, day_month_year

ALLOWED_FREQ = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_MANAGED = re.compile(r"(^|;)\s*(COUNT|UNTIL|DTSTART)\s*=", re.IGNORECASE)
_CLOCK = re.compile(r"(^|;)\s*(BYHOUR|BYMINUTE|BYSECOND)\s*=", re.IGNORECASE)
MAX_INTERVAL = 99
#: Weekday codes of RFC 5545 in Python's order (0 = Monday).
CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SHORT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ORDINALS = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", 5: "Fifth", -1: "Last"}
_ORDINAL_WORDS = {-2: "Second-to-last", -3: "Third-to-last"}


def normalise_rule(text: str) -> str:
    """Clean a typed RRULE (``RRULE:`` prefix optional) and check dateutil reads it."""
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[6:]
    rule = rule.strip().strip(";").upper().replace(" ", "")
    if not rule:
        raise ValidationError("Type a rule, e.g. FREQ=WEEKLY;BYDAY=TU.", field="rule")
    if _MANAGED.search(rule):
        raise ValidationError(
            "Leave COUNT and UNTIL out of the rule; set the end in the form instead.",
            field="rule",
        )
    if _CLOCK.search(rule):
        raise ValidationError(
            "Leave BYHOUR and BYMINUTE out of the rule; the time is set in the form.",
            field="rule",
        )
    freq = re.search(r"(?:^|;)FREQ=([A-Z]+)", rule)
    if freq is None:
        raise ValidationError("The rule needs FREQ, e.g. FREQ=WEEKLY;BYDAY=TU.", field="rule")
    if freq.group(1) not in ALLOWED_FREQ:
        raise ValidationError(
            f"FREQ={freq.group(1)} is not for a practice; use DAILY, WEEKLY, MONTHLY or YEARLY.",
            field="rule",
        )
    interval = re.search(r"(?:^|;)INTERVAL=([^;]*)", rule)
    if interval is not None and not (
        interval.group(1).isdigit() and 1 <= int(interval.group(1)) <= MAX_INTERVAL
    ):
        raise ValidationError(f"INTERVAL is a whole number from 1 to {MAX_INTERVAL}.", field="rule")
    probe = dt.datetime(2000, 1, 3, 9, 0)
    try:
        rrulestr(rule, dtstart=probe)
        # A rule that never gives a date (30 February, a 6th Monday) makes
        # dateutil search until the year 9999; starting the search near that
        # end answers "never" in milliseconds (50 years cover every calendar
        # pattern a practice rule can ask for).
        late: rrule = rrulestr(rule, dtstart=dt.datetime(9950, 1, 2, 9, 0))  # type: ignore[assignment]
        first = next(iter(late), None)
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise ValidationError(
            f"Cannot read the rule “{text.strip()}”: {error}.", field="rule"
        ) from error
    if first is None:
        raise ValidationError(
            f"The rule “{text.strip()}” never gives a date (e.g. a 30 February).", field="rule"
        )
    return rule


def _base(rule: str, first_start: dt.datetime, until: dt.date | None) -> rrule:
    base: rrule = rrulestr(normalise_rule(rule), dtstart=first_start)  # type: ignore[assignment]
    if until is not None:
        base = base.replace(until=dt.datetime.combine(until, dt.time(23, 59, 59)))
    return base


def expand(
    rule: str,
    first_start: dt.datetime,
    *,
    count: int | None = None,
    until: dt.date | None = None,
    skipped: Iterable[dt.datetime] = (),
) -> Iterator[dt.datetime]:
    """The plan's dates, lazily: skipped dates left out and not counted."""
    skip = set(skipped)
    made = 0
    if count is not None and count <= 0:
        return
    for moment in _base(rule, first_start, until):
        if moment in skip:
            continue
        yield moment
        made += 1
        if count is not None and made >= count:
            return


def build(
    rule: str,
    first_start: dt.datetime,
    *,
    count: int | None = None,
    until: dt.date | None = None,
    skipped: Iterable[dt.datetime] = (),
) -> rruleset:
    """The plan's occurrences as a ``rruleset`` (skips as EXDATEs).

    With a count, the rule is cut at the count-th date that is not skipped, so
    a skipped date does not use up a session (see the module docstring).
    """
    skipped = tuple(skipped)
    base = _base(rule, first_start, until)
    if count is not None:
        dates = list(expand(rule, first_start, count=count, until=until, skipped=skipped))
        last = dates[-1] if dates else None
        base = base.replace(until=last) if last is not None else base.replace(count=0)
    result = rruleset()
    result.rrule(base)
    for slot in skipped:
        result.exdate(slot)
    return result


def occurrences(
    rule: str,
    first_start: dt.datetime,
    *,
    count: int | None = None,
    until: dt.date | None = None,
    skipped: Iterable[dt.datetime] = (),
    before: dt.datetime | None = None,
    limit: int | None = None,
) -> list[dt.datetime]:
    """Every occurrence in order, stopping at ``before`` (exclusive) or after ``limit``.

    An open-ended rule needs ``before`` or ``limit``.
    """
    if count is None and until is None and before is None and limit is None:
        raise ValueError("an open-ended rule needs 'before' or 'limit'")
    result = []
    for moment in expand(rule, first_start, count=count, until=until, skipped=skipped):
        if before is not None and moment >= before:
            break
        result.append(moment)
        if limit is not None and len(result) >= limit:
            break
    return result


# --- the form's choices -------------------------------------------------------


@dataclass(frozen=True)
class Repeat:
    """How a plan repeats, as the form offers it.

    ``kind`` is ``weekly`` (every ``interval`` weeks on ``weekdays``),
    ``monthly_weekday`` (the ``nth`` ``weekday`` of every ``interval`` months;
    ``nth`` is 1–5 or -1 for the last), ``monthly_day`` (day ``day`` of every
    ``interval`` months; -1 is the last day) or ``rule`` (``text`` typed by hand).
    """

    kind: str = "weekly"
    weekdays: tuple[int, ...] = ()
    interval: int = 1
    nth: int = 1
    weekday: int = 0
    day: int = 1
    text: str = ""


KINDS = ("weekly", "monthly_weekday", "monthly_day", "rule")


def _check_interval(interval: int, unit: str) -> None:
    if not 1 <= interval <= MAX_INTERVAL:
        raise ValidationError(f"Repeat every 1 to {MAX_INTERVAL} {unit}.", field="interval")


def rule_from_repeat(repeat: Repeat) -> str:
    """The RRULE text for the form's choices (checked)."""
    if repeat.kind == "weekly":
        _check_interval(repeat.interval, "weeks")
        if not repeat.weekdays:
            raise ValidationError("Pick at least one weekday.", field="weekdays")
        if any(not 0 <= d <= 6 for d in repeat.weekdays):
            raise ValidationError("A weekday is Monday to Sunday.", field="weekdays")
        days = ",".join(CODES[d] for d in sorted(set(repeat.weekdays)))
        rule = "FREQ=WEEKLY"
        if repeat.interval != 1:
            rule += f";INTERVAL={repeat.interval}"
        return normalise_rule(rule + f";BYDAY={days}")
    if repeat.kind == "monthly_weekday":
        _check_interval(repeat.interval, "months")
        if repeat.nth not in ORDINALS:
            raise ValidationError("Pick first, second, third, fourth, fifth or last.", field="nth")
        if not 0 <= repeat.weekday <= 6:
            raise ValidationError("A weekday is Monday to Sunday.", field="weekday")
        rule = "FREQ=MONTHLY"
        if repeat.interval != 1:
            rule += f";INTERVAL={repeat.interval}"
        return normalise_rule(rule + f";BYDAY={repeat.nth:+d}{CODES[repeat.weekday]}")
    if repeat.kind == "monthly_day":
        _check_interval(repeat.interval, "months")
        if not (1 <= repeat.day <= 31 or repeat.day == -1):
            raise ValidationError("The day of the month is 1 to 31 (or the last).", field="day")
        rule = "FREQ=MONTHLY"
        if repeat.interval != 1:
            rule += f";INTERVAL={repeat.interval}"
        return normalise_rule(rule + f";BYMONTHDAY={repeat.day}")
    if repeat.kind == "rule":
        return normalise_rule(repeat.text)
    raise ValidationError("Pick how the plan repeats.", field="kind")


def _parts(rule: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for piece in rule.split(";"):
        key, _, value = piece.partition("=")
        parts[key] = value
    return parts


_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")


def _days(value: str) -> list[tuple[int | None, int]] | None:
    result: list[tuple[int | None, int]] = []
    for piece in value.split(","):
        match = _BYDAY.match(piece)
        if match is None:
            return None
        nth = int(match.group(1)) if match.group(1) else None
        result.append((nth, CODES.index(match.group(2))))
    return result


def repeat_from_rule(rule: str, first_start: dt.datetime) -> Repeat:
    """The form's choices that give ``rule`` (a typed rule when none fits)."""
    rule = normalise_rule(rule)
    parts = _parts(rule)
    freq = parts.pop("FREQ")
    interval = int(parts.pop("INTERVAL", "1"))
    wkst = parts.pop("WKST", "MO")
    typed = Repeat(kind="rule", text=rule)
    if freq == "WEEKLY" and set(parts) <= {"BYDAY"} and (wkst == "MO" or interval == 1):
        days = _days(parts["BYDAY"]) if "BYDAY" in parts else [(None, first_start.weekday())]
        if days is None or any(n is not None for n, _ in days):
            return typed
        weekdays = tuple(sorted({d for _, d in days}))
        return Repeat(kind="weekly", weekdays=weekdays, interval=interval)
    if freq == "MONTHLY" and set(parts) == {"BYDAY"}:
        days = _days(parts["BYDAY"])
        if days is None or len(days) != 1 or days[0][0] not in ORDINALS:
            return typed
        nth, weekday = days[0]
        return Repeat(kind="monthly_weekday", nth=int(nth or 1), weekday=weekday, interval=interval)
    if freq == "MONTHLY" and set(parts) <= {"BYMONTHDAY"}:
        value = parts.get("BYMONTHDAY", str(first_start.day))
        if not re.fullmatch(r"-1|\d{1,2}", value):
            return typed
        return Repeat(kind="monthly_day", day=int(value), interval=interval)
    return typed


# --- the rule in words ----------------------------------------------------------


def _join(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _day_of_month(day: int) -> str:
    if day == -1:
        return "the last day"
    if day < 0:
        return f"{_ordinal_number(-day)} last day"
    return f"the {_ordinal_number(day)}"


def _ordinal_number(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _every(interval: int, unit: str) -> str:
    if interval == 1:
        return f"each {unit}"
    if interval == 2:
        return f"every other {unit}"
    return f"every {interval} {unit}s"


def _nth_word(nth: int) -> str | None:
    return ORDINALS.get(nth) or _ORDINAL_WORDS.get(nth)


def describe_rule(rule: str, first_start: dt.datetime) -> str:
    """The rule as a therapist says it: "Every other Mon and Thu at 09:00",
    "First Thu of each month at 14:00". Rules the words do not cover are
    shown as typed."""
    at = f" at {clock(first_start)}"
    try:
        rule = normalise_rule(rule)
    except ValidationError:
        return f"Rule {rule}{at}"
    parts = _parts(rule)
    freq = parts.pop("FREQ")
    interval = int(parts.pop("INTERVAL", "1"))
    parts.pop("WKST", None)
    words: str | None = None
    if freq in ("WEEKLY", "DAILY") and "BYDAY" in parts and set(parts) == {"BYDAY"}:
        days = _days(parts["BYDAY"])
        if days is not None and all(n is None for n, _ in days):
            names = _join([SHORT_DAYS[d] for d in sorted({d for _, d in days})])
            if freq == "DAILY" and interval == 1:
                words = f"Every {names}"
            elif freq == "WEEKLY":
                if interval == 1:
                    words = f"Every {names}"
                elif interval == 2:
                    words = f"Every other {names}"
                else:
                    words = f"Every {interval} weeks on {names}"
    elif freq == "WEEKLY" and not parts:
        name = SHORT_DAYS[first_start.weekday()]
        words = {1: f"Every {name}", 2: f"Every other {name}"}.get(
            interval, f"Every {interval} weeks on {name}"
        )
    elif freq == "DAILY" and not parts:
        words = {1: "Every day", 2: "Every other day"}.get(interval, f"Every {interval} days")
    elif freq == "MONTHLY" and set(parts) in ({"BYDAY"}, {"BYDAY", "BYSETPOS"}):
        days = _days(parts["BYDAY"])
        setpos = parts.get("BYSETPOS")
        if days is not None and len(days) == 1:
            nth, weekday = days[0]
            if setpos is not None and nth is None and re.fullmatch(r"[+-]?\d", setpos):
                nth = int(setpos)
            elif setpos is not None:
                nth = None
            word = _nth_word(nth) if nth is not None else None
            if word:
                words = f"{word} {SHORT_DAYS[weekday]} of {_every(interval, 'month')}"
        elif days is not None and not setpos and all(n is not None for n, _ in days):
            pieces = [f"{(_nth_word(n) or '?').lower()} {SHORT_DAYS[d]}" for n, d in days]
            if all(_nth_word(n) for n, _ in days):
                words = _join(pieces) + f" of {_every(interval, 'month')}"
                words = words[0].upper() + words[1:]
    elif freq == "MONTHLY" and set(parts) <= {"BYMONTHDAY"}:
        values = parts.get("BYMONTHDAY", str(first_start.day)).split(",")
        if all(re.fullmatch(r"-?\d{1,2}", v) for v in values):
            when = _join([_day_of_month(int(v)) for v in values])
            words = (
                f"Monthly on {when}"
                if interval == 1
                else f"{_every(interval, 'month').capitalize()} on {when}"
            )
    elif freq == "YEARLY" and not parts:
        when = day_month(first_start)
        words = f"Every year on {when}" if interval == 1 else f"Every {interval} years on {when}"
    if words is None:
        return f"Rule {rule}{at}"
    return words + at


def describe_end(count: int | None, until: dt.date | None, *, left: int | None = None) -> str:
    """ "8 sessions · 3 left", "until 30 Jun 2027", "no end"."""
    if count is not None:
        text = f"{count} session" + ("" if count == 1 else "s")
    elif until is not None:
        text = f"until {day_month_year(until)}"
    else:
        text = "no end"
    if left is not None:
        text += f" · {left} left"
    return text


def describe_plan(
    rule: str,
    first_start: dt.datetime,
    *,
    count: int | None = None,
    until: dt.date | None = None,
    left: int | None = None,
) -> str:
    """ "Every Tue at 10:00 · 8 sessions · 3 left"."""
    return f"{describe_rule(rule, first_start)} · {describe_end(count, until, left=left)}"
