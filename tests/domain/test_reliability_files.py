"""A file another program changed still opens: orphaned rows are listed and
shown as missing, removed lock triggers are put back; midnight is no wall."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from practice_tui.domain.appointments import appointments_between
from practice_tui.domain.db import close_database, database, open_database
from practice_tui.domain.errors import ConflictError
from practice_tui.domain.filecheck import check_file
from practice_tui.domain.models import Appointment, SessionNote
from practice_tui.domain.today import day_view
from tests.conftest import FIXED_NOW, FIXED_TODAY


def _delete_behind_the_apps_back(path: Path, sql: str, *params) -> None:
    """What the sqlite3 tool does: foreign keys are off there by default."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def _client_with_plan_and_signed_note() -> tuple[int, int]:
    row = (
        Appointment.select(Appointment)
        .join(SessionNote, on=(SessionNote.appointment == Appointment.id))
        .where(
            SessionNote.signed_at.is_null(False)
            & Appointment.client.in_(
                Appointment.select(Appointment.client).where(Appointment.plan.is_null(False))
            )
        )
        .first()
    )
    assert row is not None
    return row.client_id, row.id


def test_a_deleted_client_with_a_plan_does_not_stop_the_app(demo_path: Path) -> None:
    from practice_tui.ui.app import make_app

    client_id, appointment_id = _client_with_plan_and_signed_note()
    close_database()
    _delete_behind_the_apps_back(demo_path, "DELETE FROM client WHERE id = ?", client_id)
    open_database(demo_path)
    app = make_app(demo_path, clock=lambda: FIXED_NOW)  # fills plans: no ClientDoesNotExist
    assert any(f"(missing client #{client_id})" in m for m in app.file_messages)
    report = check_file()
    assert report.orphan_count > 0
    assert f"appointment #{appointment_id} (missing client #{client_id})" in " ".join(
        report.orphans
    ) or report.orphan_count > len(report.orphans)
    # The orphaned appointment with its signed note is still listed, as missing.
    signed = Appointment.get_by_id(appointment_id)
    shown = appointments_between(signed.start.date(), signed.start.date(), FIXED_NOW)
    names = {a.id: a.client_name for a in shown}
    assert names[appointment_id] == f"(missing client #{client_id})"
    assert day_view(FIXED_TODAY, now=FIXED_NOW).items is not None


def test_the_agenda_command_shows_the_orphan(demo_path: Path, capsys) -> None:
    from practice_tui.cli import main

    client_id, appointment_id = _client_with_plan_and_signed_note()
    day = Appointment.get_by_id(appointment_id).start.date()
    close_database()
    _delete_behind_the_apps_back(demo_path, "DELETE FROM client WHERE id = ?", client_id)
    assert main(["agenda", str(day), "--db", str(demo_path)], now=FIXED_NOW) == 0
    assert f"(missing client #{client_id})" in capsys.readouterr().out


def test_removed_lock_triggers_are_put_back_and_said_once(db_path: Path) -> None:
    close_database()
    _delete_behind_the_apps_back(db_path, "DROP TRIGGER session_note_signed_no_update")
    open_database(db_path)
    report = check_file()
    assert report.triggers_restored == ("session_note_signed_no_update",)
    assert "put back" in report.messages[0]
    assert check_file().messages == ()  # once: the next look finds nothing
    triggers = {
        r[0] for r in database.execute_sql("SELECT name FROM sqlite_master WHERE type='trigger'")
    }
    assert "session_note_signed_no_update" in triggers


def test_restored_trigger_really_locks_signed_notes(demo_path: Path) -> None:
    close_database()
    _delete_behind_the_apps_back(demo_path, "DROP TRIGGER session_note_signed_no_update")
    open_database(demo_path)
    check_file()
    note = SessionNote.select().where(SessionNote.signed_at.is_null(False)).first()
    from practice_tui.domain.db import writes

    @writes
    def tamper() -> None:
        SessionNote.update(subjective="changed").where(SessionNote.id == note.id).execute()

    with pytest.raises(ConflictError, match="signed"):
        tamper()


def test_read_only_opening_reports_missing_triggers_without_writing(db_path: Path) -> None:
    close_database()
    _delete_behind_the_apps_back(db_path, "DROP TRIGGER note_amendment_no_delete")
    open_database(db_path, readonly=True)
    report = check_file()
    assert report.triggers_missing == ("note_amendment_no_delete",)
    assert "cannot put it back" in report.messages[0]
    close_database()


def test_an_appointment_crossing_midnight_shows_on_both_days(db_path: Path) -> None:
    from practice_tui.domain.clients import create_client
    from practice_tui.domain.settings import list_services

    client = create_client({"first_name": "Night", "last_name": "Owl"}, today=FIXED_TODAY)
    service = list_services()[0]

    from practice_tui.domain.db import writes

    @writes
    def late_booking() -> int:
        return Appointment.create(
            client=client.id,
            service=service.id,
            start=dt.datetime(2026, 11, 27, 23, 30),
            end=dt.datetime(2026, 11, 28, 0, 30),
        ).id

    appointment_id = late_booking()
    friday = {a.id for a in day_view(FIXED_TODAY, now=FIXED_NOW).appointments}
    saturday = {
        a.id for a in day_view(FIXED_TODAY + dt.timedelta(days=1), now=FIXED_NOW).appointments
    }
    assert appointment_id in friday and appointment_id in saturday
    sunday = day_view(FIXED_TODAY + dt.timedelta(days=2), now=FIXED_NOW).appointments
    assert appointment_id not in {a.id for a in sunday}
