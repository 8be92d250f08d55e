"""Pieces shared by the plan dialogs: the questions asked before saving (dates
that clash, out of hours, a long plan). Their shared look is the plan form's
section of ``ui/app.tcss``."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from practice_tui.domain.errors import PracticeError
from practice_tui.domain.plans import ClashSkips, PlanDate
from practice_tui.domain.words import moment_short
from practice_tui.ui.dialogs.common import ConfirmDialog
from practice_tui.ui.text import plain, plain_line


def counts_line(dates: Sequence[PlanDate], *, sessions: bool = True) -> Text:
    """ "10 sessions · ✗ 2 clashes · ! 1 outside working hours · 1 skipped"."""
    parts: list[Text] = []
    if sessions:
        count = sum(not d.skipped for d in dates)
        parts.append(Text(f"{count} session" + ("" if count == 1 else "s")))
    clash = sum(d.blocking for d in dates)
    outside = sum(bool(d.outside_hours) and not d.skipped for d in dates)
    skipped = sum(d.skipped for d in dates)
    if clash:
        parts.append(Text(f"✗ {clash} clash" + ("" if clash == 1 else "es"), style="bold red"))
    if outside:
        parts.append(Text(f"! {outside} outside working hours", style="yellow"))
    if skipped:
        parts.append(Text(f"{skipped} skipped", style="dim"))
    if not clash and not outside:
        parts.append(Text("✓ no conflicts", style="green"))
    return Text(" · ", end="").join(parts)


def skips_message(result: ClashSkips, *, what: str = "the plan") -> Text:
    """Every date "Skip and save" skips and every date that moves, one a line,
    exactly as the domain computed them (the save uses the same result)."""
    text = Text(end="")
    for date in result.skipped:
        reason = date.invalid_time or date.time_off or (date.clashes[0] if date.clashes else "")
        when = f"✗ skip {moment_short(date.start)}"
        text.append(f"{when:<25}", style="bold")
        text.append_text(plain_line(reason, 36))
        text.append("\n")
    if result.first_from is not None and result.first_to is not None:
        text.append(
            f"→ first session moves: {moment_short(result.first_from)} "
            f"→ {moment_short(result.first_to)}\n",
            style="bold",
        )
    for date in result.added:
        text.append(f"+ add {moment_short(date.start)}", style="bold")
        text.append(" at the end\n", style="dim")
    count = result.sessions
    text.append(f"\nThen {what} has {count} session{'' if count == 1 else 's'}")
    booked = [d for d in result.dates if not d.skipped]
    if booked:
        text.append(f", {moment_short(booked[0].start)} to {moment_short(booked[-1].start)}")
    text.append(". Nothing else changes.")
    return text


class SkipClashesDialog(ConfirmDialog):
    """The "Skip and save" question: the full list scrolls when it is long."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self._title), classes="dialog-title")
            with VerticalScroll(classes="clash-list"):
                yield Static(self._message, id="clash-skips")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self._no} (n)", id="no")
                yield Button(f"{self._yes} (y)", id="yes", variant="primary")


def outside_message(dates: Sequence[PlanDate], *, limit: int = 4) -> Text:
    outside = [d for d in dates if d.outside_hours and not d.skipped]
    text = Text(end="")
    for date in outside[:limit]:
        text.append(f"! {moment_short(date.start)}  ", style="bold")
        text.append_text(plain_line(date.outside_hours, 40))
        text.append("\n")
    if len(outside) > limit:
        text.append(f"… and {len(outside) - limit} more\n", style="dim")
    text.append("\nBook them anyway?")
    return text


LABELS = {
    "client": "Client",
    "service": "Service",
    "minutes": "Length",
    "first_date": "First date",
    "time": "Time",
    "interval": "Repeat",
    "weekdays": "Weekdays",
    "nth": "Repeat",
    "weekday": "Repeat",
    "day": "Day",
    "rule": "Rule",
    "count": "Sessions",
    "until": "End date",
    "end": "End",
    "dates": "Dates",
    "from_date": "From",
}


def error_text(error: PracticeError) -> Text:
    """ "Time: Cannot read “25:00” …" — the field, then the message; one per line."""
    errors = getattr(error, "errors", None) or {getattr(error, "field", None) or "": str(error)}
    text = Text(end="")
    for index, (field, message) in enumerate(errors.items()):
        if index:
            text.append("\n")
        if field in LABELS:
            text.append(f"{LABELS[field]}: ", style="bold")
        text.append_text(plain(message))
    return text
