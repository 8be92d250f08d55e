"""0007 (security): a signed note's appointment is locked too.

The note row has been locked since 0001, but its appointment says who the
note is about, when, what service and whether it took place. Another program
(the ``sqlite3`` tool, a script) could move, reassign, cancel or delete that
appointment and so change what a signed note means. These triggers refuse
that, whoever writes to the file: the client, service, start, end and status
of an appointment whose note is signed cannot change, and the appointment
cannot be deleted. Its fee, booking note and payments still can (money is
settled after the session).
"""

from __future__ import annotations

import peewee as pw

DESCRIPTION = "security: signed notes' appointments locked"

_SIGNED = (
    "EXISTS (SELECT 1 FROM session_note WHERE session_note.appointment_id = OLD.id "
    "AND session_note.signed_at IS NOT NULL)"
)

#: Named like the 0001 triggers so the look at the file puts them back too.
TRIGGERS = (
    f"""CREATE TRIGGER appointment_signed_no_update BEFORE UPDATE ON appointment
    WHEN {_SIGNED} AND (NEW.client_id IS NOT OLD.client_id
        OR NEW.service_id IS NOT OLD.service_id OR NEW.start IS NOT OLD.start
        OR NEW."end" IS NOT OLD."end" OR NEW.status IS NOT OLD.status OR NEW.id IS NOT OLD.id)
    BEGIN SELECT RAISE(ABORT, 'the appointment of a signed note cannot change'); END""",
    f"""CREATE TRIGGER appointment_signed_no_delete BEFORE DELETE ON appointment
    WHEN {_SIGNED}
    BEGIN SELECT RAISE(ABORT, 'the appointment of a signed note cannot change'); END""",
)


def up(db: pw.SqliteDatabase) -> None:
    for statement in TRIGGERS:
        db.execute_sql(statement)
