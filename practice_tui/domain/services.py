"""The practice's services: add, edit, retire and bring back, delete only when
unused. Rules: names are unique (ignoring case); a service with appointments or
plans is retired, never deleted, so history keeps its name; a new price applies
to new bookings only (each appointment keeps the fee it was booked at);
billing codes are five-character CPT/HCPCS codes with optional modifiers."""

from __future__ import annotations

import re

import peewee as pw

from practice_tui.domain.audit import audited
from practice_tui.domain.db import reads
from practice_tui.domain.errors import NotFound, ValidationError
from practice_tui.domain.models import Appointment, Plan, Service
from practice_tui.domain.types import ServiceInfo

#: Control characters never belong in a name or a detail of the practice.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

_CODE = re.compile(r"[0-9A-Z]\d{3}[0-9A-Z](?:-[0-9A-Z]{2})*")


def clean_codes(text: str) -> str:
    """Billing codes as "97124, 97140-59": five-character CPT/HCPCS codes, each with
    optional two-character modifiers, separated by commas or spaces."""
    parts = [p for p in re.split(r"[,\s;]+", text.strip().upper()) if p]
    bad = [p for p in parts if not _CODE.fullmatch(p)]
    if bad:
        raise ValidationError(
            f"“{bad[0][:20]}” is not a billing code; codes look like 97124 or 97140-59.",
            field="cpt_codes",
        )
    if len(parts) > 10:
        raise ValidationError("At most 10 billing codes per service.", field="cpt_codes")
    return ", ".join(parts)


def in_use(service_id: int) -> bool:
    return (
        Appointment.select().where(Appointment.service == service_id).exists()
        or Plan.select().where(Plan.service == service_id).exists()
    )


def _service_info(row: Service, in_use: bool = False) -> ServiceInfo:
    return ServiceInfo(
        row.id, row.name, row.minutes, row.price_cents, row.active, row.cpt_codes, in_use
    )


@reads
def list_services(include_inactive: bool = False) -> tuple[ServiceInfo, ...]:
    """Active services by name (for new bookings and plans), or every service,
    active first, each saying whether appointments or plans use it."""
    query = Service.select().order_by(Service.name)
    if not include_inactive:
        query = query.where(Service.active == True)  # noqa: E712
        return tuple(_service_info(row) for row in query)
    used = {
        service_id for (service_id,) in Appointment.select(Appointment.service).distinct().tuples()
    } | {service_id for (service_id,) in Plan.select(Plan.service).distinct().tuples()}
    rows = sorted(query, key=lambda r: (not r.active, r.name.lower()))
    return tuple(_service_info(row, row.id in used) for row in rows)


@reads
def get_service(service_id: int) -> ServiceInfo:
    row = Service.get_or_none(Service.id == service_id)
    if row is None:
        raise NotFound("That service no longer exists.")
    return _service_info(row, in_use(row.id))


def _check_service(name: str, minutes: int, price_cents: int, exclude_id: int | None) -> str:
    name = " ".join(name.split())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "The service needs a name."
    elif len(name) > 100:
        errors["name"] = "Keep the service name under 100 characters."
    elif CONTROL.search(name):
        errors["name"] = "The name holds control characters."
    else:
        query = Service.select().where(pw.fn.lower(Service.name) == name.lower())
        if exclude_id is not None:
            query = query.where(Service.id != exclude_id)
        if query.exists():
            errors["name"] = f"There is already a service called “{name}”."
    if not 5 <= minutes <= 480:
        errors["minutes"] = "A service lasts 5 to 480 minutes."
    if price_cents < 0:
        errors["price"] = "The price cannot be negative."
    if errors:
        raise ValidationError.from_errors(errors)
    return name


@audited("service", "create")
def add_service(name: str, minutes: int, price_cents: int = 0, cpt_codes: str = "") -> ServiceInfo:
    name = _check_service(name, minutes, price_cents, None)
    codes = clean_codes(cpt_codes)
    row = Service.create(name=name, minutes=minutes, price_cents=price_cents, cpt_codes=codes)
    return _service_info(row)


@audited("service", "change", key="service_id")
def update_service(
    service_id: int, name: str, minutes: int, price_cents: int, cpt_codes: str = ""
) -> ServiceInfo:
    """Change a service. Booked appointments keep their own length and fee."""
    row = Service.get_or_none(Service.id == service_id)
    if row is None:
        raise NotFound("That service no longer exists.")
    row.name = _check_service(name, minutes, price_cents, service_id)
    row.minutes = minutes
    row.price_cents = price_cents
    row.cpt_codes = clean_codes(cpt_codes)
    row.save()
    return _service_info(row, in_use(row.id))


@audited("service", "retire", key="service_id", fields=("active",))
def set_service_active(service_id: int, active: bool) -> ServiceInfo:
    """Retire a service (hidden from new bookings and plans, kept for history) or bring it back."""
    row = Service.get_or_none(Service.id == service_id)
    if row is None:
        raise NotFound("That service no longer exists.")
    if not active and Service.select().where(Service.active == True).count() <= 1:  # noqa: E712
        raise ValidationError("Keep at least one active service, or nothing can be booked.")
    row.active = active
    row.save()
    return _service_info(row, in_use(row.id))


@audited("service", "delete", key="service_id")
def delete_service(service_id: int) -> None:
    """Delete a service no appointment or plan ever used; others can only be retired."""
    row = Service.get_or_none(Service.id == service_id)
    if row is None:
        raise NotFound("That service no longer exists.")
    if in_use(service_id):
        raise ValidationError(
            f"“{row.name}” has appointments or plans, so it is kept for their history; "
            "retire it instead (hidden from new bookings)."
        )
    if row.active and Service.select().where(Service.active == True).count() <= 1:  # noqa: E712
        raise ValidationError("Keep at least one active service, or nothing can be booked.")
    row.delete_instance()


def save_service_form(service_id: int | None, values: dict[str, str]) -> ServiceInfo:
    """Add (``service_id=None``) or change a service from the text of its form:
    ``name``, ``minutes``, ``price`` (``85``, ``85.5``, ``85.50``), ``cpt_codes``."""
    from practice_tui.domain.money import parse_amount

    errors: dict[str, str] = {}
    minutes = 0
    raw_minutes = values.get("minutes", "").strip()
    if not re.fullmatch(r"\d{1,3}", raw_minutes):
        errors["minutes"] = "The length is a whole number of minutes (5–480)."
    else:
        minutes = int(raw_minutes)
    price = 0
    try:
        price = parse_amount(values.get("price", ""), field="price", label="The price")
    except ValidationError as error:
        errors["price"] = error.message
    try:
        codes = clean_codes(values.get("cpt_codes", ""))
    except ValidationError as error:
        errors["cpt_codes"] = error.message
        codes = ""
    if errors:
        # Name checks too, so every message shows at once.
        try:
            _check_service_reading(values.get("name", ""), service_id)
        except ValidationError as error:
            errors = {**error.errors, **errors}
        raise ValidationError.from_errors(errors)
    if service_id is None:
        return add_service(values.get("name", ""), minutes, price, codes)
    return update_service(service_id, values.get("name", ""), minutes, price, codes)


@reads
def _check_service_reading(name: str, service_id: int | None) -> None:
    _check_service(name, 60, 0, service_id)
