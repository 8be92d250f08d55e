"""``practice-tui export client`` and ``practice-tui import client``: a client's
whole record out of one practice file and into another (see
``domain/documents/record.py``). Registered by ``cli.py``; the bodies live
here so the command line stays a thin list of commands.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_record_commands(
    exports: argparse._SubParsersAction,
    imports: argparse._SubParsersAction,
    add_db: Callable[[argparse.ArgumentParser], None],
) -> None:
    """``client`` under ``export`` and ``import`` (beside ics, csv and clients)."""
    client = exports.add_parser(
        "client", help="a client's whole record as PDF (to read or print) and/or JSON (to move)"
    )
    client.add_argument(
        "client", metavar="NAME-OR-ID", help="the client's id, or words of the name"
    )
    client.add_argument("--pdf", metavar="FILE", type=Path, help="write the record as a PDF")
    client.add_argument("--json", metavar="FILE", type=Path, help="write the record as JSON")
    add_db(client)

    client = imports.add_parser(
        "client", help="re-create a client from a record written by export client --json"
    )
    client.add_argument("file", metavar="FILE.json", type=Path)
    client.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="import even when a client with the same name and birth date, phone or email exists",
    )
    add_db(client)


def run_record_command(
    args: argparse.Namespace,
    now: dt.datetime | None,
    *,
    open_file: Callable[..., None],
    clock: Callable[[], dt.datetime],
) -> int:
    """Run ``export client`` or ``import client``; ``clock`` gives the practice's
    "now" once the file is open (unless ``now`` pins it, in tests)."""
    from practice_tui.domain.documents.record import export_client, find_client, import_client
    from practice_tui.domain.errors import PracticeError
    from practice_tui.paths import resolve_db_path
    from practice_tui.textutil import visible

    path = resolve_db_path(args.db)
    if args.command == "export":
        if args.pdf is None and args.json is None:
            print(
                "practice-tui: say where to write the record: --pdf FILE, --json FILE or both "
                "(see practice-tui --help)",
                file=sys.stderr,
            )
            return EXIT_USAGE
        open_file(path, create=False, readonly=True)  # an export only reads
        now = now or clock()
        try:
            client_id = find_client(args.client, now=now)
        except PracticeError as error:
            print(f"practice-tui: {visible(str(error))}", file=sys.stderr)
            return EXIT_USAGE
        for written in export_client(client_id, now=now, pdf=args.pdf, json_path=args.json):
            print(f"wrote {written}")
        return EXIT_OK
    open_file(path, create=True)  # a new file may be made for the client
    now = now or clock()
    client_id = import_client(args.file, now=now, allow_duplicate=args.allow_duplicate)
    print(f"imported the client from {args.file} (id {client_id}) into {path}")
    return EXIT_OK
