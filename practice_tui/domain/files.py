"""Every file the app writes is owner-only (0600), in folders it makes 0700.

Backups, exports (calendar, CSV, a client's record), progress reports,
receipts, superbills and PDFs hold health records or money. A file made with
the default permissions (0644 under the usual umask) can be read by every
account on the computer, and by anyone a shared folder is synced to. So the
app writes files only through here:

- ``write_private`` makes a new file, never over an existing one;
- ``replace_private`` writes a file whole or not at all (a temporary file
  beside it, then ``os.replace``), for files the app keeps up to date;
- ``private_folder`` makes a missing folder 0700.

The permissions are set when the file is created (``os.open`` with 0600),
not changed afterwards, so there is no moment when another account could
open it. Error messages name the path and the cause, never the content.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from practice_tui.domain.errors import ValidationError

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def write_private(path: Path, data: bytes | str) -> None:
    """Write ``data`` to a new file at ``path`` owner-only; an existing file is refused."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE)
    except FileExistsError as error:
        raise ValidationError(f"{path} already exists; choose another name.") from error
    except OSError as error:
        raise ValidationError(f"Cannot write {path}: {error.strerror}.") from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
    except OSError as error:
        Path(path).unlink(missing_ok=True)
        raise ValidationError(f"Cannot write {path}: {error.strerror}.") from error


def replace_private(path: Path, data: bytes | str, mode: int = FILE_MODE) -> None:
    """Write ``data`` to ``path`` whole or not at all, owner-only (``OSError`` if it cannot)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    if not path.parent.exists():
        private_folder(path.parent)
    # mkstemp makes the temporary file 0600 from the start.
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def private_folder(path: Path) -> Path:
    """Make ``path`` (and missing parents) owner-only; an existing folder is left as it is."""
    path = Path(path)
    if not path.exists():
        path.mkdir(parents=True, mode=FOLDER_MODE)
        os.chmod(path, FOLDER_MODE)
    return path
