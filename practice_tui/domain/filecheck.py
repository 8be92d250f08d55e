"""The quick look at a practice file when it is opened.

Another program (the ``sqlite3`` tool, a sync tool, a script) may have changed
the file behind the app's back: deleted a client that appointments still
refer to (foreign keys are off there by default), or dropped the triggers that
keep signed notes and amendments unchanged. The app must still start on any
file SQLite's ``integrity_check`` accepts. ``check_file`` lists orphaned rows
(they are kept, never deleted: they may be health records) and puts missing
lock triggers back, so the app can say both once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from practice_tui.domain import audit
from practice_tui.domain.db import database, is_readonly, reads, writes

_TABLE_WORDS = {
    "appointment": "appointment",
    "plan": "plan",
    "plan_skip": "skipped plan date",
    "session_note": "session note",
    "note_amendment": "note amendment",
}
_MAX_LISTED = 20


@dataclass(frozen=True)
class FileReport:
    """What the look found: orphaned rows, and the lock triggers put back."""

    orphans: tuple[str, ...] = ()
    orphan_count: int = 0
    triggers_restored: tuple[str, ...] = ()
    triggers_missing: tuple[str, ...] = ()
    readonly: bool = False
    #: The audit table had been removed by another program (and was started again).
    trail_restarted: bool = False

    @property
    def messages(self) -> tuple[str, ...]:
        """One message per finding, for a person to read once."""
        out = []
        if self.orphan_count:
            more = self.orphan_count - len(self.orphans)
            listed = "; ".join(self.orphans) + (f"; and {more} more" if more > 0 else "")
            out.append(
                f"This file has {self.orphan_count} record(s) referring to something another "
                f"program deleted. They are kept and shown as missing: {listed}."
            )
        if self.trail_restarted:
            out.append(
                "The audit trail had been removed from this file by another program; "
                "a new one starts now (practice-tui audit --verify says so too)."
            )
        if self.triggers_restored:
            out.append(
                "The protection that keeps signed notes and amendments unchanged had been "
                "removed from this file by another program; it has been put back."
            )
        if self.triggers_missing:
            out.append(
                "The protection that keeps signed notes and amendments unchanged is missing "
                "from this file, and this read-only opening cannot put it back."
            )
        return tuple(out)


def _trigger_statements() -> dict[str, str]:
    from practice_tui.domain.migrations import m0001_initial, m0004_outcomes, m0009_security

    named = {}
    for statement in m0001_initial.TRIGGERS + m0004_outcomes.TRIGGERS + m0009_security.TRIGGERS:
        match = re.search(r"CREATE TRIGGER (\w+)", statement)
        if match:
            named[match.group(1)] = statement
    return named


@reads
def _orphans() -> tuple[tuple[str, ...], int]:
    rows = database.execute_sql("PRAGMA foreign_key_check").fetchall()
    listed = []
    for table, rowid, parent, fkid in rows[:_MAX_LISTED]:
        column = None
        for fk in database.execute_sql(f'PRAGMA foreign_key_list("{table}")').fetchall():
            if fk[0] == fkid:
                column = fk[3]
        refers = ""
        if column is not None:
            value = database.execute_sql(
                f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', (rowid,)
            ).fetchone()
            if value is not None:
                refers = f" #{value[0]}"
        word = _TABLE_WORDS.get(table, table)
        listed.append(f"{word} #{rowid} (missing {parent.replace('_', ' ')}{refers})")
    return tuple(listed), len(rows)


@reads
def _missing_triggers() -> tuple[str, ...]:
    present = {
        row[0]
        for row in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
    }
    return tuple(name for name in _trigger_statements() if name not in present)


@writes
def _restore_triggers(names: tuple[str, ...]) -> None:
    statements = _trigger_statements()
    present = {
        row[0]
        for row in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
    }
    for name in names:
        if name not in present:
            database.execute_sql(statements[name])
    audit.record("file", None, "locks restored", fields=names)


@reads
def _trail_missing() -> bool:
    return not database.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'"
    ).fetchone()


@writes
def _restart_trail() -> None:
    from practice_tui.domain.migrations import m0009_security

    for statement in m0009_security.STATEMENTS:
        database.execute_sql(statement)
    audit.start_trail("the audit trail had been removed by another program")


def check_file() -> FileReport:
    """Foreign keys, lock triggers and the audit trail of the open file
    (milliseconds on a large file)."""
    orphans, count = _orphans()
    readonly = is_readonly()
    restarted = _trail_missing() and not readonly
    if restarted:
        _restart_trail()
    missing = _missing_triggers()
    restored: tuple[str, ...] = ()
    if missing and not readonly:
        _restore_triggers(missing)
        restored, missing = missing, ()
    return FileReport(
        orphans=orphans,
        orphan_count=count,
        triggers_restored=restored,
        triggers_missing=missing,
        readonly=readonly,
        trail_restarted=restarted,
    )
