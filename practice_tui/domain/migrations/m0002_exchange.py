"""0002: calendar exchange — the practice's stable identity, the kept-up-to-date
calendar file, and the UID of each imported calendar event.

``practice.uid`` makes exported UIDs stable (``appointment-<id>@<uid>``) and
lets an import recognise the practice's own export. ``external_uid`` on
appointments and plans is the UID of the imported event (unique), so a second
import of the same calendar creates nothing twice.
"""

from __future__ import annotations

import peewee as pw

DESCRIPTION = "calendar exchange: practice uid, calendar file, imported UIDs"

STATEMENTS = (
    """ALTER TABLE "practice" ADD COLUMN "uid" VARCHAR(64) NOT NULL DEFAULT ''""",
    """ALTER TABLE "practice" ADD COLUMN "calendar_file" TEXT NOT NULL DEFAULT ''""",
    """ALTER TABLE "practice" ADD COLUMN "calendar_initials" INTEGER NOT NULL DEFAULT 1""",
    """UPDATE "practice" SET "uid" = lower(hex(randomblob(16))) WHERE "uid" = ''""",
    """ALTER TABLE "appointment" ADD COLUMN "external_uid" VARCHAR(255)""",
    """CREATE UNIQUE INDEX "appointment_external_uid" ON "appointment" ("external_uid")""",
    """ALTER TABLE "plan" ADD COLUMN "external_uid" VARCHAR(255)""",
    """CREATE UNIQUE INDEX "plan_external_uid" ON "plan" ("external_uid")""",
)


def up(db: pw.SqliteDatabase) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
