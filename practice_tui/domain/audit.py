"""The audit trail: who changed what and when, and proof that nothing was slipped past it.

Every create, change, cancel, archive, sign, amendment, payment and export of
a clinical or money record adds one row through ``record``, inside the same
transaction as the change (so the row and the change are saved together or
not at all). A row says when, what kind of record and which one, the client
it belongs to, the action and the *names* of the fields changed — never what
was written in them.

Two things make the trail tamper-evident (``domain/audit_verify.py`` checks
them):

- **A hash chain.** Each row's ``hash`` covers the previous row's hash and the
  row's own content (``m0009_security.chain_hash``); a removed, changed or
  inserted row breaks the chain where it happened. The database also refuses
  UPDATE and DELETE of audit rows (triggers).
- **A digest of the record.** Each row stores, for each stored field of the
  record after the write, a short hash of its value (``digest``). A record
  changed later by another program no longer matches the digest of its latest
  audit row, and the changed fields can be named without the trail ever
  holding their text.

This module holds no rule about the records themselves; the services that
own them call ``record`` once per write.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import inspect
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from practice_tui.domain.clock import practice_now
from practice_tui.domain.db import (
    can_write,
    current_path,
    database,
    is_readonly,
    reopen_writable,
    writes,
)
from practice_tui.domain.errors import PracticeError
from practice_tui.domain.migrations.m0009_security import WATCHED, chain_hash, row_content

#: The kinds of record the trail follows, and their tables. Kinds not listed
#: here (exports, the trail itself, the file) have no stored record to digest.
TABLES = {
    "client": "client",
    "appointment": "appointment",
    "note": "session_note",
    "amendment": "note_amendment",
    "payment": "payment",
    "plan": "plan",
    "package": "package",
    "policy_fee": "policy_fee",
    "receipt": "receipt",
    "service": "service",
}

#: Stored fields left out of a record's digest: bookkeeping the app (or the
#: database's own triggers) changes without it being a change of the record.
NOT_DIGESTED = {
    "client": {"search_text", "sort_name", "updated_at", "version"},
    "appointment": {
        "updated_at",
        "version",
        "late_cancel",
        "plan_modified",
        "plan_id",
        "plan_slot",
        "external_uid",
    },
    "session_note": {"version"},
    "plan": {"filled_until", "version", "external_uid"},
    "service": set(),
}

#: Where the trail's "now" comes from (the practice's clock; tests replace it).
_clock: Callable[[], dt.datetime] = practice_now


def use_clock(clock: Callable[[], dt.datetime] | None) -> None:
    """Stamp audit rows with ``clock()`` (``None``: the practice's clock again)."""
    global _clock
    _clock = clock or practice_now


def stored_values(kind: str, record_id: int) -> dict[str, Any] | None:
    """The stored fields of a record that its digest covers, or None if it is gone."""
    table = TABLES[kind]
    cursor = database.execute_sql(f'SELECT * FROM "{table}" WHERE id = ?', (record_id,))
    row = cursor.fetchone()
    if row is None:
        return None
    skip = NOT_DIGESTED.get(table, set())
    names = [column[0] for column in cursor.description]
    return {name: value for name, value in zip(names, row, strict=True) if name not in skip}


def field_hash(kind: str, record_id: int, name: str, value: Any) -> str:
    """A short hash of one stored value (the trail never holds the value itself)."""
    text = f"{kind}:{record_id}:{name}=" + json.dumps(value, default=str, ensure_ascii=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def digest_of(kind: str, record_id: int) -> dict[str, str] | None:
    """Each digested field's hash, as stored now; None if the record is gone."""
    values = stored_values(kind, record_id)
    if values is None:
        return None
    return {name: field_hash(kind, record_id, name, value) for name, value in values.items()}


def encode_digest(digest: dict[str, str] | None) -> str:
    return "" if digest is None else json.dumps(digest, sort_keys=True, separators=(",", ":"))


def client_of(kind: str, record_id: int) -> int | None:
    if kind == "client":
        return record_id
    queries = {
        "appointment": "SELECT client_id FROM appointment WHERE id = ?",
        "note": "SELECT a.client_id FROM session_note n JOIN appointment a "
        "ON a.id = n.appointment_id WHERE n.id = ?",
        "amendment": "SELECT a.client_id FROM note_amendment m JOIN session_note n "
        "ON n.id = m.note_id JOIN appointment a ON a.id = n.appointment_id WHERE m.id = ?",
        "policy_fee": "SELECT a.client_id FROM policy_fee f JOIN appointment a "
        "ON a.id = f.appointment_id WHERE f.id = ?",
    }
    table = TABLES.get(kind)
    query = queries.get(kind)
    if query is None:
        if table is None or table == "service":
            return None
        query = f'SELECT client_id FROM "{table}" WHERE id = ?'
    row = database.execute_sql(query, (record_id,)).fetchone()
    return row[0] if row else None


def record(
    kind: str,
    record_id: int | None,
    action: str,
    *,
    fields: Iterable[str] = (),
    client_id: int | None = None,
    detail: str = "",
) -> None:
    """Add one row to the trail for a write that has just been made.

    Call inside the write's transaction, after the write: the row carries the
    record's digest as stored now. ``fields`` are the names of the fields the
    write changed (never their values); ``detail`` is a short word or two
    (what was exported, how many). Nothing is recorded on a read-only file."""
    if is_readonly():
        return
    if not database.in_transaction():
        raise RuntimeError("audit.record must run inside the write's transaction")
    if client_id is None and record_id is not None and kind in TABLES:
        client_id = client_of(kind, record_id)
    digest = ""
    if record_id is not None and kind in TABLES:
        digest = encode_digest(digest_of(kind, record_id))
    names = ",".join(sorted(set(fields)))
    if detail:
        names = f"{names};{detail}" if names else f";{detail}"
    last = database.execute_sql('SELECT id, hash FROM "audit" ORDER BY id DESC LIMIT 1').fetchone()
    row_id, prev = (last[0] + 1, last[1]) if last else (1, "")
    at = _clock().replace(microsecond=0).isoformat(" ")
    content = row_content(row_id, at, kind, record_id, client_id, action, names, digest)
    database.execute_sql(
        'INSERT INTO "audit" (id, at, kind, record_id, client_id, action, fields, digest, '
        "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row_id,
            at,
            kind,
            record_id,
            client_id,
            action,
            names,
            digest,
            prev,
            chain_hash(prev, content),
        ),
    )


def record_many(kind: str, record_ids: Iterable[int], action: str, **options: Any) -> None:
    """``record`` for each of ``record_ids`` (a series cancelled together)."""
    for record_id in record_ids:
        record(kind, record_id, action, **options)


@writes
def record_export(what: str, *, client_id: int | None = None, count: int | None = None) -> None:
    """Note that the practice's records left the app (a backup, a calendar, a
    client's record, a report), in a transaction of its own: the export has
    already been written. On a read-only file nothing can be noted."""
    detail = what if count is None else f"{what}: {count}"
    record("export", None, "export", client_id=client_id, detail=detail)


#: How long noting an export waits for a file another window is writing.
EXPORT_NOTE_PATIENCE_MS = 1000


def export_noted(what: str, *, client_id: int | None = None, count: int | None = None) -> None:
    """``record_export`` after an export. A command that opened the file
    read-only (a backup, an export: they take no write lock while they read)
    notes it through a short writable opening, when the file may be written;
    a file nobody may write cannot be noted in."""
    if database.obj is None:
        return
    try:
        if not is_readonly():
            record_export(what, client_id=client_id, count=count)
            return
        path = current_path()
        if path is None or not can_write(path):
            return
        reader = database.obj
        writer = reopen_writable(path)
        # Another window writing: wait a moment, not the usual five seconds —
        # the export is done and must not be held up by its note.
        writer.execute_sql(f"PRAGMA busy_timeout = {EXPORT_NOTE_PATIENCE_MS}")
        database.initialize(writer)
        try:
            record_export(what, client_id=client_id, count=count)
        finally:
            writer.close()
            database.initialize(reader)
    except PracticeError:
        # The export is written; a file too busy to note it in must not undo that.
        logging.getLogger("practice_tui").warning("could not note an export in the audit trail")


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[str, ...]:
    """The names of fields whose stored values differ (for ``record``'s ``fields``)."""
    before, after = before or {}, after or {}
    return tuple(
        sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
    )


def audited(
    kind: str, action: str, *, key: str | None = None, fields: tuple[str, ...] = ()
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``@writes`` that also adds the audit row: for a service whose one record
    is named by its argument ``key`` (else by the result's ``id``). Used where
    a service changes one record in one way (a payment, a fee)."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(fn)

        @functools.wraps(fn)
        def inner(*args: Any, **kwargs: Any) -> Any:
            result = fn(*args, **kwargs)
            if key is None:
                record_id = result.id
            else:
                record_id = signature.bind(*args, **kwargs).arguments[key]
            record(kind, record_id, action, fields=fields)
            return result

        return writes(inner)

    return wrap


def record_client_history(client_id: int, action: str) -> None:
    """A row for a client and every appointment, note, amendment and payment of
    theirs (a client brought in from a record file). Inside the write."""
    record("client", client_id, action)
    queries = (
        ("appointment", "SELECT id FROM appointment WHERE client_id = ? ORDER BY id"),
        (
            "note",
            "SELECT n.id FROM session_note n JOIN appointment a ON a.id = n.appointment_id "
            "WHERE a.client_id = ? ORDER BY n.id",
        ),
        (
            "amendment",
            "SELECT m.id FROM note_amendment m JOIN session_note n ON n.id = m.note_id "
            "JOIN appointment a ON a.id = n.appointment_id WHERE a.client_id = ? ORDER BY m.id",
        ),
        ("payment", "SELECT id FROM payment WHERE client_id = ? ORDER BY id"),
    )
    for kind, query in queries:
        for (record_id,) in database.execute_sql(query, (client_id,)).fetchall():
            record(kind, record_id, action, client_id=client_id)


def baseline() -> str:
    """The highest record numbers now, as the trail's start row keeps them."""
    return " ".join(
        f"{kind}:{database.execute_sql(f'SELECT COALESCE(MAX(id), 0) FROM {table}').fetchone()[0]}"
        for table, kind in WATCHED
    )


def start_trail(why: str) -> None:
    """Start (again) from here: records made so far, without rows of their own,
    are from before the trail (the demo practice, built in one go). Inside a write."""
    record("trail", None, "start", detail=f"{baseline()};{why}")
    # What must never change from here on is sealed as found: each signed
    # note, amendment and payment gets a row with its digest, so --verify
    # names one changed later behind the app's back.
    for kind, query in _SEALED_AT_START:
        for (record_id,) in database.execute_sql(query).fetchall():
            record(kind, record_id, "sealed")


_SEALED_AT_START = (
    ("note", "SELECT id FROM session_note WHERE signed_at IS NOT NULL ORDER BY id"),
    ("amendment", "SELECT id FROM note_amendment ORDER BY id"),
    ("payment", "SELECT id FROM payment ORDER BY id"),
)
