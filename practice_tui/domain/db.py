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
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import peewee as pw

from practice_tui.domain import encryption, migrations
from practice_tui.domain.errors import (
    ConflictError,
    DatabaseError,
    EmptyFileError,
    FileBusyError,
    WriteFailedError,
)
from practice_tui.domain.migrations import APPLICATION_ID as APPLICATION_ID

database = pw.DatabaseProxy()


PRAGMAS = (
    ("busy_timeout", 5000),
    ("journal_mode", "wal"),
    ("synchronous", "full"),
    ("foreign_keys", 1),
)

#: A read-only handle sets no journal mode (that would write) and refuses writes itself.
READONLY_PRAGMAS = (
    ("busy_timeout", 5000),
    ("foreign_keys", 1),
    ("query_only", 1),
)

#: How long, in all, a write waits for a busy file (retrying with back-off)
#: before it says the file is busy. SQLite's own busy handler waits within
#: each attempt; tests lower it.
BUSY_PATIENCE_SECONDS = 10.0

P = ParamSpec("P")
R = TypeVar("R")

_DISK_FULL = "Not saved: the disk is full. Free some space, then save again."
_READ_ONLY = (
    "Not saved: the practice file is read-only (or on a read-only disk); "
    "nothing can be saved to it."
)
_IO = (
    "Not saved: the disk reported an error while writing ({detail}). "
    "Check the disk, then save again."
)


def _root_cause(error: BaseException) -> BaseException:
    """The error that started it: a failed rollback after a failed write
    (``cannot rollback - no transaction is active``, or ``no such savepoint``
    in a nested service, once SQLite has rolled the whole transaction back
    itself) hides the real cause."""
    seen = 0
    while (
        any(
            text in str(error).lower() for text in ("no transaction is active", "no such savepoint")
        )
        and error.__context__ is not None
        and seen < 5
    ):
        error = error.__context__
        seen += 1
    return error


def _translate(error: BaseException) -> BaseException:
    lower = str(error).lower()
    if "signed session notes are locked" in lower:
        return ConflictError("This note is signed and locked; add an amendment instead.")
    if "the appointment of a signed note cannot change" in lower:
        return ConflictError("This appointment has a signed note; it can no longer change.")
    if "amendments are append-only" in lower:
        return ConflictError("Amendments cannot be changed or removed.")
    if "locked" in lower or "busy" in lower:
        return FileBusyError(
            "The practice file is busy: another program has been writing to it for a while. "
            "Nothing was changed; try again in a moment."
        )
    if "database or disk is full" in lower or "no space left" in lower:
        return WriteFailedError(_DISK_FULL, cause="disk-full")
    if "readonly" in lower or "read-only" in lower:
        return WriteFailedError(_READ_ONLY, cause="read-only")
    if "disk i/o error" in lower or "unable to open database file" in lower:
        return WriteFailedError(_IO.format(detail=str(error)), cause="io")
    if "malformed" in lower or "not a database" in lower:
        return DatabaseError("The practice file is damaged and cannot be read.")
    return error  # a programming error: let it surface in tests


def _attempt(fn: Callable[P, R], lock: str | None, *args: P.args, **kwargs: P.kwargs) -> R:
    database.connect(reuse_if_open=True)
    try:
        with database.atomic(lock) if lock else database.atomic():
            return fn(*args, **kwargs)
    except (pw.OperationalError, pw.IntegrityError, pw.DatabaseError, sqlite3.Error) as error:
        cause = _root_cause(error)
        translated = _translate(cause)
        if translated is cause:
            if cause is error:
                raise
            raise cause from None
        raise translated from cause


#: Whether the service now running on this thread has a transaction of its own.
_own = threading.local()


def in_own_transaction() -> bool:
    """True inside a read or write that is not inside another transaction (what
    it reads is committed, and stays so)."""
    return bool(getattr(_own, "value", False))


def _run(fn: Callable[P, R], lock: str | None, *args: P.args, **kwargs: P.kwargs) -> R:
    outer = getattr(_own, "value", False)
    if database.obj is not None and not database.is_closed() and database.in_transaction():
        _own.value = False
        try:
            return _attempt(fn, lock, *args, **kwargs)  # nested: the outer call retries
        finally:
            _own.value = outer
    deadline = time.monotonic() + BUSY_PATIENCE_SECONDS
    pause = 0.05
    _own.value = True
    try:
        while True:
            try:
                return _attempt(fn, lock, *args, **kwargs)
            except FileBusyError:
                if time.monotonic() + pause > deadline:
                    raise
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
    finally:
        _own.value = outer


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


#: Writes committed by this process (see ``commits``).
_commits = 0


def commits() -> int:
    """How many writes this process has committed: a reader that kept an
    answer can tell it may be out of date when this has moved. (Another
    program's writes are not counted.)"""
    return _commits


def contents_key() -> tuple[object, int, int]:
    """What tells this thread's connection that the file may have changed:
    equal keys mean nothing was written in between, by this connection (its
    count of changed rows, uncommitted ones and rolled-back ones included) or
    by any other connection or program (SQLite's ``PRAGMA data_version``). A
    reader may keep an answer read in a transaction of its own under it (not
    one read inside a write: a rollback moves neither count)."""
    conn = database.connection()
    (version,) = conn.execute("PRAGMA data_version").fetchone()
    return (conn, int(version), int(conn.total_changes))


def writes(fn: Callable[P, R]) -> Callable[P, R]:
    """A writing service: all or nothing, holding the write lock from the start.

    A busy file is retried with back-off for ``BUSY_PATIENCE_SECONDS``; a full
    disk, a read-only file or a disk error become ``WriteFailedError`` naming
    the real cause (and nothing is saved). After the outermost write commits,
    the ``on_commit`` listeners run."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        global _commits
        result = _run(fn, "IMMEDIATE", *args, **kwargs)
        if database.transaction_depth() == 0:
            _commits += 1
            if _after_commit_listeners:
                _after_commit()
        return result

    wrapper.writes = True  # type: ignore[attr-defined]  # found by the audit test
    return wrapper


def _create_private_file(path: Path) -> None:
    """Create the folder (0700) and an empty file (0600) for a new practice."""
    parent = path.parent
    if not parent.exists():
        parent.mkdir(parents=True, mode=0o700)
        os.chmod(parent, 0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


_SQLITE_MAGIC = b"SQLite format 3\x00"


def _companions(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _read_only_medium(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def can_write(path: Path) -> bool:
    """Whether this program may write the file and create its journal beside it."""
    return (
        not _read_only_medium(path.parent)
        and os.access(path, os.W_OK)
        and os.access(path.parent, os.W_OK)
    )


def _check_readable(path: Path) -> bool:
    """Refuse, naming the true cause, a path that cannot be a practice file,
    before SQLite touches it (so nothing is created beside it). True for an
    encrypted file (``domain/encryption.py``)."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a practice file.")
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except PermissionError as error:
        raise DatabaseError(
            f"No permission to read {path}; it was not changed. "
            "Check the file's owner and permissions."
        ) from error
    except OSError as error:
        raise DatabaseError(f"Cannot read {path}: {error.strerror}.") from error
    if not head:
        raise EmptyFileError(
            f"{path} is empty (0 bytes): there is no practice in this file. It was not changed."
        )
    if head != _SQLITE_MAGIC and encryption.looks_encrypted(path):
        return True
    if head != _SQLITE_MAGIC:
        raise DatabaseError(
            f"{path} is not a practice file or is damaged (it is not an SQLite file). "
            "It was not changed."
        )


def _tidy(path: Path, existed: tuple[bool, bool]) -> None:
    """Remove the ``-wal``/``-shm`` that a read-only look created beside ``path``.

    SQLite itself decides: a plain connection that reads and closes removes
    them only when it is the last one using the file (another program's
    journal is never touched)."""
    wal, shm = _companions(path)
    if (wal.exists() and not existed[0]) or (shm.exists() and not existed[1]):
        if not can_write(path):
            return
        try:
            conn = sqlite3.connect(path, timeout=0)
            try:
                conn.execute("PRAGMA schema_version").fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            pass


def _readonly_uri(path: Path, *, immutable: bool = False) -> str:
    uri = path.resolve().as_uri()
    return uri + ("?immutable=1" if immutable else "?mode=ro")


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection; on a read-only medium (where the journal's
    shared-memory file cannot be made, and nobody can write) the file is read
    as immutable."""
    try:
        conn = sqlite3.connect(_readonly_uri(path), uri=True)
        conn.execute("PRAGMA schema_version").fetchone()
        return conn
    except sqlite3.OperationalError as error:
        if "unable to open" not in str(error).lower() or can_write(path):
            raise
    conn = sqlite3.connect(_readonly_uri(path, immutable=True), uri=True)
    conn.execute("PRAGMA schema_version").fetchone()
    return conn


def _encrypted_connection(path: Path, passphrase: str | None) -> Any:
    """A read-only look into an encrypted file, or why it cannot be had."""
    if not encryption.available():
        raise encryption.EncryptionUnavailable(
            f"{path} is an encrypted practice file. " + encryption.INSTALL_HINT
        )
    if passphrase is None:
        raise encryption.PassphraseNeeded(
            f"{path} is encrypted: its passphrase is needed (typed on the terminal, or in "
            f"${encryption.PASSPHRASE_ENV})."
        )
    return encryption.connect(path, passphrase, readonly=True)


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` is an encrypted practice file (recognised without the extra)."""
    return path.is_file() and encryption.looks_encrypted(path)


def inspect_file(path: Path, passphrase: str | None = None) -> int:
    """Return the schema version of an existing file without changing it.

    Raises DatabaseError for a file that is not a practice file, is damaged,
    cannot be read, or comes from a newer version of the program;
    ``EmptyFileError`` for a 0-byte file. Nothing is left beside the file.
    An encrypted file needs its ``passphrase`` (``PassphraseNeeded``,
    ``WrongPassphrase``, or ``EncryptionUnavailable`` without the extra).
    """
    encrypted = _check_readable(path)
    wal, shm = _companions(path)
    existed = (wal.exists(), shm.exists())
    try:
        conn = _encrypted_connection(path, passphrase) if encrypted else _connect_readonly(path)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
            ).fetchone()[0]
        finally:
            conn.close()
    except (sqlite3.DatabaseError, pw.DatabaseError, encryption.driver_error()) as error:
        _tidy(path, existed)
        lower = str(error).lower()
        if "locked" in lower or "busy" in lower:
            raise DatabaseError(
                f"{path} is locked by another program; close it and try again."
            ) from error
        raise DatabaseError(
            f"{path} is not a practice file or is damaged ({error}). It was not changed."
        ) from error
    if version > migrations.SCHEMA_VERSION:
        _tidy(path, existed)
        raise DatabaseError(
            f"{path} was written by a newer version of practice-tui (schema {version}; "
            f"this version knows up to {migrations.SCHEMA_VERSION}). "
            "Update practice-tui to open it. "
            "The file was not changed."
        )
    if tables and app_id != APPLICATION_ID:
        _tidy(path, existed)
        raise DatabaseError(
            f"{path} is an SQLite file of another program, not a practice file. It was not changed."
        )
    return version


def backup_to(source: pw.SqliteDatabase | sqlite3.Connection, target: Path) -> None:
    """Copy a consistent snapshot of the open file to ``target`` (SQLite backup API).

    The target's folder must exist (a mistyped or unmounted path is refused,
    never created) and the target must not: nothing is ever overwritten. If
    the copy fails (a full disk), the partial file is removed and the error
    says why."""
    conn = source.connection() if isinstance(source, pw.SqliteDatabase) else source
    passphrase = getattr(source, "passphrase", None)
    if passphrase is None and not isinstance(conn, sqlite3.Connection):
        passphrase = getattr(database.obj, "passphrase", None)  # the open file's connection
    if not target.parent.is_dir():
        raise DatabaseError(
            f"The folder {target.parent} does not exist (is the disk plugged in?). "
            "Nothing was written."
        )
    try:
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError as error:
        raise DatabaseError(f"{target} already exists; choose another name.") from error
    except OSError as error:
        raise DatabaseError(f"Cannot write {target}: {error.strerror}.") from error
    os.close(fd)
    try:
        # A backup of an encrypted file is encrypted with the same passphrase.
        dest = encryption.connect_new(target, passphrase) if passphrase else sqlite3.connect(target)
        try:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode = delete").fetchone()
        finally:
            dest.close()
    except (sqlite3.Error, pw.DatabaseError, OSError, encryption.driver_error()) as error:
        for leftover in (target, *_companions(target), target.with_name(target.name + "-journal")):
            try:
                leftover.unlink()
            except OSError:
                pass
        cause = _translate(error)
        reason = (
            "the disk is full"
            if isinstance(cause, WriteFailedError) and cause.cause == "disk-full"
            else str(error)
        )
        raise DatabaseError(
            f"The backup failed ({reason}); the partial copy {target} was removed."
        ) from error


class PracticeDatabase(pw.SqliteDatabase):
    """The handle, knowing its file and whether it may write."""

    #: The passphrase of an encrypted file (``EncryptedPracticeDatabase``); None: plain.
    passphrase: str | None = None

    def __init__(self, path: Path, *, readonly: bool = False, immutable: bool = False) -> None:
        self.path = path
        self.readonly = readonly
        if readonly:
            super().__init__(
                _readonly_uri(path, immutable=immutable),
                pragmas=READONLY_PRAGMAS,
                timeout=5,
                uri=True,
            )
        else:
            super().__init__(str(path), pragmas=PRAGMAS, timeout=5)


def _handle(
    path: Path, passphrase: str | None, *, readonly: bool = False, immutable: bool = False
) -> PracticeDatabase:
    if passphrase is None:
        return PracticeDatabase(path, readonly=readonly, immutable=immutable)
    from practice_tui.domain.encrypted_db import EncryptedPracticeDatabase

    pragmas = READONLY_PRAGMAS if readonly else PRAGMAS
    return EncryptedPracticeDatabase(  # type: ignore[return-value]
        path, passphrase, readonly=readonly, pragmas=pragmas
    )


def reopen_writable(path: Path) -> PracticeDatabase:
    """A second, writable handle on a file already open read-only (for a short
    write such as noting an export in the audit trail); the caller closes it."""
    db = _handle(path, getattr(database.obj, "passphrase", None))
    db.connect()
    return db


def encrypted_open() -> bool:
    """Whether the practice file now open is encrypted."""
    return getattr(database.obj, "passphrase", None) is not None


def passphrase_matches(text: str) -> bool:
    """Whether ``text`` is the open file's passphrase (the privacy curtain asks it)."""
    import hmac

    known = getattr(database.obj, "passphrase", None)
    return known is not None and hmac.compare_digest(text.encode(), known.encode())


def open_database(
    path: str | os.PathLike[str],
    *,
    readonly: bool = False,
    create: bool = True,
    allow_empty: bool = False,
    passphrase: str | None = None,
) -> pw.SqliteDatabase:
    """Open (creating or migrating if needed) the practice file at ``path``.

    ``readonly=True`` (read-only commands) takes no write lock, creates no
    file and refuses a missing, empty or older file. A file this program may
    not write (a read-only file, folder or disk) is opened read-only too, and
    saving is refused plainly (``WriteFailedError``); ``is_readonly()`` says so.
    A 0-byte file raises ``EmptyFileError`` unless ``allow_empty`` (the person
    agreed to start a new practice there). A ``-wal`` without its main file is
    refused. An older file is copied aside before it is migrated. The handle
    is bound to ``database`` for every model and service.
    """
    path = Path(path).expanduser()
    wal, shm = _companions(path)
    existed = (wal.exists(), shm.exists())
    encrypted = is_encrypted(path)
    key = passphrase if encrypted else None
    if not path.exists():
        if wal.exists():
            raise DatabaseError(
                f"{path} is missing, but its journal {wal} is still there (it may hold "
                f"recent records). Nothing was opened or created; restore {path} from a "
                f"backup, or move {wal} away if it is not needed."
            )
        if readonly or not create:
            raise DatabaseError(f"There is no practice file at {path}.")
        try:
            _create_private_file(path)
        except OSError as error:
            raise DatabaseError(f"Cannot create {path}: {error.strerror}.") from error
        version = 0
    else:
        try:
            version = inspect_file(path, key)
        except EmptyFileError:
            if readonly or not allow_empty:
                raise
            version = 0
        if version == 0 and readonly:
            raise EmptyFileError(f"There is no practice in {path} yet.")
        if version < migrations.SCHEMA_VERSION and (readonly or not can_write(path)):
            raise DatabaseError(
                f"{path} was written by an older version of practice-tui and needs updating, "
                "which this read-only opening cannot do. Open it once in the app "
                "(in a folder you can write to)."
            )
        if not readonly and not can_write(path):
            readonly = True

    immutable = False
    if readonly:
        if not encrypted:
            try:
                _connect_readonly(path).close()
            except sqlite3.Error as error:
                raise DatabaseError(f"Cannot open {path}: {error}") from error
        immutable = not can_write(path) and not shm.exists()
        db = _handle(path, key, readonly=True, immutable=immutable)
        db.existed = existed  # type: ignore[attr-defined]
        database.initialize(db)
        return db

    db = _handle(path, key)
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
        translated = _translate(_root_cause(error))
        if translated is error or not isinstance(translated, Exception):
            raise DatabaseError(f"Cannot open {path}: {error}") from error
        raise translated from error
    return db


def is_readonly() -> bool:
    """Whether the open practice file was opened read-only (nothing can be saved)."""
    return bool(getattr(database.obj, "readonly", False))


def current_path() -> Path | None:
    """The practice file now open, or None."""
    db = database.obj
    if db is None:
        return None
    path = getattr(db, "path", None)
    return Path(path) if path is not None else Path(db.database)


def close_database() -> None:
    """Close this thread's connection (other threads' close when they end).

    A read-only handle also tidies the journal files its reading created."""
    db = database.obj
    if db is not None and not database.is_closed():
        database.close()
    if db is not None and getattr(db, "readonly", False) and hasattr(db, "existed"):
        _tidy(db.path, db.existed)
