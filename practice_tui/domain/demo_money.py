"""The demo practice's money: fees, payments by several methods, a few clients
who owe, two packages part-used, one late-cancel fee, insurance codes.

Runs inside ``build_demo``'s transaction, writing rows directly (the same
rows the services write), from the demo's own random seed so the demo is the
same every time.
"""

from __future__ import annotations

import datetime as dt
import random

from peewee import chunked, fn

from practice_tui.domain.models import (
    Appointment,
    Client,
    Package,
    PackageUse,
    Payment,
    PaymentAllocation,
    PolicyFee,
    Practice,
    Service,
    SessionCode,
    Status,
)

SERVICE_CODES = {
    "Initial assessment 90": "97124, 97140-59",
    "Medical massage 60": "97124, 97140-59",
    "Medical massage 90": "97124, 97140-59",
    "Deep tissue 60": "97140",
    "Sports massage 60": "97124, 97112",
    "Lymphatic drainage 60": "97140",
    "Follow-up 30": "97124",
}

DIAGNOSES = (
    ("M54.50 Low back pain, unspecified\nM62.830 Muscle spasm of back", "1184729305"),
    ("M54.2 Cervicalgia\nG44.209 Tension-type headache", "1396842017"),
    ("S76.311A Strain of hamstring, right thigh\nM79.651 Pain in right thigh", "1902837465"),
    ("M79.7 Fibromyalgia\nG47.00 Insomnia, unspecified", "1558204937"),
)

#: Payment methods and how often each is used.
METHOD_WEIGHTS = (("card", 45), ("e-transfer", 25), ("cash", 15), ("insurance", 10), ("cheque", 5))


def _method(rng: random.Random) -> str:
    methods, weights = zip(*METHOD_WEIGHTS, strict=True)
    return rng.choices(methods, weights)[0]


def add_demo_money(today: dt.date, now: dt.datetime, seed: int) -> dict[str, int]:
    rng = random.Random(seed + 10)
    Practice.update(
        therapist_name="Sam Rivera",
        credentials="RMT",
        registration="RMT-04821",
        npi="1467503920",
        address="14 Riverside Walk\nSpringfield",
        phone="555-0100",
        email="hello@riverside-massage.example",
        policy_fee_kind="percent",
        policy_fee_value=50,
    ).execute()
    for service in Service.select():
        service.cpt_codes = SERVICE_CODES.get(service.name, "")
        service.save()
    # Fees: the service price at booking; two clients on a 10% sliding scale.
    Appointment.update(
        fee_cents=Service.select(Service.price_cents).where(Service.id == Appointment.service)
    ).execute()
    regulars = list(
        Client.select()
        .where(
            Client.id.in_(
                Appointment.select(Appointment.client).where(
                    Appointment.status == Status.COMPLETED.value
                )
            )
        )
        .order_by(Client.id)
    )
    for client in regulars[3:5]:
        client.discount_percent = 10
        client.save()
        for row in Appointment.select().where(Appointment.client == client.id):
            row.fee_cents = row.fee_cents - (row.fee_cents * 10 + 50) // 100
            row.save()
    # Insurance: four clients with diagnoses and a referring provider's NPI.
    insured = regulars[:4]
    for client, (codes, npi) in zip(insured, DIAGNOSES, strict=True):
        client.diagnosis_codes = codes
        client.referring_npi = npi
        if not client.referring_provider:
            client.referring_provider = "Dr. A. Patel (physiotherapy)"
        client.save()
    completed = list(
        Appointment.select(Appointment, Service)
        .join(Service)
        .where((Appointment.status == Status.COMPLETED.value) & (Appointment.start <= now))
        .order_by(Appointment.start)
    )
    for row in completed:
        if row.client_id == insured[0].id and row.service.name.startswith("Medical massage"):
            SessionCode.create(
                appointment=row.id, cpt="97140", modifier="59", minutes=33, position=0
            )
            SessionCode.create(appointment=row.id, cpt="97124", modifier="", minutes=22, position=1)
    paid = _Payments()
    # Two packages, part-used.
    packages = 0
    drawn: set[int] = set()
    for client in regulars[5:]:
        if packages == 2:
            break
        mine = [r for r in completed if r.client_id == client.id]
        if len(mine) < 3:
            continue
        service = mine[-1].service
        sold = mine[-3].start.date() - dt.timedelta(days=1)
        package = Package.create(
            client=client.id,
            service=service.id,
            sessions=5,
            price_cents=service.price_cents * 5 - service.price_cents * 5 // 10,
            sold_on=sold,
            expires_on=sold + dt.timedelta(days=365),
            created_at=dt.datetime.combine(sold, dt.time(17)),
        )
        uses = [r for r in mine if r.start.date() >= sold and r.service_id == service.id][:3]
        for row in uses:
            PackageUse.create(package=package.id, appointment=row.id)
            drawn.add(row.id)
        paid.pay(client.id, package.price_cents, "card", sold, (), rng)
        packages += 1
    # Payments: most sessions paid on the day; three clients owe for their
    # latest visits; two of today's completed sessions are still to be paid.
    owing = {c.id for c in regulars[6:9]}
    today_done = [r for r in completed if r.start.date() == today]
    unpaid_today = {r.id for r in today_done[-2:]}
    payments = 0
    for row in completed:
        if row.id in drawn or row.id in unpaid_today or row.fee_cents <= 0:
            continue
        recent = (today - row.start.date()).days <= 21
        if row.client_id in owing and recent:
            continue
        method = _method(rng)
        received = row.start.date() + (
            dt.timedelta(days=rng.randint(5, 12)) if method == "insurance" else dt.timedelta()
        )
        if received > today:
            continue
        paid.pay(row.client_id, row.fee_cents, method, received, (row.id,), rng)
        payments += 1
    # One late-cancel fee, charged and not yet paid.
    late = (
        Appointment.select()
        .where(
            (Appointment.status == Status.CANCELLED.value)
            & Appointment.late_cancel
            & (Appointment.start <= now)
        )
        .order_by(Appointment.start.desc())
        .first()
    )
    if late is not None:
        PolicyFee.create(
            appointment=late.id,
            kind="late_cancel",
            amount_cents=(late.fee_cents * 50 + 50) // 100,
            charged_at=late.cancelled_at or late.start,
        )
    # A mistaken payment, voided, and a refund, so the ledger shows both.
    someone = regulars[2].id
    mistaken = paid.pay(someone, 9000, "card", today - dt.timedelta(days=9), (), rng)
    paid.write()
    Payment.update(
        voided_at=dt.datetime.combine(today - dt.timedelta(days=9), dt.time(17)),
        void_reason="entered twice",
    ).where(Payment.id == mistaken).execute()
    Payment.create(
        client=someone,
        kind="refund",
        received_on=today - dt.timedelta(days=8),
        amount_cents=1500,
        method="cash",
        reason="charged the 90-minute price for a 60",
        created_at=dt.datetime.combine(today - dt.timedelta(days=8), dt.time(9)),
    )
    return {"payments": payments, "packages": packages}


class _Payments:
    """Payments (and what each pays) drawn in order and written in one go,
    with the record numbers they would have been given one at a time."""

    def __init__(self) -> None:
        self.next_id = (Payment.select(fn.MAX(Payment.id)).scalar() or 0) + 1
        self.rows: list[dict[str, object]] = []
        self.allocations: list[dict[str, object]] = []

    def pay(
        self,
        client_id: int,
        cents: int,
        method: str,
        day: dt.date,
        appointment_ids: tuple[int, ...],
        rng: random.Random,
    ) -> int:
        reference = ""
        if method == "cheque":
            reference = f"cheque {rng.randint(100, 999)}"
        elif method == "insurance":
            reference = f"claim {rng.randint(100000, 999999)}"
        elif method == "card":
            reference = f"auth {rng.randint(1000, 9999)}"
        payment_id = self.next_id + len(self.rows)
        self.rows.append(
            {
                "id": payment_id,
                "client": client_id,
                "kind": "payment",
                "received_on": day,
                "amount_cents": cents,
                "method": method,
                "reference": reference,
                "created_at": dt.datetime.combine(day, dt.time(18)),
            }
        )
        for appointment_id in appointment_ids:
            self.allocations.append(
                {"payment": payment_id, "appointment": appointment_id, "amount_cents": cents}
            )
        return payment_id

    def write(self) -> None:
        for batch in chunked(self.rows, 100):
            Payment.insert_many(batch).execute()
        for batch in chunked(self.allocations, 200):
            PaymentAllocation.insert_many(batch).execute()
