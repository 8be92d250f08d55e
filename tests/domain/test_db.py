"""Opening the practice file: creation, pragmas, versions, refusals."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest

from practice_tui.domain import migrations
from practice_tui.domain.db import (
    APPLICATION_ID,
    close_database,
    database,
    open_database,
)
from practice_tui.domain.errors import DatabaseError
from practice_tui.domain.migrations import SCHEMA_VERSION
from practice_tui.domain.settings import ensure_practice, get_practice
from practice_tui.paths import ENV_VAR, default_db_path, resolve_db_path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_is_private_and_carries_its_version(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "practice.db"
    open_database(path)
    ensure_practice()
    close_database()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_connection_pragmas(db_path: Path) -> None:
    db = database.obj
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_keeps_records(db_path: Path) -> None:
    close_database()
    open_database(db_path)
    assert get_practice().name == "Test practice"


def _make_newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()


def test_newer_file_is_refused_and_left_byte_for_byte(db_path: Path) -> None:
    close_database()
    _make_newer(db_path)
    before = digest(db_path)
    with pytest.raises(DatabaseError, match="newer version"):
        open_database(db_path)
    assert digest(db_path) == before


def test_newer_file_in_rollback_journal_mode_is_not_switched_to_wal(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (y)")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseError, match="newer version"):
        open_database(path)
    assert digest(path) == before
    assert not (tmp_path / "newer.db-wal").exists()


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE photos (id)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseError, match="another program"):
        open_database(path)
    assert digest(path) == before


def test_corrupt_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not a database at all" * 100)
    before = digest(path)
    with pytest.raises(DatabaseError, match="not a practice file or is damaged"):
        open_database(path)
    assert digest(path) == before


def test_read_only_file_opens_read_only_and_refuses_saving(db_path: Path, monkeypatch) -> None:
    """Permissions do not bind root, so the check itself is made to answer no."""
    import practice_tui.domain.db as db_module
    from practice_tui.domain.db import is_readonly
    from practice_tui.domain.errors import WriteFailedError
    from practice_tui.domain.settings import update_practice

    close_database()
    before = digest(db_path)
    monkeypatch.setattr(db_module.os, "access", lambda path, mode: False)
    open_database(db_path)
    assert is_readonly()
    assert get_practice().name == "Test practice"
    with pytest.raises(WriteFailedError, match="read-only"):
        update_practice(name="Renamed")
    close_database()
    assert digest(db_path) == before


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="folder"):
        open_database(tmp_path)


def test_older_file_is_backed_up_then_migrated(db_path: Path, monkeypatch) -> None:
    """A made-up step 2 stands for a future schema change."""
    close_database()
    ran = []

    class StepTwo:
        DESCRIPTION = "test step"

        @staticmethod
        def up(db) -> None:
            ran.append(True)
            db.execute_sql("CREATE TABLE later_addition (id INTEGER PRIMARY KEY)")

    monkeypatch.setattr(migrations, "STEPS", (*migrations.STEPS, StepTwo))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    open_database(db_path)
    close_database()
    assert ran == [True]
    backups = list(db_path.parent.glob(f"practice.db.v{SCHEMA_VERSION}-*.bak"))
    assert len(backups) == 1
    conn = sqlite3.connect(backups[0])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    conn.close()


def test_busy_file_gives_a_clear_message(db_path: Path) -> None:
    import practice_tui.domain.db as db_module
    from practice_tui.domain.settings import update_practice

    other = sqlite3.connect(db_path, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    db_module.BUSY_PATIENCE_SECONDS = 0.3
    try:
        database.obj.execute_sql("PRAGMA busy_timeout = 50")
        with pytest.raises(DatabaseError, match="busy"):
            update_practice(name="Renamed")
    finally:
        other.rollback()
        other.close()
        database.obj.execute_sql("PRAGMA busy_timeout = 5000")
        db_module.BUSY_PATIENCE_SECONDS = 10.0
    assert get_practice().name == "Test practice"


def test_path_resolution(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert resolve_db_path(None) == default_db_path()
    assert default_db_path().parts[-2:] == ("practice-tui", "practice.db")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.db"))
    assert resolve_db_path(None) == tmp_path / "env.db"
    assert resolve_db_path(str(tmp_path / "cli.db")) == tmp_path / "cli.db"


def test_commits_counts_each_outermost_write_that_was_saved(db_path: Path) -> None:
    """What a screen checks before reusing an answer it kept (Today's count of
    notes owed): a saved write moves it by one, a nested write counts with the
    one around it, and reads and refused writes leave it alone."""
    from practice_tui.domain.clients import create_client
    from practice_tui.domain.db import commits, reads, writes
    from practice_tui.domain.errors import ValidationError
    from tests.conftest import FIXED_TODAY

    def add(name: str) -> None:
        create_client({"first_name": name, "last_name": "Test"}, today=FIXED_TODAY)

    @writes
    def add_two() -> None:
        add("One")
        add("Two")

    @reads
    def look() -> str:
        return get_practice().name

    before = commits()
    add("Ann")
    assert commits() == before + 1
    add_two()
    assert commits() == before + 2
    look()
    with pytest.raises(ValidationError):
        add("")
    assert commits() == before + 2
