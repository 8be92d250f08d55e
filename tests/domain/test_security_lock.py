"""A signed note's appointment is locked by the database too (issue 16, item 4)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from practice_tui.domain import notes, schedule
from practice_tui.domain.db import close_database, database, open_database
from practice_tui.domain.errors import ConflictError
from practice_tui.domain.filecheck import check_file
from practice_tui.domain.models import Appointment
from practice_tui.domain.settings import list_services
from tests.conftest import FIXED_NOW
from tests.domain.notes_helpers import at, book, make_client


def _signed(db_path: Path) -> int:
    appointment = book(make_client(), at(1, 9))
    notes.sign_note(appointment, {"pain_before": "6", "subjective": "sore"}, now=FIXED_NOW)
    return appointment


CHANGES = (
    "UPDATE appointment SET client_id = client_id + 1 WHERE id = ?",
    "UPDATE appointment SET service_id = service_id + 1 WHERE id = ?",
    "UPDATE appointment SET start = '2026-01-01 09:00:00' WHERE id = ?",
    "UPDATE appointment SET \"end\" = '2030-01-01 09:00:00' WHERE id = ?",
    "UPDATE appointment SET status = 'cancelled' WHERE id = ?",
    "DELETE FROM appointment WHERE id = ?",
)


@pytest.mark.parametrize("sql", CHANGES)
def test_another_program_cannot_change_a_signed_notes_appointment(db_path: Path, sql: str) -> None:
    appointment = _signed(db_path)
    make_client("Other", "Client")  # so client_id + 1 exists
    close_database()
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA foreign_keys = OFF")
    try:
        with pytest.raises(sqlite3.IntegrityError, match="signed note cannot change"):
            raw.execute(sql, (appointment,))
    finally:
        raw.close()
    open_database(db_path)
    row = Appointment.get_by_id(appointment)
    assert row.status == "completed" and row.start == at(1, 9)


def test_an_unsigned_appointment_still_changes_and_money_still_settles(db_path: Path) -> None:
    """The trigger catches signed notes' appointments only (so the test above can fail)."""
    signed = _signed(db_path)
    draft = book(make_client("Ann", "Lee"), at(2, 9))
    notes.save_draft(draft, {"pain_before": "3"}, now=FIXED_NOW)
    database.execute_sql("UPDATE appointment SET status = 'cancelled' WHERE id = ?", (draft,))
    database.execute_sql("UPDATE appointment SET fee_cents = 1234 WHERE id = ?", (signed,))
    database.execute_sql("UPDATE appointment SET booking_note = 'x' WHERE id = ?", (signed,))
    assert Appointment.get_by_id(signed).fee_cents == 1234


def test_the_app_says_why_in_words_not_a_traceback(db_path: Path) -> None:
    appointment = _signed(db_path)
    for call in (
        lambda: schedule.reopen_appointment(appointment, now=FIXED_NOW),
        lambda: schedule.cancel_appointment(appointment, "ill", now=FIXED_NOW),
        lambda: schedule.edit_appointment(appointment, start=at(0, 15)),
        lambda: schedule.mark_no_show(appointment, now=FIXED_NOW),
    ):
        with pytest.raises(ConflictError, match="signed note"):
            call()
    assert schedule.mark_completed(appointment, now=FIXED_NOW).status == "completed"
    # Even a path that skipped the service's check is refused in words by the database.
    with pytest.raises(ConflictError, match="signed note; it can no longer change"):
        other = next(s.id for s in list_services() if s.name != "Medical massage 60")
        _write_directly(appointment, other)


@schedule.writes
def _write_directly(appointment: int, service_id: int) -> None:
    Appointment.update(service=service_id).where(Appointment.id == appointment).execute()


def test_removed_appointment_lock_is_put_back(db_path: Path) -> None:
    appointment = _signed(db_path)
    close_database()
    raw = sqlite3.connect(db_path)
    raw.execute("DROP TRIGGER appointment_signed_no_delete")
    raw.commit()
    raw.close()
    open_database(db_path)
    report = check_file()
    assert "appointment_signed_no_delete" in report.triggers_restored
    with pytest.raises(Exception, match="signed note"):
        database.execute_sql("DELETE FROM appointment WHERE id = ?", (appointment,))
