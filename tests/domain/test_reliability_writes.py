"""Write failures name their real cause and change nothing; a busy file is
waited for; two programs saving at once both succeed; long saves are short."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import practice_tui.domain.db as db_module
from practice_tui.domain.clients import create_client
from practice_tui.domain.db import close_database, database, open_database, reads
from practice_tui.domain.errors import FileBusyError, WriteFailedError
from practice_tui.domain.settings import ensure_practice, get_practice, update_practice
from tests.conftest import FIXED_NOW, FIXED_TODAY


@reads
def _names() -> list[str]:
    from practice_tui.domain.models import Client

    return [c.first_name for c in Client.select().order_by(Client.id)]


def _client(name: str, notes: str = "") -> dict[str, str]:
    return {"first_name": name, "last_name": "Test", "notes": notes}


def _fill_the_disk() -> None:
    """The file may not grow by a single page: SQLite's own 'disk is full'."""
    pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
    database.execute_sql(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_says_so_and_saves_nothing(db_path: Path) -> None:
    create_client(_client("Before"), today=FIXED_TODAY)
    _fill_the_disk()
    with pytest.raises(WriteFailedError) as caught:
        create_client(_client("Big", "x" * 19_000), today=FIXED_TODAY)
    assert caught.value.cause == "disk-full"
    assert str(caught.value).startswith("Not saved: the disk is full")
    assert "rollback" not in str(caught.value)
    assert _names() == ["Before"]
    # The program carries on: reading works, and so does saving once there is room.
    database.execute_sql("PRAGMA max_page_count = 1073741823")
    create_client(_client("After", "x" * 19_000), today=FIXED_TODAY)
    assert len(_names()) == 2


def test_the_real_cause_is_not_hidden_by_a_failed_rollback() -> None:
    """SQLite rolls back by itself when a commit fails; peewee's rollback then
    raises 'no transaction is active'. The first error is the one that counts."""
    import peewee as pw

    try:
        try:
            raise pw.OperationalError("database or disk is full")
        except pw.OperationalError:
            raise pw.OperationalError("cannot rollback - no transaction is active") from None
    except pw.OperationalError as error:
        error.__context__ = error.__context__ or pw.OperationalError("database or disk is full")
        translated = db_module._translate(db_module._root_cause(error))
    assert isinstance(translated, WriteFailedError) and translated.cause == "disk-full"


def _can_mount() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def tiny_disk(tmp_path: Path):
    mount = tmp_path / "tiny"
    mount.mkdir()
    if (
        not _can_mount()
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True
        ).returncode
    ):
        pytest.skip("needs root to mount a small file system")
    try:
        yield mount
    finally:
        close_database()
        subprocess.run(["umount", str(mount)])


def _fill(folder: Path, leave: int) -> None:
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    with open(folder / "ballast", "wb") as handle:
        handle.write(b"\0" * max(free - leave, 0))


def test_a_really_full_disk_on_commit(tiny_disk: Path) -> None:
    path = tiny_disk / "practice.db"
    open_database(path)
    ensure_practice(name="Tiny")
    create_client(_client("Kept"), today=FIXED_TODAY)
    _fill(tiny_disk, 0)
    for _ in range(3):
        with pytest.raises(WriteFailedError, match="disk is full") as caught:
            create_client(_client("Lost", "y" * 19_000), today=FIXED_TODAY)
        assert "rollback" not in str(caught.value)
    (tiny_disk / "ballast").unlink()
    assert _names() == ["Kept"]
    create_client(_client("Room again"), today=FIXED_TODAY)


def test_backup_on_a_full_disk_removes_the_partial_copy(demo_path: Path, tiny_disk: Path, capsys):
    from practice_tui.cli import main

    close_database()
    _fill(tiny_disk, 16_384)
    target = tiny_disk / "copy.db"
    assert main(["backup", str(target), "--db", str(demo_path)], now=FIXED_NOW) == 1
    err = capsys.readouterr().err
    assert "disk is full" in err and "removed" in err
    assert not target.exists()
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["ballast"]


def test_a_busy_file_is_waited_for(db_path: Path, monkeypatch) -> None:
    """Another program holds the write lock longer than SQLite's own wait: the
    save retries with back-off and succeeds once the lock is let go."""
    database.execute_sql("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(db_path, timeout=0, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    released = threading.Event()
    retried = threading.Event()
    real_sleep = time.sleep

    def sleep_and_note(seconds: float) -> None:
        retried.set()
        real_sleep(seconds)

    monkeypatch.setattr(db_module.time, "sleep", sleep_and_note)

    def let_go() -> None:
        retried.wait(30)
        other.rollback()
        other.close()
        released.set()

    helper = threading.Thread(target=let_go)
    helper.start()
    try:
        update_practice(name="Renamed while busy")
    finally:
        helper.join(30)
        database.execute_sql("PRAGMA busy_timeout = 5000")
    assert released.is_set()
    assert get_practice().name == "Renamed while busy"


def test_a_file_busy_for_too_long_is_said_plainly(db_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(db_module, "BUSY_PATIENCE_SECONDS", 0.2)
    database.execute_sql("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(db_path, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(FileBusyError, match="busy"):
            update_practice(name="Never")
    finally:
        other.rollback()
        other.close()
        database.execute_sql("PRAGMA busy_timeout = 5000")


_WRITER = """
import sys
from practice_tui.domain.db import open_database
from practice_tui.domain.clients import create_client
import datetime as dt
open_database(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
for n in range(int(sys.argv[3])):
    create_client({"first_name": f"{sys.argv[2]}{n}", "last_name": "Racer"},
                  today=dt.date(2026, 11, 27), allow_duplicate=True)
print("done", flush=True)
"""


def test_two_programs_saving_at_once_both_succeed(db_path: Path) -> None:
    close_database()
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(db_path), name, "40"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("A", "B")
    ]
    try:
        for child in children:
            assert child.stdout.readline().strip() == "ready"
        for child in children:  # both start together
            child.stdin.write("go\n")
            child.stdin.flush()
        for child in children:
            out, err = child.communicate(timeout=120)
            assert child.returncode == 0, err
            assert out.strip() == "done"
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
    open_database(db_path)
    names = set(_names())
    assert {f"A{n}" for n in range(40)} <= names
    assert {f"B{n}" for n in range(40)} <= names


def test_a_thousand_session_plan_is_saved_in_a_few_statements(db_path: Path) -> None:
    """Counted, not timed: a 1,000-session plan is checked with one query and
    inserted in bulk (it took 10 s of held write lock when each date was booked
    and checked on its own; now about a quarter of a second on a busy laptop)."""
    import datetime as dt

    from practice_tui.domain import plans
    from practice_tui.domain.models import Appointment
    from practice_tui.domain.settings import list_services

    client = create_client(_client("Long"), today=FIXED_TODAY)
    draft = plans.PlanDraft(
        client_id=client.id,
        service_id=list_services()[0].id,
        first_start=dt.datetime(2026, 11, 30, 7, 0),
        rule="FREQ=DAILY",
        count=1000,
    )
    statements: list[str] = []
    database.connection().set_trace_callback(statements.append)
    try:
        plans.create_plan(draft, now=FIXED_NOW, allow_outside_hours=True, confirm_long=True)
    finally:
        database.connection().set_trace_callback(None)
    assert Appointment.select().where(Appointment.client == client.id).count() == 1000
    assert len(statements) < 60, len(statements)
