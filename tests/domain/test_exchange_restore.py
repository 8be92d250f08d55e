"""Restore: a checked backup replaces the file, the current one is kept aside;
a damaged, foreign or newer backup is refused, and so is a file the app has open."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from practice_tui.cli import main as cli_main
from practice_tui.domain.clients import create_client
from practice_tui.domain.db import backup_to, close_database, database, open_database
from practice_tui.domain.errors import DatabaseError
from practice_tui.domain.exchange.restore import app_running, restore_backup
from practice_tui.domain.models import Client
from tests.conftest import FIXED_NOW, FIXED_TODAY


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def backup(demo_path: Path, tmp_path: Path) -> Path:
    """Yesterday's backup of the demo; since then a client was added and the app closed."""
    target = tmp_path / "backups" / "yesterday.db"
    target.parent.mkdir()  # a backup never creates its folder
    backup_to(database.obj, target)
    create_client({"first_name": "Added", "last_name": "Since"}, today=FIXED_TODAY)
    close_database()
    return target


def test_restore_puts_the_backup_in_place_and_keeps_the_current_file(
    backup: Path, demo_path: Path
) -> None:
    done = restore_backup(backup, demo_path, now=FIXED_NOW)
    assert done.kept_aside is not None and done.kept_aside.exists()
    assert done.kept_aside.name == "demo-before-restore-20261127-112000.db"
    assert not Path(str(demo_path) + "-wal").exists()
    open_database(demo_path)
    assert not Client.select().where(Client.first_name == "Added").exists()
    close_database()
    open_database(done.kept_aside)  # the file set aside is whole, last change included
    assert Client.select().where(Client.first_name == "Added").exists()
    close_database()
    assert oct(demo_path.stat().st_mode & 0o777) == "0o600"


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 2, min(len(data), page * 6), 7):
        data[offset] = 0x5A
    path.write_bytes(bytes(data))


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()


def _newer(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [(_damage, "damaged"), (_foreign, "another program"), (_newer, "newer version")],
)
def test_a_bad_backup_is_refused_and_nothing_changes(
    backup: Path, demo_path: Path, tmp_path: Path, spoil, message: str
) -> None:
    if spoil is _foreign:
        backup = tmp_path / "recipes.db"
    spoil(backup)
    before = _digest(demo_path)
    with pytest.raises(DatabaseError, match=message):
        restore_backup(backup, demo_path, now=FIXED_NOW)
    assert _digest(demo_path) == before
    assert not list(demo_path.parent.glob("*before-restore*"))


def test_refused_while_the_app_has_the_file_open(backup: Path, demo_path: Path) -> None:
    before = _digest(demo_path)
    with app_running(demo_path):
        with pytest.raises(DatabaseError, match="Quit the app"):
            restore_backup(backup, demo_path, now=FIXED_NOW)
    assert _digest(demo_path) == before
    restore_backup(backup, demo_path, now=FIXED_NOW)  # once the app is gone, it works


def test_restore_from_the_command_line(backup: Path, demo_path: Path, capsys) -> None:
    assert cli_main(["restore", str(backup), "--db", str(demo_path)], now=FIXED_NOW) == 0
    out = capsys.readouterr().out
    assert "kept the current practice file as" in out and f"restored {backup}" in out
    missing = demo_path.parent / "nope.db"
    assert cli_main(["restore", str(missing), "--db", str(demo_path)], now=FIXED_NOW) == 1
    assert "There is no backup" in capsys.readouterr().err
