"""Pieces shared by the plan dialogs: the look of a compact form, and the
questions asked before saving (dates that clash, out of hours, a long plan)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.text import Text

from practice_tui.domain.errors import PracticeError
from practice_tui.domain.plans import PlanDate
from practice_tui.ui.text import plain, plain_line
from practice_tui.ui.widgets.plan_dates import date_words

#: A full-screen form: labels in a column, compact fields, the preview below.
FORM_CSS = """
    align: center top;
    & > #plan-box {
        width: 100%;
        height: 100%;
        max-width: 120;
        padding: 0 1;
        background: $surface;
        border: tall $primary;
    }
    .plan-title {
        text-style: bold;
        height: 1;
    }
    .form-row {
        height: 1;
        margin-top: 0;
    }
    .form-row-auto {
        height: auto;
    }
    .form-label {
        width: 9;
        color: $text-muted;
    }
    .word {
        width: auto;
        padding: 0 1;
        color: $text-muted;
    }
    Input.-textual-compact {
        background: $boost;
    }
    Input.-textual-compact:focus {
        background: $primary 35%;
    }
    Select.-textual-compact:focus > SelectCurrent {
        background: $primary 35%;
    }
    .form-error {
        color: $text-error;
        height: auto;
        min-height: 1;
        max-height: 4;
    }
    .preview-title {
        height: auto;
        border-top: solid $primary 50%;
        text-style: bold;
    }
    .preview-counts {
        height: 1;
        color: $text-muted;
    }
"""


def short(moment: dt.datetime) -> str:
    return f"{moment:%a} {moment.day} {moment:%b} {moment:%H:%M}"


def when(moment: dt.datetime) -> str:
    """ "Thu 7 Jan" for a day, "Thu 7 Jan 11:20" when the change starts within it."""
    day = f"{moment:%a} {moment.day} {moment:%b}"
    return day if moment.time() == dt.time() else f"{day} {moment:%H:%M}"


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
        text.append(f"✗ {date_words(date.start).strip()} {date.start:%H:%M}  ", style="bold")
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
        text.append(f"! {date_words(date.start).strip()} {date.start:%H:%M}  ", style="bold")
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
