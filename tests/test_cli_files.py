"""Files that are not quite right, read-only commands that never write, and the
small command-line promises (closed pipes, backup names, the demo's folder)."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from practice_tui.cli import main as cli_main
from practice_tui.domain.db import APPLICATION_ID, close_database, open_database
from practice_tui.domain.errors import DatabaseError, EmptyFileError
from practice_tui.domain.migrations import SCHEMA_VERSION
from tests.conftest import FIXED_NOW


def main(argv, now=FIXED_NOW):
    return cli_main(argv, now=now)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def beside(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


@pytest.fixture
def closed_demo(demo_path: Path) -> Path:
    """The demo practice, closed by this process (no connection left open)."""
    close_database()
    open_database(demo_path).close()
    close_database()
    assert not demo_path.with_name("demo.db-wal").exists()
    return demo_path


def test_agenda_creates_no_file_and_changes_nothing(closed_demo: Path, capsys) -> None:
    before, files = digest(closed_demo), beside(closed_demo)
    assert main(["agenda", "--db", str(closed_demo)]) == 0
    assert "Riverside" in capsys.readouterr().out
    assert beside(closed_demo) == files
    assert digest(closed_demo) == before


@pytest.mark.parametrize("command", [["agenda"], ["backup"]])
def test_read_only_commands_work_while_another_window_holds_the_write_lock(
    closed_demo: Path, command, capsys, monkeypatch
) -> None:
    import practice_tui.domain.audit as audit_module
    import practice_tui.domain.db as db_module

    monkeypatch.setattr(db_module, "BUSY_PATIENCE_SECONDS", 0.0)
    # Noting the export in the trail gives up at once rather than after a second.
    monkeypatch.setattr(audit_module, "EXPORT_NOTE_PATIENCE_MS", 0)
    writer = sqlite3.connect(closed_demo, timeout=0)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE practice SET name = 'Being renamed'")
    try:
        assert main([*command, "--db", str(closed_demo)]) == 0, capsys.readouterr().err
    finally:
        writer.rollback()
        writer.close()


def test_empty_file_is_refused_and_left_alone(tmp_path: Path, capsys) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    assert main(["agenda", "--db", str(path)]) == 1
    assert "empty (0 bytes): there is no practice in this file" in capsys.readouterr().err
    assert main(["--db", str(path)]) == 1  # not a terminal: nobody to ask
    assert "no practice in this file" in capsys.readouterr().err
    assert path.stat().st_size == 0
    assert beside(path) == {"empty.db"}


def test_empty_file_becomes_a_practice_only_when_allowed(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(EmptyFileError):
        open_database(path)
    open_database(path, allow_empty=True)
    close_database()
    assert path.stat().st_size > 0


def test_orphan_journal_without_its_file_is_refused_naming_it(tmp_path: Path, capsys) -> None:
    wal = tmp_path / "practice.db-wal"
    wal.write_bytes(b"\x37\x7f\x06\x82" + b"\0" * 60)
    for argv in (["--db", str(tmp_path / "practice.db")], ["agenda", "--db", str(wal)[:-4]]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert str(wal) in err and "missing" in err
    assert beside(wal) == {"practice.db-wal"}


def test_unreadable_file_says_permission(closed_demo: Path, monkeypatch, capsys) -> None:
    import builtins

    import practice_tui.domain.db as db_module

    real_open = builtins.open

    def no_permission(file, *args, **kwargs):
        if Path(file) == closed_demo:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(db_module, "open", no_permission, raising=False)
    assert main(["agenda", "--db", str(closed_demo)]) == 1
    err = capsys.readouterr().err
    assert "No permission to read" in err and str(closed_demo) in err


@pytest.mark.parametrize("kind", ["foreign", "newer"])
def test_refusing_a_wal_file_leaves_nothing_beside_it(tmp_path: Path, kind) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = wal")
    conn.execute("CREATE TABLE photos (id)")
    if kind == "newer":
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(DatabaseError):
        open_database(path)
    assert beside(path) == {"other.db"}
    assert digest(path) == before


def _can_mount() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and Path("/proc/mounts").exists()


@pytest.mark.skipif(not _can_mount(), reason="needs root to mount a read-only file system")
def test_healthy_file_on_a_read_only_disk_opens_read_only(tmp_path: Path) -> None:
    from practice_tui.domain.db import is_readonly
    from practice_tui.domain.errors import WriteFailedError
    from practice_tui.domain.settings import ensure_practice, get_practice, update_practice
    from practice_tui.ui.app import make_app

    mount = tmp_path / "usb"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)]).returncode:
        pytest.skip("cannot mount here")
    try:
        path = mount / "practice.db"
        open_database(path)
        ensure_practice(name="On the stick")
        close_database()
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        open_database(path)
        app = make_app(path, clock=lambda: FIXED_NOW)
        assert is_readonly()
        assert "can only be read" in app.file_messages[0]
        assert get_practice().name == "On the stick"
        with pytest.raises(WriteFailedError, match="read-only"):
            update_practice(name="Changed")
        close_database()
    finally:
        # A connection another thread still holds keeps the mount busy: detach it
        # lazily then, so no read-only mount outlives the test.
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_backup_names_go_to_the_second_and_never_overwrite(closed_demo: Path, capsys) -> None:
    assert main(["backup", "--db", str(closed_demo)]) == 0
    assert main(["backup", "--db", str(closed_demo)]) == 0
    names = sorted(p.name for p in closed_demo.parent.glob("demo-backup-*"))
    assert names == ["demo-backup-20261127-112000-2.db", "demo-backup-20261127-112000.db"]


def test_backup_refuses_a_missing_folder(closed_demo: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "unplugged-usb" / "copy.db"
    assert main(["backup", str(target), "--db", str(closed_demo)]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert not target.parent.exists()


def test_a_closed_pipe_prints_no_traceback(closed_demo: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "practice_tui",
                "agenda",
                "2026-11-27",
                "--db",
                str(closed_demo),
            ],
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert b"Traceback" not in result.stderr, result.stderr.decode()
    assert b"BrokenPipe" not in result.stderr


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_demo_folder_is_removed_when_the_terminal_closes(tmp_path: Path, signum) -> None:
    folder = tmp_path / "demo-folder"
    folder.mkdir()
    (folder / "demo.db").write_bytes(b"x")
    code = (
        "import sys; from pathlib import Path; from practice_tui.cli import _remove_when_gone;"
        f"_remove_when_gone(Path({str(folder)!r})); print('ready', flush=True); sys.stdin.read()"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert child.stdout.readline().strip() == b"ready"
        child.send_signal(signum)
        assert child.wait(timeout=30) == -signum
    finally:
        if child.poll() is None:
            child.kill()
    assert not folder.exists()
