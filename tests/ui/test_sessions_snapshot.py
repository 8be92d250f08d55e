"""Pictures of the note editor and the Sessions list on the demo practice at the fixed time."""

from __future__ import annotations

from practice_tui.domain.notes import notes_owed
from practice_tui.ui.app import make_app
from tests.conftest import FIXED_NOW, fixed_clock
from tests.ui.helpers import settle


def _first_owed() -> int:
    """The oldest note owed in the demo practice (the demo is built from a fixed seed)."""
    return notes_owed(FIXED_NOW)[0].id


async def _open_and_copy_forward(pilot) -> None:
    app = pilot.app
    app.open_note_editor(_first_owed())
    await settle(pilot)
    await pilot.press("6", "tab", "3", "ctrl+d")
    await settle(pilot)
    app.clear_notifications()
    await settle(pilot)


def test_note_editor_after_copy_forward(snap_compare, demo_path) -> None:
    assert snap_compare(
        make_app(demo_path, clock=fixed_clock),
        terminal_size=(100, 30),
        run_before=_open_and_copy_forward,
    )


def test_note_editor_at_80x24(snap_compare, demo_path) -> None:
    assert snap_compare(
        make_app(demo_path, clock=fixed_clock),
        terminal_size=(80, 24),
        run_before=_open_and_copy_forward,
    )


async def _sessions(pilot) -> None:
    await pilot.press("3")
    await settle(pilot)


def test_sessions_list(snap_compare, demo_path) -> None:
    assert snap_compare(
        make_app(demo_path, clock=fixed_clock), terminal_size=(100, 30), run_before=_sessions
    )
