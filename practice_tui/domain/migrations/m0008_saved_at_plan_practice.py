"""0008: when a plan and the practice settings were last saved.

A save refused because another window changed the record says when that
happened (as it already does for clients, appointments and notes).
"""

from __future__ import annotations

import peewee as pw

DESCRIPTION = "last-saved time on plans and practice settings"


def up(db: pw.SqliteDatabase) -> None:
    for table in ("plan", "practice"):
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "updated_at" DATETIME')
