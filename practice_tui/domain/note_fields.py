"""What a session note holds and the checks on what was typed: pain 0–10 (blank
means not asked), areas and techniques from the vocabulary, pressure, the SOAP
text with its limits, home care; copying the previous note forward.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from practice_tui.domain.errors import ConflictError, ValidationError
from practice_tui.domain.vocab import (
    HOME_CARE,
    PRESSURES,
    REGION_NAMES,
    SIDED,
    TECHNIQUES,
    split_area,
)

#: Longest text kept per field; longer input is refused, never cut silently.
MAX_SOAP = 10_000
MAX_HOME_CARE_NOTES = 2_000
MAX_NEXT_VISIT = 200
MAX_TECHNIQUE = 60
MAX_TECHNIQUES = 20

LABELS: dict[str, str] = {
    "pain_before": "Pain before",
    "pain_after": "Pain after",
    "areas": "Areas treated",
    "techniques": "Techniques",
    "pressure": "Pressure",
    "subjective": "Subjective",
    "objective": "Objective",
    "assessment": "Assessment",
    "plan_text": "Plan",
    "home_care": "Home care",
    "home_care_notes": "Home care notes",
    "next_visit": "Next visit",
}

SOAP_FIELDS = ("subjective", "objective", "assessment", "plan_text")

#: What ``copy_forward`` takes from the previous note.
COPIED_FIELDS = ("areas", "techniques", "pressure", "home_care", "home_care_notes", "plan_text")

_WHOLE = re.compile(r"[0-9]+")
_NEGATIVE = re.compile(r"-\s*[0-9]*(?:[.,][0-9]+)?")
_DECIMAL = re.compile(r"[0-9]*[.,][0-9]+|[0-9]+[.,]")
_OUT_OF_TEN = re.compile(r"([0-9]+(?:[.,][0-9]+)?)\s*/\s*10")
_REGION_ORDER = {name: index for index, name in enumerate(REGION_NAMES)}
_KNOWN_TECHNIQUES = {name.casefold(): name for name in TECHNIQUES}
_KNOWN_HOME_CARE = {name.casefold(): name for name in HOME_CARE}


@dataclass(frozen=True)
class NoteFields:
    """What the therapist writes: everything of a note that the editor shows."""

    pain_before: int | None = None
    pain_after: int | None = None
    #: Stored form ``"region:side"`` in body-region order (see ``vocab``).
    areas: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    pressure: str = ""
    subjective: str = ""
    objective: str = ""
    assessment: str = ""
    plan_text: str = ""
    home_care: tuple[str, ...] = ()
    home_care_notes: str = ""
    next_visit: str = ""


def parse_pain(value: object, label: str = "Pain") -> int | None:
    """A pain score from what was typed: ``""`` → ``None`` (not asked), ``"7"`` → 7.

    Raises ``ValidationError`` saying what to type instead for anything that is
    not a whole number from 0 to 10.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError(f"{label} is a number from 0 to 10.")
    if isinstance(value, int):
        if 0 <= value <= 10:
            return value
        raise ValidationError(f"{label} is on the 0–10 scale; {value} is outside it.")
    if not isinstance(value, str):
        raise ValidationError(f"{label} is a whole number from 0 to 10, or blank if not asked.")
    text = value.strip()
    if not text:
        return None
    if _WHOLE.fullmatch(text):
        number = int(text)
        if number > 10:
            return _refuse(f"{label} is on the 0–10 scale; {number} is above 10.")
        return number
    if _NEGATIVE.fullmatch(text):
        return _refuse(f"{label} is on the 0–10 scale; it cannot be below 0.")
    match = _OUT_OF_TEN.fullmatch(text)
    if match:
        return _refuse(f"{label}: type just the number ({match.group(1)}), not “{text}”.")
    if _DECIMAL.fullmatch(text):
        return _refuse(
            f"{label} is a whole number from 0 to 10 (no decimals): round {text} up or down."
        )
    return _refuse(f"{label} is a whole number from 0 to 10, or blank if not asked.")


def _refuse(message: str) -> int:
    raise ValidationError(message)


def _text(raw: Mapping[str, Any], name: str, limit: int, errors: dict[str, str]) -> str:
    value = raw.get(name, "")
    value = "" if value is None else str(value)
    value = value.strip()
    if len(value) > limit:
        errors[name] = f"{LABELS[name]} is too long ({len(value)} characters, at most {limit})."
    return value


def _strings(raw: Mapping[str, Any], name: str) -> list[str]:
    value = raw.get(name) or ()
    if isinstance(value, str):
        value = [value]
    return [str(item) for item in value]


def normalize_areas(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Areas checked, merged (left + right = both) and in body-region order.

    Raises ValidationError (field ``areas``) for a region or side not on the list.
    """
    sides: dict[str, set[str]] = {}
    for value in values:
        region, side = split_area(value.strip())
        if region not in _REGION_ORDER:
            raise ValidationError(f"“{region}” is not one of the body regions.", field="areas")
        if region not in SIDED:
            sides.setdefault(region, set())
            continue
        if side == "both":
            sides.setdefault(region, set()).update(("left", "right"))
        elif side in ("left", "right"):
            sides.setdefault(region, set()).add(side)
        else:
            raise ValidationError(
                f"Say which side of the {region} was treated (left, right or both).",
                field="areas",
            )
    result = []
    for region in sorted(sides, key=_REGION_ORDER.__getitem__):
        picked = sides[region]
        if region not in SIDED:
            side = ""
        elif picked == {"left", "right"}:
            side = "both"
        else:
            side = next(iter(picked))
        result.append(f"{region}:{side}")
    return tuple(result)


def normalize_techniques(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Listed techniques (in list order) then free additions (in the order given).

    A free addition that matches a listed one, ignoring case, becomes the listed one.
    """
    known: set[str] = set()
    extra: list[str] = []
    seen: set[str] = set()
    for value in values:
        name = " ".join(value.split())
        if not name:
            continue
        key = name.casefold()
        if key in _KNOWN_TECHNIQUES:
            known.add(_KNOWN_TECHNIQUES[key])
            continue
        if key in seen:
            continue
        if len(name) > MAX_TECHNIQUE:
            raise ValidationError(
                f"A technique name is at most {MAX_TECHNIQUE} characters; shorten “{name[:20]}…”.",
                field="techniques",
            )
        seen.add(key)
        extra.append(name)
    result = tuple(name for name in TECHNIQUES if name in known) + tuple(extra)
    if len(result) > MAX_TECHNIQUES:
        raise ValidationError(
            f"At most {MAX_TECHNIQUES} techniques in one note.", field="techniques"
        )
    return result


def _home_care(values: list[str]) -> tuple[str, ...]:
    picked = set()
    for value in values:
        key = value.strip().casefold()
        if key not in _KNOWN_HOME_CARE:
            raise ValidationError(
                f"“{value}” is not on the home-care list; write it in the home-care notes.",
                field="home_care",
            )
        picked.add(_KNOWN_HOME_CARE[key])
    return tuple(name for name in HOME_CARE if name in picked)


def check_note(raw: Mapping[str, Any] | NoteFields) -> NoteFields:
    """Check a whole note as typed (pain as text, lists of picked values).

    Pure: no database. Raises one ``ValidationError`` whose ``errors`` names every
    bad field, so each message can be shown next to its field.
    """
    if isinstance(raw, NoteFields):
        raw = {name: getattr(raw, name) for name in LABELS}
    unknown = set(raw) - set(LABELS)
    if unknown:
        raise ValueError(f"unknown note fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name in ("pain_before", "pain_after"):
        try:
            clean[name] = parse_pain(raw.get(name), LABELS[name])
        except ValidationError as error:
            errors[name] = error.message
    for name, normalize in (
        ("areas", normalize_areas),
        ("techniques", normalize_techniques),
        ("home_care", _home_care),
    ):
        try:
            clean[name] = normalize(_strings(raw, name))
        except ValidationError as error:
            errors[name] = error.message
    pressure = str(raw.get("pressure") or "").strip().lower()
    if pressure and pressure not in PRESSURES:
        errors["pressure"] = "Pressure is light, medium, firm or deep (or blank)."
    clean["pressure"] = pressure
    for name in SOAP_FIELDS:
        clean[name] = _text(raw, name, MAX_SOAP, errors)
    clean["home_care_notes"] = _text(raw, "home_care_notes", MAX_HOME_CARE_NOTES, errors)
    next_visit = _text(raw, "next_visit", MAX_NEXT_VISIT, errors)
    if "\n" in next_visit and "next_visit" not in errors:
        errors["next_visit"] = "The next visit is one line (e.g. “1 week”)."
    clean["next_visit"] = next_visit
    if errors:
        raise ValidationError.from_errors(errors)
    return NoteFields(**clean)


def note_is_blank(fields: NoteFields) -> bool:
    """Nothing at all written (such a note cannot be signed)."""
    return fields == NoteFields()


def missing_before_signing(fields: NoteFields) -> tuple[str, ...]:
    """What a clinical note usually records and this one does not: "pain
    score" (before or after), "area treated", "technique". Signing such a
    note asks to confirm first, naming them; an empty tuple signs as usual."""
    missing = []
    if fields.pain_before is None and fields.pain_after is None:
        missing.append("pain score")
    if not fields.areas:
        missing.append("area treated")
    if not fields.techniques:
        missing.append("technique")
    return tuple(missing)


def is_copy_target_empty(fields: NoteFields) -> bool:
    """Every field that copy forward fills is still empty."""
    return not any(getattr(fields, name) for name in COPIED_FIELDS)


def copy_forward(current: NoteFields, previous: NoteFields) -> NoteFields:
    """``current`` with areas, techniques, pressure, home care and plan taken from
    ``previous``; pain, S/O/A and the next visit are kept as they are.

    Refuses (ConflictError) when any of those fields already holds something, so
    copying never overwrites what the therapist wrote.
    """
    if not is_copy_target_empty(current):
        raise ConflictError(
            "Copy forward fills an empty note only: areas, techniques, pressure, "
            "home care or plan already hold something here."
        )
    return replace(current, **{name: getattr(previous, name) for name in COPIED_FIELDS})
