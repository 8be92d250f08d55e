"""Cancellation and no-show fees: the practice's policy (none, a fixed amount,
or a percentage of the session fee), charged only after a confirm, shown on
the balance, waivable with a reason, and waived when the appointment is
reopened. Amounts are integer cents (see ``money``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from practice_tui.domain import audit
from practice_tui.domain.db import reads, writes
from practice_tui.domain.errors import ConflictError, NotFound, ValidationError
from practice_tui.domain.models import (
    Appointment,
    PolicyFee,
    Practice,
    Status,
)
from practice_tui.domain.money import parse_amount, parse_percent, percent_of
from practice_tui.domain.payments import MAX_REASON
from practice_tui.domain.settings import (
    POLICY_LIMITS,
    get_practice,
    read_policy,
    update_policies,
)
from practice_tui.domain.types import PracticeInfo

POLICY_KINDS = ("none", "fixed", "percent")


@dataclass(frozen=True)
class FeePolicy:
    kind: str  # none, fixed, percent
    value: int  # cents for fixed, whole percent for percent


@reads
def fee_policy() -> FeePolicy:
    row = Practice.select().first()
    if row is None:
        return FeePolicy("none", 0)
    return FeePolicy(row.policy_fee_kind, int(row.policy_fee_value))


def _read_fee(kind: str, value: str) -> tuple[str, int]:
    kind = kind.strip().lower()
    if kind not in POLICY_KINDS:
        raise ValidationError("The fee is none, fixed or percent.", field="policy_fee_kind")
    number = 0
    if kind == "fixed":
        number = parse_amount(value, field="policy_fee_value", label="The fee")
    elif kind == "percent":
        number = parse_percent(value, field="policy_fee_value", label="The percentage")
    if kind != "none" and number == 0:
        raise ValidationError(
            "The fee must be more than zero (or choose none).", field="policy_fee_value"
        )
    return kind, number


@writes
def set_fee_policy(kind: str, value: str) -> FeePolicy:
    """The late-cancel/no-show fee: none, a fixed amount ("40"), or a percentage ("50")."""
    kind, number = _read_fee(kind, value)
    Practice.update(policy_fee_kind=kind, policy_fee_value=number).execute()
    return fee_policy()


@reads
def policy_fee_due(appointment_id: int) -> int:
    """The fee the policy asks for this cancelled (late) or missed appointment;
    0 when the policy is none, the cancel was not late, or it is charged already."""
    row = Appointment.get_or_none(Appointment.id == appointment_id)
    if row is None:
        raise NotFound("That appointment no longer exists.")
    late = row.status == Status.CANCELLED.value and row.late_cancel
    if not (late or row.status == Status.NO_SHOW.value):
        return 0
    if (
        PolicyFee.select()
        .where((PolicyFee.appointment == appointment_id) & PolicyFee.waived_at.is_null())
        .exists()
    ):
        return 0
    policy = fee_policy()
    if policy.kind == "fixed":
        return policy.value
    if policy.kind == "percent":
        return percent_of(int(row.fee_cents), policy.value)
    return 0


@writes
def charge_policy_fee(appointment_id: int, *, now: dt.datetime) -> int:
    """Put the policy's fee on the balance (after the therapist confirmed it)."""
    amount = policy_fee_due(appointment_id)
    if amount <= 0:
        raise ConflictError("No cancellation or no-show fee applies to this appointment.")
    row = Appointment.get_by_id(appointment_id)
    kind = "no_show" if row.status == Status.NO_SHOW.value else "late_cancel"
    fee = PolicyFee.create(
        appointment=appointment_id,
        kind=kind,
        amount_cents=amount,
        charged_at=now.replace(microsecond=0),
    )
    audit.record("policy_fee", fee.id, "charge")
    return amount


@writes
def waive_policy_fee(fee_id: int, reason: str, *, now: dt.datetime) -> None:
    row = PolicyFee.get_or_none(PolicyFee.id == fee_id)
    if row is None:
        raise NotFound("That fee no longer exists.")
    if row.waived_at is not None:
        raise ConflictError("This fee is already waived.")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give a reason for waiving the fee.", field="reason")
    row.waived_at = now.replace(microsecond=0)
    row.waive_reason = reason[:MAX_REASON]
    row.save()
    audit.record("policy_fee", fee_id, "waive", fields=("waived_at", "waive_reason"))


def waive_fees_of(appointment_id: int, reason: str, now: dt.datetime) -> None:
    """Inside a transaction: waive every fee still charged on an appointment."""
    charged = (PolicyFee.appointment == appointment_id) & PolicyFee.waived_at.is_null()
    ids = [row.id for row in PolicyFee.select(PolicyFee.id).where(charged)]
    PolicyFee.update(waived_at=now.replace(microsecond=0), waive_reason=reason).where(
        PolicyFee.id.in_(ids)
    ).execute()
    audit.record_many("policy_fee", ids, "waive", fields=("waived_at", "waive_reason"))


def fee_policy_words(policy: FeePolicy, symbol: str = "$") -> str:
    """ "none", "40.00" (fixed) or "50%": how the policy is shown and typed back."""
    from practice_tui.domain.money import plain_amount

    if policy.kind == "fixed":
        return plain_amount(policy.value)
    if policy.kind == "percent":
        return f"{policy.value}%"
    return "none"


def read_fee_text(text: str) -> tuple[str, int]:
    """The policy typed in one box: "none" (or empty), "40" (fixed), "50%" (of the
    fee), as (kind, value); a message for the box when it cannot be read."""
    raw = text.strip().lower()
    try:
        if raw in ("", "none", "0", "no"):
            return _read_fee("none", "")
        if raw.endswith("%"):
            return _read_fee("percent", raw[:-1])
        return _read_fee("fixed", raw)
    except ValidationError as error:
        raise ValidationError(
            f"{error.message} Type none, a fixed amount (40) or a percentage (50%).",
            field="policy_fee",
        ) from None


@writes
def set_fee_policy_text(text: str) -> FeePolicy:
    """Set the policy typed in one box (see ``read_fee_text``)."""
    kind, number = read_fee_text(text)
    Practice.update(policy_fee_kind=kind, policy_fee_value=number).execute()
    return fee_policy()


@writes
def save_policies(
    values: dict[str, str], fee_text: str, *, expected_version: int | None = None
) -> PracticeInfo:
    """The Policies form, all or nothing: the numbers (``POLICY_LIMITS``) and the
    late-cancel/no-show fee, every bad field named; ``expected_version`` refuses
    a save over settings another window saved after the form read them."""
    errors: dict[str, str] = {}
    numbers: dict[str, int] = {}
    for key in POLICY_LIMITS:
        if key in values:
            try:
                numbers[key] = read_policy(key, values[key])
            except ValidationError as error:
                errors[key] = error.message
    try:
        kind, number = read_fee_text(fee_text)
    except ValidationError as error:
        errors["policy_fee"] = error.message
    if errors:
        raise ValidationError.from_errors(errors)
    update_policies(expected_version=expected_version, **numbers)
    Practice.update(policy_fee_kind=kind, policy_fee_value=number).execute()
    return get_practice()
