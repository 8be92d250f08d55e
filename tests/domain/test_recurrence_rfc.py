"""RFC 5545 section 3.8.5.3 examples that fit a practice, through our expansion.

The RFC's COUNT and UNTIL live outside the rule in a plan (``count=`` and
``until=``). Its UNTIL is a moment (``19971224T000000Z``: before the 24th);
ours is the last day included, so "until December 24, 1997" is ``until`` 23
December here. DTSTART is 09:00 wall-clock time, as in the RFC (New York).
"""

from __future__ import annotations

import datetime as dt

import pytest

from practice_tui.domain import recurrence


def days(*items: tuple[int, int, int]) -> list[dt.datetime]:
    return [dt.datetime(y, m, d, 9, 0) for y, m, d in items]


def sep(*numbers: int, year: int = 1997, month: int = 9) -> list[tuple[int, int, int]]:
    return [(year, month, n) for n in numbers]


EXAMPLES = [
    pytest.param(
        "FREQ=WEEKLY",
        dt.datetime(1997, 9, 2, 9),
        {"count": 10},
        days(*sep(2, 9, 16, 23, 30), *sep(7, 14, 21, 28, month=10), (1997, 11, 4)),
        id="weekly for 10 occurrences",
    ),
    pytest.param(
        "FREQ=WEEKLY",
        dt.datetime(1997, 9, 2, 9),
        {"until": dt.date(1997, 12, 23)},
        days(
            *sep(2, 9, 16, 23, 30),
            *sep(7, 14, 21, 28, month=10),
            *sep(4, 11, 18, 25, month=11),
            *sep(2, 9, 16, 23, month=12),
        ),
        id="weekly until December 24, 1997",
    ),
    pytest.param(
        "FREQ=WEEKLY;INTERVAL=2;WKST=SU",
        dt.datetime(1997, 9, 2, 9),
        {"count": 6},
        days(*sep(2, 16, 30), *sep(14, 28, month=10), (1997, 11, 11)),
        id="every other week (first six)",
    ),
    pytest.param(
        "FREQ=WEEKLY;WKST=SU;BYDAY=TU,TH",
        dt.datetime(1997, 9, 2, 9),
        {"count": 10},
        days(*sep(2, 4, 9, 11, 16, 18, 23, 25, 30), (1997, 10, 2)),
        id="weekly on Tuesday and Thursday for five weeks",
    ),
    pytest.param(
        "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=MO,WE,FR",
        dt.datetime(1997, 9, 1, 9),
        {"until": dt.date(1997, 12, 23)},
        days(
            *sep(1, 3, 5, 15, 17, 19, 29),
            *sep(1, 3, 13, 15, 17, 27, 29, 31, month=10),
            *sep(10, 12, 14, 24, 26, 28, month=11),
            *sep(8, 10, 12, 22, month=12),
        ),
        id="every other week on Monday, Wednesday and Friday until December 24, 1997",
    ),
    pytest.param(
        "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=TU,TH",
        dt.datetime(1997, 9, 2, 9),
        {"count": 8},
        days(*sep(2, 4, 16, 18, 30), *sep(2, 14, 16, month=10)),
        id="every other week on Tuesday and Thursday for 8 occurrences",
    ),
    pytest.param(
        "FREQ=MONTHLY;BYDAY=1FR",
        dt.datetime(1997, 9, 5, 9),
        {"count": 10},
        days(
            (1997, 9, 5),
            (1997, 10, 3),
            (1997, 11, 7),
            (1997, 12, 5),
            (1998, 1, 2),
            (1998, 2, 6),
            (1998, 3, 6),
            (1998, 4, 3),
            (1998, 5, 1),
            (1998, 6, 5),
        ),
        id="monthly on the first Friday for 10 occurrences",
    ),
    pytest.param(
        "FREQ=MONTHLY;BYDAY=1FR",
        dt.datetime(1997, 9, 5, 9),
        {"until": dt.date(1997, 12, 23)},
        days((1997, 9, 5), (1997, 10, 3), (1997, 11, 7), (1997, 12, 5)),
        id="monthly on the first Friday until December 24, 1997",
    ),
    pytest.param(
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=1SU,-1SU",
        dt.datetime(1997, 9, 7, 9),
        {"count": 10},
        days(
            (1997, 9, 7),
            (1997, 9, 28),
            (1997, 11, 2),
            (1997, 11, 30),
            (1998, 1, 4),
            (1998, 1, 25),
            (1998, 3, 1),
            (1998, 3, 29),
            (1998, 5, 3),
            (1998, 5, 31),
        ),
        id="every other month on the first and last Sunday for 10 occurrences",
    ),
    pytest.param(
        "FREQ=MONTHLY;BYDAY=-2MO",
        dt.datetime(1997, 9, 22, 9),
        {"count": 6},
        days(
            (1997, 9, 22),
            (1997, 10, 20),
            (1997, 11, 17),
            (1997, 12, 22),
            (1998, 1, 19),
            (1998, 2, 16),
        ),
        id="monthly on the second-to-last Monday for 6 months",
    ),
    pytest.param(
        "FREQ=MONTHLY;BYMONTHDAY=2,15",
        dt.datetime(1997, 9, 2, 9),
        {"count": 10},
        days(
            *sep(2, 15),
            *sep(2, 15, month=10),
            *sep(2, 15, month=11),
            *sep(2, 15, month=12),
            (1998, 1, 2),
            (1998, 1, 15),
        ),
        id="monthly on the 2nd and 15th for 10 occurrences",
    ),
    pytest.param(
        "FREQ=MONTHLY;BYMONTHDAY=1,-1",
        dt.datetime(1997, 9, 30, 9),
        {"count": 10},
        days(
            (1997, 9, 30),
            (1997, 10, 1),
            (1997, 10, 31),
            (1997, 11, 1),
            (1997, 11, 30),
            (1997, 12, 1),
            (1997, 12, 31),
            (1998, 1, 1),
            (1998, 1, 31),
            (1998, 2, 1),
        ),
        id="monthly on the first and last day for 10 occurrences",
    ),
    pytest.param(
        "FREQ=MONTHLY;BYDAY=TU,WE,TH;BYSETPOS=3",
        dt.datetime(1997, 9, 4, 9),
        {"count": 3},
        days((1997, 9, 4), (1997, 10, 7), (1997, 11, 6)),
        id="third Tuesday, Wednesday or Thursday of the month, 3 times",
    ),
    pytest.param(
        "FREQ=DAILY;INTERVAL=10",
        dt.datetime(1997, 9, 2, 9),
        {"count": 5},
        days(*sep(2, 12, 22), *sep(2, 12, month=10)),
        id="every 10 days, 5 occurrences",
    ),
    pytest.param(
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=MO",
        dt.datetime(1997, 8, 5, 9),
        {"count": 4},
        days(*sep(5, 10, 19, 24, month=8)),
        id="WKST=MO makes a difference",
    ),
    pytest.param(
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU",
        dt.datetime(1997, 8, 5, 9),
        {"count": 4},
        days(*sep(5, 17, 19, 31, month=8)),
        id="WKST=SU makes a difference",
    ),
    pytest.param(
        "FREQ=MONTHLY;BYMONTHDAY=15,30",
        dt.datetime(2007, 1, 15, 9),
        {"count": 5},
        days((2007, 1, 15), (2007, 1, 30), (2007, 2, 15), (2007, 3, 15), (2007, 3, 30)),
        id="an invalid date (February 30) is ignored",
    ),
]


@pytest.mark.parametrize(("rule", "start", "end", "expected"), EXAMPLES)
def test_rfc5545_examples(rule: str, start: dt.datetime, end: dict, expected: list) -> None:
    assert recurrence.occurrences(rule, start, **end) == expected
    assert list(recurrence.build(rule, start, **end)) == expected
