"""A calendar file kept up to date after every change, for a sync tool to carry
to a phone (Syncthing, a cloud folder, vdirsyncer).

The setting lives on the practice (``calendar_file``, ``calendar_initials``).
After every committed write, ``refresh`` rewrites the file: appointments from
``KEEP_PAST_DAYS`` days ago onward, initials only unless the practice asked for
names. The file is written to a temporary file next to it and moved into place
(``os.replace``), so a reader never sees half a calendar. A failure to write
never undoes or fails the save: it is kept in ``last_error`` (and logged) for
the interface to show.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from practice_tui.domain import files
from practice_tui.domain.db import on_commit, reads, writes
from practice_tui.domain.errors import NotFound, ValidationError
from practice_tui.domain.models import Practice

#: How far back the kept-up-to-date calendar reaches.
KEEP_PAST_DAYS = 90

_lock = threading.Lock()
#: The last failure to write the calendar file ("" when the last write worked).
last_error = ""
#: Told about a new failure to write the calendar file (the app shows it).
_failure_listeners: list[Callable[[str], None]] = []


def on_failure(listener: Callable[[str], None]) -> None:
    """Call ``listener(message)`` when writing the calendar file starts failing
    (once per distinct failure, not after every save)."""
    if listener not in _failure_listeners:
        _failure_listeners.append(listener)


def remove_failure_listener(listener: Callable[[str], None]) -> None:
    if listener in _failure_listeners:
        _failure_listeners.remove(listener)


@dataclass(frozen=True)
class CalendarSetting:
    path: str
    initials: bool

    @property
    def enabled(self) -> bool:
        return bool(self.path)


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` whole or not at all, owner-only (``files.replace_private``)."""
    files.replace_private(path, data, mode)


@reads
def calendar_setting() -> CalendarSetting:
    row = Practice.select(Practice.calendar_file, Practice.calendar_initials).first()
    if row is None:
        return CalendarSetting("", True)
    return CalendarSetting(row.calendar_file, bool(row.calendar_initials))


def _write(setting: CalendarSetting, today: dt.date) -> int:
    from practice_tui.domain.exchange.ics import export_ics

    export = export_ics(today - dt.timedelta(days=KEEP_PAST_DAYS), only_initials=setting.initials)
    write_atomically(Path(setting.path), export.data)
    return export.events


def refresh(today: dt.date | None = None) -> str:
    """Rewrite the kept-up-to-date calendar, if the practice keeps one.

    Returns "" when it worked (or there is nothing to keep), else the reason."""
    global last_error
    setting = calendar_setting()
    if not setting.enabled:
        last_error = ""
        return ""
    with _lock:
        try:
            _write(setting, today or dt.date.today())
        except Exception as error:  # noqa: BLE001 — reported, never raised into a save
            reason = (error.strerror if isinstance(error, OSError) else None) or str(error)
            message = f"The calendar file {setting.path} could not be written: {reason}."
            if message != last_error:
                logging.getLogger("practice_tui").warning(message)
                for listener in tuple(_failure_listeners):
                    try:
                        listener(message)
                    except Exception:  # noqa: BLE001 — a report must not fail a save
                        logging.getLogger("practice_tui").exception("failure listener failed")
            last_error = message
            return last_error
        last_error = ""
        return ""


def _after_commit() -> None:
    refresh()


def install() -> None:
    """Refresh the calendar file after every committed write (the app and the
    command line call this once the practice file is open; turning the setting
    on calls it too). A failure to write another file's calendar is
    forgotten: it says nothing about this one."""
    global last_error
    last_error = ""
    on_commit(_after_commit)


@writes
def _store(path: str, initials: bool) -> None:
    row = Practice.select().first()
    if row is None:
        raise NotFound("This file has no practice settings yet.")
    row.calendar_file = path
    row.calendar_initials = initials
    row.save(only=[Practice.calendar_file, Practice.calendar_initials])


def keep_calendar_updated(
    path: str | os.PathLike[str], *, initials: bool = True
) -> CalendarSetting:
    """Keep a calendar file at ``path`` up to date from now on (written right away).

    Refused, with nothing stored, when the file cannot be written."""
    target = Path(path).expanduser().resolve()
    if target.is_dir():
        raise ValidationError(f"{target} is a folder; give a file name such as practice.ics.")
    try:
        _write(CalendarSetting(str(target), initials), dt.date.today())
    except OSError as error:
        raise ValidationError(f"Cannot write {target}: {error.strerror or error}.") from error
    install()
    _store(str(target), initials)
    return CalendarSetting(str(target), initials)


def stop_calendar_updates() -> CalendarSetting:
    """Stop keeping the calendar file up to date (the file itself is left as it is)."""
    before = calendar_setting()
    _store("", before.initials)
    return before
