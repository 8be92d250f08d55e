"""Numbered schema steps, applied in order when a file is opened.

The file's schema version is ``PRAGMA user_version``; step N brings a file
from version N-1 to N inside one transaction. Later steps use
``playhouse.migrate.SqliteMigrator`` for column changes. To change the schema:
add ``mNNNN_what.py`` with ``DESCRIPTION`` and ``up(db)``, append it to
``STEPS`` and change the models to match.
"""

from __future__ import annotations

from types import ModuleType

import peewee as pw

from practice_tui.domain.migrations import (
    m0001_initial,
    m0002_exchange,
    m0003_practice_settings,
    m0004_outcomes,
    m0005_money,
    m0006_record_versions,
    m0007_plan_skip_reason,
    m0008_saved_at_plan_practice,
    m0009_security,
)

STEPS: tuple[ModuleType, ...] = (
    m0001_initial,
    m0002_exchange,
    m0003_practice_settings,
    m0004_outcomes,
    m0005_money,
    m0006_record_versions,
    m0007_plan_skip_reason,
    m0008_saved_at_plan_practice,
    m0009_security,
)

SCHEMA_VERSION = len(STEPS)

#: Written into every practice file so a foreign SQLite file is recognised.
APPLICATION_ID = 0x50524143  # "PRAC"


def migrate(db: pw.SqliteDatabase, from_version: int) -> None:
    """Apply every step after ``from_version``; each commits on its own."""
    for number, step in enumerate(STEPS, start=1):
        if number <= from_version:
            continue
        with db.atomic("IMMEDIATE"):
            step.up(db)
            db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute_sql(f"PRAGMA user_version = {number}")
