"""Pieces shared by the plan dialogs: the questions asked before saving (dates
that clash, out of hours, a long plan). Their shared look is the plan form's
section of ``ui/app.tcss``."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from practice_tui.domain.errors import PracticeError
from practice_tui.domain.plans import PlanDate
from practice_tui.domain.words import moment_short
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


def clash_message(blocking: Sequence[PlanDate], *, limit: int = 4) -> Text:
    """The dates that clash, each naming what is in the way (names literal)."""
    text = Text(end="")
    for date in blocking[:limit]:
        text.append(f"✗ {moment_short(date.start)}  ", style="bold")
        reason = date.invalid_time or date.time_off or (date.clashes[0] if date.clashes else "")
        text.append_text(plain_line(reason, 40))
        text.append("\n")
    if len(blocking) > limit:
        text.append(f"… and {len(blocking) - limit} more\n", style="dim")
    text.append("\nSkip them and save? The plan keeps its number of sessions.")
    return text


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
