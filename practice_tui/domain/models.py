"""The records, as peewee models bound to the deferred database handle.

Times are naive local wall-clock times of the practice (see DESIGN.md): a
plan "every Tuesday at 10:00" stays at 10:00 across daylight-saving changes.
Schema changes go through ``practice_tui.domain.migrations``; a test checks
that these models and the migrations agree.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from typing import Any

import peewee as pw

from practice_tui.domain.db import database


class Status(StrEnum):
    BOOKED = "booked"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


#: Statuses that hold the time slot (cancelled and no-show do not block).
BLOCKING_STATUSES = (Status.BOOKED.value, Status.COMPLETED.value)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class JSONListField(pw.TextField):
    """A list of strings stored as JSON text (areas, techniques, home care)."""

    def db_value(self, value: Any) -> str:
        return json.dumps(list(value or []), ensure_ascii=False)

    def python_value(self, value: Any) -> list[str]:
        if not value:
            return []
        return list(json.loads(value))


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class Practice(BaseModel):
    """The practice's own settings: one row."""

    name = pw.CharField(max_length=200, default="My massage practice")
    timezone = pw.CharField(max_length=64, default="UTC")
    buffer_minutes = pw.IntegerField(default=15)
    plan_horizon_weeks = pw.IntegerField(default=12)
    #: Bumped on every update (by a trigger): a form's save checks it (migration 0002).
    version = pw.IntegerField(default=1)


class WorkingHours(BaseModel):
    """Opening hours of one weekday (0 = Monday); a weekday without a row is a day off."""

    weekday = pw.IntegerField(unique=True)
    start = pw.TimeField(formats=["%H:%M:%S"])
    end = pw.TimeField(formats=["%H:%M:%S"])
    break_start = pw.TimeField(null=True, formats=["%H:%M:%S"])
    break_end = pw.TimeField(null=True, formats=["%H:%M:%S"])


class Client(BaseModel):
    first_name = pw.CharField(max_length=100)
    last_name = pw.CharField(max_length=100, default="")
    preferred_name = pw.CharField(max_length=100, default="")
    date_of_birth = pw.DateField(null=True)
    phone = pw.CharField(max_length=40, default="")
    email = pw.CharField(max_length=254, default="")
    address = pw.TextField(default="")
    emergency_name = pw.CharField(max_length=200, default="")
    emergency_phone = pw.CharField(max_length=40, default="")
    referring_provider = pw.CharField(max_length=200, default="")
    complaint = pw.TextField(default="")
    goals = pw.TextField(default="")
    conditions = pw.TextField(default="")
    medications = pw.TextField(default="")
    allergies = pw.TextField(default="")
    contraindications = pw.TextField(default="")
    pressure_preference = pw.CharField(max_length=20, default="")
    intake_date = pw.DateField(null=True)
    consent_date = pw.DateField(null=True)
    notes = pw.TextField(default="")
    archived = pw.BooleanField(default=False)
    #: Lower-case, accent-free name, phone digits and email, for search in SQL.
    search_text = pw.TextField(default="", index=False)
    #: Lower-case, accent-free "last first" for sorting by name.
    sort_name = pw.CharField(max_length=210, default="")
    created_at = pw.DateTimeField(default=_now)
    updated_at = pw.DateTimeField(default=_now)
    #: Bumped on every update (by a trigger): a form's save checks it (migration 0002).
    version = pw.IntegerField(default=1)

    class Meta:
        indexes = ((("archived", "sort_name"), False),)


class Service(BaseModel):
    name = pw.CharField(max_length=100, unique=True)
    minutes = pw.IntegerField()
    price_cents = pw.IntegerField(default=0)
    active = pw.BooleanField(default=True)


class Plan(BaseModel):
    """A recurring series. ``rule`` is an RFC 5545 RRULE without COUNT/UNTIL;
    the end lives in ``count`` or ``until``; skipped dates in ``PlanSkip``."""

    client = pw.ForeignKeyField(Client, backref="plans", on_delete="RESTRICT", index=False)
    service = pw.ForeignKeyField(Service, on_delete="RESTRICT")
    first_start = pw.DateTimeField()
    minutes = pw.IntegerField()
    rule = pw.TextField()
    count = pw.IntegerField(null=True)
    until = pw.DateField(null=True)
    ended_on = pw.DateField(null=True)
    #: Appointments exist up to this date (rolling horizon for open-ended plans).
    filled_until = pw.DateField(null=True)
    #: The plan this one continues after a change "from a date onward".
    replaces = pw.ForeignKeyField("self", null=True, on_delete="RESTRICT")
    note = pw.TextField(default="")
    created_at = pw.DateTimeField(default=_now)
    #: Bumped on every update (by a trigger): a form's save checks it (migration 0002).
    version = pw.IntegerField(default=1)

    class Meta:
        indexes = ((("client", "first_start"), False),)


class PlanSkip(BaseModel):
    plan = pw.ForeignKeyField(Plan, backref="skips", on_delete="RESTRICT", index=False)
    slot = pw.DateTimeField()

    class Meta:
        indexes = ((("plan", "slot"), True),)


class Appointment(BaseModel):
    client = pw.ForeignKeyField(Client, backref="appointments", on_delete="RESTRICT", index=False)
    service = pw.ForeignKeyField(Service, on_delete="RESTRICT")
    start = pw.DateTimeField(index=True)
    end = pw.DateTimeField(constraints=[pw.Check('"end" > "start"')])
    status = pw.CharField(
        max_length=12,
        default=Status.BOOKED.value,
        constraints=[pw.Check("status IN ('booked', 'completed', 'cancelled', 'no_show')")],
    )
    cancel_reason = pw.TextField(default="")
    cancelled_at = pw.DateTimeField(null=True)
    late_cancel = pw.BooleanField(default=False)
    booking_note = pw.TextField(default="")
    plan = pw.ForeignKeyField(Plan, null=True, backref="appointments", on_delete="RESTRICT")
    #: The occurrence of the plan this appointment was made for.
    plan_slot = pw.DateTimeField(null=True)
    #: Moved or edited by hand: a series edit leaves it alone.
    plan_modified = pw.BooleanField(default=False)
    created_at = pw.DateTimeField(default=_now)
    updated_at = pw.DateTimeField(default=_now)
    #: Bumped on every update (by a trigger): a form's save checks it (migration 0002).
    version = pw.IntegerField(default=1)

    class Meta:
        indexes = (
            (("client", "start"), False),
            (("plan", "plan_slot"), False),
        )


class SessionNote(BaseModel):
    """The clinical note of one appointment. Once ``signed_at`` is set, triggers
    in the database refuse any update or delete (see migration 0001)."""

    appointment = pw.ForeignKeyField(
        Appointment, backref="notes", unique=True, on_delete="RESTRICT"
    )
    pain_before = pw.IntegerField(null=True, constraints=[pw.Check("pain_before BETWEEN 0 AND 10")])
    pain_after = pw.IntegerField(null=True, constraints=[pw.Check("pain_after BETWEEN 0 AND 10")])
    areas = JSONListField(default=list)
    techniques = JSONListField(default=list)
    pressure = pw.CharField(max_length=20, default="")
    subjective = pw.TextField(default="")
    objective = pw.TextField(default="")
    assessment = pw.TextField(default="")
    plan_text = pw.TextField(default="")
    home_care = JSONListField(default=list)
    home_care_notes = pw.TextField(default="")
    next_visit = pw.CharField(max_length=200, default="")
    created_at = pw.DateTimeField(default=_now)
    updated_at = pw.DateTimeField(default=_now)
    signed_at = pw.DateTimeField(null=True)
    #: Bumped on every update (by a trigger): a form's save checks it (migration 0002).
    version = pw.IntegerField(default=1)


class NoteAmendment(BaseModel):
    """Append-only: triggers refuse updates and deletes."""

    note = pw.ForeignKeyField(SessionNote, backref="amendments", on_delete="RESTRICT")
    created_at = pw.DateTimeField(default=_now)
    reason = pw.TextField()
    text = pw.TextField()


ALL_MODELS: tuple[type[BaseModel], ...] = (
    Practice,
    WorkingHours,
    Client,
    Service,
    Plan,
    PlanSkip,
    Appointment,
    SessionNote,
    NoteAmendment,
)
