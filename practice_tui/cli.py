"""The command line: a thin face on the same domain as the app.

``practice-tui`` opens the app; subcommands print plain text for scripts.
``--db`` may come before or after a subcommand. A bad argument prints one line
and exits with status 2; a file that cannot be used prints one line and exits
with status 1. Neither shows a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from practice_tui import __version__
from practice_tui.paths import ENV_VAR, default_db_path, resolve_db_path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


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

    from practice_tui.records_cli import add_record_commands

    add_record_commands(commands, lambda sub: _add_db(sub, top=False))
    return parser


def _fail(message: str) -> int:
    print(f"practice-tui: {message}", file=sys.stderr)
    return EXIT_FAILED


def _open(path: Path, *, create: bool = True) -> None:
    from practice_tui.domain.db import open_database
    from practice_tui.domain.settings import ensure_practice

    if not create and not path.exists():
        from practice_tui.domain.errors import DatabaseError

        raise DatabaseError(f"There is no practice file at {path}.")
    open_database(path)
    ensure_practice()


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
    _open(resolve_db_path(args.db), create=False)
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


def _cmd_backup(args: argparse.Namespace, now: dt.datetime) -> int:
    from practice_tui.domain.db import backup_to, database

    path = resolve_db_path(args.db)
    _open(path, create=False)
    target = (
        Path(args.file).expanduser()
        if args.file
        else path.with_name(f"{path.stem}-backup-{now:%Y%m%d-%H%M%S}{path.suffix}")
    )
    if target.exists():
        return _fail(f"{target} already exists; choose another name.")
    backup_to(database.obj, target)
    print(f"backed up {path} to {target}")
    return EXIT_OK


def _run_app(path: Path, now: Callable[[], dt.datetime] | None) -> int:
    from practice_tui.ui.app import make_app

    make_app(db_path=path, clock=now).run()
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
    with tempfile.TemporaryDirectory(prefix="practice-tui-demo-") as folder:
        path = Path(folder) / "demo.db"
        _open(path)
        build_demo(now.date(), now)
        return _run_app(path, None)


def main(argv: Sequence[str] | None = None, *, now: dt.datetime | None = None) -> int:
    """Run the command line; ``now`` pins the clock (tests)."""
    from practice_tui.domain.errors import PracticeError

    args = build_parser().parse_args(argv)
    now = now or dt.datetime.now().replace(second=0, microsecond=0)
    try:
        if args.command == "agenda":
            return _cmd_agenda(args, now)
        if args.command == "locate":
            return _cmd_locate(args)
        if args.command == "backup":
            return _cmd_backup(args, now)
        if args.command in ("export", "import"):
            from practice_tui.records_cli import run_record_command

            return run_record_command(args, now, open_file=_open)
        if args.demo:
            return _demo(args, now)
        path = resolve_db_path(args.db)
        _open(path)
        return _run_app(path, None)
    except PracticeError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
