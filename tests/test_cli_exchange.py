"""The command line's data in and out: export/import, agenda --json, restore."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest

from practice_tui.cli import main as cli_main
from practice_tui.domain.db import close_database
from tests.conftest import FIXED_NOW


def main(argv):
    return cli_main(argv, now=FIXED_NOW)


def _code(argv) -> int:
    try:
        return main(argv)
    except SystemExit as exit:
        return int(exit.code or 0)


def test_agenda_json_lists_the_days_appointments(demo_path: Path, capsys) -> None:
    close_database()
    assert main(["agenda", "--json", "--db", str(demo_path)]) == 0
    items = json.loads(capsys.readouterr().out)
    assert items and {"start", "end", "client", "service", "status", "marks"} <= set(items[0])
    assert all(i["start"].startswith("2026-11-27T") for i in items)
    assert any("precaution" in i["marks"] for i in items)


def test_agenda_days_prints_each_day(demo_path: Path, capsys) -> None:
    close_database()
    assert main(["--db", str(demo_path), "agenda", "2026-11-27", "--days", "3", "--json"]) == 0
    days = {i["start"][:10] for i in json.loads(capsys.readouterr().out)}
    assert days <= {"2026-11-27", "2026-11-28", "2026-11-29"} and len(days) >= 2
    assert main(["agenda", "--days", "2", "--db", str(demo_path)]) == 0
    out = capsys.readouterr().out
    assert "Friday 27 November 2026" in out and "Saturday 28 November 2026" in out


def test_export_ics_to_stdout_and_file(demo_path: Path, tmp_path: Path, capsysbinary) -> None:
    close_database()
    assert main(["export", "ics", "-", "--from", "2026-11-27", "--to", "2026-11-27",
                 "--db", str(demo_path)]) == 0  # fmt: skip
    calendar = icalendar.Calendar.from_ical(capsysbinary.readouterr().out)
    assert len(calendar.walk("VEVENT")) >= 3
    target = tmp_path / "out.ics"
    assert main(["--db", str(demo_path), "export", "ics", str(target), "--initials"]) == 0
    assert b"SUMMARY:" in target.read_bytes()


@pytest.mark.parametrize(
    "argv",
    [["export", "ics"], ["export", "ics", "x.ics", "--from", "feb 30"],
     ["export", "ics", "-", "--keep-updated"], ["export"], ["import", "ics"],
     ["agenda", "--days", "x"]],
)  # fmt: skip
def test_bad_arguments_are_one_line_and_status_2(argv, tmp_path: Path, capsys) -> None:
    assert _code([*argv, "--db", str(tmp_path / "x.db")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("practice-tui: ") and "\n" not in err


def test_import_of_a_file_that_is_not_a_calendar(db_path: Path, tmp_path: Path, capsys) -> None:
    close_database()
    junk = tmp_path / "notes.txt"
    junk.write_text("shopping list\n")
    assert main(["import", "ics", str(junk), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert "not an iCalendar file" in err and "\n" not in err


def test_import_clients_check_then_import(db_path: Path, tmp_path: Path, capsys) -> None:
    close_database()
    sheet = tmp_path / "clients.csv"
    sheet.write_text("First Name,Last Name,DOB\nAda,Lovelace,1985-12-10\nBob,,31/02/1990\n")
    assert main(["import", "clients", str(sheet), "--check", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "would add 1 client" in out and "line 3" in out and "nothing was written" in out
    assert main(["import", "clients", str(sheet), "--db", str(db_path)]) == 0
    assert "added 1 client" in capsys.readouterr().out


def test_export_csv_writes_the_files(demo_path: Path, tmp_path: Path, capsys) -> None:
    close_database()
    assert main(["export", "csv", str(tmp_path / "csv"), "--db", str(demo_path)]) == 0
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "appointments.csv", "clients.csv", "note_amendments.csv", "notes.csv"
    ]  # fmt: skip
