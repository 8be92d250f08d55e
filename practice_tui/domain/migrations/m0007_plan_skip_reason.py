"""0007: why a plan's date was skipped — chosen by hand, made for a clash, or
left out because a kept session stands for it.

Skips made for a clash are reconsidered when the plan moves to another time
(kept only if the date still clashes); skips chosen by hand always stay.
Skips saved before this step are taken as chosen by hand (nothing is undone).
"""

from __future__ import annotations

import peewee as pw

DESCRIPTION = "why a plan date was skipped (hand, clash, kept)"


def up(db: pw.SqliteDatabase) -> None:
    db.execute_sql(
        'ALTER TABLE "plan_skip" ADD COLUMN "reason" VARCHAR(8) NOT NULL DEFAULT \'hand\' '
        "CHECK (reason IN ('hand', 'clash', 'kept'))"
    )
