"""CSV export: one UTF-8 file per table with a header, formulas neutralised,
owner-only files, signed notes and amendments included."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from practice_tui.domain.clients import create_client
from practice_tui.domain.errors import ValidationError
from practice_tui.domain.exchange.tables import cell, export_csv
from practice_tui.domain.models import NoteAmendment, SessionNote
from practice_tui.domain.notes import add_amendment
from tests.conftest import FIXED_NOW, FIXED_TODAY


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("value", "shown"),
    [("=SUM(A1)", "'=SUM(A1)"), ("+1 555", "'+1 555"), ("-2", "'-2"), ("@x", "'@x"),
     ("Maya", "Maya"), (7, 7), (None, ""), (True, "yes")],
)  # fmt: skip
def test_cells_that_look_like_formulas_are_neutralised(value, shown) -> None:
    assert cell(value) == shown


def test_export_writes_every_table(demo_path: Path, tmp_path: Path) -> None:
    create_client(
        {"first_name": '=HYPERLINK("http://x")', "last_name": "Évora", "notes": "@risk"},
        today=FIXED_TODAY,
    )
    signed = SessionNote.select().where(SessionNote.signed_at.is_null(False)).first()
    add_amendment(signed.id, "Left side, not right.", "correction", now=FIXED_NOW)
    result = export_csv(tmp_path / "out")
    names = [f.path.name for f in result.files]
    assert names == ["clients.csv", "appointments.csv", "notes.csv", "note_amendments.csv"]
    for file in result.files:
        assert oct(file.path.stat().st_mode & 0o777) == "0o600"
        assert len(_read(file.path)) == file.rows
    clients = _read(tmp_path / "out" / "clients.csv")
    odd = next(c for c in clients if c["last_name"] == "Évora")
    assert odd["first_name"].startswith("'=") and odd["notes"] == "'@risk"
    notes = _read(tmp_path / "out" / "notes.csv")
    row = next(n for n in notes if n["id"] == str(signed.id))
    assert row["signed_at"] and row["subjective"] == cell(signed.subjective)
    assert row["appointment_id"] == str(signed.appointment_id)
    amendments = _read(tmp_path / "out" / "note_amendments.csv")
    assert [a["text"] for a in amendments] == ["Left side, not right."]
    assert NoteAmendment.select().count() == 1
    appointments = _read(tmp_path / "out" / "appointments.csv")
    assert {a["status"] for a in appointments} >= {"booked", "completed"}


def test_a_file_in_the_way_is_refused(db_path: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("x")
    with pytest.raises(ValidationError, match="is a file"):
        export_csv(blocker)
