"""Reading dates and times typed by a person."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice_tui.domain.dates import (
    check_exists,
    exists_locally,
    parse_birth_date,
    parse_date,
    parse_datetime,
    parse_time,
    parse_time_range,
    zone,
)
from practice_tui.domain.errors import ValidationError

FRI = dt.date(2026, 11, 27)  # a Friday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03", dt.date(2026, 12, 3)),
        (" 2026-12-03 ", dt.date(2026, 12, 3)),
        ("today", FRI),
        ("Tomorrow", dt.date(2026, 11, 28)),
        ("yesterday", dt.date(2026, 11, 26)),
        ("fri", FRI),  # the coming Friday, today included
        ("friday", FRI),
        ("next fri", dt.date(2026, 12, 4)),
        ("mon", dt.date(2026, 11, 30)),
        ("next tue", dt.date(2026, 12, 1)),
        ("last mon", dt.date(2026, 11, 23)),
        ("dec 3", dt.date(2026, 12, 3)),
        ("3 dec", dt.date(2026, 12, 3)),
        ("December 3rd", dt.date(2026, 12, 3)),
        ("dec 3 2027", dt.date(2027, 12, 3)),
        ("jan 5", dt.date(2027, 1, 5)),  # nearest: next January
        ("nov 20", dt.date(2026, 11, 20)),  # nearest: last week
        ("+3", dt.date(2026, 11, 30)),
        ("+2w", dt.date(2026, 12, 11)),
    ],
)
def test_dates_people_type(text: str, expected: dt.date) -> None:
    assert parse_date(text, FRI) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("feb 30", "no day 30"),
        ("2026-02-30", "no day 30"),
        ("2026-13-01", "no month 13"),
        ("feb 29", "no day 29"),
        ("3/12", "ambiguous"),
        ("someday", "Cannot read"),
        ("", "Type a date"),
        ("3pm", "time"),
        ("dec", "Cannot read"),
    ],
)
def test_impossible_or_unreadable_dates_are_errors(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_date(text, FRI)


def test_leap_day_is_found_in_a_leap_year() -> None:
    assert parse_date("feb 29", dt.date(2028, 1, 10)) == dt.date(2028, 2, 29)


@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_iso_dates_read_back_exactly(day: dt.date) -> None:
    assert parse_date(day.isoformat(), FRI) == day


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_weekday_names_land_within_a_week(today: dt.date) -> None:
    for name in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        plain = parse_date(name, today)
        following = parse_date(f"next {name}", today)
        assert 0 <= (plain - today).days <= 6
        assert 1 <= (following - today).days <= 7
        assert plain.strftime("%a").lower() == name == following.strftime("%a").lower()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15:30", dt.time(15, 30)),
        ("9", dt.time(9, 0)),
        ("9:05", dt.time(9, 5)),
        ("0930", dt.time(9, 30)),
        ("3pm", dt.time(15, 0)),
        ("3:15 pm", dt.time(15, 15)),
        ("12am", dt.time(0, 0)),
        ("12pm", dt.time(12, 0)),
        ("noon", dt.time(12, 0)),
    ],
)
def test_times(text: str, expected: dt.time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "13pm", "9:60", "soon", "", "7.5.3"])
def test_bad_times(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_time(text)


def test_time_ranges() -> None:
    assert parse_time_range("10:00-11:30") == (dt.time(10), dt.time(11, 30))
    assert parse_time_range("10–11:30") == (dt.time(10), dt.time(11, 30))
    assert parse_time_range("2pm to 3pm") == (dt.time(14), dt.time(15))
    with pytest.raises(ValidationError, match="not after"):
        parse_time_range("11:00-10:00")
    with pytest.raises(ValidationError):
        parse_time_range("10:00")


def test_date_and_time_together() -> None:
    assert parse_datetime("tomorrow 3pm", FRI) == dt.datetime(2026, 11, 28, 15)
    assert parse_datetime("dec 3 10:30", FRI) == dt.datetime(2026, 12, 3, 10, 30)
    assert parse_datetime("2026-12-03 3:15 pm", FRI) == dt.datetime(2026, 12, 3, 15, 15)
    with pytest.raises(ValidationError):
        parse_datetime("tomorrow", FRI)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1970-12-03", dt.date(1970, 12, 3)),
        ("3 dec 1970", dt.date(1970, 12, 3)),
        ("December 3, 1970", dt.date(1970, 12, 3)),
        ("", None),
    ],
)
def test_birth_dates(text: str, expected: dt.date | None) -> None:
    assert parse_birth_date(text, FRI) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2030-01-01", "future"),
        ("1890-01-01", "120 years"),
        ("feb 30 1990", "not a real date"),
        ("03/12/1970", "ambiguous"),
        ("dec 1970", "day, month and year"),
        ("1970", "Cannot read"),
    ],
)
def test_bad_birth_dates(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_birth_date(text, FRI)


def test_spring_forward_gap_is_named_with_nearest_valid_times() -> None:
    london = zone("Europe/London")
    assert not exists_locally(dt.datetime(2027, 3, 28, 1, 30), london)
    assert exists_locally(dt.datetime(2027, 3, 28, 2, 0), london)
    with pytest.raises(ValidationError) as caught:
        check_exists(dt.datetime(2027, 3, 28, 1, 30), london)
    assert "00:59" in str(caught.value) and "02:00" in str(caught.value)
    # The autumn change repeats an hour: those times exist.
    check_exists(dt.datetime(2026, 10, 25, 1, 30), london)


def test_unknown_zone() -> None:
    with pytest.raises(ValidationError, match="Unknown time zone"):
        zone("Mars/Olympus_Mons")
