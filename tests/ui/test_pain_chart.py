"""The pain chart draws what it is given: exact heights, the latest visits that fit."""

from __future__ import annotations

import datetime as dt

from practice_tui.domain.outcomes import FunctionalGoal, GoalScorePoint, PainPoint
from practice_tui.domain.profile import PainTrend
from practice_tui.ui.widgets.goals_view import render_goals
from practice_tui.ui.widgets.pain_chart import ROWS, _cell, render_chart, visits_that_fit

DAY = dt.date(2026, 9, 1)


def points(pairs: list[tuple[int | None, int | None]]) -> list[PainPoint]:
    return [PainPoint(DAY + dt.timedelta(weeks=i), b, a) for i, (b, a) in enumerate(pairs)]


def column(value: int | None) -> str:
    """A bar bottom to top, as drawn."""
    return "".join(_cell(value, row) for row in range(ROWS))


def test_every_whole_score_has_its_own_height() -> None:
    assert column(10) == "█████"
    assert column(0) == "     "
    assert column(5) == "██▄  "
    assert column(3) == "█▄   "
    assert column(None) == "·    "
    heights = {column(v) for v in range(11)}
    assert len(heights) == 11


def test_the_latest_visits_that_fit_are_drawn_with_their_dates() -> None:
    trend = PainTrend((7, 5), (4, 2), 30, DAY, 7, 5, 2)
    many = points([(7, 4)] * 29 + [(5, 2)])
    text = render_chart(many, trend, 80).plain
    lines = text.split("\n")
    assert len(lines) == ROWS + 2
    assert all(len(line) <= 80 for line in lines)
    fit = visits_that_fit(80)
    assert f"… {30 - fit} earlier" in lines[-1]
    assert "30 Mar" in lines[-1] or "6 Apr" in lines[-1] or lines[-1].rstrip().endswith("Mar")
    assert "−2 since first visit" in text
    narrow = render_chart(many, trend, 40).plain
    assert all(len(line) <= 40 for line in narrow.split("\n"))
    assert "−2 since first visit" in narrow  # under the chart, not beside it


def test_no_scores_says_so() -> None:
    assert render_chart([], PainTrend(), 80).plain == "No pain scores recorded yet."


def test_goals_show_scores_and_the_change_since_the_first() -> None:
    goal = FunctionalGoal(
        1,
        1,
        1,
        "Lift my grandchild",
        dt.datetime(2026, 9, 1),
        None,
        tuple(GoalScorePoint(DAY + dt.timedelta(weeks=i), s) for i, s in enumerate((2, 3, 3, 5))),
    )
    text = render_goals([goal], 80).plain
    assert "Lift my grandchild" in text and " 2  3  3  5" in text
    assert "+3 since 1 Sep" in text
