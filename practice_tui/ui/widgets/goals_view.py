"""A client's functional goals, each with its scores over time and the change.

One line per goal: the activity in the client's words, the latest scores
oldest first, a sparkline on the fixed 0–10 scale, and the change since the
first score (higher is better here, unlike pain: green when it rose). Only
renders what it is given.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from practice_tui.domain.outcomes import FunctionalGoal
from practice_tui.ui.text import plain
from practice_tui.ui.widgets.pain_trend import sparkline

SCALE = "0 = unable … 10 = as before"


def change_words(goal: FunctionalGoal) -> Text:
    change = goal.change
    first = goal.first
    if change is None or first is None:
        return Text("")
    since = f" since {first.day.day} {first.day:%b}"
    if change > 0:
        return Text(f"+{change}{since}", style="bold green")
    if change < 0:
        return Text(f"−{-change}{since}", style="bold red")
    return Text(f"no change{since}", style="bold")


def render_goals(goals: Sequence[FunctionalGoal], width: int = 80) -> Text:
    if not goals:
        return Text("No functional goals yet: g sets up to five, in the client's words.", "dim")
    scores_room = 8 if width >= 100 else 6
    out = Text(end="", no_wrap=True, overflow="ellipsis")
    # activity · scores (3 columns each) · sparkline · "+5 since 14 Sep"
    activity_width = max(12, min(40, width - 4 * scores_room - 2 - 2 - 2 - 16))
    for index, goal in enumerate(goals):
        if index:
            out.append("\n")
        name = plain(goal.activity)
        name.truncate(activity_width, overflow="ellipsis")
        out.append_text(name)
        out.append(" " * (activity_width - name.cell_len + 2))
        shown = goal.scores[-scores_room:]
        if not shown:
            out.append("not scored yet", style="dim")
            continue
        numbers = " ".join(f"{s.score:>2}" for s in shown)
        if len(shown) < len(goal.scores):
            numbers = "…" + numbers
        out.append(numbers.rjust(3 * scores_room))
        out.append("  ")
        out.append(sparkline(tuple(s.score for s in shown)).ljust(scores_room), style="cyan")
        out.append("  ")
        out.append_text(change_words(goal))
    return out
