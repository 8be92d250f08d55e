"""The command line: agenda, locate, backup, version, bad arguments."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from practice_tui import __version__
from practice_tui.cli import main as cli_main
from practice_tui.domain.clients import create_client
from practice_tui.domain.db import close_database
from practice_tui.domain.migrations import SCHEMA_VERSION
from practice_tui.domain.models import Client
from practice_tui.domain.schedule import book_appointment
from practice_tui.domain.settings import list_services
from tests.conftest import FIXED_NOW, FIXED_TODAY, freeze_the_wall_clock


def main(argv, now=FIXED_NOW):
    """The command line with its clock pinned to FIXED_NOW."""
    return cli_main(argv, now=now)


def test_version(capsys) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"practice-tui {__version__}"


def test_help_names_the_commands(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for word in ("agenda", "locate", "backup", "--demo", "--db"):
        assert word in out


@pytest.mark.parametrize(
    "argv", [["bogus"], ["--no-such-flag"], ["agenda", "--db"], ["agenda", "feb", "30"]]
)
def test_bad_argument_is_one_line_and_status_2(argv, capsys, tmp_path) -> None:
    try:
        code = main([*argv, *(["--db", str(tmp_path / "x.db")] if argv[-1] != "--db" else [])])
    except SystemExit as exit:
        code = exit.code
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("practice-tui: ") and "\n" not in err
    assert "Traceback" not in err


def test_agenda_prints_the_day(demo_path: Path, capsys) -> None:
    close_database()
    assert main(["agenda", "--db", str(demo_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Friday 27 November 2026")
    appointments = lines[1:]
    assert 5 <= len(appointments) <= 7
    assert all(line[:11].count(":") == 2 and "–" in line[:11] for line in appointments)
    assert any("★ first visit" in line for line in appointments)
    assert any("⚠" in line for line in appointments)
    assert any("completed" in line for line in appointments)


def test_db_works_before_or_after_the_subcommand(demo_path: Path, capsys) -> None:
    close_database()
    assert main(["--db", str(demo_path), "agenda", "mon"]) == 0
    first = capsys.readouterr().out
    assert main(["agenda", "mon", "--db", str(demo_path)]) == 0
    assert capsys.readouterr().out == first
    assert first.startswith("Monday 30 November 2026")


def test_empty_day_says_so(db_path: Path, capsys) -> None:
    close_database()
    assert main(["agenda", "2026-12-06", "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "No appointments"


def test_agenda_shows_names_literally(db_path: Path, capsys) -> None:
    client = create_client({"first_name": "[bold]Ann[/]", "last_name": "Lee"}, today=FIXED_TODAY)
    # Names refuse control characters when typed; another program can still store one.
    Client.update(last_name="Lee\x1b[31m").where(Client.id == client.id).execute()
    service = list_services()[0]
    book_appointment(client.id, service.id, FIXED_NOW.replace(hour=14, minute=0))
    close_database()
    assert main(["agenda", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "[bold]Ann[/] Lee␛[31m" in out
    assert "\x1b" not in out


def test_agenda_on_a_missing_file(tmp_path: Path, capsys) -> None:
    assert main(["agenda", "--db", str(tmp_path / "none.db")]) == 1
    assert "no practice file" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


def test_newer_file_is_refused_with_one_line(db_path: Path, capsys) -> None:
    close_database()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    assert main(["agenda", "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "newer version" in err and err.count("\n") == 1
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before


def test_locate(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PRACTICE_TUI_DB", str(tmp_path / "env.db"))
    assert main(["locate"]) == 0
    out = capsys.readouterr().out
    assert f"practice file: {tmp_path / 'env.db'} (not created yet)" in out
    assert main(["locate", "--db", str(tmp_path / "cli.db")]) == 0
    assert str(tmp_path / "cli.db") in capsys.readouterr().out


def test_backup_copies_a_readable_file(demo_path: Path, tmp_path: Path, capsys) -> None:
    close_database()
    target = tmp_path / "copy.db"
    assert main(["backup", str(target), "--db", str(demo_path)]) == 0
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT count(*) FROM appointment").fetchone()[0] > 100
    conn.close()
    assert main(["backup", str(target), "--db", str(demo_path)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_demo_with_db_refuses_a_file_with_records(demo_path: Path, capsys) -> None:
    close_database()
    before = hashlib.sha256(demo_path.read_bytes()).hexdigest()
    assert main(["--demo", "--db", str(demo_path)]) == 1
    assert "already holds records" in capsys.readouterr().err
    assert hashlib.sha256(demo_path.read_bytes()).hexdigest() == before


def test_demo_with_db_writes_the_demo_then_opens_it(tmp_path: Path, monkeypatch, capsys) -> None:
    import practice_tui.cli as cli

    opened = []
    monkeypatch.setattr(cli, "_run_app", lambda path, now: opened.append(path) or 0)
    target = tmp_path / "kept.db"
    assert main(["--demo", "--db", str(target)]) == 0
    assert opened == [target]
    assert "wrote the demo practice" in capsys.readouterr().out
    close_database()
    assert main(["agenda", str(FIXED_TODAY), "--db", str(target)]) == 0


def test_settings_prints_what_was_chosen(db_path, capsys) -> None:
    import datetime as dt

    from practice_tui.domain.availability import add_time_off
    from practice_tui.domain.settings import (
        add_service,
        read_week,
        set_service_active,
        set_week,
        update_practice,
    )

    update_practice(therapist_name="Ana Ruiz", credentials="RMT")
    set_week(read_week([("", "")] + [("10-18", "14:00-14:30")] * 5 + [("", "")]), now=FIXED_NOW)
    add_service("Hot stone 75", 75, 11000)
    set_service_active(next(s.id for s in list_services() if s.name == "Sports massage 60"), False)
    add_time_off(dt.date(2026, 12, 7), dt.date(2026, 12, 11), label="Holiday", now=FIXED_NOW)
    close_database()
    before = hashlib.sha256(db_path.read_bytes()).hexdigest()
    assert main(["settings", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "Ana Ruiz RMT" in out
    assert "Monday      off" in out and "Saturday    10:00–18:00  break 14:00–14:30" in out
    assert "Mon 7 – Fri 11 Dec 2026  Holiday" in out
    assert "Hot stone 75" in out and "$110.00" in out and "Sports massage 60" not in out
    assert "Late-cancel window:     24 h" in out
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == before  # read-only


def test_agenda_marks_do_not_depend_on_the_computers_zone(tmp_path, capsys, monkeypatch) -> None:
    """The practice's clock, not TZ, decides what is past: a session later today
    is not 'note owed' on a laptop set to another zone (in Tokyo it is already
    tomorrow). The moment is fixed, so the test never depends on the hour it
    runs at; only the computer's zone changes."""
    import datetime as dt
    import time

    from practice_tui.domain import clock
    from practice_tui.domain.db import open_database
    from practice_tui.domain.settings import ensure_practice

    #: 11:20 in New York (FIXED_NOW there): 01:20 the next day in Tokyo.
    freeze_the_wall_clock(monkeypatch, dt.datetime(2026, 11, 27, 16, 20, tzinfo=dt.UTC))
    path = tmp_path / "zone.db"
    open_database(path)
    ensure_practice(name="Zone test", timezone="America/New_York")
    now = clock.now_in("America/New_York")
    assert now == FIXED_NOW
    client = create_client({"first_name": "Ann", "last_name": "Lee"}, today=now.date()).id
    sid = list_services()[0].id
    # One session already over and one still ahead, both today in New York.
    book_appointment(client, sid, now - dt.timedelta(minutes=70), minutes=5)
    book_appointment(client, sid, now + dt.timedelta(minutes=40), minutes=5)
    close_database()
    outputs = []
    for zone in ("Asia/Tokyo", "America/Los_Angeles", "UTC"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        assert cli_main(["agenda", "--db", str(path)]) == 0
        outputs.append(capsys.readouterr().out)
        close_database()
    monkeypatch.delenv("TZ")
    time.tzset()
    assert outputs[0] == outputs[1] == outputs[2]
    assert f"{now:%A} {now.day} {now:%B %Y}" in outputs[0]
    past, ahead = (line for line in outputs[0].splitlines() if "Ann Lee" in line)
    assert past.startswith("10:10") and "note owed" in past
    assert ahead.startswith("12:00") and "note owed" not in ahead
