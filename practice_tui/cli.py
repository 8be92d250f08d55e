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


def _practice_now() -> dt.datetime:
    """Now on the practice's clock (its time zone, not the computer's), to the minute."""
    from practice_tui.domain.clock import practice_now
    from practice_tui.domain.settings import get_practice

    get_practice()  # remembers the practice's zone
    return practice_now().replace(second=0)


def _cmd_settings(args: argparse.Namespace, now: dt.datetime | None) -> int:
    from practice_tui.domain.availability import upcoming_time_off
    from practice_tui.domain.money import format_amount
    from practice_tui.domain.settings import WEEKDAYS, get_practice, list_services
    from practice_tui.textutil import visible

    _open(resolve_db_path(args.db), create=False)
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
    from practice_tui.domain.dates import parse_date
    from practice_tui.domain.errors import PracticeError
    from practice_tui.domain.schedule import day_view
    from practice_tui.domain.settings import get_practice
    from practice_tui.textutil import one_line, visible

    try:
        # A first check of the date before the file is opened, so a typo is a
        # usage error whatever the file; the day itself is read on the
        # practice's clock below.
        parse_date(" ".join(args.date), (now or dt.datetime.now()).date())
    except PracticeError as error:
        print(f"practice-tui: {error}", file=sys.stderr)
        return EXIT_USAGE
    _open(resolve_db_path(args.db), create=False)
    now = now or _practice_now()
    day = parse_date(" ".join(args.date), now.date())
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
    from practice_tui.domain.db import backup_to, database

    path = resolve_db_path(args.db)
    _open(path, create=False)
    now = now or _practice_now()
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


def _dates(args: argparse.Namespace) -> tuple[dt.date, dt.date] | None:
    from practice_tui.domain.dates import parse_date
    from practice_tui.domain.errors import PracticeError

    today = dt.date.today()
    try:
        first, last = parse_date(args.first, today), parse_date(args.last, today)
    except PracticeError as error:
        print(f"practice-tui: {error}", file=sys.stderr)
        return None
    if last < first:
        print("practice-tui: --to is before --from", file=sys.stderr)
        return None
    return first, last


def _cmd_superbill(args: argparse.Namespace) -> int:
    from practice_tui.domain.clients import search_clients
    from practice_tui.domain.money import format_amount
    from practice_tui.domain.superbill import superbill, superbill_csv, superbill_pdf
    from practice_tui.textutil import visible

    dates = _dates(args)
    if dates is None:
        return EXIT_USAGE
    _open(resolve_db_path(args.db), create=False)
    found = search_clients(args.client, now=dt.datetime.now(), include_archived=True)
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


def _cmd_report(args: argparse.Namespace) -> int:
    import csv

    from practice_tui.domain.income import income_report
    from practice_tui.domain.money import format_amount, plain_amount
    from practice_tui.domain.payments import owing
    from practice_tui.domain.settings import get_practice
    from practice_tui.textutil import visible

    dates = _dates(args)
    if dates is None:
        return EXIT_USAGE
    _open(resolve_db_path(args.db), create=False)
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
    from practice_tui.ui.app import make_app

    make_app(db_path=path, clock=now, welcome=welcome).run()
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
    with tempfile.TemporaryDirectory(prefix="practice-tui-demo-") as folder:
        path = Path(folder) / "demo.db"
        _open(path)
        now = now or _practice_now()
        build_demo(now.date(), now)
        finish_setup()
        return _run_app(path, None)


def main(argv: Sequence[str] | None = None, *, now: dt.datetime | None = None) -> int:
    """Run the command line; ``now`` pins the clock (tests)."""
    from practice_tui.domain.errors import PracticeError

    args = build_parser().parse_args(argv)
    try:
        if args.command == "agenda":
            return _cmd_agenda(args, now)
        if args.command == "settings":
            return _cmd_settings(args, now)
        if args.command == "locate":
            return _cmd_locate(args)
        if args.command == "backup":
            return _cmd_backup(args, now)
        if args.command == "superbill":
            return _cmd_superbill(args)
        if args.command == "report":
            return _cmd_report(args)
        if args.demo:
            return _demo(args, now)
        path = resolve_db_path(args.db)
        _open(path)
        return _run_app(path, None, welcome=True)
    except PracticeError as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
