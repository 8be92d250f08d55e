"""Recurrence rules (RFC 5545 RRULE) expanded with ``dateutil.rrule``.

Expansion runs on naive local wall-clock times, so "every Tuesday at 10:00"
stays at 10:00 across daylight-saving changes. A plan stores its rule without
COUNT/UNTIL (its end lives in separate columns) and its skipped dates itself,
because ``rruleset`` has no text form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from dateutil.rrule import rrule, rruleset, rrulestr

from practice_tui.domain.errors import ValidationError

ALLOWED_FREQ = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_MANAGED = re.compile(r"(^|;)\s*(COUNT|UNTIL|DTSTART)\s*=", re.IGNORECASE)


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
    freq = re.search(r"(?:^|;)FREQ=([A-Z]+)", rule)
    if freq is None:
        raise ValidationError("The rule needs FREQ, e.g. FREQ=WEEKLY;BYDAY=TU.", field="rule")
    if freq.group(1) not in ALLOWED_FREQ:
        raise ValidationError(
            f"FREQ={freq.group(1)} is not for a practice; use DAILY, WEEKLY, MONTHLY or YEARLY.",
            field="rule",
        )
    try:
        rrulestr(rule, dtstart=dt.datetime(2000, 1, 3, 9, 0))
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise ValidationError(
            f"Cannot read the rule “{text.strip()}”: {error}.", field="rule"
        ) from error
    return rule


def build(
    rule: str,
    first_start: dt.datetime,
    *,
    count: int | None = None,
    until: dt.date | None = None,
    skipped: Iterable[dt.datetime] = (),
) -> rruleset:
    """The plan's occurrences as a ``rruleset`` (skips as EXDATEs)."""
    base: rrule = rrulestr(normalise_rule(rule), dtstart=first_start)  # type: ignore[assignment]
    if count is not None:
        base = base.replace(count=count)
    elif until is not None:
        base = base.replace(until=dt.datetime.combine(until, dt.time(23, 59, 59)))
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
    for moment in build(rule, first_start, count=count, until=until, skipped=skipped):
        if before is not None and moment >= before:
            break
        result.append(moment)
        if limit is not None and len(result) >= limit:
            break
    return result
