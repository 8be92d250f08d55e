"""The practice's settings: details, time zone, working hours, services, policies.

A new file gets sensible defaults (Monday to Friday 09:00–17:00 with a break
12:30–13:30, a 15-minute buffer, the computer's time zone and the usual
medical-massage services) so a therapist can book from the first minute; the
first-run welcome (``finish_setup``) and the Practice screen change them.

Rules kept here:
- Changing the time zone keeps every appointment at its wall-clock time (times
  in the file are naive local times); the clock follows the new zone at once.
- New working hours that leave booked future appointments outside them are
  saved only with ``confirm=True``; those appointments are listed
  (``AffectsBookings``) and never moved or cancelled.
- A new price applies to new bookings only: each appointment keeps the fee it
  was booked at (``Appointment.fee_cents``).
- A service with appointments or plans is retired (hidden from new bookings and
  plans, kept for history, can be brought back), never deleted; one without
  can be deleted. Names are unique, ignoring case.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Sequence
from pathlib import Path

import peewee as pw

from practice_tui.domain.clock import practice_now, set_practice_zone
from practice_tui.domain.dates import parse_time_range, zone
from practice_tui.domain.db import contents_key, in_own_transaction, reads, writes
from practice_tui.domain.errors import ConflictError, NotFound, ValidationError
from practice_tui.domain.models import Appointment, Practice, Service, Status, WorkingHours
from practice_tui.domain.services import (  # noqa: F401 — the public names stay here too
    CONTROL,
    add_service,
    clean_codes,
    delete_service,
    get_service,
    in_use,
    list_services,
    save_service_form,
    set_service_active,
    update_service,
)
from practice_tui.domain.types import AppointmentInfo, PracticeInfo, WorkingDay
from practice_tui.domain.versions import check_version

DEFAULT_SERVICES: tuple[tuple[str, int, int], ...] = (
    ("Initial assessment 90", 90, 11000),
    ("Medical massage 60", 60, 8500),
    ("Medical massage 90", 90, 12000),
    ("Deep tissue 60", 60, 9000),
    ("Sports massage 60", 60, 9000),
    ("Lymphatic drainage 60", 60, 9000),
    ("Follow-up 30", 30, 5000),
)


def system_timezone() -> str:
    """The computer's IANA zone name, or UTC when it cannot be told."""
    env = os.environ.get("TZ", "").lstrip(":")
    if env:
        try:
            zone(env)
            return env
        except ValidationError:
            pass
    try:
        target = Path("/etc/localtime").resolve()
        parts = target.parts
        if "zoneinfo" in parts:
            name = "/".join(parts[parts.index("zoneinfo") + 1 :])
            zone(name)
            return name
    except (OSError, ValidationError):
        pass
    return "UTC"


@writes
def ensure_practice(name: str | None = None, timezone: str | None = None) -> PracticeInfo:
    """Create the settings row, hours and services of a new file; a no-op otherwise."""
    if Practice.select().exists():
        return get_practice()
    Practice.create(
        name=name or "My massage practice",
        timezone=timezone or system_timezone(),
        currency_code=_default_currency()[0],
        currency_symbol=_default_currency()[1],
    )
    for weekday in range(5):
        WorkingHours.create(
            weekday=weekday,
            start=dt.time(9, 0),
            end=dt.time(17, 0),
            break_start=dt.time(12, 30),
            break_end=dt.time(13, 30),
        )
    if not Service.select().exists():
        for service_name, minutes, price in DEFAULT_SERVICES:
            Service.create(name=service_name, minutes=minutes, price_cents=price)
    return get_practice()


def _default_currency() -> tuple[str, str]:
    """The currency a new file starts with: USD, unless the locale says otherwise."""
    import locale

    try:
        conv = locale.localeconv()
        code = str(conv.get("int_curr_symbol", "")).strip()
        symbol = str(conv.get("currency_symbol", "")).strip()
    except (ValueError, locale.Error):  # pragma: no cover - odd locales
        code = symbol = ""
    if re.fullmatch(r"[A-Z]{3}", code) and 0 < len(symbol) <= 5:
        return code, symbol
    return "USD", "$"


def _working_day(row: WorkingHours) -> WorkingDay:
    return WorkingDay(row.weekday, row.start, row.end, row.break_start, row.break_end)


#: The practice's settings as last read by each thread, under the file's
#: ``contents_key`` then: a booking check, a price and each screen ask for
#: them, and they change only when something is written.
_last_read = threading.local()


@reads
def get_practice() -> PracticeInfo:
    key = contents_key()
    kept = getattr(_last_read, "practice", None)
    if kept is not None and kept[0] == key:
        set_practice_zone(kept[1].timezone)
        return kept[1]
    info = _read_practice()
    if in_own_transaction():
        # Kept only when read on its own: inside a write, what is read may
        # yet be rolled back, which moves neither count of the key.
        _last_read.practice = (key, info)
    return info


def _read_practice() -> PracticeInfo:
    row = Practice.select().first()
    if row is None:
        raise NotFound("This file has no practice settings yet.")
    hours = tuple(_working_day(r) for r in WorkingHours.select().order_by(WorkingHours.weekday))
    set_practice_zone(row.timezone)
    return PracticeInfo(
        name=row.name,
        timezone=row.timezone,
        buffer_minutes=row.buffer_minutes,
        plan_horizon_weeks=row.plan_horizon_weeks,
        hours=hours,
        therapist_name=row.therapist_name,
        credentials=row.credentials,
        registration=row.registration,
        npi=row.npi,
        tax_id=row.tax_id,
        address=row.address,
        phone=row.phone,
        email=row.email,
        currency_code=row.currency_code,
        currency_symbol=row.currency_symbol,
        late_cancel_hours=row.late_cancel_hours,
        default_minutes=row.default_minutes,
        setup_done=bool(row.setup_done),
        version=int(row.version),
        curtain_minutes=row.curtain_minutes,
    )


def _row() -> Practice:
    row = Practice.select().first()
    if row is None:
        raise NotFound("This file has no practice settings yet.")
    return row


def check_settings_version(expected: int | None) -> Practice:
    """The settings row, refused (``StaleRecordError``) when another window or
    program saved the settings after the form read version ``expected``."""
    row = _row()
    check_version("practice", row, expected, subject="the practice settings were")
    return row


def stamp_settings() -> None:
    """Mark the settings saved now (the trigger bumps the version), so a form
    opened before this save is refused rather than overwriting it."""
    Practice.update(updated_at=practice_now()).execute()


# --- practice and therapist details --------------------------------------------

#: Field name → (label, longest length). Address may hold line breaks.
DETAIL_FIELDS: dict[str, tuple[str, int]] = {
    "name": ("The practice name", 200),
    "therapist_name": ("The therapist's name", 200),
    "credentials": ("Credentials", 100),
    "registration": ("The registration or licence number", 100),
    "npi": ("The NPI", 10),
    "tax_id": ("The tax number", 40),
    "address": ("The address", 500),
    "phone": ("The phone number", 40),
    "email": ("The email address", 254),
    "currency_code": ("The currency code", 3),
    "currency_symbol": ("The currency symbol", 5),
    "timezone": ("The time zone", 64),
}

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"[0-9+()./\- ]+(?:\s*(?:x|ext\.?)\s*\d+)?", re.IGNORECASE)


def check_details(values: dict[str, str]) -> dict[str, str]:
    """The cleaned values, or a ``ValidationError`` naming every bad field."""
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    for key, raw in values.items():
        if key not in DETAIL_FIELDS:
            raise ValueError(f"unknown practice field {key}")
        label, limit = DETAIL_FIELDS[key]
        value = raw.strip()
        if key != "address":
            value = " ".join(value.split())
        if CONTROL.search(value.replace("\n", "")):
            errors[key] = f"{label} holds control characters."
        elif len(value) > limit:
            errors[key] = f"{label} is too long (at most {limit} characters)."
        clean[key] = value
    if "name" in clean and not clean["name"]:
        errors["name"] = "The practice needs a name."
    if clean.get("npi") and not re.fullmatch(r"\d{10}", clean["npi"]):
        errors["npi"] = "An NPI is 10 digits (or leave it blank)."
    if clean.get("email") and not _EMAIL.fullmatch(clean["email"]):
        errors["email"] = "That does not look like an email address (name@example.com)."
    if clean.get("phone") and not _PHONE.fullmatch(clean["phone"]):
        errors["phone"] = "A phone number holds digits, spaces and + ( ) - only."
    if "currency_code" in clean:
        clean["currency_code"] = clean["currency_code"].upper()
        if not re.fullmatch(r"[A-Z]{3}", clean["currency_code"]):
            errors["currency_code"] = "The currency code is three letters, e.g. USD, EUR, CAD."
    if "currency_symbol" in clean and not clean["currency_symbol"]:
        errors["currency_symbol"] = "Give a currency symbol, e.g. $, €, £ (or the code again)."
    if "timezone" in clean:
        try:
            zone(clean["timezone"])
        except ValidationError:
            errors["timezone"] = (
                f"Unknown time zone “{clean['timezone'][:40]}”; use a name such as "
                "Europe/London or America/New_York."
            )
    if errors:
        raise ValidationError.from_errors(errors)
    return clean


@writes
def update_practice(*, expected_version: int | None = None, **values: str | int) -> PracticeInfo:
    """Change practice details (``name=``, ``timezone=`` …) and, for old callers,
    ``buffer_minutes=``. Changing the zone keeps appointments at their wall-clock time.
    ``expected_version`` (what the form read) refuses a save over another window's."""
    row = check_settings_version(expected_version)
    buffer = values.pop("buffer_minutes", None)
    clean = check_details({k: str(v) for k, v in values.items() if v is not None})
    for key, value in clean.items():
        setattr(row, key, value)
    row.updated_at = practice_now()
    row.save()
    if buffer is not None:
        update_policies(buffer_minutes=int(buffer))
    return get_practice()


# --- policies -------------------------------------------------------------------

#: Field → (label, lowest, highest, unit).
POLICY_LIMITS: dict[str, tuple[str, int, int, str]] = {
    "buffer_minutes": ("The buffer between sessions", 0, 120, "minutes"),
    "late_cancel_hours": ("The late-cancel window", 0, 168, "hours"),
    "plan_horizon_weeks": ("The plan horizon", 1, 52, "weeks"),
    "default_minutes": ("The default session length", 5, 480, "minutes"),
    "curtain_minutes": ("The privacy curtain", 0, 240, "idle minutes"),
}


def read_policy(field: str, text: str) -> int:
    """A whole number typed for a policy, within its limits."""
    label, low, high, unit = POLICY_LIMITS[field]
    raw = text.strip()
    if not re.fullmatch(r"\d{1,4}", raw):
        raise ValidationError(f"{label} is a whole number of {unit} ({low}–{high}).", field=field)
    value = int(raw)
    if not low <= value <= high:
        raise ValidationError(f"{label} is {low} to {high} {unit}.", field=field)
    return value


@writes
def update_policies(*, expected_version: int | None = None, **values: int) -> PracticeInfo:
    row = check_settings_version(expected_version)
    errors: dict[str, str] = {}
    for key, value in values.items():
        label, low, high, unit = POLICY_LIMITS[key]
        if not low <= value <= high:
            errors[key] = f"{label} is {low} to {high} {unit}."
    if errors:
        raise ValidationError.from_errors(errors)
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_at = practice_now()
    row.save()
    return get_practice()


@reads
def late_cancel_hours() -> int:
    return int(_row().late_cancel_hours)


# --- working hours ----------------------------------------------------------------

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class AffectsBookings(ConflictError):
    """A change would leave booked future appointments out of place; ``conflicts``
    lists them (``AppointmentInfo``). Saving again with ``confirm=True`` goes ahead."""


def read_day(weekday: int, hours_text: str, break_text: str) -> WorkingDay | None:
    """One weekday typed as ``10:00-18:00`` and ``14:00-14:30`` (blank or "off" = day off
    or no break). Errors name the field ``hours-N`` or ``break-N``."""
    hours_text, break_text = hours_text.strip(), break_text.strip()
    if hours_text.lower() in ("", "off", "-", "closed"):
        if break_text:
            raise ValidationError(
                f"{WEEKDAYS[weekday]} is a day off; clear its break.", field=f"break-{weekday}"
            )
        return None
    try:
        start, end = parse_time_range(hours_text)
    except ValidationError as error:
        raise ValidationError(error.message, field=f"hours-{weekday}") from None
    if not break_text or break_text.lower() in ("none", "no", "-"):
        return WorkingDay(weekday, start, end)
    try:
        b_start, b_end = parse_time_range(break_text)
    except ValidationError as error:
        raise ValidationError(error.message, field=f"break-{weekday}") from None
    if not start < b_start < b_end < end:
        raise ValidationError(
            f"The break must lie inside the hours ({start:%H:%M}–{end:%H:%M}).",
            field=f"break-{weekday}",
        )
    return WorkingDay(weekday, start, end, b_start, b_end)


def read_week(rows: Sequence[tuple[str, str]]) -> tuple[WorkingDay | None, ...]:
    """Seven ``(hours, break)`` texts, Monday first; every bad field is named."""
    errors: dict[str, str] = {}
    days: list[WorkingDay | None] = []
    for weekday, (hours_text, break_text) in enumerate(rows):
        try:
            days.append(read_day(weekday, hours_text, break_text))
        except ValidationError as error:
            errors[error.field or f"hours-{weekday}"] = error.message
            days.append(None)
    if errors:
        raise ValidationError.from_errors(errors)
    return tuple(days)


def _outside(day: WorkingDay | None, start: dt.datetime, end: dt.datetime) -> bool:
    if day is None:
        return True
    if start.time() < day.start or end > dt.datetime.combine(start.date(), day.end):
        return True
    if day.break_start and day.break_end:
        b_start = dt.datetime.combine(start.date(), day.break_start)
        b_end = dt.datetime.combine(start.date(), day.break_end)
        return start < b_end and b_start < end
    return False


def _affected(days: Sequence[WorkingDay | None], now: dt.datetime) -> list[AppointmentInfo]:
    from practice_tui.domain.appointments import get_appointment

    by_day = {weekday: days[weekday] for weekday in range(7)}
    rows = (
        Appointment.select(Appointment.id, Appointment.start, Appointment.end)
        .where((Appointment.status == Status.BOOKED.value) & (Appointment.start >= now))
        .order_by(Appointment.start)
    )
    moved = [
        row.id
        for row in rows
        if not _outside(_current_day(row.start.weekday()), row.start, row.end)
        and _outside(by_day[row.start.weekday()], row.start, row.end)
    ]
    return [get_appointment(appointment_id) for appointment_id in moved]


def _current_day(weekday: int) -> WorkingDay | None:
    row = WorkingHours.get_or_none(WorkingHours.weekday == weekday)
    return _working_day(row) if row is not None else None


@reads
def hours_affected(
    days: Sequence[WorkingDay | None], *, now: dt.datetime
) -> tuple[AppointmentInfo, ...]:
    """Booked future appointments inside today's hours that the new ones leave outside."""
    return tuple(_affected(days, now))


@writes
def set_week(
    days: Sequence[WorkingDay | None],
    *,
    now: dt.datetime,
    confirm: bool = False,
    expected_version: int | None = None,
) -> PracticeInfo:
    """Set all seven days (Monday first; None = day off). Appointments are never
    touched. ``expected_version`` as for ``update_practice``."""
    if len(days) != 7:
        raise ValueError("seven days, Monday first")
    check_settings_version(expected_version)
    for weekday, day in enumerate(days):
        if day is not None:
            _check_day(WorkingDay(weekday, day.start, day.end, day.break_start, day.break_end))
    affected = _affected(days, now)
    if affected and not confirm:
        raise AffectsBookings(
            f"{len(affected)} booked appointment{'s' if len(affected) > 1 else ''} would fall "
            "outside the new hours. They stay booked; confirm to save the hours anyway.",
            conflicts=affected,
        )
    WorkingHours.delete().execute()
    for weekday, day in enumerate(days):
        if day is not None:
            WorkingHours.create(
                weekday=weekday,
                start=day.start,
                end=day.end,
                break_start=day.break_start,
                break_end=day.break_end,
            )
    stamp_settings()
    return get_practice()


def _check_day(day: WorkingDay) -> None:
    if day.end <= day.start:
        raise ValidationError(
            "The working day must end after it starts.", field=f"hours-{day.weekday}"
        )
    if (day.break_start is None) != (day.break_end is None):
        raise ValidationError(
            "A break needs both a start and an end.", field=f"break-{day.weekday}"
        )
    if day.break_start is not None and day.break_end is not None:
        if not day.start < day.break_start < day.break_end < day.end:
            raise ValidationError(
                "The break must lie inside the working day.", field=f"break-{day.weekday}"
            )


@writes
def set_working_hours(
    weekday: int,
    start: dt.time | None,
    end: dt.time | None = None,
    break_start: dt.time | None = None,
    break_end: dt.time | None = None,
) -> PracticeInfo:
    """Set one weekday's hours; ``start=None`` makes it a day off (no booking check:
    for set-up and tests; the Practice screen uses ``set_week``)."""
    if not 0 <= weekday <= 6:
        raise ValidationError("The weekday is 0 (Monday) to 6 (Sunday).")
    if start is not None:
        if end is None:
            raise ValidationError("The working day must end after it starts.", field="end")
        _check_day(WorkingDay(weekday, start, end, break_start, break_end))
    WorkingHours.delete().where(WorkingHours.weekday == weekday).execute()
    if start is not None:
        WorkingHours.create(
            weekday=weekday, start=start, end=end, break_start=break_start, break_end=break_end
        )
    stamp_settings()
    return get_practice()


# --- services -------------------------------------------------------------------

# --- the first-run welcome -----------------------------------------------------------


@writes
def finish_setup(
    *,
    name: str | None = None,
    therapist_name: str | None = None,
    timezone: str | None = None,
    week: Sequence[WorkingDay | None] | None = None,
    keep_services: bool = True,
    first_service: tuple[str, int, int] | None = None,
) -> PracticeInfo:
    """Save what the welcome asked (each part optional: a skipped step keeps the
    defaults) and mark the file set up, so the welcome does not come back.

    Without the usual services, the practice starts with ``first_service``
    (name, minutes, price in cents), or "Medical massage 60" alone, so there is
    always something to book."""
    values = {
        key: value
        for key, value in (
            ("name", name),
            ("therapist_name", therapist_name),
            ("timezone", timezone),
        )
        if value is not None
    }
    if values:
        update_practice(**values)
    if week is not None:
        set_week(week, now=dt.datetime.min, confirm=True)
    if not keep_services:
        name_, minutes, price = first_service or ("Medical massage 60", 60, 8500)
        for row in Service.select():
            if in_use(row.id):
                row.active = False
                row.save()
            else:
                row.delete_instance()
        existing = Service.get_or_none(pw.fn.lower(Service.name) == " ".join(name_.split()).lower())
        if existing is not None:
            existing.active = True
            existing.save()
        else:
            add_service(name_, minutes, price)
    row = _row()
    row.setup_done = True
    row.save()
    return get_practice()


# --- forms: text as typed, read with every bad field named --------------------------


def save_policies_form(
    values: dict[str, str], *, expected_version: int | None = None
) -> PracticeInfo:
    errors: dict[str, str] = {}
    numbers: dict[str, int] = {}
    for key in POLICY_LIMITS:
        if key not in values:
            continue
        try:
            numbers[key] = read_policy(key, values[key])
        except ValidationError as error:
            errors[key] = error.message
    if errors:
        raise ValidationError.from_errors(errors)
    return update_policies(expected_version=expected_version, **numbers)


def read_weekdays(text: str) -> tuple[int, ...]:
    """Working days typed as ``mon-fri``, ``tue-sat``, ``mon, wed, fri`` or ``tue-thu sat``."""
    names = [name[:3].lower() for name in WEEKDAYS]
    found: set[int] = set()
    cleaned = text.strip().lower().replace("–", "-").replace(" to ", "-")
    if not cleaned:
        raise ValidationError("Type the working days, e.g. mon-fri or tue-sat.", field="days")
    for part in re.split(r"[,\s]+", cleaned):
        if not part:
            continue
        ends = [p.strip()[:3] for p in part.split("-")]
        if len(ends) > 2 or any(e not in names for e in ends):
            raise ValidationError(
                f"Cannot read “{part[:20]}” as days; try mon-fri, tue-sat or mon, wed, fri.",
                field="days",
            )
        first, last = names.index(ends[0]), names.index(ends[-1])
        day = first
        while True:
            found.add(day)
            if day == last:
                break
            day = (day + 1) % 7
    return tuple(sorted(found))
