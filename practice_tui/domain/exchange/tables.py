"""CSV export: clients, appointments, session notes and their amendments, one
file each, for an accountant, a new system or a spreadsheet.

UTF-8 with a header row, written by the ``csv`` module; each file is written
whole (temporary file, then ``os.replace``) with owner-only permissions, since
it holds health records. A text cell that starts with ``=``, ``+``, ``-``,
``@`` (or a tab or carriage return) gets a leading ``'`` so a spreadsheet
shows it instead of running it as a formula (OWASP's advice on CSV
injection); numbers and dates are written as they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from practice_tui.domain import audit
from practice_tui.domain.db import reads
from practice_tui.domain.errors import ValidationError
from practice_tui.domain.models import (
    Appointment,
    Client,
    NoteAmendment,
    Service,
    SessionNote,
)

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CLIENT_COLUMNS = (
    "id", "first_name", "last_name", "preferred_name", "date_of_birth", "phone", "email",
    "address", "emergency_name", "emergency_phone", "referring_provider", "complaint",
    "goals", "conditions", "medications", "allergies", "contraindications",
    "pressure_preference", "intake_date", "consent_date", "notes", "archived",
    "created_at", "updated_at",
)  # fmt: skip


@dataclass(frozen=True)
class CsvFile:
    path: Path
    rows: int


@dataclass(frozen=True)
class CsvExport:
    folder: Path
    files: tuple[CsvFile, ...]


def cell(value: object) -> str | int:
    """One value as a spreadsheet should see it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return value
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> tuple[bytes, int]:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([cell(v) for v in row])
        count += 1
    return buffer.getvalue().encode("utf-8"), count


def _clients() -> tuple[Sequence[str], Iterable[Sequence[object]]]:
    fields = [getattr(Client, c) for c in CLIENT_COLUMNS]
    return CLIENT_COLUMNS, Client.select(*fields).order_by(Client.id).tuples()


def _appointments() -> tuple[Sequence[str], Iterable[Sequence[object]]]:
    header = (
        "id", "client_id", "client", "service", "start", "end", "minutes", "status",
        "cancel_reason", "late_cancel", "booking_note", "plan_id", "plan_slot",
    )  # fmt: skip
    query = (
        Appointment.select(
            Appointment.id, Appointment.client, Client.first_name, Client.last_name,
            Service.name, Appointment.start, Appointment.end, Appointment.status,
            Appointment.cancel_reason, Appointment.late_cancel, Appointment.booking_note,
            Appointment.plan, Appointment.plan_slot,
        )
        .join(Client, on=(Appointment.client == Client.id))
        .switch(Appointment)
        .join(Service, on=(Appointment.service == Service.id))
        .order_by(Appointment.start, Appointment.id)
        .tuples()
    )  # fmt: skip

    def rows() -> Iterable[Sequence[object]]:
        for (aid, cid, first, last, service, start, end, status, reason, late, note, plan,
             slot) in query:  # fmt: skip
            minutes = int((end - start).total_seconds() // 60)
            yield (aid, cid, f"{first} {last}".strip(), service, start, end, minutes,
                   status.replace("_", "-"), reason, bool(late), note, plan, slot)  # fmt: skip

    return header, rows()


def _notes() -> tuple[Sequence[str], Iterable[Sequence[object]]]:
    header = (
        "id", "appointment_id", "client_id", "client", "session_start", "pain_before",
        "pain_after", "areas", "techniques", "pressure", "subjective", "objective",
        "assessment", "plan", "home_care", "home_care_notes", "next_visit", "signed_at",
        "created_at", "updated_at",
    )  # fmt: skip
    query = (
        SessionNote.select(
            SessionNote,
            Appointment.start.alias("session_start"),
            Appointment.client.alias("client_ref"),
            Client.first_name.alias("client_first"),
            Client.last_name.alias("client_last"),
        )
        .join(Appointment, on=(SessionNote.appointment == Appointment.id))
        .join(Client, on=(Appointment.client == Client.id))
        .order_by(Appointment.start, SessionNote.id)
        .objects()
    )

    def rows() -> Iterable[Sequence[object]]:
        for note in query:
            yield (
                note.id, note.appointment_id, note.client_ref,
                f"{note.client_first} {note.client_last}".strip(), note.session_start,
                note.pain_before, note.pain_after, note.areas, note.techniques, note.pressure,
                note.subjective, note.objective, note.assessment, note.plan_text,
                note.home_care, note.home_care_notes, note.next_visit, note.signed_at,
                note.created_at, note.updated_at,
            )  # fmt: skip

    return header, rows()


def _amendments() -> tuple[Sequence[str], Iterable[Sequence[object]]]:
    header = ("id", "note_id", "appointment_id", "created_at", "reason", "text")
    query = (
        NoteAmendment.select(
            NoteAmendment.id, NoteAmendment.note, SessionNote.appointment,
            NoteAmendment.created_at, NoteAmendment.reason, NoteAmendment.text,
        )
        .join(SessionNote, on=(NoteAmendment.note == SessionNote.id))
        .order_by(NoteAmendment.note, NoteAmendment.created_at, NoteAmendment.id)
        .tuples()
    )  # fmt: skip
    return header, query


TABLES = (
    ("clients.csv", _clients),
    ("appointments.csv", _appointments),
    ("notes.csv", _notes),
    ("note_amendments.csv", _amendments),
)


@reads
def _render() -> list[tuple[str, bytes, int]]:
    """Every file's bytes from one consistent snapshot of the practice file."""
    result = []
    for name, source in TABLES:
        header, rows = source()
        data, count = _csv_bytes(header, rows)
        result.append((name, data, count))
    return result


def export_csv(folder: str | os.PathLike[str]) -> CsvExport:
    """Write the CSV files into ``folder`` (made 0700 if missing; files 0600)."""
    from practice_tui.domain.exchange.sync import write_atomically

    target = Path(folder).expanduser()
    if target.exists() and not target.is_dir():
        raise ValidationError(f"{target} is a file; give a folder for the CSV files.")
    try:
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise ValidationError(f"Cannot make the folder {target}: {error.strerror}.") from error
    files = []
    try:
        for name, data, count in _render():
            path = target / name
            write_atomically(path, data)
            files.append(CsvFile(path, count))
    except OSError as error:
        raise ValidationError(f"Cannot write into {target}: {error.strerror or error}.") from error
    audit.export_noted("CSV tables", count=len(files))
    return CsvExport(target, tuple(files))
