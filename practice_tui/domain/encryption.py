"""Encryption at rest (optional): the practice file encrypted with SQLCipher.

With the ``[encrypted]`` extra installed (``pip install 'practice-tui[encrypted]'``,
which brings ``sqlcipher3``, a maintained binding shipping SQLCipher in its
wheels), the whole file — every page, the schema included — is encrypted
with AES-256; the key comes from the passphrase (PBKDF2, SQLCipher 4's
defaults). Without the passphrase the file is random bytes.

- ``convert`` writes the practice into a new file beside the old one with
  another key (or none), checks it (it opens with the new passphrase, SQLite's
  integrity check passes, every table holds as many rows as before), and only
  then puts it in place of the old one. ``encrypt``, ``decrypt`` and a new
  passphrase are all this one step.
- ``looks_encrypted`` recognises an encrypted file without the extra (its first
  bytes are not SQLite's header), so the app can say what to install instead
  of calling the file damaged.

A forgotten passphrase cannot be recovered: nobody, not this program, can
read the file without it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from practice_tui.domain.errors import DatabaseError

INSTALL_HINT = (
    "Install the encryption extra to open it: pip install 'practice-tui[encrypted]' "
    "(it brings sqlcipher3)."
)

#: The environment variable a script can give the passphrase in (see README).
PASSPHRASE_ENV = "PRACTICE_TUI_PASSPHRASE"

_SQLITE_MAGIC = b"SQLite format 3\x00"


class PassphraseNeeded(DatabaseError):
    """The file is encrypted and no passphrase was given."""


class WrongPassphrase(DatabaseError):
    """The passphrase given does not open the file."""


class EncryptionUnavailable(DatabaseError):
    """The file is encrypted but the ``[encrypted]`` extra is not installed."""


def available() -> bool:
    """Whether SQLCipher (the ``[encrypted]`` extra) is installed."""
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        return False
    return True


def driver() -> Any:
    """The ``sqlcipher3`` DB-API module (raises ``EncryptionUnavailable`` without it)."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError as error:
        raise EncryptionUnavailable("Encryption is not installed. " + INSTALL_HINT) from error
    return dbapi2


class _NeverRaised(Exception):
    """Stands for the driver's errors when the driver is not installed."""


def driver_error() -> type[Exception]:
    """The ``sqlcipher3`` error base class (a class never raised without the extra)."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError:
        return _NeverRaised
    return dbapi2.Error


def looks_encrypted(path: Path) -> bool:
    """An SQLCipher file: no SQLite header, whole pages of what looks like noise."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except OSError:
        return False
    return size >= 1024 and size % 512 == 0 and head != _SQLITE_MAGIC


def _quote(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def check_passphrase(passphrase: str) -> str:
    """A passphrase people can live with: refused when empty or very short."""
    if len(passphrase) < 8:
        raise DatabaseError("A passphrase has at least 8 characters (a few words are best).")
    return passphrase


def connect(path: Path, passphrase: str, *, uri: bool = False, readonly: bool = False) -> Any:
    """An open ``sqlcipher3`` connection to an encrypted file, its key checked.

    ``WrongPassphrase`` when the passphrase does not open it."""
    dbapi2 = driver()
    target = path.resolve().as_uri() + "?mode=ro" if readonly else str(path)
    conn = dbapi2.connect(target, uri=readonly or uri, isolation_level=None)
    try:
        unlock(conn, passphrase)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except dbapi2.DatabaseError as error:
        conn.close()
        if "not a database" in str(error).lower():
            raise WrongPassphrase(f"The passphrase does not open {path}.") from error
        raise DatabaseError(f"Cannot open {path}: {error}") from error
    return conn


def unlock(conn: Any, passphrase: str) -> None:
    """Give a new connection its key (SQLCipher's own error log kept quiet:
    a wrong passphrase is said in words, once)."""
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = {_quote(passphrase)}")


def connect_new(path: Path, passphrase: str) -> Any:
    """A connection to a new, empty file that will be encrypted with ``passphrase``."""
    conn = driver().connect(str(path), isolation_level=None)
    unlock(conn, passphrase)
    return conn


def _counts(conn: Any) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _open_any(path: Path, passphrase: str | None) -> Any:
    dbapi2 = driver()
    if passphrase is None:
        conn = dbapi2.connect(str(path), isolation_level=None)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    return connect(path, passphrase)


def convert(path: Path, *, old: str | None, new: str | None) -> Path:
    """Rewrite the practice file at ``path`` with the key ``new`` (None: plain),
    from ``old`` (None: it is plain now). Written beside it, checked, then put
    in place; if anything fails the original file is left as it was."""
    path = Path(path)
    temp = path.with_name(path.name + ".converting")
    for leftover in (temp, temp.with_name(temp.name + "-journal")):
        leftover.unlink(missing_ok=True)
    source = _open_any(path, old)
    try:
        # A journal still holding writes goes into the file first.
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        before = _counts(source)
        version = source.execute("PRAGMA user_version").fetchone()[0]
        app_id = source.execute("PRAGMA application_id").fetchone()[0]
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        key = _quote(new) if new is not None else "''"
        source.execute(f"ATTACH DATABASE ? AS converted KEY {key}", (str(temp),))
        source.execute("SELECT sqlcipher_export('converted')").fetchone()
        source.execute(f"PRAGMA converted.user_version = {int(version)}")
        source.execute(f"PRAGMA converted.application_id = {int(app_id)}")
        source.execute("DETACH DATABASE converted")
    except BaseException:
        source.close()
        temp.unlink(missing_ok=True)
        raise
    source.close()
    try:
        check = _open_any(temp, new)
        try:
            ok = check.execute("PRAGMA integrity_check").fetchone()[0]
            after = _counts(check)
            if ok != "ok" or after != before:
                raise DatabaseError(
                    f"The converted copy of {path} did not check out ({ok}); "
                    "the original file was left as it was."
                )
            check.execute("PRAGMA journal_mode = wal").fetchone()
        finally:
            check.close()
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    for companion in ("-wal", "-shm"):
        stale = path.with_name(path.name + companion)
        stale.unlink(missing_ok=True)
    return path
