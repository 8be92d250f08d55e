"""Dates, times and lengths put into words — one place for every screen, the CLI
and the domain's own messages, so the same date reads the same everywhere.

The house style: no leading zero on the day ("Mon 7 Dec", as people write it),
24-hour clock ("09:00"), an en dash between two times ("09:00–10:00"), short
weekday and month names in lists and messages, long ones only where a screen
names the one day it shows ("Monday 7 December 2026").
"""

from __future__ import annotations

import datetime as dt

Day = dt.date | dt.datetime


def clock(moment: dt.datetime | dt.time) -> str:
    """``09:00``."""
    return f"{moment:%H:%M}"


def span(start: dt.datetime | dt.time, end: dt.datetime | dt.time) -> str:
    """``09:00–10:00``."""
    return f"{start:%H:%M}–{end:%H:%M}"


def day_month(day: Day) -> str:
    """``7 Dec``."""
    return f"{day.day} {day:%b}"


def day_month_year(day: Day) -> str:
    """``7 Dec 2026``."""
    return f"{day.day} {day:%b %Y}"


def weekday_day(day: Day) -> str:
    """``Mon 7 Dec``."""
    return f"{day:%a} {day.day} {day:%b}"


def weekday_date(day: Day) -> str:
    """``Mon 7 Dec 2026``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def long_date(day: Day) -> str:
    """``7 December 2026``: a date as a document prints it (reports, records)."""
    return f"{day.day} {day:%B %Y}"


def full_date(day: Day) -> str:
    """``Monday 7 December 2026``: the one day a screen or a form is about."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def moment_short(moment: dt.datetime) -> str:
    """``Mon 7 Dec 09:00``."""
    return f"{weekday_day(moment)} {clock(moment)}"


def moment_long(moment: dt.datetime) -> str:
    """``Mon 7 Dec 2026 09:00``."""
    return f"{weekday_date(moment)} {clock(moment)}"


def slot_short(start: dt.datetime, end: dt.datetime) -> str:
    """``Mon 7 Dec 09:00–10:00``."""
    return f"{weekday_day(start)} {span(start, end)}"


def slot_long(start: dt.datetime, end: dt.datetime) -> str:
    """``Mon 7 Dec 2026 09:00–10:00``."""
    return f"{weekday_date(start)} {span(start, end)}"


def day_or_moment(moment: dt.datetime) -> str:
    """``Thu 7 Jan`` at midnight (a whole day), ``Thu 7 Jan 11:20`` within a day."""
    return weekday_day(moment) if moment.time() == dt.time() else moment_short(moment)


def days_span(first: dt.date, last: dt.date) -> str:
    """``23–29 November 2026``, or ``30 Nov – 6 Dec 2026`` across two months."""
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%B %Y}"
    return f"{day_month(first)} – {day_month_year(last)}"


def day_column(day: Day, *, year: bool = False) -> str:
    """``Mon  7 Dec`` (``Mon  7 Dec 2026`` with the year): the day padded so
    that dates line up in a column."""
    text = f"{day:%a} {day.day:>2} {day:%b}"
    return f"{text} {day:%Y}" if year else text


def moment_column(moment: dt.datetime, today: dt.date) -> str:
    """``Fri 20 Nov 09:00`` in a column of sessions, with the year when it is
    not this year's."""
    return f"{day_column(moment, year=moment.year != today.year)} {clock(moment)}"


def near_day(day: dt.date, today: dt.date) -> str:
    """A date as a person says it near today: ``today``, ``yesterday``,
    ``tomorrow``, ``Tue 1 Dec`` within the coming week, ``1 Dec`` within
    about ten months, ``3 Mar 2025`` further away."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == -1:
        return "yesterday"
    if delta == 1:
        return "tomorrow"
    if 1 < delta < 7:
        return weekday_day(day)
    if abs(delta) < 300:
        return day_month(day)
    return day_month_year(day)


def relative_day(day: dt.date, today: dt.date) -> str:
    """``today``, ``tomorrow``, ``yesterday``, ``in 3 days``, ``2 days ago``."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"in {delta} days" if delta > 0 else f"{-delta} days ago"


def length(minutes: int) -> str:
    """``90`` → ``1h30``; ``45`` → ``45 min``; ``120`` → ``2h``."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours}h{rest:02d}" if rest else f"{hours}h"


def length_short(minutes: int) -> str:
    """``90`` → ``1h30``, ``30`` → ``30m``: fits a narrow column."""
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}" if hours else f"{rest}m"
