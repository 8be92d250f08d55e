"""The money part of a client's whole record (see ``record``): in the JSON, so
a client moved to another practice-tui file keeps what they were charged and
paid; in the PDF, so a client asking for their file sees it.

Carried over: each appointment's fee and the minutes per billing code, the
standing discount and fixed prices, the diagnosis codes and the referrer's
NPI, packages (with the sessions drawn from them), cancellation and no-show
fees (waived ones too, with the reason), and every payment and refund —
voided ones kept and marked, with what each paid. Receipts are not: their
numbers belong to the practice that issued them (the other file issues its
own); the payments they were for come across.

Appointments are named by their ``key`` in the record; amounts are integer
cents, as everywhere.
"""

from __future__ import annotations

from typing import Any

from practice_tui.domain.documents.jsonvalues import to_date, to_datetime, to_iso
from practice_tui.domain.documents.pdf import Document
from practice_tui.domain.errors import ValidationError
from practice_tui.domain.models import (
    Appointment,
    Client,
    ClientPrice,
    Package,
    PackageUse,
    Payment,
    PaymentAllocation,
    PolicyFee,
    Service,
    SessionCode,
)
from practice_tui.domain.money import plain_amount
from practice_tui.domain.words import long_date


def money_record(client_id: int) -> dict[str, Any]:
    """The client's money records, JSON-ready (appointments named by their key)."""
    client = Client.get_by_id(client_id)
    appointments = Appointment.select(Appointment.id).where(Appointment.client == client_id)
    ids = [row.id for row in appointments]
    return {
        "discount_percent": client.discount_percent,
        "diagnosis_codes": client.diagnosis_codes,
        "referring_npi": client.referring_npi,
        "fixed_prices": [
            {"service": row.service.name, "price_cents": row.price_cents}
            for row in ClientPrice.select(ClientPrice, Service)
            .join(Service)
            .where(ClientPrice.client == client_id)
            .order_by(Service.name)
        ],
        "fees": [
            {"appointment": row.id, "fee_cents": row.fee_cents}
            for row in Appointment.select(Appointment.id, Appointment.fee_cents)
            .where(Appointment.client == client_id)
            .order_by(Appointment.start, Appointment.id)
        ],
        "session_codes": [
            {
                "appointment": row.appointment_id,
                "cpt": row.cpt,
                "modifier": row.modifier,
                "minutes": row.minutes,
                "position": row.position,
            }
            for row in SessionCode.select()
            .where(SessionCode.appointment.in_(ids))
            .order_by(SessionCode.appointment, SessionCode.position, SessionCode.id)
        ],
        "packages": [
            {
                "service": row.service.name,
                "sessions": row.sessions,
                "price_cents": row.price_cents,
                "sold_on": to_iso(row.sold_on),
                "expires_on": to_iso(row.expires_on),
                "created_at": to_iso(row.created_at),
                "used_by": [
                    use.appointment_id
                    for use in PackageUse.select()
                    .where(PackageUse.package == row.id)
                    .order_by(PackageUse.id)
                ],
            }
            for row in Package.select(Package, Service)
            .join(Service)
            .where(Package.client == client_id)
            .order_by(Package.sold_on, Package.id)
        ],
        "policy_fees": [
            {
                "appointment": row.appointment_id,
                "kind": row.kind,
                "amount_cents": row.amount_cents,
                "charged_at": to_iso(row.charged_at),
                "waived_at": to_iso(row.waived_at),
                "waive_reason": row.waive_reason,
            }
            for row in PolicyFee.select()
            .where(PolicyFee.appointment.in_(ids))
            .order_by(PolicyFee.charged_at, PolicyFee.id)
        ],
        "payments": [
            {
                "kind": row.kind,
                "received_on": to_iso(row.received_on),
                "amount_cents": row.amount_cents,
                "method": row.method,
                "reference": row.reference,
                "reason": row.reason,
                "created_at": to_iso(row.created_at),
                "voided_at": to_iso(row.voided_at),
                "void_reason": row.void_reason,
                "paid": [
                    {"appointment": part.appointment_id, "amount_cents": part.amount_cents}
                    for part in PaymentAllocation.select()
                    .where(PaymentAllocation.payment == row.id)
                    .order_by(PaymentAllocation.id)
                ],
            }
            for row in Payment.select()
            .where(Payment.client == client_id)
            .order_by(Payment.received_on, Payment.id)
        ],
    }


def _cents(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(f"{what} of {value!r} is not an amount in whole cents.")
    return value


def import_money(
    money: dict[str, Any] | None,
    client_id: int,
    appointment_ids: dict[int, int],
    service_id: Any,
) -> None:
    """Re-create ``money_record``'s data for the client just imported
    (``appointment_ids``: record key → new id; ``service_id(name)`` finds or
    adds a service). Called inside the import's transaction."""
    if not money:
        return  # a record of version 1, made before the money records
    appointment = appointment_ids.__getitem__
    Client.update(
        discount_percent=int(money.get("discount_percent") or 0),
        diagnosis_codes=money.get("diagnosis_codes") or "",
        referring_npi=money.get("referring_npi") or "",
    ).where(Client.id == client_id).execute()
    for price in money.get("fixed_prices", []):
        ClientPrice.create(
            client=client_id,
            service=service_id(price["service"]),
            price_cents=_cents(price["price_cents"], "A fixed price"),
        )
    for fee in money.get("fees", []):
        Appointment.update(fee_cents=_cents(fee["fee_cents"], "A fee")).where(
            Appointment.id == appointment(fee["appointment"])
        ).execute()
    for code in money.get("session_codes", []):
        SessionCode.create(
            appointment=appointment(code["appointment"]),
            cpt=code["cpt"],
            modifier=code.get("modifier", ""),
            minutes=code["minutes"],
            position=code.get("position", 0),
        )
    for item in money.get("packages", []):
        package = Package.create(
            client=client_id,
            service=service_id(item["service"]),
            sessions=item["sessions"],
            price_cents=_cents(item["price_cents"], "A package price"),
            sold_on=to_date(item["sold_on"]),
            expires_on=to_date(item.get("expires_on")),
            created_at=to_datetime(item.get("created_at")),
        )
        for key in item.get("used_by", []):
            PackageUse.create(package=package.id, appointment=appointment(key))
    for item in money.get("policy_fees", []):
        PolicyFee.create(
            appointment=appointment(item["appointment"]),
            kind=item["kind"],
            amount_cents=_cents(item["amount_cents"], "A cancellation fee"),
            charged_at=to_datetime(item["charged_at"]),
            waived_at=to_datetime(item.get("waived_at")),
            waive_reason=item.get("waive_reason", ""),
        )
    for item in money.get("payments", []):
        payment = Payment.create(
            client=client_id,
            kind=item["kind"],
            received_on=to_date(item["received_on"]),
            amount_cents=_cents(item["amount_cents"], "A payment"),
            method=item["method"],
            reference=item.get("reference", ""),
            reason=item.get("reason", ""),
            created_at=to_datetime(item.get("created_at")),
            voided_at=to_datetime(item.get("voided_at")),
            void_reason=item.get("void_reason", ""),
        )
        for part in item.get("paid", []):
            PaymentAllocation.create(
                payment=payment.id,
                appointment=appointment(part["appointment"]),
                amount_cents=_cents(part["amount_cents"], "A payment's part"),
            )


def money_pdf(pdf: Document, record: dict[str, Any]) -> None:
    """The record PDF's money section: codes, packages, fees, payments."""
    money = record.get("money") or {}
    pdf.heading("Billing and payments")
    pdf.field("Diagnoses (ICD-10)", money.get("diagnosis_codes", ""))
    if money.get("discount_percent"):
        pdf.field("Standing discount", f"{money['discount_percent']}%")
    for price in money.get("fixed_prices", []):
        pdf.field("Fixed price", f"{price['service']}: {plain_amount(price['price_cents'])}")
    for item in money.get("packages", []):
        used = len(item["used_by"])
        expires = to_date(item.get("expires_on"))
        pdf.field(
            "Package",
            f"{item['sessions']} × {item['service']} for {plain_amount(item['price_cents'])}, "
            f"sold {long_date(to_date(item['sold_on']))}"  # type: ignore[arg-type]
            + (f", expires {long_date(expires)}" if expires else "")
            + f" · {used} used",
        )
    for fee in money.get("policy_fees", []):
        charged = to_datetime(fee["charged_at"])
        waived = f" · waived: {fee['waive_reason']}" if fee.get("waived_at") else ""
        pdf.field(
            fee["kind"].replace("_", "-").capitalize() + " fee",
            f"{plain_amount(fee['amount_cents'])} charged "
            f"{long_date(charged.date()) if charged else ''}{waived}",
        )
    payments = money.get("payments", [])
    if payments:
        rows = []
        for item in payments:
            sign = "-" if item["kind"] == "refund" else ""
            what = item["kind"].capitalize() + (
                f" · {item['reference']}" if item["reference"] else ""
            )
            if item.get("voided_at"):
                what += f" · VOIDED: {item['void_reason']}"
            rows.append(
                (
                    long_date(to_date(item["received_on"])),  # type: ignore[arg-type]
                    what,
                    item["method"],
                    sign + plain_amount(item["amount_cents"]),
                )
            )
        pdf.table(("Date", "Payment", "Method", "Amount"), rows, (36, 78, 34, 26))
    else:
        pdf.para("No payments.")
