"""The queries behind each keystroke read an index range, not the whole history.

Speed itself is measured by ``benchmarks/feel.py``, never here; these check the
query plan SQLite chooses (``EXPLAIN QUERY PLAN``), which does not depend on
the machine or the clock.
"""

from __future__ import annotations

import datetime as dt

from practice_tui.domain import appointments, schedule
from practice_tui.domain.db import database
from practice_tui.domain.models import Appointment


def plan_of(query) -> list[str]:
    sql, params = query.sql()
    return [row[3] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]


def test_a_clash_check_reads_only_the_appointments_near_the_slot(db_path, monkeypatch) -> None:
    """Without a lower bound, "start < slot end" read every earlier appointment:
    20 years of them for each date of a plan's preview."""
    executed: list[tuple[str, tuple]] = []
    db = database.obj
    original = db.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        executed.append((sql, tuple(params or ())))
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(db, "execute_sql", spy)
    schedule.check_slot(dt.datetime(2026, 12, 1, 10, 0), 60)
    monkeypatch.undo()
    clash = [(sql, params) for sql, params in executed if '"t1"."end" >' in sql]
    assert len(clash) == 1
    sql, params = clash[0]
    plan = [row[3] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]
    assert any("appointment_start (start>? AND start<?)" in step for step in plan), plan


def test_a_day_reads_its_own_appointments_by_their_start(db_path) -> None:
    day = dt.datetime(2026, 11, 27)
    query = appointments.info_query().where(
        (Appointment.start >= day) & (Appointment.start < day + dt.timedelta(days=1))
    )
    assert any("USING INDEX appointment_start (start>? AND start<?)" in s for s in plan_of(query))
