"""0006: a version number on every record a form edits, for safe saving.

A form remembers the version it read; a save checks it in the same write
transaction and is refused if the record changed in the meantime (another
window, another program), instead of silently overwriting that change.
Triggers bump the number on every update, whoever makes it (the app, the
``sqlite3`` tool, a script); a signed note is never touched by them.
"""

from __future__ import annotations

import peewee as pw

DESCRIPTION = "record versions for optimistic concurrency"

TABLES = ("client", "appointment", "session_note", "plan", "practice")

TRIGGERS = tuple(
    f"""CREATE TRIGGER {table}_version_bump AFTER UPDATE ON {table}
    WHEN NEW.version = OLD.version{" AND NEW.signed_at IS NULL" if table == "session_note" else ""}
    BEGIN UPDATE {table} SET version = OLD.version + 1 WHERE id = NEW.id; END"""
    for table in TABLES
)


def up(db: pw.SqliteDatabase) -> None:
    for table in TABLES:
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1')
    for statement in TRIGGERS:
        db.execute_sql(statement)
