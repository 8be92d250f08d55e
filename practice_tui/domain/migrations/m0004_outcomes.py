"""0002: outcomes — functional goals, their scores, progress reports made.

A goal score given in a session note is locked with that note: once the note
is signed, triggers refuse adding, changing or removing its scores, whatever
program writes to the file (the same pattern as 0001's note locks).
"""

from __future__ import annotations

import peewee as pw

DESCRIPTION = "functional goals, goal scores, progress reports"

STATEMENTS = (
    'CREATE TABLE "goal" ("id" INTEGER NOT NULL PRIMARY KEY, "client_id" INTEGER NOT NULL, "position" INTEGER NOT NULL, "activity" VARCHAR(200) NOT NULL, "created_at" DATETIME NOT NULL, "retired_at" DATETIME, FOREIGN KEY ("client_id") REFERENCES "client" ("id") ON DELETE RESTRICT);',
    'CREATE INDEX "goal_client_id" ON "goal" ("client_id");',
    'CREATE TABLE "goal_score" ("id" INTEGER NOT NULL PRIMARY KEY, "goal_id" INTEGER NOT NULL, "day" DATE NOT NULL, "score" INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10), "note_id" INTEGER, "created_at" DATETIME NOT NULL, FOREIGN KEY ("goal_id") REFERENCES "goal" ("id") ON DELETE RESTRICT, FOREIGN KEY ("note_id") REFERENCES "session_note" ("id") ON DELETE RESTRICT);',
    'CREATE INDEX "goal_score_note_id" ON "goal_score" ("note_id");',
    'CREATE INDEX "goal_score_goal_id_day" ON "goal_score" ("goal_id", "day");',
    'CREATE UNIQUE INDEX "goal_score_goal_id_note_id" ON "goal_score" ("goal_id", "note_id");',
    'CREATE TABLE "progress_report" ("id" INTEGER NOT NULL PRIMARY KEY, "client_id" INTEGER NOT NULL, "made_at" DATETIME NOT NULL, "start" DATE NOT NULL, "end" DATE NOT NULL, "file_name" TEXT NOT NULL, "summary" TEXT NOT NULL, "recommendation" TEXT NOT NULL, FOREIGN KEY ("client_id") REFERENCES "client" ("id") ON DELETE RESTRICT);',
    'CREATE INDEX "progress_report_client_id" ON "progress_report" ("client_id");',
)

_SIGNED = "(SELECT signed_at FROM session_note WHERE id = {row}.note_id) IS NOT NULL"

#: Scores given in a signed note are part of it: locked like the note itself.
TRIGGERS = (
    f"""CREATE TRIGGER goal_score_signed_no_insert BEFORE INSERT ON goal_score
    WHEN NEW.note_id IS NOT NULL AND {_SIGNED.format(row="NEW")}
    BEGIN SELECT RAISE(ABORT, 'signed session notes are locked'); END""",
    f"""CREATE TRIGGER goal_score_signed_no_update BEFORE UPDATE ON goal_score
    WHEN OLD.note_id IS NOT NULL AND {_SIGNED.format(row="OLD")}
    BEGIN SELECT RAISE(ABORT, 'signed session notes are locked'); END""",
    f"""CREATE TRIGGER goal_score_signed_no_delete BEFORE DELETE ON goal_score
    WHEN OLD.note_id IS NOT NULL AND {_SIGNED.format(row="OLD")}
    BEGIN SELECT RAISE(ABORT, 'signed session notes are locked'); END""",
)


def up(db: pw.SqliteDatabase) -> None:
    for statement in STATEMENTS + TRIGGERS:
        db.execute_sql(statement)
