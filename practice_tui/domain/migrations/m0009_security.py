"""0009 (security): a signed note's appointment is locked too; the audit trail.

**The appointment of a signed note.** The note row has been locked since
0001, but its appointment says who the note is about, when, what service and
whether it took place. Another program (the ``sqlite3`` tool, a script) could
move, reassign, cancel or delete that appointment and so change what a signed
note means. These triggers refuse that, whoever writes to the file: the
client, service, start, end and status of an appointment whose note is signed
cannot change, and the appointment cannot be deleted. Its fee, booking note
and payments still can (money is settled after the session).

**The privacy curtain** falls after ``practice.curtain_minutes`` idle
minutes (10 unless changed on the Practice screen; 0: never by itself).

**The audit trail** (``audit``): one row per create, change, cancel, archive,
sign, amendment, payment and export, written by ``domain/audit.py`` in the
same transaction as the change. The database refuses UPDATE and DELETE of
its rows. Each row's ``hash`` covers the previous row's hash and its own
content (``chain_hash``), so a removed, changed or inserted row breaks the
chain. The first row, written here, starts the chain and remembers the
highest record numbers that existed before it (records from before the trail
have no audit rows of their own).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import peewee as pw

DESCRIPTION = "security: signed notes' appointments locked; audit trail"

_SIGNED = (
    "EXISTS (SELECT 1 FROM session_note WHERE session_note.appointment_id = OLD.id "
    "AND session_note.signed_at IS NOT NULL)"
)

#: Put back by the look at the file (``filecheck``) when another program drops them.
TRIGGERS = (
    f"""CREATE TRIGGER appointment_signed_no_update BEFORE UPDATE ON appointment
    WHEN {_SIGNED} AND (NEW.client_id IS NOT OLD.client_id
        OR NEW.service_id IS NOT OLD.service_id OR NEW.start IS NOT OLD.start
        OR NEW."end" IS NOT OLD."end" OR NEW.status IS NOT OLD.status OR NEW.id IS NOT OLD.id)
    BEGIN SELECT RAISE(ABORT, 'the appointment of a signed note cannot change'); END""",
    f"""CREATE TRIGGER appointment_signed_no_delete BEFORE DELETE ON appointment
    WHEN {_SIGNED}
    BEGIN SELECT RAISE(ABORT, 'the appointment of a signed note cannot change'); END""",
    """CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
    """CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END""",
)

STATEMENTS = (
    'CREATE TABLE "audit" ("id" INTEGER NOT NULL PRIMARY KEY, "at" DATETIME NOT NULL, "kind" VARCHAR(20) NOT NULL, "record_id" INTEGER, "client_id" INTEGER, "action" VARCHAR(20) NOT NULL, "fields" TEXT NOT NULL, "digest" TEXT NOT NULL, "prev_hash" VARCHAR(64) NOT NULL, "hash" VARCHAR(64) NOT NULL)',
    'CREATE INDEX "audit_client_id" ON "audit" ("client_id")',
    'CREATE INDEX "audit_kind_record_id" ON "audit" ("kind", "record_id")',
)

#: The tables whose records are watched for rows added behind the app's back,
#: with the kind the trail calls them.
WATCHED = (
    ("client", "client"),
    ("session_note", "note"),
    ("note_amendment", "amendment"),
    ("payment", "payment"),
)


def row_content(
    row_id: int,
    at: str,
    kind: str,
    record_id: int | None,
    client_id: int | None,
    action: str,
    fields: str,
    digest: str,
) -> str:
    """The text a row's hash covers (everything but the hashes)."""
    return json.dumps(
        [row_id, at, kind, record_id, client_id, action, fields, digest],
        separators=(",", ":"),
        ensure_ascii=True,
    )


def chain_hash(prev_hash: str, content: str) -> str:
    """The hash of a row: the previous row's hash, then this row's content."""
    return hashlib.sha256((prev_hash + "\n" + content).encode("utf-8")).hexdigest()


def up(db: pw.SqliteDatabase) -> None:
    db.execute_sql(
        'ALTER TABLE "practice" ADD COLUMN "curtain_minutes" INTEGER NOT NULL DEFAULT 10'
    )
    for statement in STATEMENTS + TRIGGERS:
        db.execute_sql(statement)
    before = " ".join(
        f"{kind}:{db.execute_sql(f'SELECT COALESCE(MAX(id), 0) FROM {table}').fetchone()[0]}"
        for table, kind in WATCHED
    )
    at = dt.datetime.now().replace(microsecond=0).isoformat(" ")
    content = row_content(1, at, "trail", None, None, "start", before, "")
    db.execute_sql(
        'INSERT INTO "audit" (id, at, kind, record_id, client_id, action, fields, digest, '
        "prev_hash, hash) VALUES (1, ?, 'trail', NULL, NULL, 'start', ?, '', '', ?)",
        (at, before, chain_hash("", content)),
    )
