"""The pain trend widget draws what it is given on a fixed 0–10 scale."""

from __future__ import annotations

import datetime as dt

from practice_tui.domain.profile import PainTrend
from practice_tui.ui.widgets.pain_trend import render_trend, sparkline


def test_sparkline_uses_a_fixed_scale_and_marks_missing_scores() -> None:
    assert sparkline((0, 5, 10, None)) == "▁▅█·"
    assert sparkline(tuple(range(2, 8))) == "▂▃▄▅▆▇"
    assert sparkline((2, 2, 2)) == "▂▂▂"
    assert sparkline((8, 8, 8)) == "▇▇▇"
    assert sparkline((-3, 14)) == "▁█"
    assert sparkline(()) == ""


def test_trend_text_names_the_change_since_the_first_visit() -> None:
    trend = PainTrend(
        before=(7, 6, 6, 5, 5),
        after=(4, 4, 3, 3, 2),
        sessions=5,
        first_date=dt.date(2026, 10, 2),
        first_before=7,
        latest_before=5,
        latest_after=2,
    )
    text = render_trend(trend).plain
    assert "before ▇▆▆▅▅" in text
    assert "first 7 → now 5/10" in text
    assert "−2 since first visit" in text
    assert "after  ▄▄▃▃▂" in text
    assert "5 sessions scored since 2 Oct 2026" in text


def test_trend_text_when_worse_unchanged_or_empty() -> None:
    worse = PainTrend((3, 5), (1, 2), 2, dt.date(2026, 1, 1), 3, 5, 2)
    assert "+2 since first visit" in render_trend(worse).plain
    same = PainTrend((4, 4), (2, 2), 2, dt.date(2026, 1, 1), 4, 4, 2)
    assert "no change since first visit" in render_trend(same).plain
    once = PainTrend((4,), (2,), 1, dt.date(2026, 1, 1), 4, 4, 2)
    assert "since first visit" not in render_trend(once).plain
    assert render_trend(PainTrend()).plain == "No pain scores recorded yet."
