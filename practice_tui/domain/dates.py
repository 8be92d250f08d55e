"""Reading dates and times typed by a person — one parser, one kind of error.

Accepted dates: ISO (``2026-12-03``), ``today``, ``tomorrow``, ``yesterday``,
weekday names (``fri`` is the coming Friday, today included; ``next fri`` is
the first Friday strictly after today; ``last fri`` the one before today),
``dec 3`` / ``3 dec`` / ``december 3 2026``, ``+3`` / ``+2w`` (days or weeks
from today), and numeric ``3/12`` is refused as ambiguous. A month and day
without a year means the nearest such date to today (so in late November
``jan 5`` is next January). Impossible dates (``feb 30``) are errors, never
guesses.

Accepted times: ``15:30``, ``9``, ``0930``, ``3pm``, ``3:15 pm``, ``noon``;
ranges ``10:00-11:30`` (also with an en dash or `` to ``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser
from dateutil.relativedelta import relativedelta

from practice_tui.domain.errors import ValidationError
from practice_tui.domain.words import clock, weekday_date

_WEEKDAYS = {
    name: index
    for index, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "weds", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}

_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            (),
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        )
    )
    for name in names
}

DATE_HELP = "Try 2026-12-03, today, tomorrow, fri, next tue, dec 3 or 3 dec."
TIME_HELP = "Try 15:30, 9:00, 3pm or 10:00-11:30."

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_RELATIVE = re.compile(r"^([+-])\s*(\d{1,3})\s*([dw]?)$")
_MONTH_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?(?:,?\s+(\d{4}))?$")


def _checked_date(year: int, month: int, day: int, text: str) -> dt.date:
    if not 1 <= month <= 12:
        raise ValidationError(f"“{text}” has no month {month}. {DATE_HELP}")
    if year < 1800 or year > 2200:
        raise ValidationError(f"“{text}”: the year {year} is out of range.")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        month_name = calendar.month_name[month]
        raise ValidationError(f"{month_name} {year} has no day {day} (it has {last} days).")
    return dt.date(year, month, day)


def _nearest_year(month: int, day: int, today: dt.date, text: str) -> dt.date:
    candidates = []
    for year in (today.year - 1, today.year, today.year + 1):
        if day <= calendar.monthrange(year, month)[1]:
            candidates.append(dt.date(year, month, day))
    if not candidates or day < 1:
        month_name = calendar.month_name[month]
        raise ValidationError(f"{month_name} has no day {day} in {today.year}.")
    return min(candidates, key=lambda d: (abs((d - today).days), d < today))


def parse_date(text: str, today: dt.date) -> dt.date:
    """Read a date as a person types it, relative to ``today``."""
    raw = text
    text = " ".join(text.strip().lower().split())
    if not text:
        raise ValidationError(f"Type a date. {DATE_HELP}")
    if text in ("today", "tod", "now"):
        return today
    if text in ("tomorrow", "tom", "tmr", "tmrw"):
        return today + dt.timedelta(days=1)
    if text == "yesterday":
        return today - dt.timedelta(days=1)
    if match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
        return _checked_date(year, month, day, raw)
    if match := _RELATIVE.match(text):
        sign, amount, unit = match.groups()
        days = int(amount) * (7 if unit == "w" else 1)
        return today + dt.timedelta(days=days if sign == "+" else -days)
    words = text.split()
    if len(words) in (1, 2) and words[-1] in _WEEKDAYS:
        prefix = words[0] if len(words) == 2 else ""
        if prefix not in ("", "next", "this", "last"):
            raise ValidationError(f"Cannot read “{raw}” as a date. {DATE_HELP}")
        weekday = _WEEKDAYS[words[-1]]
        if prefix == "last":
            back = (today.weekday() - weekday) % 7 or 7
            return today - dt.timedelta(days=back)
        ahead = (weekday - today.weekday()) % 7
        if prefix == "next" and ahead == 0:
            ahead = 7
        return today + dt.timedelta(days=ahead)
    for pattern, month_group, day_group in ((_MONTH_DAY, 1, 2), (_DAY_MONTH, 2, 1)):
        if match := pattern.match(text):
            month_word = match.group(month_group)
            if month_word not in _MONTHS:
                break
            month = _MONTHS[month_word]
            day = int(match.group(day_group))
            if match.group(3):
                return _checked_date(int(match.group(3)), month, day, raw)
            return _nearest_year(month, day, today, raw)
    if re.fullmatch(r"\d{1,2}[/.]\d{1,2}([/.]\d{2,4})?", text):
        raise ValidationError(
            f"“{raw}” is ambiguous (day/month or month/day?). Type 2026-12-03 or dec 3."
        )
    year, month, day = _dateutil_parts(text, raw)
    if month is None or day is None:
        raise ValidationError(f"Cannot read “{raw}” as a date. {DATE_HELP}")
    if year is None:
        return _nearest_year(month, day, today, raw)
    return _checked_date(year, month, day, raw)


_PROBE_A = dt.datetime(2000, 1, 1)
_PROBE_B = dt.datetime(2004, 3, 2)


def _dateutil_parts(text: str, raw: str) -> tuple[int | None, int | None, int | None]:
    """Read a written date with ``dateutil.parser`` and tell which parts were typed.

    Parsing twice with two different defaults shows the parts dateutil would
    otherwise fill in silently, so a missing day is refused rather than guessed.
    """
    if not re.search(r"[a-z]", text) or not re.search(r"\d", text):
        raise ValidationError(f"Cannot read “{raw}” as a date. {DATE_HELP}")
    try:
        first = dateutil_parser.parse(text, default=_PROBE_A)
        second = dateutil_parser.parse(text, default=_PROBE_B)
    except (ValueError, OverflowError) as error:
        message = str(error)
        if "out of range" in message or "must be in" in message:
            raise ValidationError(f"“{raw}” is not a real date.") from error
        raise ValidationError(f"Cannot read “{raw}” as a date. {DATE_HELP}") from error
    if first.time() != dt.time() or second.time() != dt.time():
        raise ValidationError(f"“{raw}” has a time in it; type only the date.")
    return (
        first.year if first.year == second.year else None,
        first.month if first.month == second.month else None,
        first.day if first.day == second.day else None,
    )


_TIME_24 = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?$")
_TIME_COMPACT = re.compile(r"^(\d{2})(\d{2})$")
_TIME_12 = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m?\.?$")


def parse_time(text: str) -> dt.time:
    """Read a clock time: ``15:30``, ``9``, ``0930``, ``3pm``, ``3:15 pm``, ``noon``."""
    raw = text
    text = text.strip().lower()
    if not text:
        raise ValidationError(f"Type a time. {TIME_HELP}")
    if text == "noon":
        return dt.time(12, 0)
    if text == "midnight":
        return dt.time(0, 0)
    hour = minute = None
    if match := _TIME_12.match(text):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12:
            raise ValidationError(f"“{raw}”: with am/pm the hour is 1 to 12.")
        hour = hour % 12 + (12 if match.group(3) == "p" else 0)
    elif match := _TIME_COMPACT.match(text):
        hour, minute = int(match.group(1)), int(match.group(2))
    elif match := _TIME_24.match(text):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour is None or minute is None:
        raise ValidationError(f"Cannot read “{raw}” as a time. {TIME_HELP}")
    if hour > 23 or minute > 59:
        raise ValidationError(f"“{raw}” is not a time of day. {TIME_HELP}")
    return dt.time(hour, minute)


_RANGE_SPLIT = re.compile(r"\s*(?:-|–|—|\bto\b)\s*")


def parse_time_range(text: str) -> tuple[dt.time, dt.time]:
    """Read ``10:00-11:30``; the end must come after the start."""
    parts = [p for p in _RANGE_SPLIT.split(text.strip()) if p]
    if len(parts) != 2:
        raise ValidationError(f"Cannot read “{text}” as a time range. Try 10:00-11:30.")
    start, end = parse_time(parts[0]), parse_time(parts[1])
    if end <= start:
        raise ValidationError(f"In “{text}” the end is not after the start.")
    return start, end


def parse_datetime(text: str, today: dt.date) -> dt.datetime:
    """Read a date and a time together: ``tomorrow 3pm``, ``dec 3 10:30``,
    ``2026-12-03 09:00``. The time is the last word (or the last two, for
    ``3:15 pm``)."""
    words = text.strip().split()
    for cut in (1, 2):
        if len(words) > cut:
            try:
                time = parse_time(" ".join(words[-cut:]))
            except ValidationError:
                continue
            return dt.datetime.combine(parse_date(" ".join(words[:-cut]), today), time)
    raise ValidationError(f"Cannot read “{text}” as a date and time, e.g. “tomorrow 15:30”.")


def parse_birth_date(text: str, today: dt.date) -> dt.date | None:
    """A date of birth: blank is allowed; otherwise a real date, not in the future,
    not more than 120 years ago. Accepts ISO and written forms like ``3 dec 1970``."""
    if not text.strip():
        return None
    cleaned = " ".join(text.strip().lower().split())
    if re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", cleaned):
        raise ValidationError(f"“{text}” is ambiguous (day/month or month/day?). Type 1970-12-03.")
    if _ISO.match(cleaned) or not re.search(r"[a-z]", cleaned):
        if not _ISO.match(cleaned):
            raise ValidationError(f"Cannot read “{text}” as a date of birth. Type 1970-12-03.")
        born = parse_date(cleaned, today)
    else:
        year, month, day = _dateutil_parts(cleaned, text)
        if year is None or month is None or day is None:
            raise ValidationError(
                "Give the day, month and year of birth, e.g. 1970-12-03 or 3 dec 1970."
            )
        born = _checked_date(year, month, day, text)
    if born > today:
        raise ValidationError("A date of birth cannot be in the future.")
    if born < today - relativedelta(years=120):
        raise ValidationError("That date of birth is more than 120 years ago.")
    return born


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(f"Unknown time zone “{name}”, e.g. Europe/London.") from error


def exists_locally(moment: dt.datetime, tz: ZoneInfo) -> bool:
    """False for a wall-clock time skipped by a spring-forward change."""
    aware = moment.replace(tzinfo=tz)
    back = aware.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    return back == moment


def check_exists(moment: dt.datetime, tz: ZoneInfo) -> None:
    """Refuse a time inside a daylight-saving gap, naming the nearest valid times."""
    if exists_locally(moment, tz):
        return
    before = moment
    while not exists_locally(before, tz):
        before -= dt.timedelta(minutes=1)
    after = moment
    while not exists_locally(after, tz):
        after += dt.timedelta(minutes=1)
    raise ValidationError(
        f"{clock(moment)} does not exist on {weekday_date(moment)}: the clocks go forward "
        f"at {clock(before + dt.timedelta(minutes=1))}. Nearest valid times: "
        f"{clock(before)} or {clock(after)}."
    )
