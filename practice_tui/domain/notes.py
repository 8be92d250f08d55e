"""Clinical session notes: write a draft, copy forward, sign and lock, amend, read back.

The rules a therapist can rely on:

- **Pain** is a whole number on the 0–10 scale, or blank for "not asked",
  which is not the same as 0. ``7.5``, ``-1``, ``11`` and ``7/10`` are refused
  with a message saying what to type instead.
- A note belongs to one appointment and can be written once the session has
  started, unless the appointment was cancelled or missed (there was no
  session to write about).
- **Copy forward** fills areas, techniques, pressure, home care (picked and
  written) and the plan from the client's previous note, and only when all of
  those are still empty, so nothing already typed is ever overwritten; pain,
  S/O/A and the next visit stay as they are.
- **Signing** saves what is on screen and locks it in one transaction and marks
  the appointment completed. A signed note cannot change by any path: the
  database refuses UPDATE and DELETE of it (migration 0001 triggers), and the
  services refuse before they get that far. An empty note cannot be signed.
- **Amendments** are the only later change: text and reason are required,
  they are stamped with the time, and they are append-only (also enforced in
  the database). Only a signed note takes amendments; a draft is simply edited.
- A **note owed** is an appointment that took place (completed, or booked and
  over) without a *signed* note; a saved draft is still owed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import peewee as pw

from practice_tui.domain import audit
from practice_tui.domain.db import reads, writes
from practice_tui.domain.errors import ConflictError, NotFound, ValidationError
from practice_tui.domain.models import (
    Appointment,
    Client,
    NoteAmendment,
    Service,
    SessionNote,
    Status,
)
from practice_tui.domain.note_fields import (
    LABELS,
    NoteFields,
    check_note,
    copy_forward,
    is_copy_target_empty,
    note_is_blank,
    parse_pain,
)
from practice_tui.domain.profile import PainTrend, pain_trend
from practice_tui.domain.schedule import set_status
from practice_tui.domain.today import notes_owed, notes_owed_count
from practice_tui.domain.types import AppointmentInfo, display_name
from practice_tui.domain.versions import check_version
from practice_tui.domain.words import moment_short

__all__ = [
    "Amendment",
    "ClientNotes",
    "NoteFields",
    "NoteInfo",
    "NotePage",
    "NoteSummary",
    "SessionsOverview",
    "add_amendment",
    "check_note",
    "client_notes",
    "copy_forward",
    "get_note",
    "is_copy_target_empty",
    "note_is_blank",
    "notes_owed",
    "notes_owed_count",
    "open_note",
    "parse_pain",
    "recent_notes",
    "save_draft",
    "sessions_overview",
    "sign_note",
]

MAX_AMENDMENT = 10_000
MAX_REASON = 500


# --- plain data ----------------------------------------------------------------


@dataclass(frozen=True)
class Amendment:
    id: int
    created_at: dt.datetime
    reason: str
    text: str


@dataclass(frozen=True)
class NoteInfo:
    """One appointment's note as the editor shows it. ``id`` is ``None`` while
    nothing has been saved yet."""

    id: int | None
    appointment_id: int
    client_id: int
    client_name: str
    service_name: str
    start: dt.datetime
    end: dt.datetime
    appointment_status: str
    #: The client's contraindications/precautions ("" when none on file).
    contraindications: str
    content: NoteFields
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    signed_at: dt.datetime | None = None
    amendments: tuple[Amendment, ...] = ()
    #: The note's version when read (0: nothing saved yet); a save checks it.
    version: int = 0

    @property
    def exists(self) -> bool:
        return self.id is not None

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def has_alert(self) -> bool:
        return bool(self.contraindications.strip())


@dataclass(frozen=True)
class NotePage:
    """Everything the editor needs: the note and the client's previous one."""

    note: NoteInfo
    previous: NoteInfo | None
    #: Why the note cannot be written now (cancelled, no-show, not started), or "".
    blocked: str = ""


@dataclass(frozen=True)
class NoteSummary:
    """One row of a list of notes."""

    note_id: int
    appointment_id: int
    client_id: int
    client_name: str
    service_name: str
    start: dt.datetime
    pain_before: int | None
    pain_after: int | None
    areas: tuple[str, ...]
    techniques: tuple[str, ...]
    signed_at: dt.datetime | None
    amendment_count: int
    contraindications: str = ""

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def has_alert(self) -> bool:
        return bool(self.contraindications.strip())


@dataclass(frozen=True)
class ClientNotes:
    client_id: int
    client_name: str
    contraindications: str
    #: Newest first.
    notes: tuple[NoteSummary, ...]
    trend: PainTrend

    @property
    def has_alert(self) -> bool:
        return bool(self.contraindications.strip())


@dataclass(frozen=True)
class SessionsOverview:
    #: Appointments whose note is owed, oldest first.
    owed: tuple[AppointmentInfo, ...]
    owed_total: int
    #: Recent notes, newest session first, except drafts already listed as owed.
    recent: tuple[NoteSummary, ...]
    #: Ids of the owed appointments that already have a saved draft.
    drafts: frozenset[int] = frozenset()


# --- pain --------------------------------------------------------------------


# --- checking what was typed ---------------------------------------------------


# --- reading -----------------------------------------------------------------


def _fields(row: SessionNote) -> NoteFields:
    return NoteFields(
        pain_before=row.pain_before,
        pain_after=row.pain_after,
        areas=tuple(row.areas),
        techniques=tuple(row.techniques),
        pressure=row.pressure,
        subjective=row.subjective,
        objective=row.objective,
        assessment=row.assessment,
        plan_text=row.plan_text,
        home_care=tuple(row.home_care),
        home_care_notes=row.home_care_notes,
        next_visit=row.next_visit,
    )


def _appointment(appointment_id: int) -> Appointment:
    row = (
        Appointment.select(Appointment, Client, Service)
        .join(Client, on=(Appointment.client == Client.id))
        .switch(Appointment)
        .join(Service, on=(Appointment.service == Service.id))
        .where(Appointment.id == appointment_id)
        .first()
    )
    if row is None:
        raise NotFound("That appointment no longer exists.")
    return row


def _info(appointment: Appointment, row: SessionNote | None) -> NoteInfo:
    client = appointment.client
    amendments: tuple[Amendment, ...] = ()
    if row is not None:
        amendments = tuple(
            Amendment(a.id, a.created_at, a.reason, a.text)
            for a in NoteAmendment.select()
            .where(NoteAmendment.note == row.id)
            .order_by(NoteAmendment.created_at, NoteAmendment.id)
        )
    return NoteInfo(
        id=row.id if row is not None else None,
        appointment_id=appointment.id,
        client_id=client.id,
        client_name=display_name(client.first_name, client.last_name, client.preferred_name),
        service_name=appointment.service.name,
        start=appointment.start,
        end=appointment.end,
        appointment_status=appointment.status,
        contraindications=client.contraindications,
        content=_fields(row) if row is not None else NoteFields(),
        created_at=row.created_at if row is not None else None,
        updated_at=row.updated_at if row is not None else None,
        signed_at=row.signed_at if row is not None else None,
        amendments=amendments,
        version=row.version if row is not None else 0,
    )


def _note_row(appointment_id: int) -> SessionNote | None:
    return SessionNote.get_or_none(SessionNote.appointment == appointment_id)


@reads
def get_note(appointment_id: int) -> NoteInfo:
    """The note of one appointment (empty, with ``id=None``, if none was saved)."""
    return _info(_appointment(appointment_id), _note_row(appointment_id))


def _previous(appointment: Appointment) -> NoteInfo | None:
    """The client's latest note for a session before this one."""
    earlier = (
        SessionNote.select(SessionNote, Appointment)
        .join(Appointment, on=(SessionNote.appointment == Appointment.id))
        .where(
            (Appointment.client == appointment.client_id)
            & (Appointment.id != appointment.id)
            & (
                (Appointment.start < appointment.start)
                | ((Appointment.start == appointment.start) & (Appointment.id < appointment.id))
            )
        )
        .order_by(Appointment.start.desc(), Appointment.id.desc())
        .first()
    )
    if earlier is None:
        return None
    return _info(_appointment(earlier.appointment_id), earlier)


@reads
def open_note(appointment_id: int, now: dt.datetime | None = None) -> NotePage:
    """The note of one appointment and the client's previous note beside it;
    with ``now``, also why it cannot be written yet (if so)."""
    appointment = _appointment(appointment_id)
    note = _info(appointment, _note_row(appointment_id))
    blocked = "" if now is None or note.signed else _why_not_writable(appointment, now)
    return NotePage(note, _previous(appointment), blocked)


def _amendment_counts() -> pw.Node:
    return (
        NoteAmendment.select(pw.fn.COUNT(NoteAmendment.id))
        .where(NoteAmendment.note == SessionNote.id)
        .alias("amendment_count")
    )


def _summary_query() -> pw.ModelSelect:
    return (
        SessionNote.select(
            SessionNote.id,
            SessionNote.appointment,
            SessionNote.pain_before,
            SessionNote.pain_after,
            SessionNote.areas,
            SessionNote.techniques,
            SessionNote.signed_at,
            Appointment.id,
            Appointment.start,
            Appointment.client,
            Client.id,
            Client.first_name,
            Client.last_name,
            Client.preferred_name,
            Client.contraindications,
            Service.name,
            _amendment_counts(),
        )
        .join(Appointment, on=(SessionNote.appointment == Appointment.id))
        .join(Client, on=(Appointment.client == Client.id))
        .switch(Appointment)
        .join(Service, on=(Appointment.service == Service.id))
    )


def _summary(row: SessionNote) -> NoteSummary:
    appointment = row.appointment
    client = appointment.client
    return NoteSummary(
        note_id=row.id,
        appointment_id=appointment.id,
        client_id=client.id,
        client_name=display_name(client.first_name, client.last_name, client.preferred_name),
        service_name=appointment.service.name,
        start=appointment.start,
        pain_before=row.pain_before,
        pain_after=row.pain_after,
        areas=tuple(row.areas),
        techniques=tuple(row.techniques),
        signed_at=row.signed_at,
        amendment_count=int(getattr(row, "amendment_count", 0) or 0),
        contraindications=client.contraindications,
    )


def _took_place(now: dt.datetime) -> pw.Expression:
    return (Appointment.status == Status.COMPLETED.value) | (
        (Appointment.status == Status.BOOKED.value) & (Appointment.end <= now)
    )


@reads
def recent_notes(now: dt.datetime, *, limit: int = 50) -> tuple[NoteSummary, ...]:
    """The latest notes, newest session first, leaving out drafts that are owed
    (those are listed with the notes owed)."""
    rows = (
        _summary_query()
        .where(SessionNote.signed_at.is_null(False) | ~_took_place(now))
        .order_by(Appointment.start.desc(), Appointment.id.desc())
        .limit(limit)
    )
    return tuple(_summary(row) for row in rows)


@reads
def sessions_overview(
    now: dt.datetime, *, owed_limit: int = 200, recent_limit: int = 50
) -> SessionsOverview:
    """What the Sessions screen shows, read in one snapshot."""
    owed = notes_owed(now, limit=owed_limit)
    drafts = frozenset(
        row.appointment_id
        for row in SessionNote.select(SessionNote.appointment).where(
            SessionNote.appointment.in_([a.id for a in owed])
        )
    )
    return SessionsOverview(
        owed=owed,
        owed_total=notes_owed_count(now),
        recent=recent_notes(now, limit=recent_limit),
        drafts=drafts,
    )


@reads
def client_notes(client_id: int, *, limit: int = 500) -> ClientNotes:
    """All of one client's notes, newest first, with the pain trend."""
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound("That client no longer exists.")
    rows = (
        _summary_query()
        .where(Appointment.client == client_id)
        .order_by(Appointment.start.desc(), Appointment.id.desc())
        .limit(limit)
    )
    notes = tuple(_summary(row) for row in rows)
    return ClientNotes(
        client_id=client.id,
        client_name=display_name(client.first_name, client.last_name, client.preferred_name),
        contraindications=client.contraindications,
        notes=notes,
        trend=pain_trend(client_id),
    )


# --- writing -------------------------------------------------------------------


def _why_not_writable(appointment: Appointment, now: dt.datetime) -> str:
    """Why no note can be written for this appointment now ("" when one can)."""
    if appointment.status == Status.CANCELLED.value:
        return "This appointment was cancelled: there is no session to write up."
    if appointment.status == Status.NO_SHOW.value:
        return "This appointment was a no-show: there is no session to write up."
    if appointment.start > now:
        return (
            f"This session has not started yet ({moment_short(appointment.start)}); "
            "write its note once it has."
        )
    return ""


def _writable(appointment_id: int, now: dt.datetime) -> tuple[Appointment, SessionNote | None]:
    appointment = _appointment(appointment_id)
    row = _note_row(appointment_id)
    if row is not None and row.signed_at is not None:
        raise ConflictError("This note is signed and locked; add an amendment instead.")
    reason = _why_not_writable(appointment, now)
    if reason:
        raise ConflictError(reason)
    return appointment, row


def _store(
    appointment: Appointment, row: SessionNote | None, fields: NoteFields, now: dt.datetime
) -> SessionNote:
    stamp = now.replace(microsecond=0)
    values = {name: getattr(fields, name) for name in LABELS}
    values["areas"] = list(fields.areas)
    values["techniques"] = list(fields.techniques)
    values["home_care"] = list(fields.home_care)
    if row is None:
        return SessionNote.create(
            appointment=appointment.id, created_at=stamp, updated_at=stamp, **values
        )
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_at = stamp
    row.save()
    return row


@writes
def save_draft(
    appointment_id: int,
    raw: Mapping[str, Any] | NoteFields,
    *,
    now: dt.datetime,
    expected_version: int | None = None,
) -> NoteInfo:
    """Save the note as typed, unsigned; it can be changed until it is signed.

    With ``expected_version`` (what the editor read; 0 for a note not saved
    yet), a draft saved elsewhere since is refused (``StaleRecordError``)."""
    fields = check_note(raw)
    appointment, row = _writable(appointment_id, now)
    check_version("note", row, expected_version)
    before = audit.stored_values("note", row.id) if row is not None else None
    stored = _store(appointment, row, fields, now)
    after = audit.stored_values("note", stored.id)
    changed = audit.changed_fields(before, after) if before is not None else ()
    audit.record("note", stored.id, "create" if before is None else "change", fields=changed)
    return _info(_appointment(appointment_id), _note_row(appointment_id))


@writes
def sign_note(
    appointment_id: int,
    raw: Mapping[str, Any] | NoteFields | None = None,
    *,
    now: dt.datetime,
    expected_version: int | None = None,
) -> NoteInfo:
    """Save ``raw`` (or sign what is stored when ``None``), lock the note and mark
    the appointment completed — all or nothing. ``expected_version`` as for
    ``save_draft``: a note changed elsewhere is never signed unseen."""
    appointment, row = _writable(appointment_id, now)
    check_version("note", row, expected_version)
    if raw is None:
        fields = _fields(row) if row is not None else NoteFields()
    else:
        fields = check_note(raw)
    if note_is_blank(fields):
        raise ValidationError("The note is empty: write what was done before signing it.")
    before = audit.stored_values("note", row.id) if row is not None else None
    row = _store(appointment, row, fields, now)
    if appointment.status == Status.BOOKED.value:
        set_status([appointment.id], Status.COMPLETED, now=now)
    SessionNote.update(signed_at=now.replace(microsecond=0)).where(
        SessionNote.id == row.id
    ).execute()
    after = audit.stored_values("note", row.id)
    changed = audit.changed_fields(before, after) if before is not None else ()
    audit.record("note", row.id, "sign", fields=changed)
    return _info(_appointment(appointment_id), _note_row(appointment_id))


@writes
def add_amendment(note_id: int, text: str, reason: str, *, now: dt.datetime) -> NoteInfo:
    """Add a correction or addition to a signed note, stamped with ``now``."""
    row = SessionNote.get_or_none(SessionNote.id == note_id)
    if row is None:
        raise NotFound("That note no longer exists.")
    if row.signed_at is None:
        raise ConflictError("This note is a draft: change it directly, then sign it.")
    errors: dict[str, str] = {}
    text = (text or "").strip()
    reason = (reason or "").strip()
    if not text:
        errors["text"] = "Write the amendment: what is added or corrected."
    elif len(text) > MAX_AMENDMENT:
        errors["text"] = (
            f"The amendment is too long ({len(text)} characters, at most {MAX_AMENDMENT})."
        )
    if not reason:
        errors["reason"] = "Give the reason for the amendment."
    elif "\n" in reason:
        errors["reason"] = "The reason is one line."
    elif len(reason) > MAX_REASON:
        errors["reason"] = (
            f"The reason is too long ({len(reason)} characters, at most {MAX_REASON})."
        )
    if errors:
        raise ValidationError.from_errors(errors)
    amendment = NoteAmendment.create(
        note=row.id, created_at=now.replace(microsecond=0), reason=reason, text=text
    )
    audit.record("amendment", amendment.id, "amend")
    return _info(_appointment(row.appointment_id), row)
