"""``practice-tui audit`` (and, with the ``[encrypted]`` extra, ``encrypt``,
``decrypt``, ``passphrase``): the command-line side of issue 16's protections.
Registered by ``cli.py``; the bodies live here so the command line stays a
thin list of commands.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_security_commands(
    commands: argparse._SubParsersAction,
    add_db: Callable[[argparse.ArgumentParser], None],
) -> None:
    """``audit`` (and the encryption commands) beside the others."""
    audit = commands.add_parser(
        "audit",
        help="print the audit trail of changes and exports; --verify checks it for tampering",
    )
    audit.add_argument("--client", metavar="NAME-OR-ID", help="only this client's rows")
    audit.add_argument("--from", dest="first", metavar="DATE", help="only rows from this day on")
    audit.add_argument(
        "--verify",
        action="store_true",
        help="check the trail's hash chain, the records it audited and the database's locks "
        "(exit status 1 if anything was changed behind the app's back)",
    )
    add_db(audit)


SECURITY_COMMANDS = ("audit",)


def run_security_command(
    args: argparse.Namespace,
    now: dt.datetime | None,
    *,
    open_file: Callable[..., None],
    clock: Callable[[], dt.datetime],
) -> int:
    if args.command == "audit":
        return _audit(args, now, open_file=open_file, clock=clock)
    raise AssertionError(args.command)


def _audit(
    args: argparse.Namespace,
    now: dt.datetime | None,
    *,
    open_file: Callable[..., None],
    clock: Callable[[], dt.datetime],
) -> int:
    from practice_tui.domain.audit_verify import trail, verify
    from practice_tui.domain.dates import parse_date
    from practice_tui.domain.documents.record import find_client
    from practice_tui.domain.errors import PracticeError
    from practice_tui.paths import resolve_db_path
    from practice_tui.textutil import visible

    if args.verify and (args.client or args.first):
        print(
            "practice-tui: --verify checks the whole trail; no --client or --from", file=sys.stderr
        )
        return EXIT_USAGE
    open_file(resolve_db_path(args.db), create=False, readonly=True)
    if args.verify:
        report = verify()
        for warning in report.warnings:
            print(f"warning: {visible(warning)}")
        for problem in report.problems:
            print(f"PROBLEM: {visible(problem)}")
        verdict = (
            "the trail is intact and every audited record matches it"
            if report.ok
            else f"{len(report.problems)} problem(s) found"
        )
        print(f"{report.rows} audit rows checked: {verdict}.")
        print(f"chain head: {report.head}  (keep this to compare later)")
        return EXIT_OK if report.ok else EXIT_FAILED
    today = (now or clock()).date()
    try:
        client_id = find_client(args.client) if args.client else None
        since = parse_date(args.first, today) if args.first else None
    except PracticeError as error:
        print(f"practice-tui: {error}", file=sys.stderr)
        return EXIT_USAGE
    rows = trail(client_id=client_id, since=since)
    for entry in rows:
        print(visible(entry.line))
    if not rows:
        print(
            "no audit rows"
            + (" for that client" if client_id else "")
            + (" from that day" if since else "")
        )
    return EXIT_OK
