"""The profile's past sessions: the same columns a Rich grid drew, laid out by
hand so the height is known without drawing (ui/widgets/past_sessions.py)."""

from __future__ import annotations

import datetime as dt
import io

from rich.console import Console
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult

from practice_tui.domain.profile import PastSession
from practice_tui.ui.widgets.past_sessions import (
    SERVICE_MOST,
    PastSessions,
    session_cells,
    session_lines,
)
from tests.ui.helpers import settle


def _session(day: int, **fields) -> PastSession:  # type: ignore[no-untyped-def]
    values = {
        "appointment_id": day,
        "start": dt.datetime(2026, 11, day, 10),
        "service": "Medical massage 60",
        "status": "completed",
        "pain_before": 6,
        "pain_after": 3,
        "areas": ("neck", "shoulders L/R"),
        "techniques": ("MFR", "trigger point"),
        "has_note": True,
        "signed": True,
    }
    values.update(fields)
    return PastSession(**values)  # type: ignore[arg-type]


SESSIONS = (
    _session(27),
    _session(
        20,
        service="Deep tissue with a very long name indeed, 90 minutes",
        areas=("lower back/lumbar L/R", "glutes", "hamstrings", "calves"),
        pain_before=10,
        pain_after=10,
        signed=False,
    ),
    _session(
        13,
        status="cancelled",
        cancel_reason="Unwell",
        areas=(),
        techniques=(),
        pain_before=None,
        pain_after=None,
    ),
    _session(6, status="no_show", areas=(), techniques=(), pain_before=None, pain_after=None),
    _session(2, has_note=False, signed=False, pain_before=None),
    _session(1, service="按摩 Ōsaka style", areas=("頸部",), techniques=()),
)


def _rich_grid(width: int) -> list[str]:
    """What the profile drew before: a Rich grid with these columns."""
    table = Table.grid(padding=(0, 2), expand=True)
    table.add_column("date", no_wrap=True, justify="right")
    table.add_column("service", no_wrap=True, max_width=SERVICE_MOST, overflow="ellipsis")
    table.add_column("pain", no_wrap=True, justify="right")
    table.add_column("areas", no_wrap=True, overflow="ellipsis", ratio=1)
    table.add_column("note", no_wrap=True)
    for session in SESSIONS:
        table.add_row(*session_cells(session))
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(table)
    return console.export_text().splitlines()


def test_the_lines_are_what_the_rich_grid_drew_at_every_usable_width() -> None:
    rows = [session_cells(session) for session in SESSIONS]
    for width in range(70, 131):
        lines = session_lines(rows, width)
        assert [line.plain for line in lines] == _rich_grid(width), width
        assert all(line.cell_len == width for line in lines)


def test_what_did_not_take_place_is_muted_and_the_note_says_its_state() -> None:
    lines = session_lines([session_cells(session) for session in SESSIONS], 100)
    assert lines[0].plain.rstrip().endswith("✔")
    assert "10→10" in lines[1].plain and lines[1].plain.rstrip().endswith("draft")
    assert "cancelled: Unwell" in lines[2].plain
    assert "no-show" in lines[3].plain
    assert lines[4].plain.rstrip().endswith("✎ owed") and "?→3" in lines[4].plain
    console = Console(width=100, file=io.StringIO())
    for muted in lines[2:4]:
        drawn = [seg for seg in muted.render(console) if seg.text.strip()]
        assert drawn and all(seg.style is not None and seg.style.dim for seg in drawn)
    assert not list(lines[0].render(console))[0].style.dim
    assert "…" in lines[1].plain  # the long service is cut


def test_typed_text_stays_literal_and_control_characters_show() -> None:
    hostile = _session(
        27,
        service="[bold]Hot stone[/]",
        areas=("neck\x1b[31m",),
        techniques=("[red]MFR",),
    )
    (line,) = session_lines([session_cells(hostile)], 100)
    assert "[bold]Hot stone[/]" in line.plain
    assert "neck␛[31m" in line.plain and "\x1b" not in line.plain
    assert "[red]MFR" in line.plain


def test_a_narrow_width_still_fits_and_keeps_the_note() -> None:
    rows = [session_cells(session) for session in SESSIONS]
    for width in (40, 50, 60):
        for line in session_lines(rows, width):
            assert line.cell_len <= width


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield PastSessions(id="past")


async def test_its_height_is_known_without_drawing_and_counts_what_is_left_out() -> None:
    app = _Host()
    async with app.run_test(size=(100, 20)) as pilot:
        past = app.query_one(PastSessions)
        await settle(pilot)
        assert past.size.height == 0  # nothing shown before the profile is read
        past.show(SESSIONS, total=40)
        await settle(pilot)
        # The title, a line per session and "… and 34 older".
        assert past.size.height == 1 + len(SESSIONS) + 1
        shown = [
            "".join(segment.text for segment in strip).rstrip()
            for strip in past.render_lines(past.region.reset_offset)
        ]
        assert "sessions, newest first" in shown[0]
        assert shown[1].startswith("27 Nov 2026  Medical massage 60")
        assert shown[-1] == "… and 34 older (s lists every note)"
        past.show((), total=0)
        await settle(pilot)
        assert past.size.height == 2
        assert Text.from_markup("No past sessions.").plain in "".join(
            segment.text for segment in past.render_lines(past.region.reset_offset)[1]
        )
