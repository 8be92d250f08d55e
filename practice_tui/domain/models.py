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
    #: Late-cancel and no-show fee: "none", "fixed" (value in cents) or "percent" (of the fee).
    policy_fee_kind = pw.CharField(max_length=8, default="none")
    policy_fee_value = pw.IntegerField(default=0)
    #: CMS place-of-service code printed on superbills ("11" office).
    place_of_service = pw.CharField(max_length=2, default="11")
    #: Idle minutes before the privacy curtain falls (0: never by itself). Migration 0007.
    curtain_minutes = pw.IntegerField(default=10)
    #: Bumped on every update (by a trigger): a form's save checks it (migration 0006).
    version = pw.IntegerField(default=1)
    #: When the settings were last saved (migration 0007; None before that).
    updated_at = pw.DateTimeField(null=True)


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
    #: Standing discount on every fee, in whole percent (0 = none).
    discount_percent = pw.IntegerField(default=0)
    #: ICD-10 codes with descriptions, one per line: "M54.50 Low back pain".
    diagnosis_codes = pw.TextField(default="")
    #: The referring provider's NPI (10 digits), for superbills.
    referring_npi = pw.CharField(max_length=10, default="")
    #: Lower-case, accent-free name, phone digits and email, for search in SQL.
    search_text = pw.TextField(default="", index=False)
    #: Lower-case, accent-free "last first" for sorting by name.
    sort_name = pw.CharField(max_length=210, default="")
    created_at = pw.DateTimeField(default=_now)
    updated_at = pw.DateTimeField(default=_now)
    #: Bumped on every update (by a trigger): a form's save checks it (migration 0006).
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
    #: Bumped on every update (by a trigger): a form's save checks it (migration 0006).
    version = pw.IntegerField(default=1)
    #: When the plan was last changed (migration 0007; None before that).
    updated_at = pw.DateTimeField(null=True)

    class Meta:
        indexes = ((("client", "first_start"), False),)


class PlanSkip(BaseModel):
    plan = pw.ForeignKeyField(Plan, backref="skips", on_delete="RESTRICT", index=False)
    slot = pw.DateTimeField()
    #: Why: "hand" (chosen by a person), "clash" (made for a clash; reconsidered
    #: when the plan moves to another time) or "kept" (a kept session stands for it).
    reason = pw.CharField(
        max_length=8,
        default="hand",
        constraints=[pw.Check("reason IN ('hand', 'clash', 'kept')")],
    )

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
    #: Bumped on every update (by a trigger): a form's save checks it (migration 0006).
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
    #: Bumped on every update (by a trigger): a form's save checks it (migration 0006).
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


class Goal(BaseModel):
    """A functional goal in the client's words (Patient-Specific Functional
    Scale): an activity the client finds hard. Retired, never deleted, once
    it has scores (migration 0006)."""

    client = pw.ForeignKeyField(Client, backref="functional_goals", on_delete="RESTRICT")
    position = pw.IntegerField()
    activity = pw.CharField(max_length=200)
    created_at = pw.DateTimeField(default=_now)
    retired_at = pw.DateTimeField(null=True)


class GoalScore(BaseModel):
    """One score of a goal, 0 = unable to 10 = as before the problem, on a day;
    tied to a session note when scored in it (locked with the signed note)."""

    goal = pw.ForeignKeyField(Goal, backref="scores", on_delete="RESTRICT", index=False)
    day = pw.DateField()
    score = pw.IntegerField(constraints=[pw.Check("score BETWEEN 0 AND 10")])
    note = pw.ForeignKeyField(SessionNote, null=True, backref="goal_scores", on_delete="RESTRICT")
    created_at = pw.DateTimeField(default=_now)

    class Meta:
        indexes = (
            (("goal", "day"), False),
            (("goal", "note"), True),
        )


class ProgressReport(BaseModel):
    """A progress report made for a client: the range it covers and what the
    therapist wrote, so the next report starts where this one ended."""

    client = pw.ForeignKeyField(Client, backref="progress_reports", on_delete="RESTRICT")
    made_at = pw.DateTimeField()
    start = pw.DateField()
    end = pw.DateField()
    file_name = pw.TextField(default="")
    summary = pw.TextField(default="")
    recommendation = pw.TextField(default="")


class ClientPrice(BaseModel):
    """A client's fixed price for one service (a standing discount)."""

    client = pw.ForeignKeyField(Client, on_delete="RESTRICT", index=False)
    service = pw.ForeignKeyField(Service, on_delete="RESTRICT")
    price_cents = pw.IntegerField(constraints=[pw.Check('"price_cents" >= 0')])

    class Meta:
        indexes = ((("client", "service"), True),)


class Payment(BaseModel):
    """Money received (or refunded, ``kind='refund'``). Never deleted: triggers
    refuse a delete and any update but voiding it once (migration 0005)."""

    client = pw.ForeignKeyField(Client, on_delete="RESTRICT", index=False)
    kind = pw.CharField(
        max_length=8, default="payment", constraints=[pw.Check("\"kind\" IN ('payment', 'refund')")]
    )
    received_on = pw.DateField(index=True)
    amount_cents = pw.IntegerField(constraints=[pw.Check('"amount_cents" > 0')])
    method = pw.CharField(max_length=20)
    reference = pw.CharField(max_length=100, default="")
    reason = pw.TextField(default="")
    created_at = pw.DateTimeField(default=_now)
    voided_at = pw.DateTimeField(null=True)
    void_reason = pw.TextField(default="")

    class Meta:
        indexes = ((("client", "received_on"), False),)


class PaymentAllocation(BaseModel):
    """The part of a payment that pays one appointment's fee."""

    payment = pw.ForeignKeyField(Payment, backref="allocations", on_delete="RESTRICT")
    appointment = pw.ForeignKeyField(Appointment, on_delete="RESTRICT")
    amount_cents = pw.IntegerField(constraints=[pw.Check('"amount_cents" > 0')])


class Package(BaseModel):
    """N prepaid sessions of a service, drawn down as appointments complete."""

    client = pw.ForeignKeyField(Client, on_delete="RESTRICT", index=False)
    service = pw.ForeignKeyField(Service, on_delete="RESTRICT")
    sessions = pw.IntegerField(constraints=[pw.Check('"sessions" > 0')])
    price_cents = pw.IntegerField(constraints=[pw.Check('"price_cents" >= 0')])
    sold_on = pw.DateField()
    expires_on = pw.DateField(null=True)
    created_at = pw.DateTimeField(default=_now)

    class Meta:
        indexes = ((("client", "sold_on"), False),)


class PackageUse(BaseModel):
    """One session of a package, used by one completed appointment."""

    package = pw.ForeignKeyField(Package, backref="uses", on_delete="RESTRICT")
    appointment = pw.ForeignKeyField(Appointment, unique=True, on_delete="RESTRICT")


class PolicyFee(BaseModel):
    """A late-cancel or no-show fee charged (after a confirm) on an appointment."""

    appointment = pw.ForeignKeyField(Appointment, on_delete="RESTRICT")
    kind = pw.CharField(max_length=12)
    amount_cents = pw.IntegerField(constraints=[pw.Check('"amount_cents" > 0')])
    charged_at = pw.DateTimeField()
    waived_at = pw.DateTimeField(null=True)
    waive_reason = pw.TextField(default="")


class SessionCode(BaseModel):
    """Minutes treated under one CPT code in one session (for the superbill)."""

    appointment = pw.ForeignKeyField(Appointment, on_delete="RESTRICT")
    cpt = pw.CharField(max_length=5)
    modifier = pw.CharField(max_length=2, default="")
    minutes = pw.IntegerField(constraints=[pw.Check('"minutes" >= 0')])
    position = pw.IntegerField(default=0)


class ReceiptCounter(BaseModel):
    """One row: the last receipt number issued."""

    last_number = pw.IntegerField()


class Receipt(BaseModel):
    """An issued receipt: its content is frozen as JSON; triggers refuse changes."""

    number = pw.IntegerField(unique=True)
    client = pw.ForeignKeyField(Client, on_delete="RESTRICT")
    kind = pw.CharField(
        max_length=10, constraints=[pw.Check("\"kind\" IN ('payment', 'statement')")]
    )
    payment = pw.ForeignKeyField(Payment, null=True, on_delete="RESTRICT")
    period_from = pw.DateField(null=True)
    period_to = pw.DateField(null=True)
    replaces = pw.ForeignKeyField("self", null=True, on_delete="RESTRICT")
    issued_at = pw.DateTimeField()
    content = pw.TextField()


class Audit(BaseModel):
    """One line of the append-only audit trail (migration 0007, see ``domain/audit.py``).

    No foreign keys: the trail outlives what it talks about. The database
    refuses UPDATE and DELETE of its rows."""

    at = pw.DateTimeField()
    kind = pw.CharField(max_length=20)
    record_id = pw.IntegerField(null=True)
    client_id = pw.IntegerField(null=True, index=True)
    action = pw.CharField(max_length=20)
    fields = pw.TextField(default="")
    digest = pw.TextField(default="")
    prev_hash = pw.CharField(max_length=64)
    hash = pw.CharField(max_length=64)

    class Meta:
        indexes = ((("kind", "record_id"), False),)


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
    Goal,
    GoalScore,
    ProgressReport,
    ClientPrice,
    Payment,
    PaymentAllocation,
    Package,
    PackageUse,
    PolicyFee,
    SessionCode,
    ReceiptCounter,
    Receipt,
    Audit,
)
