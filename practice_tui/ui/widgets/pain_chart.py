"""Pain before and after each visit, over time, as a small bar chart.

Each visit is a pair of bars — before (yellow) and after (green) — on a fixed
0–10 scale five rows high, so one row is two points and each eighth-block
step is a quarter point: every whole score has its own exact height, and two
clients' charts compare at a glance. The latest visits that fit the width are
drawn (``… 12 earlier`` says what was left out); the dates of the first and
last visit drawn sit under the bars. Beside the chart, when there is room,
the numbers say the same thing in words for anyone who cannot read the bars.

The widget only draws what it is given (``show``): the visits, and the
domain's ``PainTrend`` for the change since the first visit.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from practice_tui.domain.outcomes import PainPoint
from practice_tui.domain.profile import PainTrend
from practice_tui.ui.widgets.pain_trend import change_text

ROWS = 5
#: Eighths of a row, bottom-aligned: index n is a block n/8 high.
EIGHTHS = " ▁▂▃▄▅▆▇█"
BEFORE_STYLE = "yellow"
AFTER_STYLE = "green"
AXIS = 4  # "10 ┤"
#: Columns per visit: a bar before, a bar after, a space.
STEP = 3
SIDE = 34  # the words beside the chart
SIDE_FROM = 60  # width from which the words go beside rather than under


def _cell(value: int | None, row: int) -> str:
    """The character of one bar at ``row`` (0 = bottom) for a score of ``value``."""
    if value is None:
        return "·" if row == 0 else " "
    eighths = value * 4 - row * 8  # 10 → 40 eighths over five rows
    return EIGHTHS[max(0, min(8, eighths))]


def _day(day) -> str:  # type: ignore[no-untyped-def]
    return f"{day.day} {day:%b}"


def visits_that_fit(width: int) -> int:
    room = width - AXIS - (SIDE + 2 if width >= SIDE_FROM else 0)
    return max(1, room // STEP)


def render_chart(points: Sequence[PainPoint], trend: PainTrend, width: int) -> Text:
    """The chart (``ROWS`` rows, an axis and a date line) for ``width`` columns."""
    if not points:
        return Text("No pain scores recorded yet.", style="dim", end="")
    shown = list(points[-visits_that_fit(width) :])
    left_out = len(points) - len(shown)
    side = _side_lines(trend, left_out) if width >= SIDE_FROM else []
    chart_width = AXIS + STEP * len(shown)
    lines: list[Text] = []
    for row in range(ROWS - 1, -1, -1):
        label = {ROWS - 1: "10 ┤", 2: " 5 ┤"}.get(row, "   │")
        line = Text(label, style="dim", end="")
        for point in shown:
            line.append(_cell(point.before, row), style=BEFORE_STYLE)
            line.append(_cell(point.after, row), style=AFTER_STYLE)
            line.append(" ")
        lines.append(line)
    axis = Text(" 0 └" + "─" * (STEP * len(shown)), style="dim", end="")
    lines.append(axis)
    first, last = _day(shown[0].day), _day(shown[-1].day)
    dates = Text("    ", end="")
    if left_out:
        first = f"… {left_out} earlier · {first}"
    if len(shown) == 1 or len(first) + len(last) + 1 > STEP * len(shown):
        dates.append(first if len(shown) == 1 else f"{first} – {last}")
    else:
        gap = max(1, STEP * len(shown) - len(first) - len(last) - 1)
        dates.append(first + " " * gap + last)
    lines.append(dates)
    if not side:
        lines.append(_under(trend))
    out = Text(end="", no_wrap=True)
    for index, line in enumerate(lines):
        if index:
            out.append("\n")
        out.append_text(line)
        if index < len(side):
            out.append(" " * max(2, chart_width + 2 - line.cell_len))
            words = side[index]
            words.truncate(max(0, width - max(chart_width + 2, line.cell_len + 2)))
            out.append_text(words)
    return out


def _side_lines(trend: PainTrend, left_out: int) -> list[Text]:
    legend = Text(end="")
    legend.append("█", style=BEFORE_STYLE)
    legend.append(" before  ")
    legend.append("█", style=AFTER_STYLE)
    legend.append(" after")
    lines = [legend]
    if trend.latest_before is not None and trend.first_before is not None:
        lines.append(Text(f"first {trend.first_before} → now {trend.latest_before}/10 before"))
    if trend.latest_after is not None:
        lines.append(Text(f"last session ended at {trend.latest_after}"))
    change = change_text(trend.change)
    if change.plain:
        lines.append(change)
    sessions = "1 session" if trend.sessions == 1 else f"{trend.sessions} sessions"
    since = f" since {_day(trend.first_date)} {trend.first_date:%Y}" if trend.first_date else ""
    lines.append(Text(f"{sessions} scored{since}", style="dim"))
    return lines


def _under(trend: PainTrend) -> Text:
    """The words in one line under the chart, on a narrow screen."""
    line = Text(end="")
    line.append("█", style=BEFORE_STYLE)
    line.append(" before ")
    line.append("█", style=AFTER_STYLE)
    line.append(" after  ")
    change = change_text(trend.change)
    if change.plain:
        line.append_text(change)
    return line


class PainChart(Widget):
    """Draws the visits it is given at its own width; knows nothing of the database."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._points: tuple[PainPoint, ...] = ()
        self._trend = PainTrend()

    def show(self, points: Sequence[PainPoint], trend: PainTrend) -> None:
        points = tuple(points)
        if points == self._points and trend == self._trend:
            return  # the profile shows its outcomes again on every resize
        self._points = points
        self._trend = trend
        self.refresh(layout=True)

    def render(self) -> Text:
        return render_chart(self._points, self._trend, self.content_size.width or 80)

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return render_chart(self._points, self._trend, width).plain.count("\n") + 1
