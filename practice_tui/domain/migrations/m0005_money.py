"""0003: money — payments, packages, policy fees, receipts, insurance codes.

Self-contained: only these tables and columns. Payments and receipts are
records kept for the taxman and the insurer, so the database itself guards
them: a payment can never be deleted and can only be changed once, to void it
(the void fields, nothing else); a receipt and its allocations never change.
Receipt numbers come from a one-row counter bumped inside the writing
transaction, so they run 1, 2, 3 … with no gap.
"""

from __future__ import annotations

import peewee as pw

DESCRIPTION = "payments, packages, policy fees, receipts, insurance codes"

STATEMENTS = (
    # --- settings and codes on existing records -------------------------------
    'ALTER TABLE "practice" ADD COLUMN "policy_fee_kind" VARCHAR(8) NOT NULL DEFAULT \'none\'',
    'ALTER TABLE "practice" ADD COLUMN "policy_fee_value" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "practice" ADD COLUMN "place_of_service" VARCHAR(2) NOT NULL DEFAULT \'11\'',
    'ALTER TABLE "client" ADD COLUMN "discount_percent" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "client" ADD COLUMN "diagnosis_codes" TEXT NOT NULL DEFAULT \'\'',
    'ALTER TABLE "client" ADD COLUMN "referring_npi" VARCHAR(10) NOT NULL DEFAULT \'\'',
    # --- a client's fixed price for a service --------------------------------------
    'CREATE TABLE "client_price" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"client_id" INTEGER NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT, '
    '"service_id" INTEGER NOT NULL REFERENCES "service" ("id") ON DELETE RESTRICT, '
    '"price_cents" INTEGER NOT NULL CHECK ("price_cents" >= 0))',
    'CREATE UNIQUE INDEX "client_price_client_id_service_id" '
    'ON "client_price" ("client_id", "service_id")',
    'CREATE INDEX "client_price_service_id" ON "client_price" ("service_id")',
    # --- payments ----------------------------------------------------------------------
    'CREATE TABLE "payment" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"client_id" INTEGER NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT, '
    "\"kind\" VARCHAR(8) NOT NULL CHECK (\"kind\" IN ('payment', 'refund')), "
    '"received_on" DATE NOT NULL, '
    '"amount_cents" INTEGER NOT NULL CHECK ("amount_cents" > 0), '
    '"method" VARCHAR(20) NOT NULL, "reference" VARCHAR(100) NOT NULL, '
    '"reason" TEXT NOT NULL, "created_at" DATETIME NOT NULL, '
    '"voided_at" DATETIME, "void_reason" TEXT NOT NULL)',
    'CREATE INDEX "payment_client_id_received_on" ON "payment" ("client_id", "received_on")',
    'CREATE INDEX "payment_received_on" ON "payment" ("received_on")',
    'CREATE TABLE "payment_allocation" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"payment_id" INTEGER NOT NULL REFERENCES "payment" ("id") ON DELETE RESTRICT, '
    '"appointment_id" INTEGER NOT NULL REFERENCES "appointment" ("id") ON DELETE RESTRICT, '
    '"amount_cents" INTEGER NOT NULL CHECK ("amount_cents" > 0))',
    'CREATE INDEX "payment_allocation_payment_id" ON "payment_allocation" ("payment_id")',
    'CREATE INDEX "payment_allocation_appointment_id" ON "payment_allocation" ("appointment_id")',
    # --- packages ------------------------------------------------------------------------
    'CREATE TABLE "package" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"client_id" INTEGER NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT, '
    '"service_id" INTEGER NOT NULL REFERENCES "service" ("id") ON DELETE RESTRICT, '
    '"sessions" INTEGER NOT NULL CHECK ("sessions" > 0), '
    '"price_cents" INTEGER NOT NULL CHECK ("price_cents" >= 0), '
    '"sold_on" DATE NOT NULL, "expires_on" DATE, "created_at" DATETIME NOT NULL)',
    'CREATE INDEX "package_client_id_sold_on" ON "package" ("client_id", "sold_on")',
    'CREATE INDEX "package_service_id" ON "package" ("service_id")',
    'CREATE TABLE "package_use" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"package_id" INTEGER NOT NULL REFERENCES "package" ("id") ON DELETE RESTRICT, '
    '"appointment_id" INTEGER NOT NULL REFERENCES "appointment" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "package_use_package_id" ON "package_use" ("package_id")',
    'CREATE UNIQUE INDEX "package_use_appointment_id" ON "package_use" ("appointment_id")',
    # --- cancellation and no-show fees ------------------------------------------------
    'CREATE TABLE "policy_fee" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"appointment_id" INTEGER NOT NULL REFERENCES "appointment" ("id") ON DELETE RESTRICT, '
    '"kind" VARCHAR(12) NOT NULL, '
    '"amount_cents" INTEGER NOT NULL CHECK ("amount_cents" > 0), '
    '"charged_at" DATETIME NOT NULL, "waived_at" DATETIME, "waive_reason" TEXT NOT NULL)',
    'CREATE INDEX "policy_fee_appointment_id" ON "policy_fee" ("appointment_id")',
    # --- minutes per billing code on a session ----------------------------------------
    'CREATE TABLE "session_code" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"appointment_id" INTEGER NOT NULL REFERENCES "appointment" ("id") ON DELETE RESTRICT, '
    '"cpt" VARCHAR(5) NOT NULL, "modifier" VARCHAR(2) NOT NULL, '
    '"minutes" INTEGER NOT NULL CHECK ("minutes" >= 0), "position" INTEGER NOT NULL)',
    'CREATE INDEX "session_code_appointment_id" ON "session_code" ("appointment_id")',
    # --- receipts ------------------------------------------------------------------------
    'CREATE TABLE "receipt_counter" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"last_number" INTEGER NOT NULL)',
    'INSERT INTO "receipt_counter" ("id", "last_number") VALUES (1, 0)',
    'CREATE TABLE "receipt" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"number" INTEGER NOT NULL, '
    '"client_id" INTEGER NOT NULL REFERENCES "client" ("id") ON DELETE RESTRICT, '
    "\"kind\" VARCHAR(10) NOT NULL CHECK (\"kind\" IN ('payment', 'statement')), "
    '"payment_id" INTEGER REFERENCES "payment" ("id") ON DELETE RESTRICT, '
    '"period_from" DATE, "period_to" DATE, '
    '"replaces_id" INTEGER REFERENCES "receipt" ("id") ON DELETE RESTRICT, '
    '"issued_at" DATETIME NOT NULL, "content" TEXT NOT NULL)',
    'CREATE UNIQUE INDEX "receipt_number" ON "receipt" ("number")',
    'CREATE INDEX "receipt_client_id" ON "receipt" ("client_id")',
    'CREATE INDEX "receipt_payment_id" ON "receipt" ("payment_id")',
    'CREATE INDEX "receipt_replaces_id" ON "receipt" ("replaces_id")',
    # --- the database guards the records ---------------------------------------------
    'CREATE TRIGGER "payment_no_delete" BEFORE DELETE ON "payment" '
    "BEGIN SELECT RAISE(ABORT, 'payments are never deleted'); END",
    'CREATE TRIGGER "payment_void_only" BEFORE UPDATE ON "payment" '
    'WHEN OLD."voided_at" IS NOT NULL OR NEW."voided_at" IS NULL '
    'OR NEW."client_id" IS NOT OLD."client_id" OR NEW."kind" IS NOT OLD."kind" '
    'OR NEW."received_on" IS NOT OLD."received_on" '
    'OR NEW."amount_cents" IS NOT OLD."amount_cents" OR NEW."method" IS NOT OLD."method" '
    'OR NEW."reference" IS NOT OLD."reference" OR NEW."reason" IS NOT OLD."reason" '
    'OR NEW."created_at" IS NOT OLD."created_at" OR NEW."id" IS NOT OLD."id" '
    "BEGIN SELECT RAISE(ABORT, 'payments can only be voided, once'); END",
    'CREATE TRIGGER "payment_allocation_no_update" BEFORE UPDATE ON "payment_allocation" '
    "BEGIN SELECT RAISE(ABORT, 'payments can only be voided, once'); END",
    'CREATE TRIGGER "payment_allocation_no_delete" BEFORE DELETE ON "payment_allocation" '
    "BEGIN SELECT RAISE(ABORT, 'payments are never deleted'); END",
    'CREATE TRIGGER "receipt_no_update" BEFORE UPDATE ON "receipt" '
    "BEGIN SELECT RAISE(ABORT, 'issued receipts never change'); END",
    'CREATE TRIGGER "receipt_no_delete" BEFORE DELETE ON "receipt" '
    "BEGIN SELECT RAISE(ABORT, 'issued receipts never change'); END",
    'CREATE TRIGGER "receipt_counter_forward" BEFORE UPDATE ON "receipt_counter" '
    'WHEN NEW."last_number" IS NOT OLD."last_number" + 1 '
    "BEGIN SELECT RAISE(ABORT, 'issued receipts never change'); END",
    'CREATE TRIGGER "receipt_counter_no_delete" BEFORE DELETE ON "receipt_counter" '
    "BEGIN SELECT RAISE(ABORT, 'issued receipts never change'); END",
)


def up(db: pw.SqliteDatabase) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
