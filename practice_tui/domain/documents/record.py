"""A client's whole record: as a PDF to read or print, as JSON to move it.

What a client asking for their file gets: the profile and health history,
every appointment with its status (and the reason of a cancellation), every
signed note in full with its amendments (marked as amendments, with their
time), plans, functional goals with every score, and the progress reports
made. The PDF leaves out drafts (not part of the record until signed) and
says how many there are.

The JSON is complete enough to re-create the client in another practice file
(``import_client``): drafts are included there, signed notes stay signed with
their amendments and goal scores, plans keep their rule and skipped dates.
Services are matched by name; a service the other file lacks is added as
retired (it keeps its length and price but is not offered for booking).
Importing refuses a likely duplicate of a client already in the file, and
an appointment that would overlap one already booked there: nothing is
written then.

The money records come too (``record_money``): fees, billing codes and
diagnoses, packages, cancellation fees and every payment (version 2; a
version 1 record, made before them, still imports).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from practice_tui.domain import audit
from practice_tui.domain.clients import ALL_FIELDS, create_client, find_duplicates
from practice_tui.domain.db import reads, writes
from practice_tui.domain.documents.jsonvalues import to_date as _date
from practice_tui.domain.documents.jsonvalues import to_datetime as _dt
from practice_tui.domain.documents.jsonvalues import to_iso as _iso
from practice_tui.domain.documents.letterhead import practice_letterhead
from practice_tui.domain.documents.pdf import Document, write_private
from practice_tui.domain.documents.record_money import import_money, money_pdf, money_record
from practice_tui.domain.errors import ConflictError, NotFound, ValidationError
from practice_tui.domain.models import (
    BLOCKING_STATUSES,
    Appointment,
    Client,
    Goal,
    GoalScore,
    NoteAmendment,
    Plan,
    PlanSkip,
    ProgressReport,
    Service,
    SessionNote,
)
from practice_tui.domain.notes import LABELS as NOTE_LABELS
from practice_tui.domain.recurrence import describe_plan
from practice_tui.domain.types import display_name
from practice_tui.domain.vocab import format_areas
from practice_tui.domain.words import long_date

FORMAT = "practice-tui client record"
FORMAT_VERSION = 2
NOTE_FIELDS = tuple(NOTE_LABELS)


# --- gathering --------------------------------------------------------------------


def _record(client_id: int, now: dt.datetime) -> dict[str, Any]:
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound("That client no longer exists.")
    fields = {name: _iso(getattr(client, name)) for name in ALL_FIELDS}
    fields.update(
        archived=bool(client.archived),
        created_at=_iso(client.created_at),
        updated_at=_iso(client.updated_at),
    )
    plans = []
    for plan in (
        Plan.select(Plan, Service).join(Service).where(Plan.client == client_id).order_by(Plan.id)
    ):
        plans.append(
            {
                "key": plan.id,
                "service": plan.service.name,
                "first_start": _iso(plan.first_start),
                "minutes": plan.minutes,
                "rule": plan.rule,
                "count": plan.count,
                "until": _iso(plan.until),
                "ended_on": _iso(plan.ended_on),
                "filled_until": _iso(plan.filled_until),
                "replaces": plan.replaces_id,
                "note": plan.note,
                "created_at": _iso(plan.created_at),
                "skips": [
                    _iso(s.slot)
                    for s in PlanSkip.select()
                    .where(PlanSkip.plan == plan.id)
                    .order_by(PlanSkip.slot)
                ],
            }
        )
    services: dict[str, dict[str, Any]] = {}
    appointments = []
    for row in (
        Appointment.select(Appointment, Service)
        .join(Service)
        .where(Appointment.client == client_id)
        .order_by(Appointment.start, Appointment.id)
    ):
        service = row.service
        services[service.name] = {
            "name": service.name,
            "minutes": service.minutes,
            "price_cents": service.price_cents,
        }
        note = SessionNote.get_or_none(SessionNote.appointment == row.id)
        note_data = None
        if note is not None:
            note_data = {name: getattr(note, name) for name in NOTE_FIELDS}
            note_data.update(
                created_at=_iso(note.created_at),
                updated_at=_iso(note.updated_at),
                signed_at=_iso(note.signed_at),
                amendments=[
                    {"created_at": _iso(a.created_at), "reason": a.reason, "text": a.text}
                    for a in NoteAmendment.select()
                    .where(NoteAmendment.note == note.id)
                    .order_by(NoteAmendment.created_at, NoteAmendment.id)
                ],
            )
        appointments.append(
            {
                "key": row.id,
                "service": service.name,
                "start": _iso(row.start),
                "end": _iso(row.end),
                "status": row.status,
                "cancel_reason": row.cancel_reason,
                "cancelled_at": _iso(row.cancelled_at),
                "late_cancel": bool(row.late_cancel),
                "booking_note": row.booking_note,
                "plan": row.plan_id,
                "plan_slot": _iso(row.plan_slot),
                "plan_modified": bool(row.plan_modified),
                "created_at": _iso(row.created_at),
                "updated_at": _iso(row.updated_at),
                "note": note_data,
            }
        )
    for plan in plans:
        service = Service.get(Service.name == plan["service"])
        services.setdefault(
            service.name,
            {"name": service.name, "minutes": service.minutes, "price_cents": service.price_cents},
        )
    note_to_appointment = {
        note.id: note.appointment_id
        for note in SessionNote.select(SessionNote.id, SessionNote.appointment)
        .join(Appointment)
        .where(Appointment.client == client_id)
    }
    goals = []
    for goal in Goal.select().where(Goal.client == client_id).order_by(Goal.position, Goal.id):
        goals.append(
            {
                "position": goal.position,
                "activity": goal.activity,
                "created_at": _iso(goal.created_at),
                "retired_at": _iso(goal.retired_at),
                "scores": [
                    {
                        "day": _iso(s.day),
                        "score": s.score,
                        "appointment": note_to_appointment.get(s.note_id) if s.note_id else None,
                        "created_at": _iso(s.created_at),
                    }
                    for s in GoalScore.select()
                    .where(GoalScore.goal == goal.id)
                    .order_by(GoalScore.day, GoalScore.id)
                ],
            }
        )
    reports = [
        {
            "made_at": _iso(r.made_at),
            "start": _iso(r.start),
            "end": _iso(r.end),
            "file_name": r.file_name,
            "summary": r.summary,
            "recommendation": r.recommendation,
        }
        for r in ProgressReport.select()
        .where(ProgressReport.client == client_id)
        .order_by(ProgressReport.made_at, ProgressReport.id)
    ]
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": _iso(now.replace(microsecond=0)),
        "practice": practice_letterhead().practice,
        "client": fields,
        "services": sorted(services.values(), key=lambda s: s["name"]),
        "plans": plans,
        "appointments": appointments,
        "goals": goals,
        "progress_reports": reports,
        "money": money_record(client_id),
    }


@reads
def client_record(client_id: int, now: dt.datetime) -> dict[str, Any]:
    """The whole record of one client as plain JSON-ready data."""
    return _record(client_id, now)


# --- JSON and PDF -------------------------------------------------------------------


def record_json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2) + "\n"


def _status_words(appointment: dict[str, Any]) -> str:
    status = appointment["status"].replace("_", "-")
    if appointment["status"] == "cancelled":
        if appointment["late_cancel"]:
            status += " (late)"
        if appointment["cancel_reason"]:
            status += f": {appointment['cancel_reason']}"
    return status


def record_pdf(record: dict[str, Any], now: dt.datetime) -> bytes:
    client = record["client"]
    name = display_name(client["first_name"], client["last_name"], client["preferred_name"])
    full = " ".join(p for p in (client["first_name"], client["last_name"]) if p)
    pdf = Document(practice_letterhead(), f"Client record · {name}", now)
    pdf.title_block(
        f"Client record · {full}", f"The whole record as kept on {long_date(now.date())}"
    )
    pdf.heading("Profile")
    born = _date(client["date_of_birth"])
    for label, value in (
        ("Name", full),
        ("Preferred name", client["preferred_name"]),
        ("Date of birth", long_date(born) if born else ""),
        ("Phone", client["phone"]),
        ("Email", client["email"]),
        ("Address", client["address"]),
        (
            "Emergency contact",
            "  ".join(p for p in (client["emergency_name"], client["emergency_phone"]) if p),
        ),
        ("Referred by", client["referring_provider"]),
        ("Intake", long_date(_date(client["intake_date"])) if client["intake_date"] else ""),
        ("Consent", long_date(_date(client["consent_date"])) if client["consent_date"] else ""),
        ("Archived", "yes" if client["archived"] else ""),
    ):
        pdf.field(label, value or "")
    pdf.heading("Health history")
    for label, key in (
        ("Complaint", "complaint"),
        ("Goals", "goals"),
        ("Conditions", "conditions"),
        ("Medications", "medications"),
        ("Allergies", "allergies"),
        ("Precautions", "contraindications"),
        ("Pressure", "pressure_preference"),
        ("Notes", "notes"),
    ):
        pdf.field(label, client[key] or "")
    pdf.heading(f"Appointments ({len(record['appointments'])})")
    if record["appointments"]:
        pdf.table(
            ("Date", "Time", "Service", "Status"),
            [
                (
                    long_date(_dt(a["start"]).date()),  # type: ignore[union-attr]
                    f"{_dt(a['start']):%H:%M}–{_dt(a['end']):%H:%M}",
                    a["service"],
                    _status_words(a),
                )
                for a in record["appointments"]
            ],
            (36, 26, 56, 56),
        )
    else:
        pdf.para("No appointments.")
    signed = [a for a in record["appointments"] if a["note"] and a["note"]["signed_at"]]
    drafts = sum(1 for a in record["appointments"] if a["note"] and not a["note"]["signed_at"])
    pdf.heading(f"Session notes ({len(signed)} signed)")
    if drafts:
        pdf.para(f"{drafts} draft note(s) not yet signed are not part of this record.", size=9)
    for appointment in signed:
        note = appointment["note"]
        start = _dt(appointment["start"])
        assert start is not None
        pdf.para(f"{long_date(start.date())} {start:%H:%M} · {appointment['service']}", bold=True)
        pain = (
            "not asked"
            if note["pain_before"] is None and note["pain_after"] is None
            else f"{_p(note['pain_before'])} → {_p(note['pain_after'])} (before → after, 0–10)"
        )
        pdf.field("Pain", pain)
        pdf.field("Areas", format_areas(tuple(note["areas"])))
        pdf.field("Techniques", ", ".join(note["techniques"]))
        pdf.field("Pressure", note["pressure"])
        pdf.field("Subjective", note["subjective"])
        pdf.field("Objective", note["objective"])
        pdf.field("Assessment", note["assessment"])
        pdf.field("Plan", note["plan_text"])
        care = ", ".join(note["home_care"])
        if note["home_care_notes"]:
            care = f"{care}\n{note['home_care_notes']}".strip()
        pdf.field("Home care", care)
        pdf.field("Next visit", note["next_visit"])
        signed_at = _dt(note["signed_at"])
        assert signed_at is not None
        pdf.field("Signed", f"{long_date(signed_at.date())} {signed_at:%H:%M}")
        for amendment in note["amendments"]:
            when = _dt(amendment["created_at"])
            assert when is not None
            pdf.item(
                f"AMENDMENT added {long_date(when.date())} {when:%H:%M} — {amendment['reason']}",
                amendment["text"],
            )
        pdf.ln(2)
    pdf.heading("Plans")
    if not record["plans"]:
        pdf.para("No plans.")
    for plan in record["plans"]:
        first = _dt(plan["first_start"])
        assert first is not None
        words = describe_plan(plan["rule"], first, count=plan["count"], until=_date(plan["until"]))
        ended = _date(plan["ended_on"])
        extra = f" · ended {long_date(ended)}" if ended else ""
        pdf.field(plan["service"], f"{words} · from {long_date(first.date())}{extra}")
    pdf.heading("Functional goals (0 = unable … 10 = as before the problem)")
    if not record["goals"]:
        pdf.para("No functional goals.")
    for goal in record["goals"]:
        scores = ", ".join(
            f"{long_date(_date(s['day']))}: {s['score']}"  # type: ignore[arg-type]
            for s in goal["scores"]
        )
        retired = _date(goal["retired_at"])
        title = goal["activity"] + (f" (removed {long_date(retired)})" if retired else "")
        pdf.item(title, scores or "not scored")
    pdf.heading("Progress reports made")
    if not record["progress_reports"]:
        pdf.para("None.")
    for report in record["progress_reports"]:
        made = _dt(report["made_at"])
        assert made is not None
        pdf.item(
            f"{long_date(made.date())}: {long_date(_date(report['start']))} to "  # type: ignore[arg-type]
            f"{long_date(_date(report['end']))}",  # type: ignore[arg-type]
            report["summary"]
            + (f"\nRecommendation: {report['recommendation']}" if report["recommendation"] else ""),
        )
    money_pdf(pdf, record)
    return bytes(pdf.output())


def _p(value: int | None) -> str:
    return "–" if value is None else str(value)


def _slug(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:40] or "client"


def export_client(
    client_id: int, *, now: dt.datetime, pdf: Path | None = None, json_path: Path | None = None
) -> tuple[Path, ...]:
    """Write the record to ``pdf`` and/or ``json_path`` (new files, owner-only)."""
    if pdf is None and json_path is None:
        raise ValidationError("Say where to write the record: a PDF file, a JSON file or both.")
    record = client_record(client_id, now)
    written = []
    for path, render in (
        (pdf, lambda: record_pdf(record, now)),
        (json_path, lambda: record_json(record)),
    ):
        if path is None:
            continue
        target = Path(path).expanduser()
        if not target.parent.is_dir():
            raise ValidationError(f"The folder {target.parent} does not exist.")
        write_private(target, render())
        written.append(target)
    audit.export_noted("client record", client_id=client_id)
    return tuple(written)


def export_record_files(client_id: int, folder: Path, *, now: dt.datetime) -> tuple[Path, Path]:
    """Both files into ``folder`` (created owner-only if needed), named after the client."""
    record = client_record(client_id, now)
    client = record["client"]
    slug = _slug(f"{client['first_name']} {client['last_name']}")
    folder = Path(folder).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise ValidationError(f"Cannot use the folder {folder}: {error.strerror}.") from error
    stem, number = f"record-{slug}-{now:%Y-%m-%d}", 1
    candidate = stem
    while (folder / f"{candidate}.pdf").exists() or (folder / f"{candidate}.json").exists():
        number += 1
        candidate = f"{stem}-{number}"
    pdf, json_path = folder / f"{candidate}.pdf", folder / f"{candidate}.json"
    write_private(pdf, record_pdf(record, now))
    write_private(json_path, record_json(record))
    audit.export_noted("client record", client_id=client_id)
    return pdf, json_path


# --- finding a client by what was typed ----------------------------------------------------


@reads
def find_client(name_or_id: str, *, now: dt.datetime | None = None) -> int:
    """A client id from an id or from words of a name/phone/email that match exactly one."""
    text = name_or_id.strip()
    if text.isdigit():
        if Client.select().where(Client.id == int(text)).exists():
            return int(text)
        raise NotFound(f"There is no client with id {text}.")
    from practice_tui.domain.clients import search_clients
    from practice_tui.domain.clock import practice_now

    matches = search_clients(text, now=now or practice_now(), include_archived=True, limit=6)
    if not matches:
        raise NotFound(f"No client matches “{text}”.")
    if len(matches) > 1:
        names = "; ".join(f"{m.name} (id {m.id})" for m in matches[:5])
        raise ValidationError(f"“{text}” matches more than one client: {names}. Use the id.")
    return matches[0].id


# --- importing ---------------------------------------------------------------------------


def read_record(path: Path) -> dict[str, Any]:
    try:
        record = json.loads(Path(path).expanduser().read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ValidationError(f"There is no file at {path}.") from error
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(f"{path} is not a client record (JSON): {error}.") from error
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise ValidationError(f"{path} is not a practice-tui client record.")
    if record.get("version") not in (1, FORMAT_VERSION):
        raise ValidationError(
            f"{path} is a client record of version {record.get('version')}; "
            f"this practice-tui reads versions 1 to {FORMAT_VERSION}."
        )
    return record


def _service_id(service: str, known: dict[str, dict[str, Any]]) -> int:
    row = Service.get_or_none(Service.name == service)
    if row is not None:
        return row.id
    spec = known.get(service)
    if spec is None:
        raise ValidationError(f"The record names a service “{service}” it does not describe.")
    return Service.create(
        name=service, minutes=spec["minutes"], price_cents=spec["price_cents"], active=False
    ).id


@writes
def import_client(path: Path, *, now: dt.datetime, allow_duplicate: bool = False) -> int:
    """Re-create a client exported by ``export_client`` (JSON) in this file; returns its id."""
    record = read_record(path)
    try:
        return _import(record, now, allow_duplicate)
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, ValidationError):
            raise
        raise ValidationError(f"{path} is an incomplete client record ({error}).") from error


def _import(record: dict[str, Any], now: dt.datetime, allow_duplicate: bool) -> int:
    data = record["client"]
    fields = {name: data.get(name) for name in ALL_FIELDS}
    for name in ("date_of_birth", "intake_date", "consent_date"):
        fields[name] = _date(fields[name])
    if not allow_duplicate:
        same = find_duplicates(fields, now.date())
        if same:
            raise ConflictError(
                f"{same[0].name} (id {same[0].id}) is already in this file and looks like the "
                "same person: nothing was imported."
            )
    client = create_client(fields, today=now.date(), allow_duplicate=True, now=now)
    Client.update(
        archived=bool(data.get("archived")),
        created_at=_dt(data.get("created_at")) or now,
        updated_at=_dt(data.get("updated_at")) or now,
    ).where(Client.id == client.id).execute()
    services = {s["name"]: s for s in record.get("services", [])}
    plan_ids: dict[int, int] = {}
    for plan in record.get("plans", []):
        row = Plan.create(
            client=client.id,
            service=_service_id(plan["service"], services),
            first_start=_dt(plan["first_start"]),
            minutes=plan["minutes"],
            rule=plan["rule"],
            count=plan["count"],
            until=_date(plan["until"]),
            ended_on=_date(plan["ended_on"]),
            filled_until=_date(plan["filled_until"]),
            replaces=plan_ids.get(plan["replaces"]) if plan["replaces"] else None,
            note=plan.get("note", ""),
            created_at=_dt(plan["created_at"]) or now,
        )
        plan_ids[plan["key"]] = row.id
        for slot in plan.get("skips", []):
            PlanSkip.create(plan=row.id, slot=_dt(slot))
    note_ids: dict[int, int] = {}
    appointment_ids: dict[int, int] = {}
    to_sign: list[tuple[int, dt.datetime]] = []
    for item in record.get("appointments", []):
        start, end = _dt(item["start"]), _dt(item["end"])
        if item["status"] in BLOCKING_STATUSES:
            clash = (
                Appointment.select(Appointment.start)
                .where(
                    (Appointment.client != client.id)
                    & Appointment.status.in_(BLOCKING_STATUSES)
                    & (Appointment.start < end)
                    & (Appointment.end > start)
                )
                .first()
            )
            if clash is not None:
                raise ConflictError(
                    f"The appointment of {start:%d %b %Y %H:%M} overlaps one already in this "
                    "file: nothing was imported."
                )
        row = Appointment.create(
            client=client.id,
            service=_service_id(item["service"], services),
            start=start,
            end=end,
            status=item["status"],
            cancel_reason=item.get("cancel_reason", ""),
            cancelled_at=_dt(item.get("cancelled_at")),
            late_cancel=bool(item.get("late_cancel")),
            booking_note=item.get("booking_note", ""),
            plan=plan_ids.get(item["plan"]) if item.get("plan") else None,
            plan_slot=_dt(item.get("plan_slot")),
            plan_modified=bool(item.get("plan_modified")),
            created_at=_dt(item.get("created_at")) or now,
            updated_at=_dt(item.get("updated_at")) or now,
        )
        appointment_ids[item["key"]] = row.id
        note = item.get("note")
        if note:
            values = {name: note[name] for name in NOTE_FIELDS}
            created = SessionNote.create(
                appointment=row.id,
                created_at=_dt(note["created_at"]) or now,
                updated_at=_dt(note["updated_at"]) or now,
                **values,
            )
            note_ids[item["key"]] = created.id
            for amendment in note.get("amendments", []):
                NoteAmendment.create(
                    note=created.id,
                    created_at=_dt(amendment["created_at"]),
                    reason=amendment["reason"],
                    text=amendment["text"],
                )
            if note.get("signed_at"):
                to_sign.append((created.id, _dt(note["signed_at"])))  # type: ignore[arg-type]
    for goal in record.get("goals", []):
        row = Goal.create(
            client=client.id,
            position=goal["position"],
            activity=goal["activity"],
            created_at=_dt(goal["created_at"]) or now,
            retired_at=_dt(goal.get("retired_at")),
        )
        for score in goal.get("scores", []):
            if not isinstance(score["score"], int) or not 0 <= score["score"] <= 10:
                raise ValidationError(
                    f"A goal score of {score['score']!r} is not on the 0–10 scale."
                )
            GoalScore.create(
                goal=row.id,
                day=_date(score["day"]),
                score=score["score"],
                note=note_ids.get(score["appointment"]) if score.get("appointment") else None,
                created_at=_dt(score.get("created_at")) or now,
            )
    for report in record.get("progress_reports", []):
        ProgressReport.create(
            client=client.id,
            made_at=_dt(report["made_at"]),
            start=_date(report["start"]),
            end=_date(report["end"]),
            file_name=report.get("file_name", ""),
            summary=report.get("summary", ""),
            recommendation=report.get("recommendation", ""),
        )
    import_money(
        record.get("money"), client.id, appointment_ids, lambda s: _service_id(s, services)
    )
    # Signed last: a signed note takes no new scores (migration 0002's triggers).
    for note_id, signed_at in to_sign:
        SessionNote.update(signed_at=signed_at).where(SessionNote.id == note_id).execute()
    audit.record_client_history(client.id, "import")
    return client.id


__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "client_record",
    "export_client",
    "export_record_files",
    "find_client",
    "import_client",
    "read_record",
    "record_json",
    "record_pdf",
]
