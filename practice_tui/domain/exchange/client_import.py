"""Client import from another system's CSV export (or a spreadsheet).

Columns are matched by their header, ignoring case, spaces and punctuation,
with the usual synonyms (First Name / first_name / Given name, Surname /
Family name, Phone / Mobile / Cell, Email / E-mail, DOB / Date of birth /
Birthdate …); a single "Name" column is split at its last space. A byte-order
mark and ``;`` or tab delimiters (as spreadsheets in many countries write them)
are recognised by ``csv.Sniffer``. Columns that match nothing are reported and
left out. Each row is checked by the same rules as the client form; a bad row
is reported with its line number and reason and skipped. A likely duplicate —
the form's rule: same name plus the same date of birth, phone or email — of a
client on file or of an earlier row is reported and not created. Dates written
with slashes (03/04/1980) are read day-first or month-first when another row of
the same column settles which (a day above 12), else reported as ambiguous.
Everything is written in one transaction; ``check`` writes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from practice_tui.domain.clients import (
    DATE_FIELDS,
    LABELS,
    create_client,
    digits,
    find_duplicates,
    fold,
)
from practice_tui.domain.db import reads, writes
from practice_tui.domain.errors import DuplicateClientError, ValidationError
from practice_tui.domain.models import Client
from practice_tui.domain.types import ClientSummary, display_name

#: Header (lower case, letters and digits only) → client field.
SYNONYMS: dict[str, str] = {}
for _field, _names in {
    "first_name": "first firstname givenname forename fname name_first",
    "last_name": "last lastname surname familyname lname name_last",
    "preferred_name": "preferred preferredname nickname knownas",
    "full_name": "name fullname clientname client patient patientname",
    "date_of_birth": "dob dateofbirth birthdate birthday born birth",
    "phone": "phone mobile cell telephone tel phonenumber mobilephone cellphone mobilenumber",
    "email": "email emailaddress mail",
    "address": "address streetaddress homeaddress",
    "emergency_name": "emergencycontact emergencyname emergencycontactname",
    "emergency_phone": "emergencyphone emergencycontactphone emergencynumber",
    "referring_provider": "referringprovider referredby referral referrer physician doctor gp",
    "complaint": "complaint primarycomplaint chiefcomplaint reasonforvisit",
    "goals": "goals goal",
    "conditions": "conditions medicalconditions medicalhistory healthconditions",
    "medications": "medications medication meds",
    "allergies": "allergies allergy",
    "contraindications": "contraindications precautions contraindication",
    "pressure_preference": "pressure pressurepreference",
    "intake_date": "intakedate intake",
    "consent_date": "consentdate consent",
    "notes": "notes note comments comment remarks",
}.items():
    for _name in _names.split():
        SYNONYMS[_name.replace("_", "")] = _field

_SLASH = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*$")


@dataclass(frozen=True)
class RowNote:
    line: int
    name: str
    reason: str


@dataclass(frozen=True)
class ClientImport:
    checked_only: bool
    rows: int
    created: tuple[str, ...]
    duplicates: tuple[RowNote, ...]
    bad: tuple[RowNote, ...]
    columns: tuple[tuple[str, str], ...]  # (header, field) used
    unknown_columns: tuple[str, ...]
    delimiter: str


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.casefold())


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """``csv.Sniffer``'s guess, checked against the header line: a sniffed
    delimiter the header does not contain (the sniffer is misled by a ragged
    row) gives way to the delimiter the header uses most."""
    header = text.split("\n", 1)[0]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:8192], delimiters=",;\t|"
        )
        if dialect.delimiter in header:
            return dialect
    except csv.Error:
        pass
    best = max(",;\t|", key=header.count)

    class Guessed(csv.excel):
        delimiter = best

    return Guessed


def _slash_order(values: list[str]) -> str | None:
    """'dmy' or 'mdy' when the column's slash dates settle it, else None."""
    day_first = month_first = False
    for value in values:
        match = _SLASH.match(value)
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            day_first |= first > 12
            month_first |= second > 12
    if day_first != month_first:
        return "dmy" if day_first else "mdy"
    return None


def _as_iso(value: str, order: str | None) -> str:
    match = _SLASH.match(value)
    if not match or order is None:
        return value
    a, b, year = match.groups()
    day, month = (a, b) if order == "dmy" else (b, a)
    return f"{year}-{int(month):02d}-{int(day):02d}"


class _Reader:
    def __init__(self, data: bytes) -> None:
        text = _decode(data)
        if not text.strip():
            raise ValidationError("The file is empty; nothing was imported.")
        self.dialect = _dialect(text)
        reader = csv.reader(io.StringIO(text, newline=""), self.dialect)
        try:
            header = next(reader)
        except csv.Error as error:
            raise ValidationError(f"Cannot read the file as CSV ({error}).") from error
        self.header = [h.strip() for h in header]
        self.fields: list[str | None] = []
        used: set[str] = set()
        unknown = []
        for name in self.header:
            field = SYNONYMS.get(_key(name))
            if field is None or field in used:
                self.fields.append(None)
                if name:
                    unknown.append(name)
                continue
            used.add(field)
            self.fields.append(field)
        if "first_name" not in used and "full_name" not in used:
            raise ValidationError(
                "No column for the first name (e.g. “First Name”, “Given name” or “Name”) "
                f"in the header: {', '.join(self.header) or 'empty'}. Nothing was imported."
            )
        self.unknown = tuple(unknown)
        self.records: list[tuple[int, list[str]]] = []
        try:
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                self.records.append((reader.line_num, row))
        except csv.Error as error:
            raise ValidationError(
                f"Cannot read line {reader.line_num} as CSV ({error}); nothing was imported."
            ) from error
        self.orders = {
            field: _slash_order([row[i] for _, row in self.records if i < len(row)])
            for i, field in enumerate(self.fields)
            if field in DATE_FIELDS
        }

    def client_fields(self, row: list[str]) -> dict[str, str]:
        fields: dict[str, str] = {}
        for index, field in enumerate(self.fields):
            if field is None or index >= len(row):
                continue
            value = row[index].strip()
            if field == "full_name":
                words = value.split()
                if words and "first_name" not in self.fields:
                    fields["first_name"] = " ".join(words[:-1]) if len(words) > 1 else words[0]
                    if len(words) > 1:
                        fields["last_name"] = words[-1]
                continue
            if field in DATE_FIELDS:
                value = _as_iso(value, self.orders.get(field))
            if field == "pressure_preference":
                value = value.lower()
            fields[field] = value
        return fields


def _name(fields: dict[str, str]) -> str:
    return display_name(fields.get("first_name", ""), fields.get("last_name", "")) or "(no name)"


def _same_person(a: dict[str, object], b: dict[str, object]) -> bool:
    """The duplicate rule of the client form, between two rows of the file."""
    if fold(f"{a.get('last_name', '')} {a.get('first_name', '')}") != fold(
        f"{b.get('last_name', '')} {b.get('first_name', '')}"
    ):
        return False
    for field in ("date_of_birth", "email"):
        if a.get(field) and str(a[field]).lower() == str(b.get(field, "")).lower():
            return True
    return bool(a.get("phone")) and digits(str(a["phone"])) == digits(str(b.get("phone", "")))


def _same_name_only(fields: dict[str, str]) -> list[ClientSummary]:
    """A row with only a name, and a client on file with that name: the form's
    rule cannot tell them apart, so an import does not guess they differ (a
    second run of the same file must not add everyone without a phone again)."""
    sort_name = fold(f"{fields.get('last_name', '')} {fields.get('first_name', '')}".strip())
    rows = Client.select().where(Client.sort_name == sort_name[:210]).limit(3)
    return [
        ClientSummary(
            id=r.id, name=display_name(r.first_name, r.last_name, r.preferred_name),
            phone=r.phone, email=r.email, date_of_birth=r.date_of_birth,
            contraindications=r.contraindications, archived=bool(r.archived),
        )
        for r in rows
    ]  # fmt: skip


def _run(data: bytes, *, today: dt.date, now: dt.datetime, check: bool) -> ClientImport:
    reader = _Reader(data)
    created: list[str] = []
    duplicates: list[RowNote] = []
    bad: list[RowNote] = []
    accepted: list[dict[str, object]] = []
    width = len(reader.header)
    for line, row in reader.records:
        fields = reader.client_fields(row)
        name = _name(fields)
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            bad.append(
                RowNote(
                    line,
                    name,
                    f"{len(row)} cells but the header has {width} columns (a stray delimiter?)",
                )
            )
            continue
        try:
            matches = find_duplicates(fields, today)
        except ValidationError as error:
            reasons = "; ".join(error.errors.values()) if error.errors else error.message
            bad.append(RowNote(line, name, reasons))
            continue
        earlier = next((a for a in accepted if _same_person(a, fields)), None)
        if earlier is not None:
            duplicates.append(
                RowNote(line, name, f"same person as line {earlier['_line']} of this file")
            )
            continue
        if not matches and not any(fields.get(f) for f in ("date_of_birth", "phone", "email")):
            matches = _same_name_only(fields)
        if matches:
            on_file = ", ".join(m.name for m in matches)
            duplicates.append(RowNote(line, name, f"looks like {on_file}, already on file"))
            continue
        if not check:
            try:
                create_client(fields, today=today, now=now)
            except (DuplicateClientError, ValidationError) as error:
                bad.append(RowNote(line, name, error.message))
                continue
        accepted.append({**fields, "_line": line})
        created.append(name)
    delimiter = getattr(reader.dialect, "delimiter", ",")
    return ClientImport(
        checked_only=check,
        rows=len(reader.records),
        created=tuple(created),
        duplicates=tuple(duplicates),
        bad=tuple(bad),
        columns=tuple(
            (h, LABELS.get(f, "Name (split into first and last)"))
            for h, f in zip(reader.header, reader.fields, strict=True)
            if f is not None
        ),
        unknown_columns=reader.unknown,
        delimiter=delimiter,
    )


@reads
def _check(data: bytes, today: dt.date, now: dt.datetime) -> ClientImport:
    return _run(data, today=today, now=now, check=True)


@writes
def _import(data: bytes, today: dt.date, now: dt.datetime) -> ClientImport:
    return _run(data, today=today, now=now, check=False)


def import_clients(data: bytes, *, now: dt.datetime, check: bool = False) -> ClientImport:
    """Import a client list; ``check`` reports what would happen and writes nothing."""
    if check:
        return _check(data, now.date(), now)
    return _import(data, now.date(), now)


def import_report(result: ClientImport, *, limit: int = 200) -> list[str]:
    """The summary as lines a person reads, each bad row with its line number."""
    verb = "would add" if result.checked_only else "added"
    shown = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
    lines = [
        f"read {result.rows} row{'s' if result.rows != 1 else ''} "
        f"({shown.get(result.delimiter, result.delimiter)}-separated); {verb} "
        f"{len(result.created)} client{'s' if len(result.created) != 1 else ''}",
        "columns used: " + ", ".join(f"{h} → {f}" for h, f in result.columns),
    ]
    if result.unknown_columns:
        lines.append("columns not recognised (left out): " + ", ".join(result.unknown_columns))
    for heading, notes in (
        ("likely duplicates, not added", result.duplicates),
        ("rows with mistakes, skipped", result.bad),
    ):
        if notes:
            lines.append(f"{heading}: {len(notes)}")
            lines += [f"  line {n.line} · {n.name}: {n.reason}" for n in notes[:limit]]
            if len(notes) > limit:
                lines.append(f"  … and {len(notes) - limit} more")
    if result.checked_only:
        lines.append("checked only: nothing was written")
    return lines
