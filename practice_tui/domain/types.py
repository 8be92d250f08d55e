"""Plain frozen data handed from the services to the interface.

Services return these instead of peewee rows, so nothing on the UI thread can
trigger a lazy query by reading an attribute.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """Where an appointment stands; stored as its value."""

    BOOKED = "booked"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


@dataclass(frozen=True)
class WorkingDay:
    weekday: int
    start: dt.time
    end: dt.time
    break_start: dt.time | None = None
    break_end: dt.time | None = None


@dataclass(frozen=True)
class PracticeInfo:
    name: str
    timezone: str
    buffer_minutes: int
    plan_horizon_weeks: int
    hours: tuple[WorkingDay, ...]
    therapist_name: str = ""
    credentials: str = ""
    registration: str = ""
    npi: str = ""
    tax_id: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    currency_code: str = "USD"
    currency_symbol: str = "$"
    late_cancel_hours: int = 24
    default_minutes: int = 60
    setup_done: bool = True
    #: The settings' version when read (a form's save checks it).
    version: int = 0
    #: Idle minutes before the privacy curtain falls (0: only by its key).
    curtain_minutes: int = 10

    def hours_on(self, weekday: int) -> WorkingDay | None:
        for day in self.hours:
            if day.weekday == weekday:
                return day
        return None


@dataclass(frozen=True)
class ServiceInfo:
    id: int
    name: str
    minutes: int
    price_cents: int
    active: bool
    cpt_codes: str = ""
    #: Appointments or plans use it (then it can be retired, never deleted).
    in_use: bool = False


@dataclass(frozen=True)
class TimeOffInfo:
    """A block of time off: whole days ``first_day``–``last_day``, or hours of one day."""

    id: int
    first_day: dt.date
    last_day: dt.date
    start: dt.time | None
    end: dt.time | None
    label: str

    @property
    def whole_days(self) -> bool:
        return self.start is None

    def span(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        """The part of ``day`` this block covers, or None."""
        if not self.first_day <= day <= self.last_day:
            return None
        if self.start is None or self.end is None:
            return dt.datetime.combine(day, dt.time()), dt.datetime.combine(
                day + dt.timedelta(days=1), dt.time()
            )
        return dt.datetime.combine(day, self.start), dt.datetime.combine(day, self.end)

    @property
    def when(self) -> str:
        """ "Mon 7 Dec", "Mon 7 – Fri 11 Dec 2026", "Tue 8 Dec 14:00–16:00"."""
        first, last = self.first_day, self.last_day
        if self.start is not None and self.end is not None:
            return f"{first:%a} {first.day} {first:%b %Y} {self.start:%H:%M}–{self.end:%H:%M}"
        if first == last:
            return f"{first:%a} {first.day} {first:%b %Y}"
        head = f"{first:%a} {first.day}" + ("" if first.month == last.month else f" {first:%b}")
        if first.year != last.year:
            head += f" {first:%Y}"
        return f"{head} – {last:%a} {last.day} {last:%b %Y}"


@dataclass(frozen=True)
class ClientSummary:
    """One row of a client list."""

    id: int
    name: str
    phone: str
    email: str
    date_of_birth: dt.date | None
    contraindications: str
    archived: bool
    last_visit: dt.datetime | None = None
    next_visit: dt.datetime | None = None

    @property
    def has_alert(self) -> bool:
        return bool(self.contraindications.strip())


@dataclass(frozen=True)
class ClientRecord:
    """The whole intake record of one client."""

    id: int
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: dt.date | None
    phone: str
    email: str
    address: str
    emergency_name: str
    emergency_phone: str
    referring_provider: str
    complaint: str
    goals: str
    conditions: str
    medications: str
    allergies: str
    contraindications: str
    pressure_preference: str
    intake_date: dt.date | None
    consent_date: dt.date | None
    notes: str
    archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    #: The record's version when read (a form's save checks it).
    version: int = 0

    @property
    def name(self) -> str:
        return display_name(self.first_name, self.last_name, self.preferred_name)

    @property
    def has_alert(self) -> bool:
        return bool(self.contraindications.strip())


def display_name(first: str, last: str, preferred: str = "") -> str:
    """How a client is named on screens: preferred (or first) name, then last name."""
    return " ".join(part for part in ((preferred or first).strip(), last.strip()) if part)


@dataclass(frozen=True)
class AppointmentInfo:
    id: int
    client_id: int
    client_name: str
    service_id: int
    service_name: str
    start: dt.datetime
    end: dt.datetime
    status: str
    cancel_reason: str = ""
    late_cancel: bool = False
    booking_note: str = ""
    plan_id: int | None = None
    plan_slot: dt.datetime | None = None
    plan_modified: bool = False
    #: The client's contraindications/precautions ("" when none on file).
    contraindications: str = ""
    first_visit: bool = False
    note_owed: bool = False
    has_note: bool = False
    note_signed: bool = False
    #: The record's version when read (a form's save checks it).
    version: int = 0

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def has_alert(self) -> bool:
        return bool(self.contraindications.strip())

    @property
    def blocks_time(self) -> bool:
        return self.status in ("booked", "completed")


@dataclass(frozen=True)
class Gap:
    """Free time inside working hours (``kind="free"``), the break (``"break"``) or
    time off (``"off"``, with its label)."""

    start: dt.datetime
    end: dt.datetime
    kind: str = "free"
    label: str = ""

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class DayView:
    day: dt.date
    working: WorkingDay | None
    #: Appointments and gaps in time order (gaps never overlap appointments).
    items: tuple[AppointmentInfo | Gap, ...]
    booked: int
    completed: int
    cancelled: int
    no_show: int
    free_minutes: int
    #: Free minutes still ahead of ``now`` (all of them for a future day).
    free_minutes_left: int
    notes_owed: int

    @property
    def appointments(self) -> tuple[AppointmentInfo, ...]:
        return tuple(item for item in self.items if isinstance(item, AppointmentInfo))

    @property
    def gaps(self) -> tuple[Gap, ...]:
        return tuple(item for item in self.items if isinstance(item, Gap))


@dataclass(frozen=True)
class SlotCheck:
    """What stands in the way of a proposed time, before anything is saved."""

    start: dt.datetime
    end: dt.datetime
    conflicts: tuple[AppointmentInfo, ...] = ()
    #: Why the time is outside working hours ("" when inside).
    outside_hours: str = ""
    #: Why the time does not exist (daylight-saving gap), "" when it does.
    invalid_time: str = ""
    #: One line per clash ("Overlaps …", "Too close to …"), in ``conflicts`` order.
    clash_messages: tuple[str, ...] = ()
    messages: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not (self.conflicts or self.outside_hours or self.invalid_time)
