"""0001: the first schema — every table, index and lock trigger.

The statements are frozen here on purpose: later changes to the models need a
new numbered migration, and ``tests/domain/test_migrations.py`` fails until the
migrations and the models agree again.
"""

from __future__ import annotations

import peewee as pw

DESCRIPTION = "initial schema"

STATEMENTS = (
    'CREATE TABLE "practice" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(200) NOT NULL, "timezone" VARCHAR(64) NOT NULL, "buffer_minutes" INTEGER NOT NULL, "plan_horizon_weeks" INTEGER NOT NULL);',
    'CREATE TABLE "working_hours" ("id" INTEGER NOT NULL PRIMARY KEY, "weekday" INTEGER NOT NULL, "start" TIME NOT NULL, "end" TIME NOT NULL, "break_start" TIME, "break_end" TIME);',
    'CREATE UNIQUE INDEX "working_hours_weekday" ON "working_hours" ("weekday");',
    'CREATE TABLE "client" ("id" INTEGER NOT NULL PRIMARY KEY, "first_name" VARCHAR(100) NOT NULL, "last_name" VARCHAR(100) NOT NULL, "preferred_name" VARCHAR(100) NOT NULL, "date_of_birth" DATE, "phone" VARCHAR(40) NOT NULL, "email" VARCHAR(254) NOT NULL, "address" TEXT NOT NULL, "emergency_name" VARCHAR(200) NOT NULL, "emergency_phone" VARCHAR(40) NOT NULL, "referring_provider" VARCHAR(200) NOT NULL, "complaint" TEXT NOT NULL, "goals" TEXT NOT NULL, "conditions" TEXT NOT NULL, "medications" TEXT NOT NULL, "allergies" TEXT NOT NULL, "contraindications" TEXT NOT NULL, "pressure_preference" VARCHAR(20) NOT NULL, "intake_date" DATE, "consent_date" DATE, "notes" TEXT NOT NULL, "archived" INTEGER NOT NULL, "search_text" TEXT NOT NULL, "sort_name" VARCHAR(210) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL);',
    'CREATE INDEX "client_archived_sort_name" ON "client" ("archived", "sort_name");',
    'CREATE TABLE "service" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(100) NOT NULL, "minutes" INTEGER NOT NULL, "price_cents" INTEGER NOT NULL, "active" INTEGER NOT NULL);',
    'CREATE UNIQUE INDEX "service_name" ON "service" ("name");',
    'CREATE TABLE "plan" ("id" INTEGER NOT NULL PRIMARY KEY, "client_id" INTEGER NOT NULL, "service_id" INTEGER NOT NULL, "first_start" DATETIME NOT NULL, "minutes" INTEGER NOT NULL, "rule" TEXT NOT NULL, "count" INTEGER, "until" DATE, "ended_on" DATE, "filled_until" DATE, "replaces_id" INTEGER, "note" TEXT NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("client_id") REFERENCES "client" ("id") ON DELETE RESTRICT, FOREIGN KEY ("service_id") REFERENCES "service" ("id") ON DELETE RESTRICT, FOREIGN KEY ("replaces_id") REFERENCES "plan" ("id") ON DELETE RESTRICT);',
    'CREATE INDEX "plan_service_id" ON "plan" ("service_id");',
    'CREATE INDEX "plan_replaces_id" ON "plan" ("replaces_id");',
    'CREATE INDEX "plan_client_id_first_start" ON "plan" ("client_id", "first_start");',
    'CREATE TABLE "plan_skip" ("id" INTEGER NOT NULL PRIMARY KEY, "plan_id" INTEGER NOT NULL, "slot" DATETIME NOT NULL, FOREIGN KEY ("plan_id") REFERENCES "plan" ("id") ON DELETE RESTRICT);',
    'CREATE UNIQUE INDEX "plan_skip_plan_id_slot" ON "plan_skip" ("plan_id", "slot");',
    'CREATE TABLE "appointment" ("id" INTEGER NOT NULL PRIMARY KEY, "client_id" INTEGER NOT NULL, "service_id" INTEGER NOT NULL, "start" DATETIME NOT NULL, "end" DATETIME NOT NULL CHECK ("end" > "start"), "status" VARCHAR(12) NOT NULL CHECK (status IN (\'booked\', \'completed\', \'cancelled\', \'no_show\')), "cancel_reason" TEXT NOT NULL, "cancelled_at" DATETIME, "late_cancel" INTEGER NOT NULL, "booking_note" TEXT NOT NULL, "plan_id" INTEGER, "plan_slot" DATETIME, "plan_modified" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("client_id") REFERENCES "client" ("id") ON DELETE RESTRICT, FOREIGN KEY ("service_id") REFERENCES "service" ("id") ON DELETE RESTRICT, FOREIGN KEY ("plan_id") REFERENCES "plan" ("id") ON DELETE RESTRICT);',
    'CREATE INDEX "appointment_service_id" ON "appointment" ("service_id");',
    'CREATE INDEX "appointment_start" ON "appointment" ("start");',
    'CREATE INDEX "appointment_plan_id" ON "appointment" ("plan_id");',
    'CREATE INDEX "appointment_client_id_start" ON "appointment" ("client_id", "start");',
    'CREATE INDEX "appointment_plan_id_plan_slot" ON "appointment" ("plan_id", "plan_slot");',
    'CREATE TABLE "session_note" ("id" INTEGER NOT NULL PRIMARY KEY, "appointment_id" INTEGER NOT NULL, "pain_before" INTEGER CHECK (pain_before BETWEEN 0 AND 10), "pain_after" INTEGER CHECK (pain_after BETWEEN 0 AND 10), "areas" TEXT NOT NULL, "techniques" TEXT NOT NULL, "pressure" VARCHAR(20) NOT NULL, "subjective" TEXT NOT NULL, "objective" TEXT NOT NULL, "assessment" TEXT NOT NULL, "plan_text" TEXT NOT NULL, "home_care" TEXT NOT NULL, "home_care_notes" TEXT NOT NULL, "next_visit" VARCHAR(200) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "signed_at" DATETIME, FOREIGN KEY ("appointment_id") REFERENCES "appointment" ("id") ON DELETE RESTRICT);',
    'CREATE UNIQUE INDEX "session_note_appointment_id" ON "session_note" ("appointment_id");',
    'CREATE TABLE "note_amendment" ("id" INTEGER NOT NULL PRIMARY KEY, "note_id" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "reason" TEXT NOT NULL, "text" TEXT NOT NULL, FOREIGN KEY ("note_id") REFERENCES "session_note" ("id") ON DELETE RESTRICT);',
    'CREATE INDEX "note_amendment_note_id" ON "note_amendment" ("note_id");',
)

#: The database itself keeps signed notes and amendments unchanged, whatever
#: program writes to the file.
TRIGGERS = (
    """CREATE TRIGGER session_note_signed_no_update BEFORE UPDATE ON session_note
    WHEN OLD.signed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'signed session notes are locked'); END""",
    """CREATE TRIGGER session_note_signed_no_delete BEFORE DELETE ON session_note
    WHEN OLD.signed_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'signed session notes are locked'); END""",
    """CREATE TRIGGER note_amendment_no_update BEFORE UPDATE ON note_amendment
    BEGIN SELECT RAISE(ABORT, 'amendments are append-only'); END""",
    """CREATE TRIGGER note_amendment_no_delete BEFORE DELETE ON note_amendment
    BEGIN SELECT RAISE(ABORT, 'amendments are append-only'); END""",
)


def up(db: pw.SqliteDatabase) -> None:
    for statement in STATEMENTS + TRIGGERS:
        db.execute_sql(statement)
