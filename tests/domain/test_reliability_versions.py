"""No lost updates: a save from a form whose record changed since it was read
is refused with what happened and when; proven with a second program."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from practice_tui.domain.appointments import get_appointment
from practice_tui.domain.clients import create_client, get_client, update_client
from practice_tui.domain.errors import StaleRecordError
from practice_tui.domain.notes import get_note, save_draft, sign_note
from practice_tui.domain.schedule import edit_appointment, move_appointment
from tests.conftest import FIXED_NOW, FIXED_TODAY
from tests.domain.notes_helpers import at, book, make_client


def other_program(path: Path, code: str) -> None:
    """Run ``code`` in another process on the same file (another window)."""
    script = (
        "import datetime as dt\n"
        "from practice_tui.domain.db import open_database\n"
        f"open_database({str(path)!r})\n" + code
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_client_changed_in_another_program_is_not_overwritten(db_path: Path) -> None:
    record = create_client({"first_name": "Maya", "last_name": "Thompson"}, today=FIXED_TODAY)
    opened = get_client(record.id)  # the form reads the record
    other_program(
        db_path,
        "from practice_tui.domain.clients import update_client\n"
        f"update_client({record.id}, {{'allergies': 'Nut oil', 'phone': '07700 900123'}},"
        " today=dt.date(2026, 11, 27))\n",
    )
    with pytest.raises(StaleRecordError, match="changed in another window") as caught:
        update_client(
            record.id,
            {"notes": "Prefers mornings"},
            today=FIXED_TODAY,
            expected_version=opened.version,
        )
    assert caught.value.changed_at is not None
    now = get_client(record.id)
    assert (now.allergies, now.phone, now.notes) == ("Nut oil", "07700 900123", "")
    # Re-read, re-applied: saved, and both changes are there.
    update_client(
        record.id, {"notes": "Prefers mornings"}, today=FIXED_TODAY, expected_version=now.version
    )
    final = get_client(record.id)
    assert (final.allergies, final.notes) == ("Nut oil", "Prefers mornings")
    assert final.version > now.version


def test_appointment_moved_elsewhere_is_not_reverted(db_path: Path) -> None:
    appointment = book(make_client(), at(-3, 9))
    opened = get_appointment(appointment)
    other_program(
        db_path,
        "from practice_tui.domain.schedule import move_appointment\n"
        f"move_appointment({appointment}, dt.datetime(2026, 12, 1, 14, 0))\n",
    )
    with pytest.raises(StaleRecordError, match="appointment was changed"):
        edit_appointment(
            appointment, booking_note="Bring referral", expected_version=opened.version
        )
    with pytest.raises(StaleRecordError):
        move_appointment(appointment, at(-3, 11), expected_version=opened.version)
    assert get_appointment(appointment).start.hour == 14


def test_draft_note_saved_elsewhere_is_not_overwritten(db_path: Path) -> None:
    appointment = book(make_client(), at(0, 9))
    opened = get_note(appointment)
    assert opened.version == 0  # nothing saved yet
    other_program(
        db_path,
        "from practice_tui.domain.notes import save_draft\n"
        f"save_draft({appointment}, {{'subjective': 'Theirs S', 'objective': 'Theirs O'}},"
        " now=dt.datetime(2026, 11, 27, 11, 20))\n",
    )
    mine = {"subjective": "Mine"}
    with pytest.raises(StaleRecordError, match="note was created"):
        save_draft(appointment, mine, now=FIXED_NOW, expected_version=opened.version)
    with pytest.raises(StaleRecordError):
        sign_note(appointment, mine, now=FIXED_NOW, expected_version=opened.version)
    stored = get_note(appointment)
    assert stored.content.subjective == "Theirs S" and not stored.signed
    second = save_draft(appointment, mine, now=FIXED_NOW, expected_version=stored.version)
    assert second.version == stored.version + 1
    with pytest.raises(StaleRecordError, match="note was changed"):
        save_draft(appointment, {"subjective": "x"}, now=FIXED_NOW, expected_version=stored.version)


def test_versions_move_whoever_writes_and_signing_still_works(db_path: Path) -> None:
    import sqlite3

    from practice_tui.domain.db import close_database, open_database

    record = create_client({"first_name": "Ann", "last_name": "Lee"}, today=FIXED_TODAY)
    close_database()
    conn = sqlite3.connect(db_path)  # the sqlite3 tool, knowing nothing of versions
    conn.execute("UPDATE client SET phone = '1' WHERE id = ?", (record.id,))
    conn.commit()
    conn.close()
    open_database(db_path)
    assert get_client(record.id).version == record.version + 1
    appointment = book(record.id, at(0, 9))
    draft = save_draft(appointment, {"subjective": "Fine"}, now=FIXED_NOW)
    signed = sign_note(
        appointment, {"subjective": "Fine"}, now=FIXED_NOW, expected_version=draft.version
    )
    assert signed.signed
