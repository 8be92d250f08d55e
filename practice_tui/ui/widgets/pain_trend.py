"""Pain before and after each session as two sparklines on a fixed 0–10 scale.

The scale is fixed (not stretched to the data) so a flat line at 2 looks low
and a flat line at 8 looks high, and two clients' pictures can be compared.
The numbers next to the lines say the same thing in words for anyone who
cannot read the bars.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from practice_tui.domain.profile import PainTrend
from practice_tui.domain.words import day_month_year

BARS = "▁▂▃▄▅▆▇█"
#: Pain 0–10 on eight bar heights: the middle of the scale (2–7), where change
#: matters most, gets one height per point; the ends share (0–1, 7–8, 9–10).
LEVELS = (0, 0, 1, 2, 3, 4, 5, 6, 6, 7, 7)
MISSING = "·"


def sparkline(values: tuple[int | None, ...]) -> str:
    """One bar per value, 0 → ▁ … 10 → █; a session without a score shows ·."""
    out = []
    for value in values:
        if value is None:
            out.append(MISSING)
        else:
            out.append(BARS[LEVELS[max(0, min(10, value))]])
    return "".join(out)


def change_text(change: int | None) -> Text:
    if change is None:
        return Text("")
    if change < 0:
        return Text(f"−{-change} since first visit", style="bold green")
    if change > 0:
        return Text(f"+{change} since first visit", style="bold red")
    return Text("no change since first visit", style="bold")


def render_trend(trend: PainTrend) -> Text:
    if trend.empty:
        return Text("No pain scores recorded yet.", style="dim", end="")
    width = max(len(trend.before), 4)
    first = "" if trend.first_before is None else str(trend.first_before)
    text = Text(end="")
    text.append("before ", style="bold")
    text.append(sparkline(trend.before).ljust(width), style="yellow")
    if trend.latest_before is not None:
        text.append(f"  first {first} → now {trend.latest_before}/10  ")
    text.append_text(change_text(trend.change))
    text.append("\n")
    text.append("after  ", style="bold")
    text.append(sparkline(trend.after).ljust(width), style="green")
    if trend.latest_after is not None:
        text.append(f"  last session ended at {trend.latest_after}/10")
    sessions = "1 session" if trend.sessions == 1 else f"{trend.sessions} sessions"
    first_date = trend.first_date
    since = f" since {day_month_year(first_date)}" if first_date else ""
    text.append(f"\n{sessions} scored{since}", style="dim")
    return text


class PainTrendView(Static):
    """Shows the trend it is given; knows nothing about clients or the database."""

    def show_trend(self, trend: PainTrend) -> None:
        self.update(render_trend(trend))
