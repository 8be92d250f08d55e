"""Files written by the app are owner-only (issue 16, item 5): every kind of
file, whatever the umask; folders it makes are 0700. Exports and errors hold
no clinical text that was not asked for."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from practice_tui.cli import main as cli_main
from practice_tui.domain import notes
from practice_tui.domain.db import close_database
from tests.conftest import FIXED_NOW, FIXED_TODAY
from tests.domain.notes_helpers import at, book, make_client


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask (files 0644 unless the app says otherwise)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _client_with_history() -> int:
    ann = make_client("Ann", "Lee")
    appointment = book(ann, at(3, 9))
    notes.sign_note(
        appointment, {"pain_before": "6", "subjective": "SECRET-SUBJECTIVE"}, now=FIXED_NOW
    )
    from practice_tui.domain.schedule import edit_appointment

    edit_appointment(book(ann, at(-3, 10)), booking_note="SECRET-BOOKING-NOTE")
    return ann


def test_every_kind_of_file_written_is_owner_only(
    db_path: Path, tmp_path: Path, open_umask: None
) -> None:
    from practice_tui.domain.documents.progress import make_progress_report
    from practice_tui.domain.documents.record import export_client, export_record_files
    from practice_tui.domain.exchange import sync
    from practice_tui.domain.exchange.tables import export_csv
    from practice_tui.domain.payments import record_payment
    from practice_tui.domain.receipts import issue_payment_receipt, receipt_pdf
    from practice_tui.domain.superbill import superbill, superbill_pdf

    ann = _client_with_history()
    out = tmp_path / "out"
    written: list[Path] = []
    report = make_progress_report(
        ann, FIXED_TODAY - dt.timedelta(days=30), FIXED_TODAY, "s", "r", out / "reports",
        now=FIXED_NOW,
    )  # fmt: skip
    written += [report.pdf, report.markdown]
    written += export_client(
        ann, now=FIXED_NOW, pdf=tmp_path / "a.pdf", json_path=tmp_path / "a.json"
    )
    written += export_record_files(ann, out / "records", now=FIXED_NOW)
    written += [f.path for f in export_csv(out / "csv").files]
    paid = record_payment(ann, "10", "cash", received_on=FIXED_TODAY, today=FIXED_TODAY)
    written.append(receipt_pdf(issue_payment_receipt(paid.id, now=FIXED_NOW), out / "r" / "r.pdf"))
    written.append(
        superbill_pdf(
            superbill(ann, FIXED_TODAY - dt.timedelta(days=30), FIXED_TODAY), out / "s.pdf"
        )
    )
    sync.keep_calendar_updated(out / "kept.ics")
    written.append(out / "kept.ics")
    close_database()
    assert cli_main(["backup", "--db", str(db_path), str(out / "copy.db")], now=FIXED_NOW) == 0
    assert cli_main(["export", "ics", "--db", str(db_path), str(out / "c.ics")], now=FIXED_NOW) == 0
    written += [out / "copy.db", out / "c.ics", db_path]
    assert len(written) >= 14
    for path in written:
        assert path.exists() and mode(path) == 0o600, (path, oct(mode(path)))
    for folder in (out / "reports", out / "records", out / "csv", out / "r"):
        assert mode(folder) == 0o700, folder


def test_an_account_screens_text_receipt_is_owner_only(tmp_path: Path, open_umask: None) -> None:
    from practice_tui.domain.files import private_folder, replace_private, write_private

    replace_private(tmp_path / "kept" / "r.txt", "receipt")
    write_private(tmp_path / "new.csv", "a,b")
    assert mode(tmp_path / "kept" / "r.txt") == 0o600 == mode(tmp_path / "new.csv")
    assert mode(tmp_path / "kept") == 0o700
    assert mode(private_folder(tmp_path / "x" / "y")) == 0o700


def test_calendar_exports_hold_no_clinical_detail(db_path: Path) -> None:
    from practice_tui.domain.exchange.ics import export_ics

    _client_with_history()
    named = export_ics().data.decode()
    assert "Ann Lee" in named  # names only when not asked for initials
    assert "SECRET" not in named
    initials = export_ics(only_initials=True).data.decode()
    assert "Ann" not in initials and "Lee" not in initials and "SECRET" not in initials


def test_refusals_and_crashes_never_print_clinical_text(db_path: Path) -> None:
    import sqlite3

    from rich.console import Console

    from practice_tui.domain.errors import PracticeError
    from practice_tui.domain.models import SessionNote

    _client_with_history()
    note = SessionNote.select().first()
    with pytest.raises(PracticeError) as caught:
        notes.save_draft(note.appointment_id, {"subjective": "SECRET-NEW"}, now=FIXED_NOW)
    assert "SECRET" not in str(caught.value)
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError) as raw:
        conn.execute("UPDATE session_note SET subjective = 'SECRET-X' WHERE id = ?", (note.id,))
    conn.close()
    assert "SECRET" not in str(raw.value)
    # The app's crash report shows no local variables (Textual's default would).
    from practice_tui.ui.app import PracticeApp

    app = PracticeApp(db_path)
    secret = note.subjective  # noqa: F841  (a local holding clinical text)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        app._fatal_error()
    console = Console(record=True, width=100)
    for renderable in app._exit_renderables:
        console.print(renderable)
    text = console.export_text()
    assert "boom" in text and "SECRET" not in text
