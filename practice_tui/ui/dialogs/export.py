"""Data out from inside the app: export the calendar, export CSV, back up now.

Each asks for a path in a small dialog (filled with a sensible default: the
home folder for exports, next to the practice file for a backup), runs the
domain's export in a worker thread, and says in a notification where the file
went — or why it could not be written, with nothing half-written left behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from practice_tui.ui.dialogs.common import PromptDialog

if TYPE_CHECKING:
    from practice_tui.ui.app import PracticeApp

KINDS = ("calendar", "csv", "backup")


def default_path(kind: str, db_path: Path, now: dt.datetime) -> Path:
    if kind == "calendar":
        return Path.home() / f"practice-calendar-{now:%Y-%m-%d}.ics"
    if kind == "csv":
        return Path.home() / f"practice-csv-{now:%Y-%m-%d}"
    return db_path.with_name(f"{db_path.stem}-backup-{now:%Y%m%d-%H%M%S}{db_path.suffix}")


def _problem(kind: str, text: str) -> str | None:
    """Why the typed path cannot be used, shown under the box (text kept)."""
    if not text.strip():
        return "Type where to write it."
    path = Path(text.strip()).expanduser()
    if kind == "csv":
        return f"{path} is a file; give a folder." if path.is_file() else None
    if path.is_dir():
        return f"{path} is a folder; give a file name."
    if kind == "backup" and path.exists():
        return f"{path} already exists; choose another name."
    return None


def _run(kind: str, path: Path) -> str:
    """Do it (in a worker thread); the notification's text. The audit trail notes it."""
    from practice_tui.domain.audit import export_noted

    if kind == "calendar":
        from practice_tui.domain.exchange.ics import export_ics
        from practice_tui.domain.exchange.sync import write_atomically

        export = export_ics()
        write_atomically(path, export.data)
        export_noted("calendar", count=export.events)
        return f"Calendar exported: {export.events} appointments to {path}"
    if kind == "csv":
        from practice_tui.domain.exchange.tables import export_csv

        result = export_csv(path)
        return f"CSV exported: {len(result.files)} files in {result.folder}"
    from practice_tui.domain.db import backup_to, database

    database.connect(reuse_if_open=True)
    backup_to(database.obj, path)
    export_noted("backup")
    return f"Backed up to {path}"


TITLES = {
    "calendar": ("Export calendar", "An .ics file of every booked and completed appointment."),
    "csv": ("Export CSV", "A folder of CSV files: clients, appointments, notes, amendments."),
    "backup": ("Back up now", "A consistent copy of the practice file (safe while it is open)."),
}


def start(app: PracticeApp, kind: str) -> None:
    """Ask for the path, then write in a worker and notify."""
    title, message = TITLES[kind]
    check: Callable[[str], str | None] = lambda text: _problem(kind, text)  # noqa: E731

    def chosen(text: str | None) -> None:
        if not text:
            return
        path = Path(text.strip()).expanduser()

        def work() -> None:
            from practice_tui.domain.errors import PracticeError

            try:
                said = _run(kind, path)
            except (PracticeError, OSError) as error:
                reason = getattr(error, "strerror", None) or str(error)
                app.call_from_thread(
                    app.notify, f"{title} failed: {reason}", severity="error", timeout=10
                )
                return
            app.call_from_thread(app.notify, said, title=title, timeout=10)

        app.run_worker(work, thread=True, group=f"export-{kind}", exit_on_error=False)

    app.push_screen(
        PromptDialog(
            title,
            message=message,
            value=str(default_path(kind, app.db_path, app.now())),
            check=check,
            max_length=1000,
            ok="Write",
        ),
        chosen,
    )


def watch_calendar_file(app: PracticeApp) -> Callable[[], None]:
    """Show a warning when the kept-up-to-date calendar file cannot be written
    (the save itself has happened). Returns the function that stops watching."""
    import threading

    from practice_tui.domain.exchange import sync

    main = threading.get_ident()

    def failed(message: str) -> None:
        if threading.get_ident() == main:
            app.notify(message, title="Calendar file", severity="warning", timeout=10)
        else:
            app.call_from_thread(
                app.notify, message, title="Calendar file", severity="warning", timeout=10
            )

    sync.on_failure(failed)
    if sync.last_error:  # it failed before the app started (filling plans at open)
        failed(sync.last_error)
    return lambda: sync.remove_failure_listener(failed)
