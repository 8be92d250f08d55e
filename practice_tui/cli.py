"""The command line: a thin face on the same domain as the app.

``practice-tui`` opens the app; subcommands print plain text for scripts.
``--db`` may come before or after a subcommand. A bad argument prints one line
and exits with status 2; a file that cannot be used prints one line and exits
with status 1. Neither shows a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from practice_tui import __version__
from practice_tui.paths import ENV_VAR, default_db_path, resolve_db_path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

#: The note editor keeps a draft after this many seconds of typing (and when a
#: field is left), so a crash or a closed terminal loses at most that much.
AUTOSAVE_SECONDS = 5.0


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one clear line (and status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"practice-tui: {message} (see practice-tui --help)\n")


def _add_db(parser: argparse.ArgumentParser, *, top: bool) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None if top else argparse.SUPPRESS,
        help=f"the practice file to use (default: ${ENV_VAR} or {default_db_path()})",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="practice-tui",
        description="Run a medical massage practice from the terminal: today's schedule, "
        "clients, session notes and treatment plans, in one local SQLite file.",
    )
    parser.add_argument("--version", action="version", version=f"practice-tui {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a realistic demo practice in a temporary file "
        "(with --db FILE, write the demo practice to FILE so it can be kept)",
    )
    _add_db(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    agenda = commands.add_parser("agenda", help="print a day's appointments as plain text")
    agenda.add_argument(
        "date", nargs="*", default=["today"], help="2026-12-03, today, tomorrow, fri, dec 3 …"
    )
    _add_db(agenda, top=False)

    locate = commands.add_parser("locate", help="print the paths in use")
    _add_db(locate, top=False)

    backup = commands.add_parser("backup", help="copy the practice file safely, even while open")
    backup.add_argument(
        "file", nargs="?", help="where to write the copy (default: next to the practice file)"
    )
    _add_db(backup, top=False)
    return parser


def _fail(message: str) -> int:
    print(f"practice-tui: {message}", file=sys.stderr)
    return EXIT_FAILED


def _open(path: Path, *, create: bool = True, readonly: bool = False) -> None:
    """Open the practice file. Read-only commands (``readonly``) take no write
    lock and create nothing. An empty (0-byte) file holds no practice: the app
    asks on the terminal before starting a new practice in it."""
    from practice_tui.domain.db import is_readonly, open_database
    from practice_tui.domain.errors import DatabaseError, EmptyFileError
    from practice_tui.domain.settings import ensure_practice

    if not create and not readonly and not path.exists():
        raise DatabaseError(f"There is no practice file at {path}.")
    try:
        open_database(path, readonly=readonly, create=create)
    except EmptyFileError:
        if readonly or not create or not _ask_new_practice(path):
            raise
        open_database(path, allow_empty=True)
    if not is_readonly():
        ensure_practice()


def _ask_new_practice(path: Path) -> bool:
    """Ask on the terminal (only there) whether to start a new practice in an empty file."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return False
    try:
        answer = input(
            f"{path} is empty (0 bytes): there is no practice in this file.\n"
            "Start a new practice in it? [y/N] "
        )
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def _cmd_agenda(args: argparse.Namespace, now: dt.datetime) -> int:
    from practice_tui.domain.dates import parse_date
    from practice_tui.domain.errors import PracticeError
    from practice_tui.domain.schedule import day_view
    from practice_tui.domain.settings import get_practice
    from practice_tui.textutil import one_line, visible

    try:
        day = parse_date(" ".join(args.date), now.date())
    except PracticeError as error:
        print(f"practice-tui: {error}", file=sys.stderr)
        return EXIT_USAGE
    _open(resolve_db_path(args.db), readonly=True)
    view = day_view(day, now=now)
    print(f"{day:%A} {day.day} {day:%B %Y} · {visible(get_practice().name)}")
    if not view.appointments:
        print("No appointments")
        return EXIT_OK
    width = max(len(visible(a.client_name)) for a in view.appointments)
    service_width = max(len(a.service_name) for a in view.appointments)
    for item in view.appointments:
        marks = []
        if item.has_alert:
            marks.append(f"⚠ {one_line(item.contraindications, 40)}")
        if item.first_visit:
            marks.append("★ first visit")
        if item.note_owed:
            marks.append("✎ note owed")
        status = item.status.replace("_", "-")
        if item.late_cancel:
            status += " (late)"
        line = (
            f"{item.start:%H:%M}–{item.end:%H:%M}  {visible(item.client_name):<{width}}  "
            f"{visible(item.service_name):<{service_width}}  {status:<10}  {'  '.join(marks)}"
        )
        print(line.rstrip())
    return EXIT_OK


def _cmd_locate(args: argparse.Namespace) -> int:
    path = resolve_db_path(args.db)
    print(f"practice file: {path}{'' if path.exists() else ' (not created yet)'}")
    print(f"default:       {default_db_path()}")
    print(f"override with: --db PATH or ${ENV_VAR}")
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace, now: dt.datetime | None) -> int:
    """Copy the file (read-only: no write lock, works while the app saves).
    The default name carries the time to the second and never overwrites."""
    from practice_tui.domain.db import backup_to, database

    path = resolve_db_path(args.db)
    _open(path, readonly=True)
    if args.file:
        target = Path(args.file).expanduser()
        if target.is_dir():
            target = target / _backup_name(path, now)
    else:
        target = path.with_name(_backup_name(path, now))
    if args.file is None or target.name == _backup_name(path, now):
        target = _unused(target)
    if target.exists():
        return _fail(f"{target} already exists; choose another name.")
    backup_to(database.obj.connection(), target)
    print(f"backed up {path} to {target}")
    return EXIT_OK


def _backup_name(path: Path, now: dt.datetime | None) -> str:
    stamp = now or dt.datetime.now()
    return f"{path.stem}-backup-{stamp:%Y%m%d-%H%M%S}{path.suffix}"


def _unused(target: Path) -> Path:
    """``target``, or ``name-2``, ``name-3`` … when a backup of that second exists."""
    number = 2
    candidate = target
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}-{number}{target.suffix}")
        number += 1
    return candidate


def _run_app(path: Path, now: Callable[[], dt.datetime] | None) -> int:
    from practice_tui.ui.app import make_app

    make_app(db_path=path, clock=now, autosave_delay=AUTOSAVE_SECONDS).run()
    return EXIT_OK


def _demo(args: argparse.Namespace, now: dt.datetime) -> int:
    from practice_tui.domain.demo import build_demo

    if args.db:
        path = Path(args.db).expanduser()
        _open(path)
        counts = build_demo(now.date(), now)
        print(
            f"wrote the demo practice ({counts['clients']} clients, "
            f"{counts['appointments']} appointments) to {path}"
        )
        return _run_app(path, None)
    folder = Path(tempfile.mkdtemp(prefix="practice-tui-demo-"))
    remove = _remove_when_gone(folder)
    try:
        path = folder / "demo.db"
        _open(path)
        build_demo(now.date(), now)
        return _run_app(path, None)
    finally:
        remove()


def _remove_when_gone(folder: Path) -> Callable[[], None]:
    """Remove the demo's temporary folder however the program ends: a normal
    exit, an exception, the terminal closing (SIGHUP) or SIGTERM."""
    import atexit
    import shutil
    import signal

    def remove() -> None:
        from practice_tui.domain.db import close_database

        close_database()
        shutil.rmtree(folder, ignore_errors=True)

    def on_signal(signum: int, frame: object) -> None:
        remove()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    atexit.register(remove)
    for name in ("SIGHUP", "SIGTERM"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), on_signal)
    return remove


def main(argv: Sequence[str] | None = None, *, now: dt.datetime | None = None) -> int:
    """Run the command line; ``now`` pins the clock (tests)."""
    from practice_tui.domain.errors import PracticeError

    args = build_parser().parse_args(argv)
    pinned = now
    now = now or dt.datetime.now().replace(second=0, microsecond=0)
    try:
        if args.command == "agenda":
            code = _cmd_agenda(args, now)
        elif args.command == "locate":
            code = _cmd_locate(args)
        elif args.command == "backup":
            code = _cmd_backup(args, pinned)
        elif args.demo:
            return _demo(args, now)
        else:
            path = resolve_db_path(args.db)
            _open(path)
            return _run_app(path, None)
        sys.stdout.flush()
        return code
    except PracticeError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``agenda | head -1``): stop quietly, and point
        # stdout at nothing so the interpreter's last flush cannot complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    finally:
        from practice_tui.domain.db import close_database

        close_database()
