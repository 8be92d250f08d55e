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
from practice_tui.domain.words import full_date, span
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


def _days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 366:
        raise argparse.ArgumentTypeError(f"--days is a whole number from 1 to 366, not {text!r}")
    return int(text)


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
    agenda.add_argument(
        "--days", type=_days, default=1, metavar="N", help="print N days from DATE (1–366)"
    )
    agenda.add_argument(
        "--json", action="store_true", help="a JSON list of appointments, for scripts"
    )
    _add_db(agenda, top=False)

    settings = commands.add_parser(
        "settings", help="print the practice's settings as plain text (read-only)"
    )
    _add_db(settings, top=False)

    locate = commands.add_parser("locate", help="print the paths in use")
    _add_db(locate, top=False)

    backup = commands.add_parser("backup", help="copy the practice file safely, even while open")
    backup.add_argument(
        "file", nargs="?", help="where to write the copy (default: next to the practice file)"
    )
    _add_db(backup, top=False)
    _add_exchange_commands(commands)
    restore = commands.add_parser(
        "restore", help="put a backup in place of the practice file (the current one is kept)"
    )
    restore.add_argument("backup", help="the backup file to restore")
    _add_db(restore, top=False)

    bill = commands.add_parser(
        "superbill", help="print a client's insurance superbill (CPT units by the 8-minute rule)"
    )
    bill.add_argument("client", help="the client's name (or part of it)")
    bill.add_argument("--from", dest="first", required=True, metavar="DATE")
    bill.add_argument("--to", dest="last", required=True, metavar="DATE")
    bill.add_argument("--pdf", metavar="FILE", help="also write the superbill as a PDF")
    bill.add_argument("--csv", action="store_true", help="print CSV, one line per code")
    _add_db(bill, top=False)

    report = commands.add_parser("report", help="reports for the accountant")
    report.add_argument("kind", choices=["income"])
    report.add_argument("--from", dest="first", required=True, metavar="DATE")
    report.add_argument("--to", dest="last", required=True, metavar="DATE")
    report.add_argument("--csv", action="store_true", help="print CSV")
    _add_db(report, top=False)
    return parser


def _add_exchange_commands(commands: argparse._SubParsersAction) -> None:
    """export ics|csv, import ics|clients, restore (data in and out)."""
    export = commands.add_parser("export", help="write the practice's data to a calendar or CSV")
    kinds = export.add_subparsers(dest="kind", metavar="KIND", parser_class=_Parser)
    kinds.required = True
    ics = kinds.add_parser("ics", help="booked and completed appointments as an iCalendar file")
    ics.add_argument("file", nargs="?", help="the .ics file to write (- for standard output)")
    ics.add_argument("--from", dest="first", metavar="DATE", help="first day (default: all)")
    ics.add_argument("--to", dest="last", metavar="DATE", help="last day (default: all)")
    ics.add_argument(
        "--initials", action="store_true", help="name clients by initials only (for cloud sync)"
    )
    ics.add_argument(
        "--keep-updated",
        action="store_true",
        help="rewrite FILE after every change from now on (initials only unless --names)",
    )
    ics.add_argument(
        "--names", action="store_true", help="with --keep-updated: full names in the kept file"
    )
    ics.add_argument(
        "--stop-updating", action="store_true", help="stop keeping a calendar file up to date"
    )
    _add_db(ics, top=False)
    import_ = commands.add_parser("import", help="bring in a calendar or a client list")
    sources = import_.add_subparsers(dest="kind", metavar="KIND", parser_class=_Parser)
    sources.required = True
    ics_in = sources.add_parser("ics", help="a calendar's events as appointments and plans")
    ics_in.add_argument("file", help="the .ics file (e.g. a Google Calendar export)")
    ics_in.add_argument(
        "--from", dest="since", metavar="DATE", help="leave out dates before DATE (e.g. today)"
    )
    ics_in.add_argument(
        "--check", action="store_true", help="report what would happen; write nothing"
    )
    _add_db(ics_in, top=False)
    clients_in = sources.add_parser("clients", help="a client list exported as CSV")
    clients_in.add_argument("file", help="the .csv file (a header row names the columns)")
    clients_in.add_argument(
        "--check", action="store_true", help="report what would happen; write nothing"
    )
    _add_db(clients_in, top=False)
    csv_ = kinds.add_parser("csv", help="clients, appointments and notes as CSV files")
    csv_.add_argument("folder", help="the folder to write the CSV files into")
    _add_db(csv_, top=False)

    from practice_tui.records_cli import add_record_commands

    add_record_commands(kinds, sources, lambda sub: _add_db(sub, top=False))
    from practice_tui.security_cli import add_security_commands

    add_security_commands(commands, lambda sub: _add_db(sub, top=False))


def _fail(message: str) -> int:
    print(f"practice-tui: {message}", file=sys.stderr)
    return EXIT_FAILED


def _open(path: Path, *, create: bool = True, readonly: bool = False) -> None:
    """Open the practice file. Read-only commands (``readonly``) take no write
    lock and create nothing. An empty (0-byte) file holds no practice: the app
    asks on the terminal before starting a new practice in it."""
    from practice_tui.domain.db import is_readonly, open_database
    from practice_tui.domain.errors import DatabaseError, EmptyFileError
    from practice_tui.domain.exchange import sync
    from practice_tui.domain.settings import ensure_practice

    if not create and not readonly and not path.exists():
        raise DatabaseError(f"There is no practice file at {path}.")
    from practice_tui.security_cli import open_with_passphrase

    try:
        open_with_passphrase(open_database, path, readonly=readonly, create=create)
    except EmptyFileError:
        if readonly or not create or not _ask_new_practice(path):
            raise
        open_database(path, allow_empty=True)
    if not is_readonly():
        ensure_practice()
        sync.install()


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


def _marks(item: object) -> list[str]:
    marks = []
    if item.has_alert:  # type: ignore[attr-defined]
        marks.append("precaution")
    if item.first_visit:  # type: ignore[attr-defined]
        marks.append("first visit")
    if item.note_owed:  # type: ignore[attr-defined]
        marks.append("note owed")
    if item.late_cancel:  # type: ignore[attr-defined]
        marks.append("late cancel")
    return marks


def _practice_now(*, to_the_second: bool = False) -> dt.datetime:
    """Now on the practice's clock (its time zone, not the computer's), to the
    minute (or ``to_the_second``)."""
    from practice_tui.domain.clock import practice_now
    from practice_tui.domain.settings import get_practice

    get_practice()  # remembers the practice's zone
    return practice_now() if to_the_second else practice_now().replace(second=0)


def _cmd_settings(args: argparse.Namespace, now: dt.datetime | None) -> int:
    from practice_tui.domain.availability import upcoming_time_off
    from practice_tui.domain.money import format_amount
    from practice_tui.domain.settings import WEEKDAYS, get_practice, list_services
    from practice_tui.textutil import visible

    _open(resolve_db_path(args.db), readonly=True)
    now = now or _practice_now()
    info = get_practice()
    print("Practice")
    rows = [
        ("Name", info.name),
        ("Therapist", " ".join(p for p in (info.therapist_name, info.credentials) if p)),
        ("Registration", info.registration),
        ("NPI", info.npi),
        ("Tax number", info.tax_id),
        ("Address", ", ".join(line.strip() for line in info.address.splitlines() if line.strip())),
        ("Phone", info.phone),
        ("Email", info.email),
        ("Currency", f"{info.currency_code} ({info.currency_symbol})"),
        ("Time zone", info.timezone),
    ]
    for label, value in rows:
        print(f"  {label + ':':<14}{visible(value) if value else '—'}")
    print("Working hours")
    for weekday, name in enumerate(WEEKDAYS):
        day = info.hours_on(weekday)
        if day is None:
            print(f"  {name:<10}  off")
            continue
        line = f"  {name:<10}  {day.start:%H:%M}–{day.end:%H:%M}"
        if day.break_start and day.break_end:
            line += f"  break {day.break_start:%H:%M}–{day.break_end:%H:%M}"
        print(line)
    print("Upcoming time off")
    blocks = upcoming_time_off(now.date())
    if not blocks:
        print("  none")
    for block in blocks:
        print(f"  {block.when}  {visible(block.label)}")
    print("Services")
    services = list_services()
    width = max((len(visible(s.name)) for s in services), default=0)
    for service in services:
        price = format_amount(service.price_cents, info.currency_symbol)
        codes = f"  {service.cpt_codes}" if service.cpt_codes else ""
        print(f"  {visible(service.name):<{width}}  {service.minutes:>3} min  {price:>10}{codes}")
    print("Policies")
    print(f"  {'Buffer:':<24}{info.buffer_minutes} min between sessions")
    print(f"  {'Late-cancel window:':<24}{info.late_cancel_hours} h before the start")
    print(f"  {'Plan horizon:':<24}{info.plan_horizon_weeks} weeks")
    print(f"  {'Default session length:':<24}{info.default_minutes} min")
    return EXIT_OK


def _cmd_agenda(args: argparse.Namespace, now: dt.datetime | None) -> int:
    import json

    from practice_tui.domain.dates import parse_date
    from practice_tui.domain.errors import PracticeError
    from practice_tui.domain.settings import get_practice
    from practice_tui.domain.today import day_view
    from practice_tui.textutil import one_line, visible

    try:
        # A first check of the date before the file is opened, so a typo is a
        # usage error whatever the file; the day itself is read on the
        # practice's clock below.
        parse_date(" ".join(args.date), (now or dt.datetime.now()).date())
    except PracticeError as error:
        print(f"practice-tui: {error}", file=sys.stderr)
        return EXIT_USAGE
    _open(resolve_db_path(args.db), readonly=True)
    now = now or _practice_now()
    first = parse_date(" ".join(args.date), now.date())
    days = [first + dt.timedelta(days=n) for n in range(args.days)]
    if args.json:
        items = [
            {
                "start": item.start.isoformat(timespec="minutes"),
                "end": item.end.isoformat(timespec="minutes"),
                "client": item.client_name,
                "service": item.service_name,
                "status": item.status.replace("_", "-"),
                "marks": _marks(item),
                "precaution": item.contraindications.strip() or None,
            }
            for day in days
            for item in day_view(day, now=now).appointments
        ]
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return EXIT_OK
    name = visible(get_practice().name)
    for number, day in enumerate(days):
        if number:
            print()
        view = day_view(day, now=now)
        print(f"{full_date(day)} · {name}")
        if not view.appointments:
            print("No appointments")
            continue
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
                f"{span(item.start, item.end)}  {visible(item.client_name):<{width}}  "
                f"{visible(item.service_name):<{service_width}}  {status:<10}  "
                f"{'  '.join(marks)}"
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
    name = _backup_name(path, now or _practice_now(to_the_second=True))
    if args.file:
        target = Path(args.file).expanduser()
        if target.is_dir():
            target = target / name
    else:
        target = path.with_name(name)
    if args.file is None or target.name == name:
        target = _unused(target)
    if target.exists():
        return _fail(f"{target} already exists; choose another name.")
    backup_to(database.obj.connection(), target)
    from practice_tui.domain.audit import export_noted

    export_noted("backup")
    print(f"backed up {path} to {target}")
    return EXIT_OK


def _backup_name(path: Path, now: dt.datetime) -> str:
    return f"{path.stem}-backup-{now:%Y%m%d-%H%M%S}{path.suffix}"


def _unused(target: Path) -> Path:
    """``target``, or ``name-2``, ``name-3`` … when a backup of that second exists."""
    number = 2
    candidate = target
    while candidate.exists():
        candidate = target.with_name(f"{target.stem}-{number}{target.suffix}")
        number += 1
    return candidate


def _day(text: str | None, now: dt.datetime) -> dt.date | None:
    from practice_tui.domain.dates import parse_date

    return parse_date(text, now.date()) if text else None


def _cmd_export_ics(args: argparse.Namespace, now: dt.datetime | None) -> int:
    from practice_tui.domain.errors import PracticeError
    from practice_tui.domain.exchange import sync
    from practice_tui.domain.exchange.ics import export_ics

    try:
        # Dates are checked before the file is opened, so a typo is a usage
        # error whatever the file; they are read on the practice's clock below.
        first = _day(args.first, now or dt.datetime.now())
        last = _day(args.last, now or dt.datetime.now())
        if args.stop_updating and (args.file or args.keep_updated):
            raise PracticeError("--stop-updating takes no FILE and no --keep-updated")
        if not args.stop_updating and not args.file:
            raise PracticeError("export ics needs a FILE (or - for standard output)")
        if args.keep_updated and (args.file == "-" or first or last or args.initials):
            raise PracticeError(
                "--keep-updated needs a file name and no --from/--to/--initials "
                "(the kept file holds the last 90 days and everything ahead, initials "
                "unless --names)"
            )
        if args.names and not args.keep_updated:
            raise PracticeError("--names goes with --keep-updated")
    except PracticeError as error:
        print(f"practice-tui: {error}", file=sys.stderr)
        return EXIT_USAGE
    readonly = not (args.keep_updated or args.stop_updating)  # plain exports only read
    _open(resolve_db_path(args.db), create=False, readonly=readonly)
    now = now or _practice_now()
    first, last = _day(args.first, now), _day(args.last, now)
    if args.stop_updating:
        before = sync.stop_calendar_updates()
        print(
            f"stopped keeping {before.path} up to date (the file is left as it is)"
            if before.path
            else "no calendar file was being kept up to date"
        )
        return EXIT_OK
    if args.keep_updated:
        setting = sync.keep_calendar_updated(args.file, initials=not args.names)
        who = "initials only" if setting.initials else "full names"
        print(f"wrote {setting.path} ({who}); it is rewritten after every change from now on")
        return EXIT_OK
    export = export_ics(first, last, only_initials=args.initials)
    if args.file == "-":
        sys.stdout.buffer.write(export.data)
        sys.stdout.flush()
        _note_export("calendar", export.events)
        return EXIT_OK
    target = Path(args.file).expanduser()
    if target.is_dir():
        return _fail(f"{target} is a folder; give a file name such as practice.ics.")
    try:
        sync.write_atomically(target, export.data)
    except OSError as error:
        return _fail(f"cannot write {target}: {error.strerror or error}")
    print(f"wrote {export.events} appointment{'s' if export.events != 1 else ''} to {target}")
    _note_export("calendar", export.events)
    return EXIT_OK


def _note_export(what: str, count: int) -> None:
    from practice_tui.domain.audit import export_noted

    export_noted(what, count=count)


def _cmd_export_csv(args: argparse.Namespace) -> int:
    from practice_tui.domain.exchange.tables import export_csv

    _open(resolve_db_path(args.db), readonly=True)
    result = export_csv(args.folder)
    for file in result.files:
        print(f"wrote {file.rows} row{'s' if file.rows != 1 else ''} to {file.path}")
    return EXIT_OK


def _read_input(name: str) -> bytes:
    from practice_tui.domain.errors import PracticeError

    path = Path(name).expanduser()
    try:
        return path.read_bytes()
    except OSError as error:
        raise PracticeError(f"cannot read {path}: {error.strerror or error}") from error


def _cmd_import_ics(args: argparse.Namespace, now: dt.datetime | None) -> int:
    from practice_tui.domain.errors import PracticeError
    from practice_tui.domain.exchange.ics_import import import_ics, import_report

    try:
        _day(args.since, now or dt.datetime.now())  # a typo is a usage error
    except PracticeError as error:
        print(f"practice-tui: {error}", file=sys.stderr)
        return EXIT_USAGE
    data = _read_input(args.file)
    _open(resolve_db_path(args.db), create=False)
    now = now or _practice_now()
    since = _day(args.since, now)
    result = import_ics(data, now=now, name=Path(args.file).name, check=args.check, since=since)
    for line in import_report(result):
        print(visible_line(line))
    return EXIT_OK


def _cmd_import_clients(args: argparse.Namespace, now: dt.datetime | None) -> int:
    from practice_tui.domain.exchange.client_import import import_clients, import_report

    data = _read_input(args.file)
    _open(resolve_db_path(args.db), create=False)
    now = now or _practice_now()
    result = import_clients(data, now=now, check=args.check)
    for line in import_report(result):
        print(visible_line(line))
    return EXIT_OK


def visible_line(text: str) -> str:
    """A line of the report with control characters made visible (titles are data)."""
    from practice_tui.textutil import visible

    return visible(text)


def _cmd_restore(args: argparse.Namespace, now: dt.datetime | None) -> int:
    from practice_tui.domain.exchange.restore import restore_backup

    target = resolve_db_path(args.db)
    now = now or dt.datetime.now().replace(microsecond=0)  # only names the file kept aside
    from practice_tui.security_cli import with_passphrase

    done = with_passphrase(
        Path(args.backup).expanduser(),
        lambda key: restore_backup(args.backup, target, now=now, passphrase=key),
    )
    if done.kept_aside:
        print(f"kept the current practice file as {done.kept_aside}")
    print(
        f"restored {done.backup} to {done.target} "
        f"({done.clients} clients, {done.appointments} appointments)"
    )
    return EXIT_OK


def _dates(args: argparse.Namespace, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """``--from``/``--to`` read against ``today``, or None (and why, on stderr)."""
    from practice_tui.domain.dates import parse_date
    from practice_tui.domain.errors import PracticeError

    try:
        first, last = parse_date(args.first, today), parse_date(args.last, today)
    except PracticeError as error:
        print(f"practice-tui: {error}", file=sys.stderr)
        return None
    if last < first:
        print("practice-tui: --to is before --from", file=sys.stderr)
        return None
    return first, last


def _open_for_report(
    args: argparse.Namespace, now: dt.datetime | None
) -> tuple[dt.datetime, tuple[dt.date, dt.date]] | None:
    """Check the dates (a typo is a usage error whatever the file), open the file
    read-only, and read the dates on the practice's clock ("today", "mon")."""
    if _dates(args, (now or dt.datetime.now()).date()) is None:
        return None
    _open(resolve_db_path(args.db), create=False, readonly=True)
    now = now or _practice_now()
    dates = _dates(args, now.date())
    return None if dates is None else (now, dates)


def _cmd_superbill(args: argparse.Namespace, now: dt.datetime | None) -> int:
    from practice_tui.domain.clients import search_clients
    from practice_tui.domain.money import format_amount
    from practice_tui.domain.superbill import superbill, superbill_csv, superbill_pdf
    from practice_tui.textutil import visible

    opened = _open_for_report(args, now)
    if opened is None:
        return EXIT_USAGE
    now, dates = opened
    found = search_clients(args.client, now=now, include_archived=True)
    if not found:
        return _fail(f"no client matches “{visible(args.client)}”.")
    if len(found) > 1:
        exact = [c for c in found if c.name.lower() == args.client.strip().lower()]
        if len(exact) != 1:
            names = ", ".join(visible(c.name) for c in found[:5])
            return _fail(f"“{visible(args.client)}” matches several clients: {names}.")
        found = exact
    bill = superbill(found[0].id, *dates)
    if args.pdf:
        superbill_pdf(bill, Path(args.pdf).expanduser())
    if args.csv:
        sys.stdout.write(superbill_csv(bill))
        return EXIT_OK
    symbol = bill.practice["symbol"]
    print(f"Superbill · {visible(bill.client_name)} · {bill.first_day} to {bill.last_day}")
    for index, diagnosis in enumerate(bill.diagnoses[:4]):
        print(f"  {'ABCD'[index]}  {diagnosis.code}  {visible(diagnosis.description)}")
    if bill.referring_provider:
        print(f"Referring: {visible(bill.referring_provider)} NPI {bill.referring_npi or '—'}")
    print("date        POS  CPT    mod  min  units  dx    fee        paid")
    for line in bill.lines:
        print(
            f"{line.date}  {line.place:<3}  {line.cpt}  {line.modifier:<3}  {line.minutes:>3}  "
            f"{line.units:>5}  {line.pointers:<4}  {format_amount(line.fee_cents, symbol):>9}  "
            f"{format_amount(line.paid_cents, symbol):>9}"
        )
    print(
        f"total units {sum(x.units for x in bill.lines)} · fee "
        f"{format_amount(bill.fee_cents, symbol)} · paid {format_amount(bill.paid_cents, symbol)}"
    )
    if args.pdf:
        print(f"wrote {args.pdf}")
    return EXIT_OK


def _cmd_report(args: argparse.Namespace, now: dt.datetime | None) -> int:
    import csv

    from practice_tui.domain.income import income_report
    from practice_tui.domain.money import format_amount, plain_amount
    from practice_tui.domain.payments import owing
    from practice_tui.domain.settings import get_practice
    from practice_tui.textutil import visible

    opened = _open_for_report(args, now)
    if opened is None:
        return EXIT_USAGE
    now, dates = opened
    report = income_report(*dates)
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(("section", "name", "sessions", "amount"))
        for month in report.by_month:
            writer.writerow(("month", f"{month.month:%Y-%m}", "", plain_amount(month.cents)))
        for method, cents in report.by_method:
            writer.writerow(("method", method, "", plain_amount(cents)))
        for service, count, cents in report.by_service:
            writer.writerow(("service", service, count, plain_amount(cents)))
        writer.writerow(("total", "received", "", plain_amount(report.received_cents)))
        writer.writerow(("total", "refunded", "", plain_amount(report.refunded_cents)))
        writer.writerow(("total", "net", "", plain_amount(report.net_cents)))
        return EXIT_OK
    symbol = get_practice().currency_symbol
    print(f"Income {report.first_day} to {report.last_day}")
    print(
        f"  received {format_amount(report.received_cents, symbol)} · refunded "
        f"{format_amount(report.refunded_cents, symbol)} · "
        f"net {format_amount(report.net_cents, symbol)}"
    )
    print("By month")
    for month in report.by_month:
        print(f"  {month.month:%b %Y}  {format_amount(month.cents, symbol):>12}")
    print("By method")
    for method, cents in report.by_method:
        print(f"  {method:<18}{format_amount(cents, symbol):>12}")
    print("By service (fees charged)")
    for service, count, cents in report.by_service:
        print(f"  {visible(service):<34}{count:>4}  {format_amount(cents, symbol):>12}")
    print("Owed to the practice now")
    for item in owing():
        print(
            f"  {visible(item.client_name):<28}{format_amount(item.owed_cents, symbol):>12}"
            f"  since {item.oldest}"
        )
    return EXIT_OK


def _run_app(path: Path, now: Callable[[], dt.datetime] | None, *, welcome: bool = False) -> int:
    from practice_tui.domain.exchange.restore import app_running
    from practice_tui.ui.app import make_app

    # While the app runs, ``restore`` can tell the file is open and refuses.
    with app_running(path):
        make_app(db_path=path, clock=now, welcome=welcome, autosave_delay=AUTOSAVE_SECONDS).run()
    return EXIT_OK


def _demo(args: argparse.Namespace, now: dt.datetime | None) -> int:
    from practice_tui.domain.demo import build_demo
    from practice_tui.domain.settings import finish_setup

    if args.db:
        path = Path(args.db).expanduser()
        _open(path)
        now = now or _practice_now()
        counts = build_demo(now.date(), now)
        finish_setup()
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
        now = now or _practice_now()
        build_demo(now.date(), now)
        finish_setup()
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
    try:
        if args.command == "agenda":
            code = _cmd_agenda(args, now)
        elif args.command == "settings":
            code = _cmd_settings(args, now)
        elif args.command == "locate":
            code = _cmd_locate(args)
        elif args.command == "backup":
            code = _cmd_backup(args, now)
        elif args.command == "restore":
            code = _cmd_restore(args, now)
        elif args.command == "export" and args.kind == "ics":
            code = _cmd_export_ics(args, now)
        elif args.command == "export" and args.kind == "csv":
            code = _cmd_export_csv(args)
        elif args.command == "import" and args.kind == "ics":
            code = _cmd_import_ics(args, now)
        elif args.command == "import" and args.kind == "clients":
            code = _cmd_import_clients(args, now)
        elif args.command in ("export", "import") and args.kind == "client":
            from practice_tui.records_cli import run_record_command

            code = run_record_command(args, now, open_file=_open, clock=_practice_now)
        elif args.command in ("audit", "encrypt", "decrypt", "passphrase"):
            from practice_tui.security_cli import run_security_command

            code = run_security_command(args, now, open_file=_open, clock=_practice_now)
        elif args.command == "superbill":
            code = _cmd_superbill(args, now)
        elif args.command == "report":
            code = _cmd_report(args, now)
        elif args.demo:
            return _demo(args, now)
        else:
            path = resolve_db_path(args.db)
            _open(path)
            return _run_app(path, None, welcome=True)
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
