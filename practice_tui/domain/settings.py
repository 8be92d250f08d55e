"""The practice's settings: name, time zone, buffer, working hours, services.

A new file gets sensible defaults (Monday to Friday 09:00–17:00 with a break
12:30–13:30, a 15-minute buffer, the computer's time zone and the usual
medical-massage services) so a therapist can book from the first minute.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from practice_tui.domain.dates import zone
from practice_tui.domain.db import reads, writes
from practice_tui.domain.errors import NotFound, ValidationError
from practice_tui.domain.models import Practice, Service, WorkingHours
from practice_tui.domain.types import PracticeInfo, ServiceInfo, WorkingDay

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
    Practice.create(name=name or "My massage practice", timezone=timezone or system_timezone())
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


def _working_day(row: WorkingHours) -> WorkingDay:
    return WorkingDay(row.weekday, row.start, row.end, row.break_start, row.break_end)


@reads
def get_practice() -> PracticeInfo:
    row = Practice.select().first()
    if row is None:
        raise NotFound("This file has no practice settings yet.")
    hours = tuple(_working_day(r) for r in WorkingHours.select().order_by(WorkingHours.weekday))
    return PracticeInfo(
        name=row.name,
        timezone=row.timezone,
        buffer_minutes=row.buffer_minutes,
        plan_horizon_weeks=row.plan_horizon_weeks,
        hours=hours,
    )


@writes
def update_practice(
    *, name: str | None = None, timezone: str | None = None, buffer_minutes: int | None = None
) -> PracticeInfo:
    row = Practice.select().first()
    if row is None:
        raise NotFound("This file has no practice settings yet.")
    if name is not None:
        if not name.strip():
            raise ValidationError("The practice needs a name.", field="name")
        row.name = name.strip()[:200]
    if timezone is not None:
        zone(timezone)
        row.timezone = timezone
    if buffer_minutes is not None:
        if not 0 <= buffer_minutes <= 120:
            raise ValidationError("The buffer is 0 to 120 minutes.", field="buffer_minutes")
        row.buffer_minutes = buffer_minutes
    row.save()
    return get_practice()


@writes
def set_working_hours(
    weekday: int,
    start: dt.time | None,
    end: dt.time | None = None,
    break_start: dt.time | None = None,
    break_end: dt.time | None = None,
) -> PracticeInfo:
    """Set one weekday's hours; ``start=None`` makes it a day off."""
    if not 0 <= weekday <= 6:
        raise ValidationError("The weekday is 0 (Monday) to 6 (Sunday).")
    WorkingHours.delete().where(WorkingHours.weekday == weekday).execute()
    if start is None:
        return get_practice()
    if end is None or end <= start:
        raise ValidationError("The working day must end after it starts.", field="end")
    if (break_start is None) != (break_end is None):
        raise ValidationError("A break needs both a start and an end.", field="break")
    if break_start is not None and break_end is not None:
        if not start < break_start < break_end < end:
            raise ValidationError("The break must lie inside the working day.", field="break")
    WorkingHours.create(
        weekday=weekday, start=start, end=end, break_start=break_start, break_end=break_end
    )
    return get_practice()


def _service_info(row: Service) -> ServiceInfo:
    return ServiceInfo(row.id, row.name, row.minutes, row.price_cents, row.active)


@reads
def list_services(include_inactive: bool = False) -> tuple[ServiceInfo, ...]:
    query = Service.select().order_by(Service.name)
    if not include_inactive:
        query = query.where(Service.active == True)  # noqa: E712
    return tuple(_service_info(row) for row in query)


@reads
def get_service(service_id: int) -> ServiceInfo:
    row = Service.get_or_none(Service.id == service_id)
    if row is None:
        raise NotFound("That service no longer exists.")
    return _service_info(row)


@writes
def add_service(name: str, minutes: int, price_cents: int = 0) -> ServiceInfo:
    name = name.strip()
    if not name:
        raise ValidationError("The service needs a name.", field="name")
    if len(name) > 100:
        raise ValidationError("Keep the service name under 100 characters.", field="name")
    if not 5 <= minutes <= 480:
        raise ValidationError("A service lasts 5 to 480 minutes.", field="minutes")
    if Service.select().where(Service.name == name).exists():
        raise ValidationError(f"There is already a service called “{name}”.", field="name")
    return _service_info(Service.create(name=name, minutes=minutes, price_cents=price_cents))
