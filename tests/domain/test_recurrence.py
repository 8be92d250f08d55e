"""Recurrence expansion checked against dateutil itself, on wall-clock time.

The reference side builds ``dateutil.rrule.rrule`` objects directly from the
same choices (never from our rule text), so a wrong RRULE string, a wrong end
or a wrong skip rule shows up as a difference.
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice_tui.domain import recurrence
from practice_tui.domain.errors import ValidationError
from practice_tui.domain.recurrence import Repeat, describe_plan, describe_rule, rule_from_repeat

LONDON = ZoneInfo("Europe/London")

starts = st.builds(
    dt.datetime.combine,
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2034, 12, 31)),
    st.builds(dt.time, st.integers(0, 23), st.sampled_from((0, 15, 30, 45))),
)

weekly = st.builds(
    lambda days, interval: Repeat(kind="weekly", weekdays=tuple(sorted(days)), interval=interval),
    st.sets(st.integers(0, 6), min_size=1, max_size=7),
    st.integers(1, 4),
)
monthly_weekday = st.builds(
    lambda nth, day, interval: Repeat(
        kind="monthly_weekday", nth=nth, weekday=day, interval=interval
    ),
    st.sampled_from((1, 2, 3, 4, 5, -1)),
    st.integers(0, 6),
    st.integers(1, 3),
)
#: Month ends and leap days are the interesting days of the month.
monthly_day = st.builds(
    lambda day, interval: Repeat(kind="monthly_day", day=day, interval=interval),
    st.one_of(st.sampled_from((28, 29, 30, 31, -1)), st.integers(1, 31)),
    st.integers(1, 3),
)
repeats = st.one_of(weekly, monthly_weekday, monthly_day)


def reference(repeat: Repeat, start: dt.datetime, until: dt.date | None = None) -> rrule:
    """The same choices handed to dateutil directly."""
    end = dt.datetime.combine(until, dt.time(23, 59, 59)) if until else None
    if repeat.kind == "weekly":
        return rrule(
            WEEKLY,
            dtstart=start,
            interval=repeat.interval,
            byweekday=repeat.weekdays,
            until=end,
        )
    if repeat.kind == "monthly_weekday":
        return rrule(
            MONTHLY,
            dtstart=start,
            interval=repeat.interval,
            byweekday=weekday(repeat.weekday, repeat.nth),
            until=end,
        )
    return rrule(MONTHLY, dtstart=start, interval=repeat.interval, bymonthday=repeat.day, until=end)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(repeat=repeats, start=starts, count=st.integers(1, 40))
def test_count_matches_dateutil(repeat: Repeat, start: dt.datetime, count: int) -> None:
    rule = rule_from_repeat(repeat)
    expected = list(itertools.islice(reference(repeat, start), count))
    assert recurrence.occurrences(rule, start, count=count) == expected
    assert list(recurrence.build(rule, start, count=count)) == expected
    # Wall-clock time: every date keeps the start's time, whatever the season.
    assert {moment.time() for moment in expected} <= {start.time()}


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(repeat=repeats, start=starts, days=st.integers(0, 900))
def test_until_is_the_last_day_included(repeat: Repeat, start: dt.datetime, days: int) -> None:
    until = start.date() + dt.timedelta(days=days)
    rule = rule_from_repeat(repeat)
    expected = list(reference(repeat, start, until))
    assert recurrence.occurrences(rule, start, until=until) == expected
    assert all(moment.date() <= until for moment in expected)


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(
    repeat=repeats,
    start=starts,
    count=st.integers(1, 25),
    picks=st.sets(st.integers(0, 30), max_size=6),
)
def test_skipped_dates_do_not_use_up_sessions(
    repeat: Repeat, start: dt.datetime, count: int, picks: set[int]
) -> None:
    rule = rule_from_repeat(repeat)
    first = list(itertools.islice(reference(repeat, start), 31))
    skipped = {first[i] for i in picks if i < len(first)}
    expected = list(
        itertools.islice((m for m in reference(repeat, start) if m not in skipped), count)
    )
    got = recurrence.occurrences(rule, start, count=count, skipped=skipped)
    assert got == expected
    assert len(got) == count
    assert not skipped & set(got)
    # The rruleset form agrees (an UNTIL at the last kept date, skips as EXDATEs).
    assert list(recurrence.build(rule, start, count=count, skipped=skipped)) == expected


@given(repeat=repeats, start=starts)
def test_form_choices_round_trip(repeat: Repeat, start: dt.datetime) -> None:
    rule = rule_from_repeat(repeat)
    assert recurrence.repeat_from_rule(rule, start) == repeat
    # Every rule the form makes reads as words, never as raw RRULE text.
    words = describe_rule(rule, start)
    assert not words.startswith("Rule ")
    assert words.endswith(f" at {start:%H:%M}")


@given(start=starts, count=st.integers(1, 30))
def test_weekly_every_date_has_the_same_wall_clock_time_across_dst(
    start: dt.datetime, count: int
) -> None:
    """Offsets from UTC change across the year; the 10:00 never moves."""
    start = start.replace(hour=10, minute=0)
    dates = recurrence.occurrences("FREQ=WEEKLY", start, count=count)
    assert all(d.time() == dt.time(10) for d in dates)
    assert all(d.weekday() == start.weekday() for d in dates)
    assert [b - a for a, b in itertools.pairwise(dates)] == [dt.timedelta(weeks=1)] * (count - 1)


def test_a_plan_across_the_spring_change_keeps_ten_o_clock() -> None:
    start = dt.datetime(2027, 3, 16, 10, 0)  # the clocks go forward on Sun 28 March 2027
    dates = recurrence.occurrences("FREQ=WEEKLY;BYDAY=TU", start, count=4)
    assert [d.date() for d in dates] == [
        dt.date(2027, 3, 16),
        dt.date(2027, 3, 23),
        dt.date(2027, 3, 30),
        dt.date(2027, 4, 6),
    ]
    assert {d.time() for d in dates} == {dt.time(10)}
    offsets = {d.replace(tzinfo=LONDON).utcoffset() for d in dates}
    assert offsets == {dt.timedelta(0), dt.timedelta(hours=1)}


def test_fifth_weekday_only_in_months_that_have_one() -> None:
    rule = rule_from_repeat(Repeat(kind="monthly_weekday", nth=5, weekday=3))
    dates = recurrence.occurrences(rule, dt.datetime(2026, 1, 1, 14, 0), count=4)
    assert [d.date() for d in dates] == [
        dt.date(2026, 1, 29),
        dt.date(2026, 4, 30),
        dt.date(2026, 7, 30),
        dt.date(2026, 10, 29),
    ]


def test_day_31_skips_short_months_and_last_day_does_not() -> None:
    start = dt.datetime(2028, 1, 31, 9, 0)
    on_31 = recurrence.occurrences("FREQ=MONTHLY;BYMONTHDAY=31", start, count=3)
    assert [d.date() for d in on_31] == [
        dt.date(2028, 1, 31),
        dt.date(2028, 3, 31),
        dt.date(2028, 5, 31),
    ]
    last = recurrence.occurrences("FREQ=MONTHLY;BYMONTHDAY=-1", start, count=3)
    assert [d.date() for d in last] == [
        dt.date(2028, 1, 31),
        dt.date(2028, 2, 29),  # a leap year
        dt.date(2028, 3, 31),
    ]


def test_leap_day_yearly() -> None:
    dates = recurrence.occurrences("FREQ=YEARLY", dt.datetime(2028, 2, 29, 9), count=2)
    assert [d.date() for d in dates] == [dt.date(2028, 2, 29), dt.date(2032, 2, 29)]


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", "Every Tue at 10:00"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", "Every other Mon and Thu at 10:00"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,WE,FR", "Every 3 weeks on Mon, Wed and Fri at 10:00"),
        ("FREQ=WEEKLY", "Every Thu at 10:00"),
        ("FREQ=MONTHLY;BYDAY=+1TH", "First Thu of each month at 10:00"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "Last Fri of each month at 10:00"),
        ("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2", "Second Tue of each month at 10:00"),
        ("FREQ=MONTHLY;INTERVAL=2;BYDAY=+3WE", "Third Wed of every other month at 10:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "Monthly on the 15th at 10:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "Monthly on the last day at 10:00"),
        ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", "Every 3 months on the 1st at 10:00"),
        ("FREQ=DAILY;INTERVAL=2", "Every other day at 10:00"),
        ("FREQ=YEARLY", "Every year on 3 Dec at 10:00"),
        ("FREQ=WEEKLY;BYDAY=MO;BYMONTH=6", "Rule FREQ=WEEKLY;BYDAY=MO;BYMONTH=6 at 10:00"),
    ],
)
def test_rule_in_words(rule: str, words: str) -> None:
    assert describe_rule(rule, dt.datetime(2026, 12, 3, 10, 0)) == words


def test_plan_in_words() -> None:
    start = dt.datetime(2026, 12, 1, 10, 0)
    assert (
        describe_plan("FREQ=WEEKLY;BYDAY=TU", start, count=8, left=3)
        == "Every Tue at 10:00 · 8 sessions · 3 left"
    )
    assert (
        describe_plan("FREQ=MONTHLY;BYDAY=1TH", start, until=dt.date(2027, 6, 30))
        == "First Thu of each month at 10:00 · until 30 Jun 2027"
    )
    assert describe_plan("FREQ=WEEKLY", start) == "Every Tue at 10:00 · no end"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Type a rule"),
        ("BYDAY=MO", "needs FREQ"),
        ("FREQ=HOURLY", "not for a practice"),
        ("FREQ=WEEKLY;COUNT=5", "Leave COUNT and UNTIL out"),
        ("FREQ=WEEKLY;BYHOUR=9", "time is set in the form"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL"),
        ("FREQ=WEEKLY;BYDAY=XX", "Cannot read the rule"),
        ("FREQ=WEEKLY;BYDAYS=MO", "Cannot read the rule"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never gives a date"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "never gives a date"),
        ("FREQ=MONTHLY;BYDAY=+6MO", "never gives a date"),
    ],
)
def test_unreadable_rules_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        recurrence.normalise_rule(text)
    assert message in caught.value.message
    assert caught.value.field == "rule"


def test_typed_rule_is_cleaned() -> None:
    assert (
        recurrence.normalise_rule(" rrule: freq=weekly; interval=2; byday=mo,th ;")
        == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"
    )


@pytest.mark.parametrize(
    ("repeat", "field"),
    [
        (Repeat(kind="weekly", weekdays=()), "weekdays"),
        (Repeat(kind="weekly", weekdays=(1,), interval=0), "interval"),
        (Repeat(kind="monthly_weekday", nth=6, weekday=1), "nth"),
        (Repeat(kind="monthly_day", day=32), "day"),
        (Repeat(kind="rule", text="FREQ=SECONDLY"), "rule"),
        (Repeat(kind="fortnightly"), "kind"),
    ],
)
def test_bad_form_choices_name_their_field(repeat: Repeat, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        rule_from_repeat(repeat)
    assert caught.value.field == field


def test_open_ended_needs_a_stop() -> None:
    with pytest.raises(ValueError):
        recurrence.occurrences("FREQ=WEEKLY", dt.datetime(2026, 12, 1, 10))
