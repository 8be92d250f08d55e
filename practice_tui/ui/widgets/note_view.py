"""How a note reads on screen: the whole note, a short summary, the pain trend.

Everything a person typed goes through ``ui.text.plain`` (literal, control
characters made visible); these helpers only arrange it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from practice_tui.domain.notes import Amendment, NoteFields, NoteInfo
from practice_tui.domain.outcomes import NoteGoal
from practice_tui.domain.vocab import format_areas
from practice_tui.domain.words import moment_long, weekday_date
from practice_tui.ui.text import plain

NOT_ASKED = "–"


def pain(value: int | None) -> str:
    return NOT_ASKED if value is None else str(value)


def pain_pair(before: int | None, after: int | None) -> str:
    """ "7 → 4"; "–" marks a score not asked; "" when neither was asked."""
    if before is None and after is None:
        return ""
    return f"{pain(before)} → {pain(after)}"


def _list(values: tuple[str, ...]) -> Text:
    return plain(", ".join(values)) if values else Text("—", style="dim")


def note_table(fields: NoteFields) -> Table:
    """The whole content of a note as label/value rows, literal."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1)
    pain_text = pain_pair(fields.pain_before, fields.pain_after) or "not asked"
    table.add_row("Pain", Text(f"{pain_text}  (before → after, 0–10)"))
    table.add_row("Pressure", Text(fields.pressure or "—"))
    table.add_row("Areas", plain(format_areas(fields.areas)) if fields.areas else Text("—"))
    table.add_row("Techniques", _list(fields.techniques))
    for label, value in (
        ("Subjective", fields.subjective),
        ("Objective", fields.objective),
        ("Assessment", fields.assessment),
        ("Plan", fields.plan_text),
    ):
        table.add_row(label, plain(value, keep_newlines=True) if value else Text("—", style="dim"))
    care = _list(fields.home_care)
    if fields.home_care_notes:
        care = Text.assemble(care, "\n", plain(fields.home_care_notes, keep_newlines=True))
    table.add_row("Home care", care)
    table.add_row("Next visit", plain(fields.next_visit) if fields.next_visit else Text("—"))
    return table


def goal_scores_view(goals: Sequence[NoteGoal]) -> Text:
    """The functional goals scored in a note, one a line (nothing when none was asked)."""
    if not goals:
        return Text("", end="")
    text = Text("Functional goals (0 = unable … 10 = as before)", style="bold", end="")
    for goal in goals:
        text.append(f"\n  {goal.score:>2}  ")
        text.append_text(plain(goal.activity))
    return text


def amendments_view(amendments: tuple[Amendment, ...]) -> Text:
    if not amendments:
        return Text("No amendments.", style="dim")
    lines: list[Text] = []
    for number, amendment in enumerate(amendments, start=1):
        lines.append(
            Text.assemble(
                (f"Amendment {number} · {moment_long(amendment.created_at)}", "bold"),
                " · reason: ",
                plain(amendment.reason),
            )
        )
        lines.append(Text.assemble("  ", plain(amendment.text, keep_newlines=True)))
    return Text("\n", end="").join(lines)


def previous_summary(note: NoteInfo) -> Text:
    """What the therapist glances at while writing today's note."""
    fields = note.content
    lines: list[Text] = [
        Text(f"{weekday_date(note.start)} · {'signed' if note.signed else 'draft'}", style="bold"),
        plain(note.service_name, style="dim"),
    ]
    pair = pain_pair(fields.pain_before, fields.pain_after)
    lines.append(Text.assemble(("Pain ", "bold"), pair or "not asked"))
    lines.append(Text.assemble(("Pressure ", "bold"), fields.pressure or "—"))
    for label, value in (
        ("Areas", format_areas(fields.areas)),
        ("Techniques", ", ".join(fields.techniques)),
        ("Home care", ", ".join(fields.home_care)),
    ):
        lines.append(Text.assemble((f"{label}: ", "bold"), plain(value) if value else "—"))
    if fields.home_care_notes:
        lines.append(plain(fields.home_care_notes, keep_newlines=True))
    for label, value in (
        ("S", fields.subjective),
        ("O", fields.objective),
        ("A", fields.assessment),
        ("P", fields.plan_text),
    ):
        if value:
            lines.append(Text.assemble((f"{label}: ", "bold"), plain(value, keep_newlines=True)))
    if fields.next_visit:
        lines.append(Text.assemble(("Next: ", "bold"), plain(fields.next_visit)))
    if note.amendments:
        count = len(note.amendments)
        lines.append(Text(f"{count} amendment{'s' if count != 1 else ''}", style="italic"))
    return Text("\n", end="").join(lines)
