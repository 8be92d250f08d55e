"""The dates of a plan being previewed, each with what stands in its way.

Renders what the domain returned (``PlanDate``); ``k`` or ``space`` asks to
skip the highlighted date (or to take it back) by posting ``SkipToggled`` —
the form decides and asks for a new preview.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from practice_tui.domain.plans import PlanDate
from practice_tui.domain.words import clock, day_column
from practice_tui.ui.text import plain_line

CLASH = "✗"
OUTSIDE = "!"
SKIPPED = "–"


def date_words(moment: dt.datetime, *, year: bool = False) -> str:
    """ "Mon  7 Dec" (with the year when asked), as wide with or without it."""
    return day_column(moment, year=year).ljust(15)


def date_line(date: PlanDate, *, year: bool, width: int = 200) -> Text:
    """One preview line: mark, number, weekday and date, time, what is wrong."""
    line = Text(end="", no_wrap=True, overflow="ellipsis")
    if date.skipped:
        line.append(f"{SKIPPED}     ", style="dim")
        line.append(f"{date_words(date.start, year=year)}  {clock(date.start)}", style="dim strike")
        line.append("   skipped", style="dim italic")
        return line
    if date.blocking:
        line.append(f"{CLASH} ", style="bold red")
    elif date.outside_hours:
        line.append(f"{OUTSIDE} ", style="bold yellow")
    else:
        line.append("  ")
    number = f"{date.number:>3}." if date.number is not None else "    "
    line.append(number + " ", style="dim")
    line.append(f"{date_words(date.start, year=year)}  {clock(date.start)}")
    problems = date.problems
    if problems:
        style = "red" if date.blocking else "yellow"
        line.append("   ")
        # Messages name other clients: shown literally, never as markup.
        line.append_text(plain_line(problems[0], width, style=style))
        if len(problems) > 1:
            line.append(f"  (+{len(problems) - 1} more)", style="dim")
    return line


class PlanDateList(OptionList):
    """Every date of a plan, conflicts marked; ``k``/``space`` skip one."""

    BINDINGS = [
        Binding("k", "toggle_skip", "Skip date"),
        Binding("space", "toggle_skip", "Skip date", show=False),
    ]

    class SkipToggled(Message):
        """The person asked to skip (or un-skip) the date starting at ``start``."""

        def __init__(self, start: dt.datetime, skipped: bool) -> None:
            super().__init__()
            self.start = start
            self.skipped = skipped

    def __init__(self, *, id: str | None = None, skippable: bool = True) -> None:
        super().__init__(id=id)
        self._dates: tuple[PlanDate, ...] = ()
        self._skippable = skippable

    @property
    def dates(self) -> tuple[PlanDate, ...]:
        return self._dates

    def show(self, dates: Sequence[PlanDate], *, message: str = "") -> None:
        """Replace the list, keeping the highlight on the same date when it stays."""
        keep = None
        if self.highlighted is not None and self.highlighted < len(self._dates):
            keep = self._dates[self.highlighted].start.date()
        self._dates = tuple(dates)
        self.clear_options()
        if not self._dates:
            if message:
                self.add_option(Option(Text(message, style="dim"), disabled=True))
            return
        years = {d.start.year for d in self._dates}
        show_year = len(years) > 1
        self.add_options(
            Option(date_line(d, year=show_year), id=d.start.isoformat()) for d in self._dates
        )
        target = 0
        if keep is not None:
            for index, date in enumerate(self._dates):
                if date.start.date() == keep:
                    target = index
                    break
        self.highlighted = target

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_skip":
            return self._skippable and bool(self._dates)
        return True

    def action_toggle_skip(self) -> None:
        if self.highlighted is None or self.highlighted >= len(self._dates):
            return
        date = self._dates[self.highlighted]
        self.post_message(self.SkipToggled(date.start, not date.skipped))
