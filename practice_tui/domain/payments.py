"""Fees, payments and balances: integer cents, never floats.

A client's **charges** are the fees of completed appointments not covered by a
package, the packages they bought, and late-cancel/no-show fees not waived.
Their **payments** are the payments received minus refunds, voided ones left
out. The balance is charges − payments: above zero the client owes, below
zero it is credit on the account.

Which charge a payment paid: first the appointments it was taken against (up
to each fee), then whatever is left of all payments pays the oldest charges
first. So "who owes what, oldest first" and the unpaid mark on Today read the
same ledger.

A payment is never deleted: a mistake is voided with a reason (the database
refuses anything else, migration 0005), and shows as voided.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from practice_tui.domain.audit import audited
from practice_tui.domain.db import reads
from practice_tui.domain.errors import ConflictError, NotFound, ValidationError
from practice_tui.domain.models import (
    Appointment,
    Client,
    Package,
    PackageUse,
    Payment,
    PaymentAllocation,
    PolicyFee,
    Service,
    Status,
)
from practice_tui.domain.money import parse_amount
from practice_tui.domain.pricing import (  # noqa: F401 — the public names stay here too
    ClientPricing,
    client_pricing,
    fee_for,
    set_client_price,
    set_discount,
    set_fee,
)
from practice_tui.domain.types import display_name
from practice_tui.domain.words import moment_long

METHODS = ("cash", "card", "e-transfer", "cheque", "insurance", "gift certificate")
MAX_REFERENCE = 100
MAX_REASON = 500


# --- the ledger ---------------------------------------------------------------------


@dataclass(frozen=True)
class Charge:
    """Something the client owes for; ``outstanding_cents`` is what is still unpaid."""

    kind: str  # "session", "late_cancel", "no_show", "package"
    on: dt.date
    description: str
    amount_cents: int
    outstanding_cents: int
    appointment_id: int | None = None
    fee_id: int | None = None


@dataclass(frozen=True)
class PaymentInfo:
    id: int
    client_id: int
    kind: str  # "payment" or "refund"
    received_on: dt.date
    amount_cents: int
    method: str
    reference: str
    reason: str
    voided: bool
    void_reason: str
    appointment_ids: tuple[int, ...]

    @property
    def signed_cents(self) -> int:
        """What it does to the money received: + for a payment, − for a refund, 0 voided."""
        if self.voided:
            return 0
        return self.amount_cents if self.kind == "payment" else -self.amount_cents


@dataclass(frozen=True)
class Account:
    client_id: int
    client_name: str
    charges: tuple[Charge, ...]
    payments: tuple[PaymentInfo, ...]
    charged_cents: int
    paid_cents: int

    @property
    def balance_cents(self) -> int:
        """Owed by the client (> 0) or credit on the account (< 0)."""
        return self.charged_cents - self.paid_cents

    @property
    def owed_cents(self) -> int:
        return max(self.balance_cents, 0)

    @property
    def credit_cents(self) -> int:
        return max(-self.balance_cents, 0)


_KIND_WORDS = {"late_cancel": "Late-cancel fee", "no_show": "No-show fee"}


def _payments(client_ids: list[int] | None) -> list[PaymentInfo]:
    query = Payment.select().order_by(Payment.received_on, Payment.id)
    if client_ids is not None:
        query = query.where(Payment.client.in_(client_ids))
    rows = list(query)
    links: dict[int, list[int]] = defaultdict(list)
    if rows:
        for link in PaymentAllocation.select().where(
            PaymentAllocation.payment.in_([r.id for r in rows])
        ):
            links[link.payment_id].append(link.appointment_id)
    return [
        PaymentInfo(
            r.id,
            r.client_id,
            r.kind,
            r.received_on,
            int(r.amount_cents),
            r.method,
            r.reference,
            r.reason,
            r.voided_at is not None,
            r.void_reason,
            tuple(links[r.id]),
        )
        for r in rows
    ]


def _raw_charges(client_ids: list[int] | None) -> list[tuple[int, Charge]]:
    """(client id, charge) with outstanding = amount, oldest first."""
    charges: list[tuple[int, Charge]] = []
    drawn = PackageUse.select(PackageUse.appointment)
    sessions = (
        Appointment.select(Appointment, Service.name)
        .join(Service, on=(Appointment.service == Service.id))
        .where(
            (Appointment.status == Status.COMPLETED.value)
            & (Appointment.fee_cents > 0)
            & Appointment.id.not_in(drawn)
        )
    )
    fees = (
        PolicyFee.select(PolicyFee, Appointment, Service.name)
        .join(Appointment, on=(PolicyFee.appointment == Appointment.id))
        .join(Service, on=(Appointment.service == Service.id))
        .where(PolicyFee.waived_at.is_null())
    )
    packages = Package.select(Package, Service.name).join(
        Service, on=(Package.service == Service.id)
    )
    if client_ids is not None:
        sessions = sessions.where(Appointment.client.in_(client_ids))
        fees = fees.where(Appointment.client.in_(client_ids))
        packages = packages.where(Package.client.in_(client_ids))
    for row in sessions:
        fee = int(row.fee_cents)
        charges.append(
            (
                row.client_id,
                Charge("session", row.start.date(), row.service.name, fee, fee, row.id),
            )
        )
    for row in fees:
        appointment = row.appointment
        amount = int(row.amount_cents)
        words = f"{_KIND_WORDS.get(row.kind, 'Fee')} · {appointment.service.name}"
        charges.append(
            (
                appointment.client_id,
                Charge(
                    row.kind,
                    appointment.start.date(),
                    words,
                    amount,
                    amount,
                    appointment.id,
                    row.id,
                ),
            )
        )
    for row in packages:
        amount = int(row.price_cents)
        if amount:
            words = f"Package: {row.sessions} × {row.service.name}"
            charges.append((row.client_id, Charge("package", row.sold_on, words, amount, amount)))
    charges.sort(key=lambda pair: (pair[1].on, pair[1].appointment_id or 0))
    return charges


def _settle(charges: list[Charge], payments: list[PaymentInfo]) -> list[Charge]:
    """Outstanding per charge: payments against appointments first, then the
    rest of the money oldest charge first."""
    left = [c.amount_cents for c in charges]
    pool = sum(p.signed_cents for p in payments)
    session_index = {c.appointment_id: i for i, c in enumerate(charges) if c.kind == "session"}
    allocated = _allocations([p.id for p in payments if not p.voided])
    for appointment_id, amount in allocated:
        index = session_index.get(appointment_id)
        if index is None:
            continue
        used = min(amount, left[index], max(pool, 0))
        left[index] -= used
        pool -= used
    for index in range(len(charges)):
        if pool <= 0:
            break
        used = min(left[index], pool)
        left[index] -= used
        pool -= used
    return [
        Charge(c.kind, c.on, c.description, c.amount_cents, left[i], c.appointment_id, c.fee_id)
        for i, c in enumerate(charges)
    ]


def _allocations(payment_ids: list[int]) -> list[tuple[int, int]]:
    if not payment_ids:
        return []
    rows = (
        PaymentAllocation.select()
        .where(PaymentAllocation.payment.in_(payment_ids))
        .order_by(PaymentAllocation.payment, PaymentAllocation.id)
    )
    return [(r.appointment_id, int(r.amount_cents)) for r in rows]


def _client_name(client_id: int) -> str:
    row = Client.get_or_none(Client.id == client_id)
    if row is None:
        raise NotFound("That client no longer exists.")
    return display_name(row.first_name, row.last_name, row.preferred_name)


@reads
def account(client_id: int) -> Account:
    """The client's charges (with what is still unpaid), payments and balance."""
    name = _client_name(client_id)
    payments = _payments([client_id])
    charges = _settle([c for _, c in _raw_charges([client_id])], payments)
    return Account(
        client_id,
        name,
        tuple(charges),
        tuple(payments),
        sum(c.amount_cents for c in charges),
        sum(p.signed_cents for p in payments),
    )


@reads
def balance(client_id: int) -> int:
    return account(client_id).balance_cents


@dataclass(frozen=True)
class Owing:
    client_id: int
    client_name: str
    owed_cents: int
    oldest: dt.date
    charges: int


def _by_client(
    client_ids: list[int] | None,
) -> tuple[dict[int, list[Charge]], dict[int, list[PaymentInfo]]]:
    """Charges (oldest first) and payments, grouped by client, read in one go
    for these clients (every client when None)."""
    charges: dict[int, list[Charge]] = defaultdict(list)
    for client_id, charge in _raw_charges(client_ids):
        charges[client_id].append(charge)
    payments: dict[int, list[PaymentInfo]] = defaultdict(list)
    for payment in _payments(client_ids if client_ids is not None else list(charges)):
        payments[payment.client_id].append(payment)
    return charges, payments


@reads
def owing() -> tuple[Owing, ...]:
    """Every client who owes money, the oldest unpaid charge first."""
    per_client, payments = _by_client(None)
    found = []
    for client_id, charges in per_client.items():
        settled = [c for c in _settle(charges, payments[client_id]) if c.outstanding_cents > 0]
        if not settled:
            continue
        owed = sum(c.amount_cents for c in charges) - sum(
            p.signed_cents for p in payments[client_id]
        )
        if owed <= 0:
            continue
        found.append(Owing(client_id, _client_name(client_id), owed, settled[0].on, len(settled)))
    found.sort(key=lambda o: (o.oldest, -o.owed_cents, o.client_id))
    return tuple(found)


@reads
def unpaid_appointments(appointment_ids: list[int]) -> frozenset[int]:
    """Of these appointments, the completed ones whose fee is not fully paid.

    Today asks this for every day it shows: the clients' charges and payments
    are read in one go for all of them, then settled client by client."""
    if not appointment_ids:
        return frozenset()
    clients = sorted(
        {
            r.client_id
            for r in Appointment.select(Appointment.client).where(
                Appointment.id.in_(appointment_ids)
            )
        }
    )
    per_client, payments = _by_client(clients)
    wanted = set(appointment_ids)
    unpaid: set[int] = set()
    for client_id, charges in per_client.items():
        if not any(c.kind == "session" and c.appointment_id in wanted for c in charges):
            continue
        for charge in _settle(charges, payments[client_id]):
            if (
                charge.kind == "session"
                and charge.appointment_id in wanted
                and charge.outstanding_cents > 0
            ):
                unpaid.add(charge.appointment_id)
    return frozenset(unpaid)


# --- taking money ---------------------------------------------------------------------


@reads
def last_method() -> str:
    """The method of the last payment taken (cash on a new file)."""
    row = (
        Payment.select(Payment.method)
        .where(Payment.kind == "payment")
        .order_by(Payment.id.desc())
        .first()
    )
    return row.method if row is not None else "cash"


@dataclass(frozen=True)
class PaymentSuggestion:
    """What "take payment" is filled with for one appointment."""

    client_id: int
    client_name: str
    appointment_id: int
    description: str
    fee_cents: int
    #: What is owed on this appointment (its fee while it is still booked).
    amount_cents: int
    balance_cents: int
    method: str
    from_package: bool


@reads
def payment_suggestion(appointment_id: int) -> PaymentSuggestion:
    row = (
        Appointment.select(Appointment, Service.name)
        .join(Service, on=(Appointment.service == Service.id))
        .where(Appointment.id == appointment_id)
        .first()
    )
    if row is None:
        raise NotFound("That appointment no longer exists.")
    info = account(row.client_id)
    from_package = PackageUse.select().where(PackageUse.appointment == row.id).exists()
    owed_here = next(
        (
            c.outstanding_cents
            for c in info.charges
            if c.kind == "session" and c.appointment_id == row.id
        ),
        None,
    )
    if owed_here is None:
        # Not charged yet (booked) or covered: a payment ahead of time is the fee.
        owed_here = 0 if from_package or row.status != Status.BOOKED.value else int(row.fee_cents)
        if row.status == Status.BOOKED.value and not from_package:
            owed_here = max(int(row.fee_cents) - info.credit_cents, 0)
    amount = owed_here or info.owed_cents
    return PaymentSuggestion(
        row.client_id,
        info.client_name,
        row.id,
        f"{moment_long(row.start)} · {row.service.name}",
        int(row.fee_cents),
        amount,
        info.balance_cents,
        last_method(),
        from_package,
    )


def _check_method(method: str) -> str:
    method = method.strip().lower()
    if method not in METHODS:
        raise ValidationError(f"Choose a method: {', '.join(METHODS)}.", field="method")
    return method


def _check_date(received_on: dt.date | str, today: dt.date) -> dt.date:
    if isinstance(received_on, str):
        from practice_tui.domain.dates import parse_date
        from practice_tui.domain.errors import PracticeError

        try:
            received_on = parse_date(received_on, today)
        except PracticeError as error:
            raise ValidationError(str(error), field="date") from None
    if received_on > today:
        raise ValidationError("A payment cannot be dated in the future.", field="date")
    return received_on


def _check_money(
    amount: str | int,
    method: str,
    received_on: dt.date | str,
    today: dt.date,
    errors: dict[str, str],
) -> tuple[int, str, dt.date]:
    """The amount (more than zero), method and date of money taken or given
    back; each bad field's message goes into ``errors`` (keyed by field)."""
    cents = 0
    try:
        cents = amount if isinstance(amount, int) else parse_amount(amount)
        if cents <= 0:
            raise ValidationError("The amount must be more than zero.", field="amount")
    except ValidationError as error:
        errors["amount"] = error.message
    try:
        method = _check_method(method)
    except ValidationError as error:
        errors["method"] = error.message
    day = today
    try:
        day = _check_date(received_on, today)
    except ValidationError as error:
        errors["date"] = error.message
    return cents, method, day


def _clean(text: str, limit: int, label: str, field: str) -> str:
    text = text.strip()
    if len(text) > limit:
        raise ValidationError(f"{label} is at most {limit} characters.", field=field)
    return text


@audited("payment", "payment")
def record_payment(
    client_id: int,
    amount: str | int,
    method: str,
    *,
    received_on: dt.date | str,
    today: dt.date,
    reference: str = "",
    appointment_ids: tuple[int, ...] = (),
) -> PaymentInfo:
    """Take a payment, against these appointments (in order, each up to what it
    still owes) or, with none or beyond them, as credit on the account.
    Every field is checked before anything is kept."""
    errors: dict[str, str] = {}
    cents, method, day = _check_money(amount, method, received_on, today, errors)
    try:
        reference = _clean(reference, MAX_REFERENCE, "The reference", "reference")
    except ValidationError as error:
        errors["reference"] = error.message
    if errors:
        raise ValidationError.from_errors(errors)
    _client_name(client_id)
    appointments = []
    for appointment_id in appointment_ids:
        row = Appointment.get_or_none(Appointment.id == appointment_id)
        if row is None or row.client_id != client_id:
            raise NotFound("That appointment is not this client's.", field="amount")
        appointments.append(row)
    owed = {
        c.appointment_id: c.outstanding_cents
        for c in account(client_id).charges
        if c.kind == "session"
    }
    payment = Payment.create(
        client=client_id,
        kind="payment",
        received_on=day,
        amount_cents=cents,
        method=method,
        reference=reference,
    )
    left = cents
    for row in appointments:
        due = owed.get(row.id)
        if due is None:
            due = int(row.fee_cents) if row.status == Status.BOOKED.value else 0
        share = min(due, left)
        if share > 0:
            PaymentAllocation.create(payment=payment.id, appointment=row.id, amount_cents=share)
            left -= share
    return _payment_info(payment.id)


def _payment_info(payment_id: int) -> PaymentInfo:
    for info in _payments([Payment.get_by_id(payment_id).client_id]):
        if info.id == payment_id:
            return info
    raise NotFound("That payment no longer exists.")


@reads
def get_payment(payment_id: int) -> PaymentInfo:
    if Payment.get_or_none(Payment.id == payment_id) is None:
        raise NotFound("That payment no longer exists.")
    return _payment_info(payment_id)


@audited("payment", "refund")
def record_refund(
    client_id: int,
    amount: str | int,
    method: str,
    reason: str,
    *,
    received_on: dt.date | str,
    today: dt.date,
) -> PaymentInfo:
    """Money given back: a payment the other way, always with a reason."""
    errors: dict[str, str] = {}
    cents, method, day = _check_money(amount, method, received_on, today, errors)
    reason = reason.strip()
    if not reason:
        errors["reason"] = "Give a reason for the refund."
    elif len(reason) > MAX_REASON:
        errors["reason"] = f"The reason is at most {MAX_REASON} characters."
    if errors:
        raise ValidationError.from_errors(errors)
    _client_name(client_id)
    row = Payment.create(
        client=client_id,
        kind="refund",
        received_on=day,
        amount_cents=cents,
        method=method,
        reason=reason,
    )
    return _payment_info(row.id)


@audited("payment", "void", key="payment_id", fields=("voided_at", "void_reason"))
def void_payment(payment_id: int, reason: str, *, now: dt.datetime) -> PaymentInfo:
    """Void a mistaken payment or refund: it stays, marked voided, with the reason."""
    row = Payment.get_or_none(Payment.id == payment_id)
    if row is None:
        raise NotFound("That payment no longer exists.")
    if row.voided_at is not None:
        raise ConflictError("This payment is already voided.")
    reason = reason.strip()
    if not reason:
        raise ValidationError("Give a reason for voiding it.", field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"The reason is at most {MAX_REASON} characters.", field="reason")
    Payment.update(voided_at=now.replace(microsecond=0), void_reason=reason).where(
        Payment.id == payment_id
    ).execute()
    return _payment_info(payment_id)
