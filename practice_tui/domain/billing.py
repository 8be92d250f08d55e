"""Insurance billing: CPT codes, units by the CMS 8-minute rule, diagnosis codes.

Units for timed codes (CMS, "8-minute rule"): the total timed minutes of a
session give the total units — under 8 → 0, 8–22 → 1, 23–37 → 2, 38–52 → 3,
53–67 → 4, 68–82 → 5, and one more unit for each further 15 minutes, i.e.
``(minutes + 7) // 15``. With several codes, each code first gets its full
15-minute units; the units left go, one each, to the codes with the most
minutes remaining (the first listed wins a tie). Untimed ("service-based")
codes bill one unit whatever their minutes and are left out of the timed total.

Service codes are the practice's text "97124, 97140-59" (settings.clean_codes);
``service_codes`` reads them into (code, modifier) pairs, the first being the
default. A client's diagnoses are lines "M54.50 Low back pain"; ``read_diagnoses``
checks them. Minutes per code on a session are kept in ``SessionCode`` rows;
without any, all the session's minutes go under the service's default code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from practice_tui.domain.audit import audited
from practice_tui.domain.db import reads
from practice_tui.domain.errors import NotFound, ValidationError
from practice_tui.domain.models import Appointment, Client, Service, SessionCode

#: CPT codes billed once per session, whatever the minutes (supervised
#: modalities and evaluations); every other code is timed.
UNTIMED_CODES = frozenset(
    {"97010", "97012", "97014", "97016", "97018", "97022", "97024", "97026", "97028", "97150"}
    | {"97161", "97162", "97163", "97164", "97165", "97166", "97167", "97168"}
)

_SERVICE_CODE = re.compile(r"([0-9A-Z]\d{3}[0-9A-Z])((?:-[0-9A-Z]{2})*)")
_ICD10 = re.compile(r"[A-TV-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?")
_NPI = re.compile(r"\d{10}")
MAX_DIAGNOSES = 12


def total_units(minutes: int) -> int:
    """Units for ``minutes`` of timed treatment: 8–22 → 1, 23–37 → 2 …; under 8 → 0."""
    if minutes < 8:
        return 0
    return (minutes + 7) // 15


def distribute_units(minutes: Sequence[int]) -> tuple[int, ...]:
    """Units per timed code for the minutes of each (same order), by the rule above."""
    units = [m // 15 for m in minutes]
    left = total_units(sum(minutes)) - sum(units)
    remainders = sorted(range(len(minutes)), key=lambda i: (-(minutes[i] % 15), i))
    while left > 0 and remainders:
        for index in remainders:
            if left == 0:
                break
            units[index] += 1
            left -= 1
    return tuple(units)


@dataclass(frozen=True)
class CodeLine:
    """One code of one session: minutes treated and units billed."""

    cpt: str
    modifier: str
    minutes: int
    units: int


def code_units(lines: Sequence[tuple[str, str, int]]) -> tuple[CodeLine, ...]:
    """(cpt, modifier, minutes) → lines with units: timed codes share the
    8-minute rule, untimed codes bill 1 unit each (0 when given 0 minutes)."""
    timed = [i for i, (cpt, _, _) in enumerate(lines) if cpt not in UNTIMED_CODES]
    shares = distribute_units([lines[i][2] for i in timed])
    units = dict(zip(timed, shares, strict=True))
    return tuple(
        CodeLine(cpt, modifier, minutes, units.get(i, 1 if minutes > 0 else 0))
        for i, (cpt, modifier, minutes) in enumerate(lines)
    )


def service_codes(text: str) -> tuple[tuple[str, str], ...]:
    """ "97124, 97140-59" → (("97124", ""), ("97140", "59")): the first modifier is kept."""
    found = []
    for part in re.split(r"[,\s;]+", text.strip().upper()):
        match = _SERVICE_CODE.fullmatch(part)
        if match:
            modifiers = [m for m in match.group(2).split("-") if m]
            found.append((match.group(1), modifiers[0] if modifiers else ""))
    return tuple(found)


@dataclass(frozen=True)
class Diagnosis:
    code: str
    description: str


def read_diagnoses(text: str) -> tuple[Diagnosis, ...]:
    """Lines "M54.50 Low back pain" (ICD-10 code, then words) → diagnoses."""
    found: list[Diagnosis] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        code, _, words = line.partition(" ")
        code = code.upper().rstrip(":,")
        if not _ICD10.fullmatch(code):
            raise ValidationError(
                f"Line {number}: “{code[:12]}” is not an ICD-10 code (e.g. M54.50 Low back pain).",
                field="diagnosis_codes",
            )
        found.append(Diagnosis(code, words.strip()[:200]))
    if len(found) > MAX_DIAGNOSES:
        raise ValidationError(
            f"At most {MAX_DIAGNOSES} diagnosis codes per client.", field="diagnosis_codes"
        )
    return tuple(found)


def read_npi(text: str) -> str:
    raw = text.strip()
    if raw and not _NPI.fullmatch(raw):
        raise ValidationError("An NPI is 10 digits.", field="referring_npi")
    return raw


@dataclass(frozen=True)
class InsuranceInfo:
    client_id: int
    diagnoses: tuple[Diagnosis, ...]
    referring_provider: str
    referring_npi: str


@reads
def client_insurance(client_id: int) -> InsuranceInfo:
    row = Client.get_or_none(Client.id == client_id)
    if row is None:
        raise NotFound("That client no longer exists.")
    try:
        diagnoses = read_diagnoses(row.diagnosis_codes)
    except ValidationError:
        diagnoses = ()
    return InsuranceInfo(client_id, diagnoses, row.referring_provider, row.referring_npi)


@audited("client", "insurance", key="client_id", fields=("insurance",))
def set_client_insurance(
    client_id: int, diagnoses: str, referring_provider: str, referring_npi: str
) -> InsuranceInfo:
    """Diagnosis lines, the referring provider and NPI; all checked before anything is kept."""
    errors: dict[str, str] = {}
    try:
        codes = read_diagnoses(diagnoses)
    except ValidationError as error:
        errors["diagnosis_codes"] = error.message
    try:
        npi = read_npi(referring_npi)
    except ValidationError as error:
        errors["referring_npi"] = error.message
    provider = referring_provider.strip()
    if len(provider) > 200:
        errors["referring_provider"] = "The referring provider's name is at most 200 characters."
    if errors:
        raise ValidationError.from_errors(errors)
    row = Client.get_or_none(Client.id == client_id)
    if row is None:
        raise NotFound("That client no longer exists.")
    row.diagnosis_codes = "\n".join(f"{d.code} {d.description}".strip() for d in codes)
    row.referring_provider = provider
    row.referring_npi = npi
    row.save()
    return client_insurance(client_id)


def _session_minutes(row: Appointment) -> int:
    return int((row.end - row.start).total_seconds() // 60)


@reads
def session_codes(appointment_id: int) -> tuple[CodeLine, ...]:
    """The codes of one session with units: those recorded on its note, or by
    default all its minutes under the service's first code."""
    row = Appointment.get_or_none(Appointment.id == appointment_id)
    if row is None:
        raise NotFound("That appointment no longer exists.")
    stored = list(
        SessionCode.select()
        .where(SessionCode.appointment == appointment_id)
        .order_by(SessionCode.position, SessionCode.id)
    )
    if stored:
        return code_units([(s.cpt, s.modifier, s.minutes) for s in stored])
    codes = service_codes(Service.get_by_id(row.service_id).cpt_codes)
    if not codes:
        return ()
    cpt, modifier = codes[0]
    return code_units([(cpt, modifier, _session_minutes(row))])


def read_code_minutes(text: str) -> tuple[tuple[str, str, int], ...]:
    """ "97140-59 30, 97124 23" → ((97140, 59, 30), (97124, "", 23))."""
    lines = []
    for part in re.split(r"[,;\n]+", text.strip()):
        part = part.strip()
        if not part:
            continue
        bits = part.replace("=", " ").replace(":", " ").split()
        if len(bits) != 2 or not bits[1].isdigit():
            raise ValidationError(
                f"“{part[:20]}”: write a code and its minutes, e.g. 97140-59 30.",
                field="codes",
            )
        codes = service_codes(bits[0])
        if not codes or len(bits[1]) > 3:
            raise ValidationError(
                f"“{part[:20]}”: write a code and its minutes, e.g. 97140-59 30.",
                field="codes",
            )
        lines.append((codes[0][0], codes[0][1], int(bits[1])))
    return tuple(lines)


@audited("appointment", "codes", key="appointment_id", fields=("session codes",))
def set_session_codes(appointment_id: int, text: str) -> tuple[CodeLine, ...]:
    """Replace the minutes per code of a session (empty text: back to the default).
    The minutes may not add up to more than the session's length."""
    lines = read_code_minutes(text)
    row = Appointment.get_or_none(Appointment.id == appointment_id)
    if row is None:
        raise NotFound("That appointment no longer exists.")
    if sum(m for _, _, m in lines) > _session_minutes(row):
        raise ValidationError(
            f"The minutes add up to more than the session's {_session_minutes(row)} minutes.",
            field="codes",
        )
    SessionCode.delete().where(SessionCode.appointment == appointment_id).execute()
    for position, (cpt, modifier, minutes) in enumerate(lines):
        SessionCode.create(
            appointment=appointment_id,
            cpt=cpt,
            modifier=modifier,
            minutes=minutes,
            position=position,
        )
    return session_codes(appointment_id)
