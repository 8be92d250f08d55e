"""0002: the Practice screen's settings, time off, service billing codes and
the fee stored on each appointment.

Self-contained: only these columns and the ``time_off`` table. A file that
already existed is a practice in use, so it is marked set up (no first-run
welcome), and its appointments get the fee of their service's current price —
the best record there is of what was charged.
"""

from __future__ import annotations

import peewee as pw

DESCRIPTION = "practice settings, time off, service codes, appointment fees"

STATEMENTS = (
    'ALTER TABLE "practice" ADD COLUMN "therapist_name" VARCHAR(200) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "practice" ADD COLUMN "credentials" VARCHAR(100) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "practice" ADD COLUMN "registration" VARCHAR(100) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "practice" ADD COLUMN "npi" VARCHAR(20) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "practice" ADD COLUMN "tax_id" VARCHAR(40) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "practice" ADD COLUMN "address" TEXT NOT NULL DEFAULT \'\'',
    'ALTER TABLE "practice" ADD COLUMN "phone" VARCHAR(40) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "practice" ADD COLUMN "email" VARCHAR(254) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "practice" ADD COLUMN "currency_code" VARCHAR(3) NOT NULL DEFAULT \'USD\'',
    'ALTER TABLE "practice" ADD COLUMN "currency_symbol" VARCHAR(5) NOT NULL DEFAULT \'$\'',
    'ALTER TABLE "practice" ADD COLUMN "late_cancel_hours" INTEGER NOT NULL DEFAULT 24',
    'ALTER TABLE "practice" ADD COLUMN "default_minutes" INTEGER NOT NULL DEFAULT 60',
    'ALTER TABLE "practice" ADD COLUMN "setup_done" INTEGER NOT NULL DEFAULT 0',
    'UPDATE "practice" SET "setup_done" = 1',
    'ALTER TABLE "service" ADD COLUMN "cpt_codes" VARCHAR(200) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "appointment" ADD COLUMN "fee_cents" INTEGER NOT NULL DEFAULT 0',
    'UPDATE "appointment" SET "fee_cents" = '
    '(SELECT "price_cents" FROM "service" WHERE "service"."id" = "appointment"."service_id")',
    'CREATE TABLE "time_off" ("id" INTEGER NOT NULL PRIMARY KEY, "first_day" DATE NOT NULL, '
    '"last_day" DATE NOT NULL, "start" TIME, "end" TIME, "label" VARCHAR(100) NOT NULL, '
    '"created_at" DATETIME NOT NULL)',
    'CREATE INDEX "time_off_first_day" ON "time_off" ("first_day")',
)


def up(db: pw.SqliteDatabase) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
