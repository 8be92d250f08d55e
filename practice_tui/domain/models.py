"""The records, as peewee models bound to the deferred database handle.

Times are naive local wall-clock times of the practice (see DESIGN.md): a
plan "every Tuesday at 10:00" stays at 10:00 across daylight-saving changes.
Schema changes go through ``practice_tui.domain.migrations``; a test checks
that these models and the migrations agree.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import peewee as pw

from practice_tui.domain.db import database
from practice_tui.domain.types import Status

#: Statuses that hold the time slot (cancelled and no-show do not block).
BLOCKING_STATUSES = (Status.BOOKED.value, Status.COMPLETED.value)


def _now() -> dt.datetime:
    from practice_tui.domain.clock import practice_now

    return practice_now()


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
    #: A stable identity, so exported calendar UIDs never change.
    uid = pw.CharField(max_length=64, default=lambda: uuid.uuid4().hex)
    #: A calendar file rewritten after every change ("" = not kept up to date).
    calendar_file = pw.TextField(default="")
    #: That file names clients by initials only (for calendars that sync to a cloud).
    calendar_initials = pw.BooleanField(default=True)
    therapist_name = pw.CharField(max_length=200, default="")
    credentials = pw.CharField(max_length=100, default="")
    registration = pw.CharField(max_length=100, default="")
    npi = pw.CharField(max_length=20, default="")
    tax_id = pw.CharField(max_length=40, default="")
    address = pw.TextField(default="")
    phone = pw.CharField(max_length=40, default="")
    email = pw.CharField(max_length=254, default="")
    currency_code = pw.CharField(max_length=3, default="USD")
    currency_symbol = pw.CharField(max_length=5, default="$")
    late_cancel_hours = pw.IntegerField(default=24)
    default_minutes = pw.IntegerField(default=60)
    #: False only on a brand-new file until the first-run welcome is done or skipped.
    setup_done = pw.BooleanField(default=False)
    #: Bumped on every update (by a trigger): a form's save checks it (migration 0004).
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
    #: Bumped on every update (by a trigger): a form's save checks it (migration 0004).
    version = pw.IntegerField(default=1)

    class Meta:
        indexes = ((("archived", "sort_name"), False),)


class Service(BaseModel):
    name = pw.CharField(max_length=100, unique=True)
    minutes = pw.IntegerField()
    price_cents = pw.IntegerField(default=0)
    active = pw.BooleanField(default=True)
    #: Default billing codes (CPT with modifiers), free text, e.g. "97124, 97140-59".
    cpt_codes = pw.CharField(max_length=200, default="")


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
    #: The UID of the calendar series this plan was imported from.
    external_uid = pw.CharField(max_length=255, null=True, unique=True)
    #: Bumped on every update (by a trigger): a form's save checks it (migration 0004).
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
    #: The fee, in cents, from the service's price when booked; a later price never changes it.
    fee_cents = pw.IntegerField(default=0)
    created_at = pw.DateTimeField(default=_now)
    updated_at = pw.DateTimeField(default=_now)
    #: The UID of the calendar event this appointment was imported from.
    external_uid = pw.CharField(max_length=255, null=True, unique=True)
    #: Bumped on every update (by a trigger): a form's save checks it (migration 0004).
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
    #: Bumped on every update (by a trigger): a form's save checks it (migration 0004).
    version = pw.IntegerField(default=1)


class NoteAmendment(BaseModel):
    """Append-only: triggers refuse updates and deletes."""

    note = pw.ForeignKeyField(SessionNote, backref="amendments", on_delete="RESTRICT")
    created_at = pw.DateTimeField(default=_now)
    reason = pw.TextField()
    text = pw.TextField()


class TimeOff(BaseModel):
    """A dated block when the therapist does not work: whole days from
    ``first_day`` to ``last_day``, or some hours of one day (``start``/``end``)."""

    first_day = pw.DateField(index=True)
    last_day = pw.DateField()
    start = pw.TimeField(null=True, formats=["%H:%M:%S"])
    end = pw.TimeField(null=True, formats=["%H:%M:%S"])
    label = pw.CharField(max_length=100, default="")
    created_at = pw.DateTimeField(default=_now)


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
    TimeOff,
)
