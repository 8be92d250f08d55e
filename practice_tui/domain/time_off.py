"""Time off as the booking rules read it: which blocks cover a moment, in
words for Today and the week, and the reason a slot in time off is refused
(the out-of-hours check of ``schedule`` and the plan preview ask here; adding
and removing time off is ``availability``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from practice_tui.domain.models import TimeOff
from practice_tui.domain.types import TimeOffInfo


def _info(row: TimeOff) -> TimeOffInfo:
    return TimeOffInfo(row.id, row.first_day, row.last_day, row.start, row.end, row.label)


def _span(
    first_day: dt.date, last_day: dt.date, start: dt.time | None, end: dt.time | None
) -> tuple[dt.datetime, dt.datetime]:
    if start is not None and end is not None:
        return dt.datetime.combine(first_day, start), dt.datetime.combine(first_day, end)
    return (
        dt.datetime.combine(first_day, dt.time()),
        dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time()),
    )


def _overlaps(info: TimeOffInfo, start: dt.datetime, end: dt.datetime) -> bool:
    b_start, b_end = _span(info.first_day, info.last_day, info.start, info.end)
    return b_start < end and start < b_end


def _blocks_between(start: dt.datetime, end: dt.datetime) -> list[TimeOffInfo]:
    """Blocks that overlap ``[start, end)``."""
    rows = TimeOff.select().where(
        (TimeOff.first_day <= end.date()) & (TimeOff.last_day >= start.date())
    )
    found = (_info(row) for row in rows.order_by(TimeOff.first_day, TimeOff.start))
    return [info for info in found if _overlaps(info, start, end)]


#: Every block overlapping a span, read once for many slots (``time_off_reason``'s
#: ``blocks``). Call inside a service.
blocks_between = _blocks_between


def time_off_reason(
    start: dt.datetime, end: dt.datetime, blocks: Sequence[TimeOffInfo] | None = None
) -> str:
    """Why ``[start, end)`` falls in time off ("Time off: Holiday (Mon 7 – Fri 11 Dec
    2026)."), or "". Call inside a service (it reads the file), unless ``blocks``
    (``blocks_between`` a span holding this one) are given."""
    if blocks is None:
        blocks = _blocks_between(start, end)
    else:
        blocks = [info for info in blocks if _overlaps(info, start, end)]
    if not blocks:
        return ""
    block = blocks[0]
    return f"Time off: {block.label or 'time off'} ({block.when})."


def time_off_spans(
    day: dt.date, open_at: dt.datetime, close_at: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime, str]]:
    """The time off inside ``[open_at, close_at)`` of ``day``: (start, end, label).
    Call inside a service."""
    spans = []
    for block in _blocks_between(open_at, close_at):
        covered = block.span(day)
        if covered is None:
            continue
        start, end = max(covered[0], open_at), min(covered[1], close_at)
        if start < end:
            spans.append((start, end, block.label))
    return spans


def time_off_words(day: dt.date) -> str:
    """The time off of ``day`` in words ("Holiday", "Course 14:00–16:00"); call
    inside a service."""
    start = dt.datetime.combine(day, dt.time())
    words = []
    for block in _blocks_between(start, start + dt.timedelta(days=1)):
        hours = (
            ""
            if block.start is None or block.end is None
            else (f" {block.start:%H:%M}–{block.end:%H:%M}")
        )
        words.append(f"{block.label}{hours}")
    return ", ".join(words)
