"""A progress report for the referring provider, as PDF and Markdown.

What a physician or physiotherapist reviewing a referral wants on one or two
pages: who the client is and who referred them, the complaint and the goals,
how many visits took place (and how many were cancelled or missed), pain
before and after each visit as a chart, the client's functional goals scored
over time, what was treated and how (counted), the home care given, and the
therapist's own summary and recommendation, signed with their name,
credentials and registration.

The rules:

- Only **signed** notes count: a draft may still change. The report says how
  many sessions in the range had no signed note, and the dialog says it
  before anything is made.
- The range defaults to the day after the last report's end (so reports
  follow on without a gap or an overlap), or the first visit; up to today.
- The summary is required (it is the point of the report); the
  recommendation may be left blank.
- Both files go in one folder, named ``progress-<client>-<end>.pdf``/``.md``
  (``-2``, ``-3`` … when taken), owner-only. The report is recorded on the
  client (range, file, summary and recommendation) in the same step.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import peewee as pw

from practice_tui.domain import audit
from practice_tui.domain.billing import Diagnosis, read_diagnoses
from practice_tui.domain.db import reads, writes
from practice_tui.domain.documents.letterhead import Letterhead, practice_letterhead
from practice_tui.domain.documents.pain_chart import draw_pain_chart
from practice_tui.domain.documents.pdf import Document, write_private
from practice_tui.domain.errors import NotFound, ValidationError
from practice_tui.domain.models import (
    Appointment,
    Client,
    ProgressReport,
    Service,
    SessionNote,
    Status,
)
from practice_tui.domain.outcomes import FunctionalGoal, PainPoint, goals_of
from practice_tui.domain.types import display_name
from practice_tui.domain.vocab import format_area
from practice_tui.domain.words import long_date

MAX_SUMMARY = 4000


@dataclass(frozen=True)
class ReportVisit:
    day: dt.date
    service: str
    pain_before: int | None
    pain_after: int | None
    areas: tuple[str, ...]
    techniques: tuple[str, ...]
    home_care: tuple[str, ...]


@dataclass(frozen=True)
class ReportData:
    """Everything a progress report shows, gathered in one read."""

    client_id: int
    client_name: str
    date_of_birth: dt.date | None
    referring_provider: str
    complaint: str
    goals_text: str
    start: dt.date
    end: dt.date
    attended: int
    cancelled: int
    late_cancelled: int
    no_show: int
    #: Sessions in the range that took place without a signed note (left out).
    unsigned: int
    visits: tuple[ReportVisit, ...]
    goals: tuple[FunctionalGoal, ...]
    areas: tuple[tuple[str, int], ...]
    techniques: tuple[tuple[str, int], ...]
    home_care: tuple[tuple[str, int], ...]
    home_care_notes: tuple[str, ...]
    letterhead: Letterhead
    #: ICD-10 codes on the client (money work) and the referrer's NPI.
    diagnoses: tuple[Diagnosis, ...] = ()
    referring_npi: str = ""

    @property
    def pain(self) -> tuple[PainPoint, ...]:
        return tuple(
            PainPoint(v.day, v.pain_before, v.pain_after, True)
            for v in self.visits
            if v.pain_before is not None or v.pain_after is not None
        )

    @property
    def first_pain(self) -> int | None:
        befores = [v.pain_before for v in self.visits if v.pain_before is not None]
        return befores[0] if befores else None

    @property
    def last_pain(self) -> int | None:
        befores = [v.pain_before for v in self.visits if v.pain_before is not None]
        return befores[-1] if befores else None


@dataclass(frozen=True)
class ReportDefaults:
    """What the dialog starts with."""

    start: dt.date
    end: dt.date
    folder: Path
    last_report: dt.date | None
    #: Sessions in the default range without a signed note.
    unsigned: int
    signed: int


@dataclass(frozen=True)
class ReportMade:
    report_id: int
    pdf: Path
    markdown: Path
    data: ReportData


def _as_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.datetime.fromisoformat(str(value)).date()


def _in_range(start: dt.date, end: dt.date) -> pw.Expression:
    return (Appointment.start >= dt.datetime.combine(start, dt.time.min)) & (
        Appointment.start < dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)
    )


def _client(client_id: int) -> Client:
    row = Client.get_or_none(Client.id == client_id)
    if row is None:
        raise NotFound("That client no longer exists.")
    return row


def _took_place(now: dt.datetime) -> pw.Expression:
    return (Appointment.status == Status.COMPLETED.value) | (
        (Appointment.status == Status.BOOKED.value) & (Appointment.end <= now)
    )


def _counts(
    client_id: int, start: dt.date, end: dt.date, now: dt.datetime
) -> tuple[int, int, int, int, int, int]:
    """attended, cancelled, late cancelled, no-show, signed, unsigned sessions."""
    rows = list(
        Appointment.select(Appointment.status, Appointment.late_cancel, SessionNote.signed_at)
        .join(SessionNote, pw.JOIN.LEFT_OUTER, on=(SessionNote.appointment == Appointment.id))
        .where((Appointment.client == client_id) & _in_range(start, end) & _took_place(now))
        .tuples()
    )
    attended = sum(1 for status, _, _ in rows if status == Status.COMPLETED.value)
    signed = sum(1 for _, _, signed_at in rows if signed_at is not None)
    others = Counter(
        (status, bool(late))
        for status, late in Appointment.select(Appointment.status, Appointment.late_cancel)
        .where(
            (Appointment.client == client_id)
            & _in_range(start, end)
            & Appointment.status.in_((Status.CANCELLED.value, Status.NO_SHOW.value))
        )
        .tuples()
    )
    cancelled = others[(Status.CANCELLED.value, False)] + others[(Status.CANCELLED.value, True)]
    late = others[(Status.CANCELLED.value, True)]
    no_show = others[(Status.NO_SHOW.value, False)] + others[(Status.NO_SHOW.value, True)]
    return attended, cancelled, late, no_show, signed, len(rows) - signed


def _first_visit(client_id: int) -> dt.date | None:
    first = (
        Appointment.select(pw.fn.MIN(Appointment.start))
        .where(
            (Appointment.client == client_id)
            & Appointment.status.in_((Status.COMPLETED.value, Status.BOOKED.value))
        )
        .scalar()
    )
    return _as_date(first) if first else None


@reads
def report_defaults(client_id: int, practice_file: Path, now: dt.datetime) -> ReportDefaults:
    """The range since the last report (or the first visit) up to today, the
    folder next to the practice file, and how many sessions lack a signed note."""
    _client(client_id)
    last_end = (
        ProgressReport.select(pw.fn.MAX(ProgressReport.end))
        .where(ProgressReport.client == client_id)
        .scalar()
    )
    today = now.date()
    if last_end:
        start = min(_as_date(last_end) + dt.timedelta(days=1), today)
    else:
        start = _first_visit(client_id) or today
    start = min(start, today)
    *_, signed, unsigned = _counts(client_id, start, today, now)
    return ReportDefaults(
        start=start,
        end=today,
        folder=Path(practice_file).expanduser().resolve().parent / "reports",
        last_report=_as_date(last_end) if last_end else None,
        unsigned=unsigned,
        signed=signed,
    )


@reads
def range_counts(client_id: int, start: dt.date, end: dt.date, now: dt.datetime) -> tuple[int, int]:
    """(signed, without a signed note) sessions in a range, for the dialog."""
    *_, signed, unsigned = _counts(client_id, start, end, now)
    return signed, unsigned


def _ranked(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def _gather(client_id: int, start: dt.date, end: dt.date, now: dt.datetime) -> ReportData:
    if end < start:
        raise ValidationError("The report ends before it starts.", field="end")
    client = _client(client_id)
    attended, cancelled, late, no_show, _, unsigned = _counts(client_id, start, end, now)
    rows = (
        SessionNote.select(SessionNote, Appointment.start, Service.name)
        .join(Appointment, on=(SessionNote.appointment == Appointment.id))
        .join(Service, on=(Appointment.service == Service.id))
        .where(
            (Appointment.client == client_id)
            & _in_range(start, end)
            & SessionNote.signed_at.is_null(False)
        )
        .order_by(Appointment.start, Appointment.id)
    )
    visits = []
    areas: Counter[str] = Counter()
    techniques: Counter[str] = Counter()
    home_care: Counter[str] = Counter()
    care_notes: list[str] = []
    for row in rows:
        appointment = row.appointment
        visit = ReportVisit(
            day=_as_date(appointment.start),
            service=appointment.service.name,
            pain_before=row.pain_before,
            pain_after=row.pain_after,
            areas=tuple(format_area(a) for a in row.areas),
            techniques=tuple(row.techniques),
            home_care=tuple(row.home_care),
        )
        visits.append(visit)
        areas.update(visit.areas)
        techniques.update(visit.techniques)
        home_care.update(visit.home_care)
        note = row.home_care_notes.strip()
        if note and note not in care_notes:
            care_notes.append(note)
    goals = tuple(
        g
        for g in goals_of(client_id, since=start, until=end, signed_only=True)
        if g.scores or not g.retired
    )
    return ReportData(
        client_id=client_id,
        client_name=display_name(client.first_name, client.last_name, client.preferred_name),
        date_of_birth=client.date_of_birth,
        referring_provider=client.referring_provider.strip(),
        complaint=client.complaint.strip(),
        goals_text=client.goals.strip(),
        start=start,
        end=end,
        attended=attended,
        cancelled=cancelled,
        late_cancelled=late,
        no_show=no_show,
        unsigned=unsigned,
        visits=tuple(visits),
        goals=goals,
        areas=_ranked(areas),
        techniques=_ranked(techniques),
        home_care=_ranked(home_care),
        home_care_notes=tuple(care_notes),
        letterhead=practice_letterhead(),
        diagnoses=_diagnoses(client),
        referring_npi=client.referring_npi.strip(),
    )


def _diagnoses(client: Client) -> tuple[Diagnosis, ...]:
    try:
        return read_diagnoses(client.diagnosis_codes)
    except ValidationError:  # changed by another program: shown as typed, never lost
        return tuple(Diagnosis(line.strip(), "") for line in client.diagnosis_codes.splitlines())


@reads
def progress_report_data(
    client_id: int, start: dt.date, end: dt.date, now: dt.datetime
) -> ReportData:
    """The figures of a progress report over ``start``–``end`` (signed notes only)."""
    return _gather(client_id, start, end, now)


# --- words ----------------------------------------------------------------------


def _pain(value: int | None) -> str:
    return "–" if value is None else str(value)


def _signed_change(change: int) -> str:
    return f"+{change}" if change > 0 else ("0" if change == 0 else f"−{-change}")


def _counted(items: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{name} ({count})" for name, count in items) or "none recorded"


def attendance_words(data: ReportData) -> str:
    late = f" ({data.late_cancelled} late)" if data.late_cancelled else ""
    return f"{data.attended} attended · {data.cancelled} cancelled{late} · {data.no_show} no-show"


def pain_words(data: ReportData) -> str:
    first, last = data.first_pain, data.last_pain
    if first is None or last is None:
        return "No pain scores in this period."
    if len([v for v in data.visits if v.pain_before is not None]) < 2:
        return f"Pain before the session: {first}/10 (one scored visit)."
    change = last - first
    return (
        f"Pain before the session went from {first}/10 at the first visit of the period "
        f"to {last}/10 at the last ({_signed_change(change)})."
    )


def goal_words(goal: FunctionalGoal) -> str:
    if not goal.scores:
        return "not scored in this period"
    scores = " → ".join(str(s.score) for s in goal.scores)
    change = goal.change
    if change is None:
        return f"{scores} (scored once, {long_date(goal.scores[0].day)})"
    return (
        f"{scores} ({_signed_change(change)} from {long_date(goal.scores[0].day)} "
        f"to {long_date(goal.scores[-1].day)})"
    )


def diagnosis_lines(data: ReportData) -> tuple[str, ...]:
    """ "M54.50 Low back pain", one per code; the referrer with their NPI."""
    return tuple(f"{d.code} {d.description}".strip() for d in data.diagnoses if d.code)


def referrer_words(data: ReportData) -> str:
    npi = f" (NPI {data.referring_npi})" if data.referring_npi else ""
    return f"{data.referring_provider}{npi}" if data.referring_provider else ""


def _title(data: ReportData) -> str:
    return f"Progress report · {data.client_name}"


def _period(data: ReportData) -> str:
    return f"{long_date(data.start)} to {long_date(data.end)}"


def render_markdown(data: ReportData, summary: str, recommendation: str, made: dt.datetime) -> str:
    """The report as Markdown (for email or an EHR's text box)."""

    def esc(text: str) -> str:
        return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)

    head = data.letterhead
    out = [f"# {esc(_title(data))}", ""]
    out += [esc(line) + "  " for line in head.lines] + [""]
    out += [
        f"**Period:** {_period(data)}  ",
        f"**Made:** {long_date(made.date())}",
        "",
        "## Client",
        "",
        f"- **Name:** {esc(data.client_name)}",
    ]
    if data.date_of_birth:
        out.append(f"- **Date of birth:** {long_date(data.date_of_birth)}")
    if data.referring_provider:
        out.append(f"- **Referred by:** {esc(referrer_words(data))}")
    if data.diagnoses:
        out.append("- **Diagnoses (ICD-10):** " + "; ".join(map(esc, diagnosis_lines(data))))
    if data.complaint:
        out.append(f"- **Complaint:** {esc(data.complaint)}")
    if data.goals_text:
        out.append(f"- **Goals:** {esc(data.goals_text)}")
    out += ["", "## Visits", "", f"{attendance_words(data)}.", ""]
    if data.unsigned:
        out += [
            f"{data.unsigned} session(s) in this period without a signed note are not included.",
            "",
        ]
    out += ["## Pain (0–10), before and after each visit", "", pain_words(data), ""]
    if data.visits:
        out += ["| Date | Service | Before | After |", "| --- | --- | --: | --: |"]
        for visit in data.visits:
            out.append(
                f"| {long_date(visit.day)} | {esc(visit.service)} | "
                f"{_pain(visit.pain_before)} | {_pain(visit.pain_after)} |"
            )
        out.append("")
    out += ["## Functional goals (0 = unable … 10 = as before the problem)", ""]
    if not data.goals:
        out.append("No functional goals on file.")
    for goal in data.goals:
        out.append(f"- **{esc(goal.activity)}:** {goal_words(goal)}")
    out += [
        "",
        "## Treatment",
        "",
        f"- **Areas treated:** {esc(_counted(data.areas))}",
        f"- **Techniques:** {esc(_counted(data.techniques))}",
        f"- **Home care given:** {esc(_counted(data.home_care))}",
    ]
    for note in data.home_care_notes:
        out.append(f"  - {esc(note)}")

    def lines(text: str) -> str:
        return "  \n".join(esc(line) for line in text.strip().splitlines())

    out += ["", "## Summary", "", lines(summary), ""]
    if recommendation.strip():
        out += ["## Recommendation", "", lines(recommendation), ""]
    out += ["---", ""]
    out += [esc(line) + "  " for line in head.signature_lines or (head.practice,)]
    out += [f"Made {long_date(made.date())}", ""]
    return "\n".join(out)


def render_pdf(data: ReportData, summary: str, recommendation: str, made: dt.datetime) -> bytes:
    pdf = Document(data.letterhead, _title(data), made)
    pdf.title_block(_title(data), f"Period: {_period(data)} · made {long_date(made.date())}")
    pdf.heading("Client")
    pdf.field("Name", data.client_name)
    if data.date_of_birth:
        pdf.field("Date of birth", long_date(data.date_of_birth))
    pdf.field("Referred by", referrer_words(data))
    pdf.field("Diagnoses (ICD-10)", "\n".join(diagnosis_lines(data)))
    pdf.field("Complaint", data.complaint)
    pdf.field("Goals", data.goals_text)
    pdf.heading("Visits")
    pdf.para(attendance_words(data))
    if data.unsigned:
        pdf.para(
            f"{data.unsigned} session(s) in this period without a signed note are not included.",
            size=9,
        )
    pdf.heading("Pain (0–10), before and after each visit")
    pdf.para(pain_words(data))
    draw_pain_chart(pdf, data.pain)
    if data.visits:
        pdf.table(
            ("Date", "Service", "Before", "After"),
            [
                (long_date(v.day), v.service, _pain(v.pain_before), _pain(v.pain_after))
                for v in data.visits
            ],
            (40, 80, 27, 27),
        )
    pdf.heading("Functional goals (0 = unable … 10 = as before the problem)")
    if not data.goals:
        pdf.para("No functional goals on file.")
    for goal in data.goals:
        pdf.item(goal.activity, goal_words(goal))
    pdf.heading("Treatment")
    pdf.field("Areas treated", _counted(data.areas))
    pdf.field("Techniques", _counted(data.techniques))
    pdf.field("Home care given", _counted(data.home_care))
    for note in data.home_care_notes:
        pdf.field("", note)
    pdf.heading("Summary")
    pdf.para(summary.strip())
    if recommendation.strip():
        pdf.heading("Recommendation")
        pdf.para(recommendation.strip())
    head = data.letterhead
    pdf.signature(head.signature_lines or ("Therapist", head.practice), made.date())
    return bytes(pdf.output())


# --- making one ---------------------------------------------------------------------


def _slug(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug[:40] or "client"


def _free_stem(folder: Path, stem: str) -> str:
    candidate, number = stem, 1
    while (folder / f"{candidate}.pdf").exists() or (folder / f"{candidate}.md").exists():
        number += 1
        candidate = f"{stem}-{number}"
    return candidate


def check_texts(summary: str, recommendation: str) -> tuple[str, str]:
    errors = {}
    summary, recommendation = (summary or "").strip(), (recommendation or "").strip()
    if not summary:
        errors["summary"] = "Write a short summary: what changed, in your words."
    elif len(summary) > MAX_SUMMARY:
        errors["summary"] = (
            f"The summary is too long ({len(summary)} characters, at most {MAX_SUMMARY})."
        )
    if len(recommendation) > MAX_SUMMARY:
        errors["recommendation"] = (
            f"The recommendation is too long ({len(recommendation)} characters, "
            f"at most {MAX_SUMMARY})."
        )
    if errors:
        raise ValidationError.from_errors(errors)
    return summary, recommendation


@writes
def make_progress_report(
    client_id: int,
    start: dt.date,
    end: dt.date,
    summary: str,
    recommendation: str,
    folder: Path,
    *,
    now: dt.datetime,
) -> ReportMade:
    """Write the report as PDF and Markdown into ``folder`` and record it on the
    client — all or nothing (a file written before a failure is removed)."""
    summary, recommendation = check_texts(summary, recommendation)
    if end > now.date():
        raise ValidationError("A report cannot end after today.", field="end")
    data = _gather(client_id, start, end, now)
    if not data.visits:
        left = f" ({data.unsigned} without a signed note)" if data.unsigned else ""
        raise ValidationError(
            f"No signed notes between {long_date(start)} and {long_date(end)}{left}: "
            "there is nothing to report yet.",
            field="start",
        )
    folder = Path(folder).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise ValidationError(
            f"Cannot use the folder {folder}: {error.strerror}.", field="folder"
        ) from error
    if not folder.is_dir():
        raise ValidationError(f"{folder} is not a folder.", field="folder")
    stem = _free_stem(folder, f"progress-{_slug(data.client_name)}-{end:%Y-%m-%d}")
    pdf_path, md_path = folder / f"{stem}.pdf", folder / f"{stem}.md"
    made = now.replace(microsecond=0)
    pdf_bytes = render_pdf(data, summary, recommendation, made)
    markdown = render_markdown(data, summary, recommendation, made)
    written: list[Path] = []
    try:
        write_private(pdf_path, pdf_bytes)
        written.append(pdf_path)
        write_private(md_path, markdown)
        written.append(md_path)
        report = ProgressReport.create(
            client=client_id,
            made_at=made,
            start=start,
            end=end,
            file_name=str(pdf_path),
            summary=summary,
            recommendation=recommendation,
        )
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    audit.record("export", None, "export", client_id=client_id, detail="progress report")
    return ReportMade(report.id, pdf_path, md_path, data)
