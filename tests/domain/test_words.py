"""Dates, times and lengths read the same everywhere: one module says them."""

import datetime as dt

from practice_tui.domain import words

MON = dt.datetime(2026, 12, 7, 9, 5)
TODAY = dt.date(2026, 11, 27)


def test_day_forms_have_no_leading_zero():
    assert words.weekday_day(MON) == "Mon 7 Dec"
    assert words.weekday_date(MON) == "Mon 7 Dec 2026"
    assert words.day_month_year(MON.date()) == "7 Dec 2026"
    assert words.full_date(MON) == "Monday 7 December 2026"
    assert words.moment_short(MON) == "Mon 7 Dec 09:05"
    assert words.moment_long(MON) == "Mon 7 Dec 2026 09:05"
    assert words.slot_short(MON, MON + dt.timedelta(hours=1)) == "Mon 7 Dec 09:05–10:05"


def test_whole_day_or_moment():
    assert words.day_or_moment(dt.datetime(2027, 1, 7)) == "Thu 7 Jan"
    assert words.day_or_moment(dt.datetime(2027, 1, 7, 11, 20)) == "Thu 7 Jan 11:20"


def test_columns_line_up():
    assert words.day_column(MON) == "Mon  7 Dec"
    assert words.day_column(MON, year=True) == "Mon  7 Dec 2026"
    assert words.moment_column(MON, TODAY) == "Mon  7 Dec 09:05"
    assert words.moment_column(MON.replace(year=2025), TODAY) == "Sun  7 Dec 2025 09:05"


def test_near_and_relative_days():
    said = [words.near_day(TODAY + dt.timedelta(days=n), TODAY) for n in (0, 1, -1, 3, 20, -400)]
    assert said == ["today", "tomorrow", "yesterday", "Mon 30 Nov", "17 Dec", "23 Oct 2025"]
    assert words.relative_day(TODAY + dt.timedelta(days=3), TODAY) == "in 3 days"
    assert words.relative_day(TODAY - dt.timedelta(days=2), TODAY) == "2 days ago"


def test_spans_and_lengths():
    assert words.days_span(dt.date(2026, 11, 23), dt.date(2026, 11, 29)) == "23–29 November 2026"
    assert words.days_span(dt.date(2026, 11, 30), dt.date(2026, 12, 6)) == "30 Nov – 6 Dec 2026"
    assert [words.length(m) for m in (45, 90, 120)] == ["45 min", "1h30", "2h"]
    assert [words.length_short(m) for m in (30, 90)] == ["30m", "1h30"]
