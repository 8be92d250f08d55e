"""The deferred database handle and the one way to open a practice file.

Models are bound to ``database`` (a peewee ``DatabaseProxy``) and never know the
path. ``open_database`` checks the file before touching it, so that a file from
a newer version, or one that is not ours, is refused and left byte-for-byte
unchanged. Services run inside ``reads``/``writes``: each opens this thread's
connection if needed and wraps the call in a transaction (``BEGIN IMMEDIATE``
for writes, so two writers never deadlock half-way).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import peewee as pw

from practice_tui.domain import migrations
from practice_tui.domain.errors import ConflictError, DatabaseError
from practice_tui.domain.migrations import APPLICATION_ID as APPLICATION_ID

database = pw.DatabaseProxy()


PRAGMAS = (
    ("journal_mode", "wal"),
    ("synchronous", "full"),
    ("foreign_keys", 1),
    ("busy_timeout", 5000),
)

P = ParamSpec("P")
R = TypeVar("R")


def _translate(error: pw.PeeweeException | sqlite3.Error) -> Exception:
    lower = str(error).lower()
    if "signed session notes are locked" in lower:
        return ConflictError("This note is signed and locked; add an amendment instead.")
    if "amendments are append-only" in lower:
        return ConflictError("Amendments cannot be changed or removed.")
    if "locked" in lower or "busy" in lower:
        return DatabaseError(
            "The practice file is busy: another program is writing to it. "
            "Nothing was changed; try again in a moment."
        )
    if "readonly" in lower or "read-only" in lower:
        return DatabaseError("The practice file is read-only: nothing can be saved.")
    if "malformed" in lower or "not a database" in lower:
        return DatabaseError("The practice file is damaged and cannot be read.")
    return error  # a programming error: let it surface in tests


def _run(fn: Callable[P, R], lock: str | None, *args: P.args, **kwargs: P.kwargs) -> R:
    database.connect(reuse_if_open=True)
    try:
        with database.atomic(lock) if lock else database.atomic():
            return fn(*args, **kwargs)
    except (pw.OperationalError, pw.IntegrityError, pw.DatabaseError) as error:
        translated = _translate(error)
        if translated is error:
            raise
        raise translated from error


def reads(fn: Callable[P, R]) -> Callable[P, R]:
    """A read-only service: one consistent snapshot of the file."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return _run(fn, None, *args, **kwargs)

    return wrapper


#: Called after each outermost write has committed (e.g. to rewrite the
#: kept-up-to-date calendar file). A listener must never raise into the save:
#: ``_after_commit`` catches and reports what it raises.
_after_commit_listeners: list[Callable[[], None]] = []


def on_commit(listener: Callable[[], None]) -> None:
    """Call ``listener`` after every committed write (once, however often registered)."""
    if listener not in _after_commit_listeners:
        _after_commit_listeners.append(listener)


def _after_commit() -> None:
    import logging

    for listener in tuple(_after_commit_listeners):
        try:
            listener()
        except Exception:  # noqa: BLE001 — the save has happened; never undo it
            logging.getLogger("practice_tui").exception("after-commit listener failed")


def writes(fn: Callable[P, R]) -> Callable[P, R]:
    """A writing service: all or nothing, holding the write lock from the start.

    After the outermost write commits, the ``on_commit`` listeners run."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        result = _run(fn, "IMMEDIATE", *args, **kwargs)
        if _after_commit_listeners and database.transaction_depth() == 0:
            _after_commit()
        return result

    return wrapper


def _create_private_file(path: Path) -> None:
    """Create the folder (0700) and an empty file (0600) for a new practice."""
    parent = path.parent
    if not parent.exists():
        parent.mkdir(parents=True, mode=0o700)
        os.chmod(parent, 0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def inspect_file(path: Path) -> int:
    """Return the schema version of an existing file without changing it.

    Raises DatabaseError for a file that is not a practice file, is damaged, or
    comes from a newer version of the program.
    """
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a practice file.")
    if path.stat().st_size == 0:
        return 0
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        lower = str(error).lower()
        if "locked" in lower or "busy" in lower:
            raise DatabaseError(
                f"{path} is locked by another program; close it and try again."
            ) from error
        raise DatabaseError(
            f"{path} is not a practice file or is damaged ({error}). It was not changed."
        ) from error
    if version > migrations.SCHEMA_VERSION:
        raise DatabaseError(
            f"{path} was written by a newer version of practice-tui (schema {version}; "
            f"this version knows up to {migrations.SCHEMA_VERSION}). "
            "Update practice-tui to open it. "
            "The file was not changed."
        )
    if tables and app_id != APPLICATION_ID:
        raise DatabaseError(
            f"{path} is an SQLite file of another program, not a practice file. It was not changed."
        )
    return version


def backup_to(source: pw.SqliteDatabase | sqlite3.Connection, target: Path) -> None:
    """Copy a consistent snapshot of the open file to ``target`` (SQLite backup API)."""
    conn = source.connection() if isinstance(source, pw.SqliteDatabase) else source
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()


def open_database(path: str | os.PathLike[str]) -> pw.SqliteDatabase:
    """Open (creating or migrating if needed) the practice file at ``path``.

    An older file is copied aside before it is migrated. The handle is bound to
    ``database`` for every model and service.
    """
    path = Path(path).expanduser()
    if path.exists():
        version = inspect_file(path)
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise DatabaseError(
                f"{path} is read-only (or its folder is): practice-tui needs to write to it."
            )
    else:
        try:
            _create_private_file(path)
        except OSError as error:
            raise DatabaseError(f"Cannot create {path}: {error.strerror}.") from error
        version = 0

    db = pw.SqliteDatabase(str(path), pragmas=PRAGMAS, timeout=5)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        if version < migrations.SCHEMA_VERSION:
            if version > 0:
                stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
                backup_to(db, path.with_name(f"{path.name}.v{version}-{stamp}.bak"))
            migrations.migrate(db, version)
    except (pw.OperationalError, pw.DatabaseError, sqlite3.Error) as error:
        db.close()
        translated = _translate(error)
        if translated is error:
            raise DatabaseError(f"Cannot open {path}: {error}") from error
        raise translated from error
    return db


def close_database() -> None:
    """Close this thread's connection (other threads' close when they end)."""
    if database.obj is not None and not database.is_closed():
        database.close()
