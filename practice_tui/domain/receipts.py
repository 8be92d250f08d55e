"""Receipts: for one payment, or a statement for a period (year-end, for the insurer).

A receipt is numbered from a one-row counter bumped inside the issuing
transaction (``BEGIN IMMEDIATE``), so numbers run 1, 2, 3 … with no gap even
with two programs issuing at once. What it says is frozen as JSON when it is
issued, and the database refuses any change or deletion (migration 0005): the
text and the PDF read the same frozen content, today or in five years. A
correction is a new receipt that names the one it replaces (void).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from practice_tui.domain import audit
from practice_tui.domain.audit import audited
from practice_tui.domain.db import reads
from practice_tui.domain.errors import ConflictError, NotFound, ValidationError
from practice_tui.domain.models import (
    Appointment,
    Client,
    Payment,
    PaymentAllocation,
    Practice,
    Receipt,
    ReceiptCounter,
    Service,
)
from practice_tui.domain.money import format_amount
from practice_tui.domain.payments import account
from practice_tui.domain.pdf import Document, as_text, table, write_pdf
from practice_tui.domain.types import display_name
from practice_tui.domain.words import day_month_year


@dataclass(frozen=True)
class ReceiptInfo:
    id: int
    number: int
    client_id: int
    kind: str
    issued_at: dt.datetime
    replaces_number: int | None
    #: The number of the receipt that replaced this one (it is void), if any.
    replaced_by: int | None
    content: dict  # type: ignore[type-arg]

    @property
    def label(self) -> str:
        return f"No. {self.number:05d}"


def _practice() -> dict[str, str]:
    row = Practice.select().first()
    return {
        "name": row.name,
        "therapist": " ".join(p for p in (row.therapist_name, row.credentials) if p),
        "registration": row.registration,
        "npi": row.npi,
        "tax_id": row.tax_id,
        "address": ", ".join(x.strip() for x in row.address.splitlines() if x.strip()),
        "phone": row.phone,
        "email": row.email,
        "symbol": row.currency_symbol,
        "code": row.currency_code,
    }


def _client(client_id: int) -> dict[str, str]:
    row = Client.get_or_none(Client.id == client_id)
    if row is None:
        raise NotFound("That client no longer exists.")
    return {
        "name": display_name(row.first_name, row.last_name),
        "address": ", ".join(x.strip() for x in row.address.splitlines() if x.strip()),
        "date_of_birth": row.date_of_birth.isoformat() if row.date_of_birth else "",
    }


def _next_number() -> int:
    """Inside the issuing transaction: the next number, never reused."""
    ReceiptCounter.update(last_number=ReceiptCounter.last_number + 1).where(
        ReceiptCounter.id == 1
    ).execute()
    return int(ReceiptCounter.get_by_id(1).last_number)


def _check_replaces(replaces: int | None, client_id: int) -> Receipt | None:
    if replaces is None:
        return None
    old = Receipt.get_or_none(Receipt.id == replaces)
    if old is None or old.client_id != client_id:
        raise NotFound("The receipt to replace is not this client's.")
    if Receipt.select().where(Receipt.replaces == old.id).exists():
        raise ConflictError(f"Receipt no. {old.number:05d} has already been replaced.")
    return old


def _issue(
    client_id: int,
    kind: str,
    content: dict,
    now: dt.datetime,  # type: ignore[type-arg]
    *,
    payment_id: int | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    replaces: Receipt | None = None,
) -> ReceiptInfo:
    number = _next_number()
    content["number"] = number
    content["issued"] = now.date().isoformat()
    if replaces is not None:
        content["replaces"] = replaces.number
    row = Receipt.create(
        number=number,
        client=client_id,
        kind=kind,
        payment=payment_id,
        period_from=period[0] if period else None,
        period_to=period[1] if period else None,
        replaces=replaces.id if replaces else None,
        issued_at=now.replace(microsecond=0),
        content=json.dumps(content, ensure_ascii=False),
    )
    return _info(row)


@audited("receipt", "issue")
def issue_payment_receipt(
    payment_id: int, *, now: dt.datetime, replaces: int | None = None
) -> ReceiptInfo:
    """A receipt for one payment: what it paid for, how, and the balance after."""
    payment = Payment.get_or_none(Payment.id == payment_id)
    if payment is None:
        raise NotFound("That payment no longer exists.")
    if payment.voided_at is not None:
        raise ConflictError("This payment is voided; a voided payment gets no receipt.")
    old = _check_replaces(replaces, payment.client_id)
    lines = []
    for link in (
        PaymentAllocation.select(PaymentAllocation, Appointment, Service.name)
        .join(Appointment, on=(PaymentAllocation.appointment == Appointment.id))
        .join(Service, on=(Appointment.service == Service.id))
        .where(PaymentAllocation.payment == payment_id)
        .order_by(Appointment.start)
    ):
        appointment = link.appointment
        lines.append(
            {
                "date": appointment.start.date().isoformat(),
                "service": appointment.service.name,
                "fee": int(appointment.fee_cents),
                "paid": int(link.amount_cents),
            }
        )
    content = {
        "practice": _practice(),
        "client": _client(payment.client_id),
        "kind": payment.kind,
        "payment": {
            "date": payment.received_on.isoformat(),
            "amount": int(payment.amount_cents),
            "method": payment.method,
            "reference": payment.reference,
            "reason": payment.reason,
        },
        "lines": lines,
        "balance": account(payment.client_id).balance_cents,
    }
    return _issue(payment.client_id, "payment", content, now, payment_id=payment_id, replaces=old)


@audited("receipt", "issue")
def issue_statement(
    client_id: int,
    first_day: dt.date,
    last_day: dt.date,
    *,
    now: dt.datetime,
    replaces: int | None = None,
) -> ReceiptInfo:
    """A statement for a period: every charge and payment in it, and the balance at its end."""
    if last_day < first_day:
        raise ValidationError("The period ends before it starts.", field="to")
    old = _check_replaces(replaces, client_id)
    info = account(client_id)
    in_period = [c for c in info.charges if first_day <= c.on <= last_day]
    paid = [p for p in info.payments if first_day <= p.received_on <= last_day and not p.voided]
    charged_to_end = sum(c.amount_cents for c in info.charges if c.on <= last_day)
    paid_to_end = sum(p.signed_cents for p in info.payments if p.received_on <= last_day)
    content = {
        "practice": _practice(),
        "client": _client(client_id),
        "from": first_day.isoformat(),
        "to": last_day.isoformat(),
        "charges": [
            {"date": c.on.isoformat(), "service": c.description, "fee": c.amount_cents}
            for c in in_period
        ],
        "payments": [
            {
                "date": p.received_on.isoformat(),
                "amount": p.signed_cents,
                "method": p.method + (" (refund)" if p.kind == "refund" else ""),
                "reference": p.reference,
            }
            for p in paid
        ],
        "balance": charged_to_end - paid_to_end,
    }
    return _issue(client_id, "statement", content, now, period=(first_day, last_day), replaces=old)


def _info(row: Receipt) -> ReceiptInfo:
    replaced = Receipt.get_or_none(Receipt.replaces == row.id)
    old = Receipt.get_or_none(Receipt.id == row.replaces_id) if row.replaces_id else None
    return ReceiptInfo(
        row.id,
        int(row.number),
        row.client_id,
        row.kind,
        row.issued_at,
        int(old.number) if old else None,
        int(replaced.number) if replaced else None,
        json.loads(row.content),
    )


@reads
def get_receipt(receipt_id: int) -> ReceiptInfo:
    row = Receipt.get_or_none(Receipt.id == receipt_id)
    if row is None:
        raise NotFound("That receipt does not exist.")
    return _info(row)


@reads
def client_receipts(client_id: int) -> tuple[ReceiptInfo, ...]:
    rows = Receipt.select().where(Receipt.client == client_id).order_by(Receipt.number.desc())
    return tuple(_info(r) for r in rows)


@reads
def receipt_for_payment(payment_id: int) -> ReceiptInfo | None:
    """The newest receipt issued for a payment, if any."""
    row = (
        Receipt.select()
        .where(Receipt.payment == payment_id)
        .order_by(Receipt.number.desc())
        .first()
    )
    return _info(row) if row else None


# --- the document ------------------------------------------------------------------------


def _day(iso: str) -> str:
    return day_month_year(dt.date.fromisoformat(iso))


def document(receipt: ReceiptInfo) -> Document:
    c = receipt.content
    practice, client = c["practice"], c["client"]

    def money(cents: int) -> str:
        return format_amount(cents, practice["symbol"])

    header = [practice["name"]]
    if practice["therapist"]:
        header.append(practice["therapist"])
    if practice["registration"]:
        header.append(f"Registration no. {practice['registration']}")
    for label, key in (("NPI", "npi"), ("Tax no.", "tax_id")):
        if practice[key]:
            header.append(f"{label} {practice[key]}")
    contact = " · ".join(
        x for x in (practice["address"], practice["phone"], practice["email"]) if x
    )
    if contact:
        header.append(contact)
    header += [
        "",
        f"Receipt {receipt.label} · issued {_day(c['issued'])}",
        f"Client: {client['name']}",
    ]
    if client["address"]:
        header.append(f"Address: {client['address']}")
    footer = []
    if receipt.replaces_number is not None:
        footer.append(
            f"This receipt replaces receipt no. {receipt.replaces_number:05d}, which is void."
        )
    balance = int(c["balance"])
    footer.append(
        f"Balance owing: {money(balance)}"
        if balance >= 0
        else f"Credit on account: {money(-balance)}"
    )
    footer.append(f"Amounts in {practice['code']}.")
    if receipt.kind == "payment":
        pay = c["payment"]
        refund = c["kind"] == "refund"
        title = "Refund receipt" if refund else "Receipt"
        blocks: list = []
        if c["lines"]:
            blocks.append(
                (
                    "Services",
                    table(
                        ("Date", "Service", "Fee", "Paid"),
                        [
                            (_day(x["date"]), x["service"], money(x["fee"]), money(x["paid"]))
                            for x in c["lines"]
                        ],
                        (3, 7, 3, 3),
                        right=(2, 3),
                    ),
                )
            )
        words = [
            f"{'Refunded' if refund else 'Amount paid'}: {money(pay['amount'])}",
            f"Date: {_day(pay['date'])}",
            f"Method: {pay['method']}",
        ]
        if pay["reference"]:
            words.append(f"Reference: {pay['reference']}")
        if pay["reason"]:
            words.append(f"Reason: {pay['reason']}")
        if not c["lines"] and not refund:
            words.append("Paid on account (credit or earlier balance).")
        blocks.append(("Payment", tuple(words)))
        return Document(title, tuple(header), tuple(blocks), tuple(footer))
    title = "Statement"
    header.insert(
        header.index(f"Client: {client['name']}"), f"Period: {_day(c['from'])} to {_day(c['to'])}"
    )
    charges = table(
        ("Date", "Service", "Fee"),
        [(_day(x["date"]), x["service"], money(x["fee"])) for x in c["charges"]]
        + [("", "Total charged", money(sum(x["fee"] for x in c["charges"])))],
        (3, 9, 3),
        right=(2,),
    )
    payments = table(
        ("Date", "Method", "Reference", "Amount"),
        [(_day(x["date"]), x["method"], x["reference"], money(x["amount"])) for x in c["payments"]]
        + [("", "Total paid", "", money(sum(x["amount"] for x in c["payments"])))],
        (3, 5, 4, 3),
        right=(3,),
    )
    return Document(
        title, tuple(header), (("Services", charges), ("Payments", payments)), tuple(footer)
    )


def receipt_text(receipt: ReceiptInfo) -> str:
    return as_text(document(receipt))


def receipt_pdf(receipt: ReceiptInfo, path: Path) -> Path:
    written = write_pdf(document(receipt), path)
    audit.export_noted(f"receipt {receipt.number}", client_id=receipt.client_id)
    return written


def receipt_filename(receipt: ReceiptInfo) -> str:
    return f"receipt-{receipt.number:05d}.pdf"
