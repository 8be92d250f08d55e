"""Restore a backup in place of the practice file, safely, in one command.

The backup is checked first, read-only, by the same checks that guard opening
a file (a practice file, not from a newer version) plus SQLite's
``integrity_check``; a damaged or foreign backup is refused and nothing
changes. Restoring is refused while the app has the file open: the app holds a
shared lock on ``<file>.lock`` for as long as it runs (``app_running``), and
restore needs that lock exclusively. The current file is kept aside with a
dated name (its write-ahead log folded in first, or moved along with it when
that fails), then the backup is copied into place with SQLite's backup API
(into a temporary file, moved into place whole).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from practice_tui.domain import encryption
from practice_tui.domain.db import inspect_file, is_encrypted
from practice_tui.domain.errors import DatabaseError


@dataclass(frozen=True)
class Restored:
    backup: Path
    target: Path
    kept_aside: Path | None
    schema_version: int
    clients: int
    appointments: int


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _try_lock(handle: IO[bytes], *, exclusive: bool) -> bool:
    """Take the sidecar lock without waiting; False when someone holds it."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(
            handle.fileno(), (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        )
    except OSError:
        return False
    return True


def _open_lock(db_path: Path) -> IO[bytes]:
    path = lock_path(db_path)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    return os.fdopen(fd, "r+b")


@contextmanager
def app_running(db_path: str | os.PathLike[str]) -> Iterator[None]:
    """Held by the app while it runs, so ``restore`` can tell the file is open.

    Never stops the app from starting: a folder where no lock can be made (or a
    second app on the same file) just goes without the lock."""
    handle = None
    try:
        handle = _open_lock(Path(db_path).expanduser())
        _try_lock(handle, exclusive=False)
    except OSError:
        handle = None
    try:
        yield
    finally:
        if handle is not None:
            handle.close()


def is_open_by_app(db_path: Path) -> bool:
    try:
        handle = _open_lock(db_path)
    except OSError:
        return False
    with handle:
        return not _try_lock(handle, exclusive=True)


def check_backup(backup: Path, passphrase: str | None = None) -> tuple[int, int, int]:
    """(schema version, clients, appointments) of a backup that can be restored.

    An encrypted backup needs its ``passphrase``. Raises DatabaseError, naming
    what is wrong, for anything else."""
    if not backup.exists():
        raise DatabaseError(f"There is no backup at {backup}.")
    if not backup.is_file():
        raise DatabaseError(f"{backup} is not a file.")
    try:
        version = inspect_file(backup, passphrase)
    except (encryption.PassphraseNeeded, encryption.WrongPassphrase):
        raise
    except DatabaseError as error:
        raise DatabaseError(f"Not restored: {error}") from error
    if version == 0:
        raise DatabaseError(f"Not restored: {backup} is empty or not a practice file.")
    uri = backup.resolve().as_uri() + "?mode=ro"
    encrypted = is_encrypted(backup)
    try:
        conn = (
            encryption.connect(backup, passphrase or "", readonly=True)
            if encrypted
            else sqlite3.connect(uri, uri=True)
        )
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
            clients = conn.execute("SELECT count(*) FROM client").fetchone()[0]
            appointments = conn.execute("SELECT count(*) FROM appointment").fetchone()[0]
        finally:
            conn.close()
    except (sqlite3.DatabaseError, encryption.driver_error()) as error:
        raise DatabaseError(
            f"Not restored: {backup} is damaged ({error}). Nothing was changed."
        ) from error
    if result != ["ok"]:
        raise DatabaseError(
            f"Not restored: {backup} is damaged (integrity check: {result[0]}). "
            "Nothing was changed."
        )
    return version, clients, appointments


def _set_aside(current: Path, now: dt.datetime) -> Path:
    """Move the current file (and anything left of its log) to a dated name."""
    aside = current.with_name(f"{current.stem}-before-restore-{now:%Y%m%d-%H%M%S}{current.suffix}")
    number = 1
    while aside.exists():
        number += 1
        aside = current.with_name(
            f"{current.stem}-before-restore-{now:%Y%m%d-%H%M%S}-{number}{current.suffix}"
        )
    try:
        conn = sqlite3.connect(current)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # a damaged current file: its log moves along with it below
    os.replace(current, aside)
    for tail in ("-wal", "-shm", "-journal"):
        left = current.with_name(current.name + tail)
        if left.exists():
            os.replace(left, aside.with_name(aside.name + tail))
    return aside


def _copy(backup: Path, temp: Path) -> None:
    """The backup's records into ``temp`` (an encrypted backup is copied as it
    is, so it stays encrypted with its own passphrase)."""
    if is_encrypted(backup):
        with open(backup, "rb") as src, open(temp, "wb") as dst:
            shutil.copyfileobj(src, dst)
        return
    source = sqlite3.connect(backup.resolve().as_uri() + "?mode=ro", uri=True)
    dest = sqlite3.connect(temp)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()
        source.close()


def restore_backup(
    backup: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    now: dt.datetime,
    passphrase: str | None = None,
) -> Restored:
    """Put ``backup`` in place of the practice file ``target``.

    Nothing changes when the backup is refused or the app has the file open."""
    backup_path = Path(backup).expanduser()
    target_path = Path(target).expanduser()
    if backup_path.exists() and target_path.exists() and backup_path.samefile(target_path):
        raise DatabaseError("The backup is the practice file itself; nothing to restore.")
    version, clients, appointments = check_backup(backup_path, passphrase)
    target_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        lock = _open_lock(target_path)
    except OSError as error:
        raise DatabaseError(
            f"Cannot restore into {target_path.parent}: {error.strerror}."
        ) from error
    with lock:
        if not _try_lock(lock, exclusive=True):
            raise DatabaseError(
                f"practice-tui has {target_path} open. Quit the app, then restore again. "
                "Nothing was changed."
            )
        temp = target_path.with_name(f".{target_path.name}.restoring")
        temp.unlink(missing_ok=True)
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        try:
            _copy(backup_path, temp)
        except (sqlite3.Error, OSError) as error:
            temp.unlink(missing_ok=True)
            raise DatabaseError(f"Not restored: cannot copy {backup_path} ({error}).") from error
        aside = _set_aside(target_path, now) if target_path.exists() else None
        os.replace(temp, target_path)
    return Restored(backup_path, target_path, aside, version, clients, appointments)
