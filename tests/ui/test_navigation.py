"""Moving between a profile, the client's notes and a note goes back to what is
open instead of piling screens up; ``escape`` goes back one step at a time;
unsaved text is never thrown away without asking (issue 14)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from practice_tui.domain import notes
from practice_tui.domain.models import SessionNote
from practice_tui.ui.app import PracticeApp, make_app
from practice_tui.ui.dialogs.unsaved_note import UnsavedNoteDialog
from practice_tui.ui.screens.client_notes import ClientNotesScreen
from practice_tui.ui.screens.client_profile import ClientProfileScreen
from practice_tui.ui.screens.note_editor import NoteEditorScreen
from practice_tui.ui.screens.today import TodayScreen
from tests.conftest import FIXED_NOW, fixed_clock
from tests.domain.notes_helpers import at, book, make_client
from tests.ui.test_today_support import settle

#: Rounds of moves: a screen left behind would show as a deeper stack from the
#: second round on; five rounds prove it stays at two.
ROUNDS = 5


def kinds(app: PracticeApp) -> list[str]:
    """The screen stack as names, bottom first."""
    return [type(screen).__name__ for screen in app.screen_stack]


async def press(app: PracticeApp, pilot: Pilot, key: str) -> Screen:
    await pilot.press(key)
    await settle(app, pilot)
    return app.screen


def signed_visit(client: int, days_ago: int = 7) -> int:
    appointment = book(client, at(days_ago, 9))
    notes.sign_note(appointment, {"pain_before": "6", "pain_after": "3"}, now=FIXED_NOW)
    return appointment


async def test_twenty_rounds_of_moves_keep_the_stack_short(db_path: Path) -> None:
    maya = make_client()
    signed_visit(maya)
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.open_client_profile(maya)
        await settle(app, pilot)
        profile = app.screen
        assert isinstance(profile, ClientProfileScreen)
        depths = []
        for _ in range(ROUNDS):
            notes_screen = await press(app, pilot, "s")  # profile → notes
            assert isinstance(notes_screen, ClientNotesScreen)
            assert await press(app, pilot, "p") is profile  # notes → the profile below
            assert await press(app, pilot, "s") is not profile  # and the notes again
            note = await press(app, pilot, "enter")  # notes → a note
            assert isinstance(note, NoteEditorScreen)
            assert isinstance(await press(app, pilot, "h"), ClientNotesScreen)  # note → notes
            assert await press(app, pilot, "p") is profile
            depths.append(len(app.screen_stack))
            assert kinds(app) == ["TodayScreen", "ClientProfileScreen"]
        assert max(depths) == 2


async def test_escape_goes_back_one_step_at_a_time(db_path: Path) -> None:
    maya = make_client()
    signed_visit(maya)
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.open_client_profile(maya)
        await settle(app, pilot)
        await press(app, pilot, "s")
        await press(app, pilot, "enter")
        assert kinds(app) == [
            "TodayScreen",
            "ClientProfileScreen",
            "ClientNotesScreen",
            "NoteEditorScreen",
        ]
        await press(app, pilot, "escape")
        assert kinds(app) == ["TodayScreen", "ClientProfileScreen", "ClientNotesScreen"]
        await press(app, pilot, "escape")
        assert kinds(app) == ["TodayScreen", "ClientProfileScreen"]
        await press(app, pilot, "escape")
        assert kinds(app) == ["TodayScreen"]
        # On the mode's own screen escape has nowhere further to go.
        await press(app, pilot, "escape")
        assert kinds(app) == ["TodayScreen"] and isinstance(app.screen, TodayScreen)


async def test_from_a_note_the_notes_then_the_profile_and_back_the_same_way(
    db_path: Path,
) -> None:
    """A note opened from Today: `h` opens the notes over it, `p` the profile over
    those; `s` on the profile returns to the notes below, `enter` on the same
    note returns to it; escape then leaves to Today."""
    maya = make_client()
    appointment = signed_visit(maya)
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.open_note_editor(appointment)
        await settle(app, pilot)
        editor = app.screen
        notes_screen = await press(app, pilot, "h")
        await press(app, pilot, "p")
        assert kinds(app) == [
            "TodayScreen",
            "NoteEditorScreen",
            "ClientNotesScreen",
            "ClientProfileScreen",
        ]
        assert await press(app, pilot, "s") is notes_screen
        assert await press(app, pilot, "enter") is editor
        assert kinds(app) == ["TodayScreen", "NoteEditorScreen"]
        await press(app, pilot, "escape")
        assert kinds(app) == ["TodayScreen"]


async def test_going_back_past_a_note_with_unsaved_text_asks_first(db_path: Path) -> None:
    maya = make_client()
    signed_visit(maya, days_ago=7)
    draft = book(maya, at(0, 9))
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.open_client_profile(maya)
        await settle(app, pilot)
        notes_screen = await press(app, pilot, "s")
        app.open_note_editor(draft)
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        editor.query_one("#pain_before", Input).value = "7"
        editor.set_focus(None)
        # h returns to the notes below, but asks first; "keep editing" keeps all.
        dialog = await press(app, pilot, "h")
        assert isinstance(dialog, UnsavedNoteDialog)
        await press(app, pilot, "escape")
        assert app.screen is editor
        assert editor.query_one("#pain_before", Input).value == "7"
        assert len(app.screen_stack) == 4
        # "Save draft" saves, then goes on to the notes.
        await press(app, pilot, "h")
        assert await press(app, pilot, "s") is notes_screen
        assert len(app.screen_stack) == 3
        assert SessionNote.get(SessionNote.appointment == draft).pain_before == 7


async def test_a_note_left_open_below_keeps_its_text(db_path: Path) -> None:
    """A draft opened from Today, then its client's notes and profile over it:
    going back to the note finds the text as it was typed."""
    maya = make_client()
    draft = book(maya, at(0, 9))
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.open_note_editor(draft)
        await settle(app, pilot)
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen)
        editor.query_one("#pain_before", Input).value = "5"
        editor.set_focus(None)
        await press(app, pilot, "h")  # the notes open over the note: nothing asked
        assert isinstance(app.screen, ClientNotesScreen)
        await press(app, pilot, "p")
        await press(app, pilot, "escape")
        await press(app, pilot, "escape")
        assert app.screen is editor and editor.dirty
        assert editor.query_one("#pain_before", Input).value == "5"
        # Leaving it now asks; discarding leaves Today alone on the stack.
        assert isinstance(await press(app, pilot, "escape"), UnsavedNoteDialog)
        await press(app, pilot, "d")
        assert kinds(app) == ["TodayScreen"]
