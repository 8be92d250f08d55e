"""Reading the audit trail, and checking it (``practice-tui audit``, ``--verify``).

``verify`` walks the hash chain row by row and says where it breaks (a row
removed, changed, or written by another program), compares each audited
record as stored now with the digest of its latest audit row (naming the
fields another program changed, never their text), lists clinical and money
records added without the app (a back-dated amendment slipped into the
file), and checks that the database's locks (triggers) are all in place.

What it cannot see: a person who rewrites the whole chain from some row to
the end with this program's own formula. The chain's head (``VerifyReport.head``)
printed by ``--verify`` and kept elsewhere (a note, an e-mail to oneself, a
backup) catches that: an earlier head that no longer appears in the trail
means the trail was rewritten.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from practice_tui.domain.audit import TABLES, client_of, digest_of
from practice_tui.domain.db import database, reads
from practice_tui.domain.migrations import m0001_initial, m0004_outcomes, m0009_security
from practice_tui.domain.migrations.m0009_security import WATCHED, chain_hash, row_content
from practice_tui.domain.types import display_name
from practice_tui.domain.words import day_month_year, weekday_date

ACTION_WORDS = {
    "create": "created",
    "change": "changed",
    "cancel": "cancelled",
    "no_show": "marked no-show",
    "complete": "completed",
    "reopen": "reopened",
    "archive": "archived",
    "unarchive": "brought back from the archive",
    "delete": "deleted",
    "sign": "signed",
    "amend": "amendment added",
    "scores": "goal scores saved",
    "payment": "payment recorded",
    "refund": "refund recorded",
    "void": "voided",
    "fee": "fee changed",
    "discount": "discount changed",
    "price": "client price changed",
    "charge": "fee charged",
    "waive": "fee waived",
    "sell": "package sold",
    "issue": "issued",
    "codes": "billing codes changed",
    "insurance": "insurance details changed",
    "goals": "goals changed",
    "skip": "date skipped",
    "end": "ended",
    "retire": "retired or brought back",
    "export": "exported",
    "import": "imported",
    "start": "audit trail started",
    "sealed": "as found when the trail started",
    "locks restored": "locks removed by another program were put back",
}

KIND_WORDS = {"policy_fee": "cancellation fee", "trail": "audit trail", "file": "practice file"}


@dataclass(frozen=True)
class AuditEntry:
    """One row of the trail, in words."""

    id: int
    at: dt.datetime
    kind: str
    record_id: int | None
    client_id: int | None
    client_name: str
    action: str
    fields: tuple[str, ...]
    detail: str

    @property
    def what(self) -> str:
        """``note 12``, ``export``: what the row is about."""
        word = KIND_WORDS.get(self.kind, self.kind)
        return f"{word} {self.record_id}" if self.record_id is not None else word

    @property
    def action_words(self) -> str:
        return ACTION_WORDS.get(self.action, self.action.replace("_", " "))

    @property
    def line(self) -> str:
        """The row as one line: when, what, whose, what happened, which fields."""
        parts = [f"{weekday_date(self.at)} {self.at:%H:%M}", self.what]
        if self.client_name:
            parts.append(self.client_name)
        said = self.action_words
        detail = self.detail.rpartition(";")[2] if self.kind == "trail" else self.detail
        if detail:
            said += f" ({detail})"
        parts.append(said)
        if self.fields and self.kind != "trail":
            parts.append("fields: " + ", ".join(self.fields))
        return " · ".join(parts)


def _split(fields: str) -> tuple[tuple[str, ...], str]:
    names, _, detail = fields.partition(";")
    return tuple(n for n in names.split(",") if n), detail


def _names() -> dict[int, str]:
    return {
        row[0]: display_name(row[1], row[2], row[3] or "")
        for row in database.execute_sql(
            "SELECT id, first_name, last_name, preferred_name FROM client"
        ).fetchall()
    }


@reads
def trail(client_id: int | None = None, since: dt.date | None = None) -> tuple[AuditEntry, ...]:
    """The trail, oldest first; only one client's rows, or from a day on."""
    sql = "SELECT id, at, kind, record_id, client_id, action, fields FROM audit"
    where, params = [], []
    if client_id is not None:
        where.append("client_id = ?")
        params.append(client_id)
    if since is not None:
        where.append("at >= ?")
        params.append(since.isoformat())
    if where:
        sql += " WHERE " + " AND ".join(where)
    names = _names()
    out = []
    for row_id, at, kind, record_id, client, action, fields in database.execute_sql(
        sql + " ORDER BY id", params
    ).fetchall():
        names_changed, detail = _split(fields)
        out.append(
            AuditEntry(
                id=row_id,
                at=dt.datetime.fromisoformat(str(at)),
                kind=kind,
                record_id=record_id,
                client_id=client,
                client_name=names.get(client, f"client {client} (deleted)") if client else "",
                action=action,
                fields=names_changed,
                detail=detail,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class VerifyReport:
    """What ``verify`` found: ``problems`` (each saying where), earlier findings
    the app recorded (``warnings``), how many rows, and the chain's head."""

    rows: int
    head: str
    problems: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def _describe(kind: str, record_id: int, client_id: int | None, names: dict[int, str]) -> str:
    """``note 123 (Ann Lee, 3 Dec 2026)``: a record as a person finds it."""
    word = KIND_WORDS.get(kind, kind)
    client = names.get(client_id) if client_id else None
    when = None
    if kind in ("appointment", "note", "amendment"):
        query = {
            "appointment": "SELECT start FROM appointment WHERE id = ?",
            "note": "SELECT a.start FROM session_note n JOIN appointment a "
            "ON a.id = n.appointment_id WHERE n.id = ?",
            "amendment": "SELECT a.start FROM note_amendment m JOIN session_note n "
            "ON n.id = m.note_id JOIN appointment a ON a.id = n.appointment_id WHERE m.id = ?",
        }[kind]
        row = database.execute_sql(query, (record_id,)).fetchone()
        when = row[0] if row else None
    elif kind == "payment":
        row = database.execute_sql(
            "SELECT received_on FROM payment WHERE id = ?", (record_id,)
        ).fetchone()
        when = row[0] if row else None
    about = [part for part in (client,) if part]
    if when:
        about.append(day_month_year(dt.datetime.fromisoformat(str(when))))
    return f"{word} {record_id}" + (f" ({', '.join(about)})" if about else "")


def _baseline(rows: list[tuple]) -> dict[str, int]:
    for row in reversed(rows):
        if row[2] == "trail" and row[5] == "start":
            return {kind: int(n) for kind, n in re.findall(r"(\w+):(\d+)", row[6])}
    return {}


def _chain(rows: list[tuple]) -> list[str]:
    problems = []
    previous = None
    for row in rows:
        row_id, at, kind, record_id, client_id, action, fields, digest, prev_hash, hash_ = row
        if previous is None and row_id != 1:
            problems.append(
                f"Audit rows 1–{row_id - 1} are missing: removed by another program."
                if row_id > 2
                else "Audit row 1 is missing: removed by another program."
            )
        elif previous is not None and row_id != previous[0] + 1:
            gap = (
                f"Audit row {previous[0] + 1} is missing"
                if row_id == previous[0] + 2
                else f"Audit rows {previous[0] + 1}–{row_id - 1} are missing"
            )
            problems.append(f"{gap}: removed by another program (the trail jumps to {row_id}).")
        elif prev_hash != (previous[9] if previous else ""):
            problems.append(
                f"Audit row {row_id} does not follow row {row_id - 1}: a row was removed "
                "before it, or it was written by another program."
            )
        content = row_content(row_id, str(at), kind, record_id, client_id, action, fields, digest)
        if chain_hash(prev_hash, content) != hash_:
            problems.append(
                f"Audit row {row_id} was changed or forged: its content no longer matches its hash."
            )
        previous = row
    return problems


def _records(rows: list[tuple], names: dict[int, str]) -> list[str]:
    latest: dict[tuple[str, int], tuple] = {}
    for row in rows:
        if row[2] in TABLES and row[3] is not None:
            latest[(row[2], row[3])] = row
    problems = []
    for (kind, record_id), row in sorted(latest.items(), key=lambda item: item[1][0]):
        action, digest, client_id = row[5], row[7], row[4]
        if action == "delete" or not digest:
            continue
        stored = json.loads(digest)
        now = digest_of(kind, record_id)
        what = _describe(kind, record_id, client_id, names)
        if now is None:
            problems.append(f"{what} was deleted outside the app.")
            continue
        changed = sorted(n for n in set(stored) | set(now) if stored.get(n) != now.get(n))
        if changed:
            problems.append(f"{what} changed outside the app: fields {', '.join(changed)}.")
    return problems


def _added(rows: list[tuple], names: dict[int, str]) -> list[str]:
    baseline = _baseline(rows)
    audited = {(row[2], row[3]) for row in rows}
    problems = []
    for table, kind in WATCHED:
        since = baseline.get(kind, 0)
        found = database.execute_sql(
            f'SELECT id FROM "{table}" WHERE id > ? ORDER BY id', (since,)
        ).fetchall()
        for (record_id,) in found:
            if (kind, record_id) not in audited:
                client = _client(kind, record_id)
                what = _describe(kind, record_id, client, names)
                problems.append(f"{what} was added outside the app.")
    return problems


def _client(kind: str, record_id: int) -> int | None:
    return client_of(kind, record_id)


LOCKS = tuple(
    re.search(r"CREATE TRIGGER \"?(\w+)", statement).group(1)  # type: ignore[union-attr]
    for statement in (m0001_initial.TRIGGERS + m0004_outcomes.TRIGGERS + m0009_security.TRIGGERS)
)


def _locks() -> list[str]:
    present = {
        row[0]
        for row in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
    }
    missing = [name for name in LOCKS if name not in present]
    if not missing:
        return []
    return [
        "The database's locks on signed notes, amendments or the audit trail are missing "
        f"(removed by another program): {', '.join(missing)}."
    ]


@reads
def verify() -> VerifyReport:
    """Check the whole trail, the audited records and the locks (see the module)."""
    if not database.execute_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit'"
    ).fetchone():
        return VerifyReport(
            rows=0,
            head="",
            problems=("The audit trail has been removed from this file by another program.",),
        )
    rows = [
        tuple(row)
        for row in database.execute_sql(
            "SELECT id, at, kind, record_id, client_id, action, fields, digest, prev_hash, hash "
            "FROM audit ORDER BY id"
        ).fetchall()
    ]
    names = _names()
    problems = _chain(rows) + _records(rows, names) + _added(rows, names) + _locks()
    warnings = [
        f"On {weekday_date(dt.datetime.fromisoformat(str(row[1])))} the app found these "
        f"locks removed by another program and put them back: {', '.join(_split(row[6])[0])}."
        for row in rows
        if row[2] == "file" and row[5] == "locks restored"
    ] + [
        f"On {weekday_date(dt.datetime.fromisoformat(str(row[1])))} the app found the audit "
        "trail removed by another program and started a new one."
        for row in rows
        if row[2] == "trail" and "removed by another program" in row[6]
    ]
    return VerifyReport(
        rows=len(rows),
        head=rows[-1][9] if rows else "",
        problems=tuple(problems),
        warnings=tuple(warnings),
    )
