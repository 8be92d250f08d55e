"""The forms under stress: a record changed elsewhere, a full disk."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from textual.widgets import Input, TextArea

from practice_tui.domain.clients import get_client
from practice_tui.domain.db import database
from practice_tui.domain.models import SessionNote
from practice_tui.ui.app import make_app
from practice_tui.ui.dialogs.client_form import ClientFormDialog
from practice_tui.ui.dialogs.stale_record import StaleRecordDialog
from practice_tui.ui.screens.note_editor import NoteEditorScreen
from tests.conftest import fixed_clock
from tests.domain.notes_helpers import at, book, make_client


async def settle(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def other_window(path: Path, code: str) -> None:
    script = (
        "import datetime as dt\nfrom practice_tui.domain.db import open_database\n"
        f"open_database({str(path)!r})\n" + code
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


async def test_client_edited_in_another_program_is_kept_and_mine_reapplied(db_path: Path) -> None:
    client = make_client()
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 40)) as pilot:
        app.push_screen(ClientFormDialog(get_client(client)))
        await settle(app, pilot)
        form = app.screen
        other_window(
            db_path,
            "from practice_tui.domain.clients import update_client\n"
            f"update_client({client}, {{'allergies': 'Nut oil', 'phone': '07700 900123'}},"
            " today=dt.date(2026, 11, 27))\n",
        )
        form.query_one("#f-notes", TextArea).text = "Prefers mornings"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, StaleRecordDialog)
        shown = " ".join(str(s.render()) for s in dialog.query("Static"))
        assert "changed in another window" in shown and "Allergies" in shown and "Phone" in shown
        stored = get_client(client)
        assert (stored.allergies, stored.notes) == ("Nut oil", "")  # nothing overwritten
        await pilot.press("r")
        await settle(app, pilot)
        assert app.screen is form
        assert form.query_one("#f-allergies", Input).value == "Nut oil"
        assert form.query_one("#f-phone", Input).value == "07700 900123"
        assert form.query_one("#f-notes", TextArea).text == "Prefers mornings"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        final = get_client(client)
        assert (final.allergies, final.phone, final.notes) == (
            "Nut oil",
            "07700 900123",
            "Prefers mornings",
        )


async def test_one_note_in_two_editors_loses_nothing(db_path: Path) -> None:
    appointment = book(make_client(), at(0, 9))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 40)) as pilot:
        app.open_note_editor(appointment)
        await settle(app, pilot)
        first = app.screen
        assert isinstance(first, NoteEditorScreen)
        first.query_one("#objective", TextArea).text = "Tight QL (first editor)"
        # The same note saved in a second editor meanwhile (another window: one
        # app opens a note once, going back to it when asked again).
        other_window(
            db_path,
            "from practice_tui.domain.notes import save_draft\n"
            f"save_draft({appointment}, {{'subjective': 'Sore after lifting (second)'}},"
            " now=dt.datetime(2026, 11, 27, 11, 20))\n",
        )
        assert app.screen is first
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, StaleRecordDialog)
        row = SessionNote.get(SessionNote.appointment == appointment)
        assert row.subjective == "Sore after lifting (second)" and row.objective == ""
        await pilot.press("r")
        await settle(app, pilot)
        assert first.query_one("#subjective", TextArea).text == "Sore after lifting (second)"
        assert first.query_one("#objective", TextArea).text == "Tight QL (first editor)"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        row = SessionNote.get(SessionNote.appointment == appointment)
        assert (row.subjective, row.objective) == (
            "Sore after lifting (second)",
            "Tight QL (first editor)",
        )


async def test_a_full_disk_keeps_the_note_typed_and_the_app_running(db_path: Path) -> None:
    appointment = book(make_client(), at(0, 9))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 40)) as pilot:
        app.open_note_editor(appointment)
        await settle(app, pilot)
        editor = app.screen
        typed = "Long history. " * 600
        editor.query_one("#subjective", TextArea).text = typed
        # The save runs in a worker thread, on that thread's connection: each
        # write first tells SQLite the file may not grow (SQLite's own "disk is full").
        import practice_tui.domain.db as db_module

        pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
        limit = {"pages": pages}
        real_attempt = db_module._attempt

        def limited(fn, lock, *args, **kwargs):
            database.connect(reuse_if_open=True)
            database.execute_sql(f"PRAGMA max_page_count = {limit['pages']}")
            return real_attempt(fn, lock, *args, **kwargs)

        db_module._attempt = limited
        try:
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            limit["pages"] = 1073741823
            assert app.is_running and app.screen is editor
            messages = [n.message for n in app._notifications]
            assert any(m.startswith("Not saved: the disk is full") for m in messages), messages
            assert editor.query_one("#subjective", TextArea).text == typed
            assert SessionNote.get_or_none(SessionNote.appointment == appointment) is None
            await pilot.press("ctrl+s")  # room again: saved
            await settle(app, pilot)
        finally:
            db_module._attempt = real_attempt
        assert SessionNote.get(SessionNote.appointment == appointment).subjective == typed.strip()


async def test_the_note_editor_keeps_a_draft_by_itself(db_path: Path) -> None:
    """Typing saves a draft after a few seconds (here: at once), and so does
    leaving a field; nothing is said, and nothing is left unsaved."""
    appointment = book(make_client(), at(0, 9))
    app = make_app(db_path, clock=fixed_clock, autosave_delay=0.0)
    async with app.run_test(size=(100, 40)) as pilot:
        app.open_note_editor(appointment)
        await settle(app, pilot)
        editor = app.screen
        editor.query_one("#subjective", TextArea).focus()
        await pilot.press(*"Sore")
        await settle(app, pilot)
        assert SessionNote.get(SessionNote.appointment == appointment).subjective == "Sore"
        editor.query_one("#objective", TextArea).focus()
        await pilot.press(*"Tight")
        await pilot.press("tab")  # leaving the field keeps it too
        await settle(app, pilot)
        row = SessionNote.get(SessionNote.appointment == appointment)
        assert (row.subjective, row.objective, row.signed_at) == ("Sore", "Tight", None)
        assert not editor.dirty
        assert "Draft saved." not in [n.message for n in app._notifications]
        # A form with a mistake is not kept until it is right.
        pain = editor.query_one("#pain_before", Input)
        pain.focus()
        pain.value = "7/10"
        await pilot.press("tab")
        await settle(app, pilot)
        assert SessionNote.get(SessionNote.appointment == appointment).pain_before is None
