"""``practice-tui audit`` and the exports it notes (issue 16)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from practice_tui.cli import main as cli_main
from practice_tui.domain import notes
from practice_tui.domain.db import close_database
from tests.conftest import FIXED_NOW
from tests.domain.notes_helpers import at, book, make_client


def main(argv: list[str]) -> int:
    close_database()
    return cli_main(argv, now=FIXED_NOW)


def _story(db_path: Path) -> int:
    ann = make_client("Ann", "Lee")
    make_client("Bob", "Ray")
    note = notes.sign_note(book(ann, at(1, 9)), {"subjective": "private"}, now=FIXED_NOW)
    return note.id


def test_audit_prints_the_trail_by_client(db_path: Path, capsys) -> None:
    _story(db_path)
    assert main(["audit", "--db", str(db_path), "--client", "Ann Lee"]) == 0
    out = capsys.readouterr().out
    assert "client 1 · Ann Lee · created" in out and "note 1 · Ann Lee · signed" in out
    assert "Bob" not in out and "private" not in out
    assert main(["audit", "--db", str(db_path), "--from", "no such day"]) == 2


def test_backups_and_calendar_exports_are_noted(db_path: Path, tmp_path: Path, capsys) -> None:
    _story(db_path)
    assert main(["backup", "--db", str(db_path), str(tmp_path / "copy.db")]) == 0
    assert main(["export", "ics", "--db", str(db_path), str(tmp_path / "cal.ics")]) == 0
    capsys.readouterr()
    assert main(["audit", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "export · exported (backup)" in out
    assert "export · exported (calendar: 1)" in out


def test_verify_says_intact_or_names_the_change(db_path: Path, capsys) -> None:
    note_id = _story(db_path)
    assert main(["audit", "--db", str(db_path), "--verify"]) == 0
    assert "the trail is intact" in capsys.readouterr().out
    close_database()
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER session_note_signed_no_update")
    conn.execute(f"UPDATE session_note SET objective = 'x' WHERE id = {note_id}")
    conn.commit()
    conn.close()
    assert main(["audit", "--db", str(db_path), "--verify"]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM: note 1 (Ann Lee, 26 Nov 2026) changed outside the app: fields objective." in (
        out
    )
    assert "session_note_signed_no_update" in out
