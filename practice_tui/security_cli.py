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
from typing import TypeVar

T = TypeVar("T")

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
    for name, help_text in (
        ("encrypt", "encrypt the practice file with a passphrase (needs the [encrypted] extra)"),
        ("decrypt", "turn an encrypted practice file back into a plain one"),
        ("passphrase", "change the passphrase of an encrypted practice file"),
    ):
        add_db(commands.add_parser(name, help=help_text))


SECURITY_COMMANDS = ("audit", "encrypt", "decrypt", "passphrase")

#: Wrong passphrases typed before opening gives up.
TRIES = 3


def _env_passphrase() -> str | None:
    import os

    from practice_tui.domain.encryption import PASSPHRASE_ENV

    return os.environ.get(PASSPHRASE_ENV) or None


def _ask(prompt: str) -> str | None:
    """A passphrase typed on the terminal (not echoed); None without a terminal."""
    import getpass

    if not sys.stdin.isatty():
        return None
    try:
        return getpass.getpass(prompt)
    except EOFError:
        return None


def open_with_passphrase(open_database: Callable[..., object], path, **options: object) -> None:
    """Open ``path``; an encrypted file asks for its passphrase first (from
    $PRACTICE_TUI_PASSPHRASE, else on the terminal: three tries)."""
    with_passphrase(path, lambda key: open_database(path, passphrase=key, **options))


def with_passphrase(path, attempt: Callable[[str | None], T]) -> T:
    """``attempt(None)``; if ``path`` turns out encrypted, ``attempt(passphrase)``
    with the passphrase from $PRACTICE_TUI_PASSPHRASE, else typed on the
    terminal (three tries)."""
    from practice_tui.domain.encryption import (
        PASSPHRASE_ENV,
        PassphraseNeeded,
        WrongPassphrase,
    )
    from practice_tui.domain.errors import DatabaseError

    try:
        return attempt(None)
    except PassphraseNeeded:
        pass
    from_env = _env_passphrase()
    if from_env is not None:
        try:
            return attempt(from_env)
        except WrongPassphrase as error:
            raise DatabaseError(
                f"${PASSPHRASE_ENV} does not open {path}: it is not its passphrase."
            ) from error
    for tried in range(1, TRIES + 1):
        typed = _ask(f"Passphrase for {path}: ")
        if typed is None:
            raise PassphraseNeeded(
                f"{path} is encrypted: type its passphrase on a terminal, or give it in "
                f"${PASSPHRASE_ENV}."
            )
        try:
            return attempt(typed)
        except WrongPassphrase:
            left = TRIES - tried
            if left:
                print(
                    f"That is not the passphrase of {path}. "
                    f"{left} {'try' if left == 1 else 'tries'} left.",
                    file=sys.stderr,
                )
    raise WrongPassphrase(f"Three wrong passphrases: {path} was not opened.")


def _new_passphrase() -> str:
    """A new passphrase: from $PRACTICE_TUI_NEW_PASSPHRASE (scripts), else typed twice."""
    import os

    from practice_tui.domain.encryption import check_passphrase
    from practice_tui.domain.errors import DatabaseError

    given = os.environ.get("PRACTICE_TUI_NEW_PASSPHRASE")
    if given:
        return check_passphrase(given)
    first = _ask("New passphrase (at least 8 characters; it cannot be recovered): ")
    if first is None:
        raise DatabaseError(
            "Type the new passphrase on a terminal (or give it in $PRACTICE_TUI_NEW_PASSPHRASE)."
        )
    check_passphrase(first)
    if _ask("The same passphrase again: ") != first:
        raise DatabaseError("The two passphrases differ; nothing was changed.")
    return first


def run_security_command(
    args: argparse.Namespace,
    now: dt.datetime | None,
    *,
    open_file: Callable[..., None],
    clock: Callable[[], dt.datetime],
) -> int:
    if args.command == "audit":
        return _audit(args, now, open_file=open_file, clock=clock)
    return _convert(args)


def _convert(args: argparse.Namespace) -> int:
    """``encrypt``, ``decrypt``, ``passphrase``: the file rewritten beside itself
    with the new key, checked, then put in place (``encryption.convert``)."""
    from practice_tui.domain import encryption
    from practice_tui.domain.db import close_database, database, is_encrypted, open_database
    from practice_tui.domain.exchange.restore import is_open_by_app
    from practice_tui.paths import resolve_db_path

    path = resolve_db_path(args.db)
    if not path.exists():
        print(f"practice-tui: there is no practice file at {path}", file=sys.stderr)
        return EXIT_FAILED
    encryption.driver()  # says what to install when the extra is missing
    encrypted = is_encrypted(path)
    if args.command == "encrypt" and encrypted:
        print(
            f"practice-tui: {path} is already encrypted (change it with passphrase)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    if args.command != "encrypt" and not encrypted:
        print(f"practice-tui: {path} is not encrypted (encrypt it with encrypt)", file=sys.stderr)
        return EXIT_FAILED
    if is_open_by_app(path):
        print(f"practice-tui: {path} is open in practice-tui; quit it first", file=sys.stderr)
        return EXIT_FAILED
    # The file is opened (and so checked, and migrated if older) first.
    open_with_passphrase(open_database, path, create=False)
    old = getattr(database.obj, "passphrase", None)
    close_database()
    new = None if args.command == "decrypt" else _new_passphrase()
    encryption.convert(path, old=old, new=new)
    said = {
        "encrypt": "encrypted; it now opens only with the passphrase",
        "decrypt": "decrypted; it is a plain file again",
        "passphrase": "given its new passphrase",
    }[args.command]
    print(f"{path} {said}.")
    if args.command == "encrypt":
        print(
            "Backups and exports made before now are not encrypted: delete them or keep "
            "them somewhere safe. A forgotten passphrase cannot be recovered."
        )
    return EXIT_OK


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
