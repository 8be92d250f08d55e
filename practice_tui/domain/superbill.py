"""The insurance superbill: a client's sessions in a date range, one line per
code per session, with units by the CMS 8-minute rule (``billing``).

Each line: date, place of service, CPT, modifier, minutes, units, diagnosis
pointers (A–D, the client's first four ICD-10 codes), fee and paid. A
session's fee and what was paid on it are shared over its codes in proportion
to their units (whole cents; the first line takes the remainder).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from practice_tui.domain import audit
from practice_tui.domain.billing import Diagnosis, client_insurance, session_codes
from practice_tui.domain.db import reads
from practice_tui.domain.errors import ValidationError
from practice_tui.domain.models import Appointment, Client, Practice, Service, Status
from practice_tui.domain.money import format_amount, plain_amount
from practice_tui.domain.payments import account
from practice_tui.domain.pdf import Document, table, write_pdf
from practice_tui.domain.types import display_name

CSV_HEADER = ("date", "client", "cpt", "modifier", "minutes", "units", "fee")
POINTERS = "ABCD"


@dataclass(frozen=True)
class SuperbillLine:
    date: dt.date
    place: str
    cpt: str
    modifier: str
    minutes: int
    units: int
    pointers: str
    fee_cents: int
    paid_cents: int


@dataclass(frozen=True)
class Superbill:
    client_id: int
    client_name: str
    date_of_birth: dt.date | None
    first_day: dt.date
    last_day: dt.date
    diagnoses: tuple[Diagnosis, ...]
    referring_provider: str
    referring_npi: str
    practice: dict[str, str]
    lines: tuple[SuperbillLine, ...]

    @property
    def fee_cents(self) -> int:
        return sum(line.fee_cents for line in self.lines)

    @property
    def paid_cents(self) -> int:
        return sum(line.paid_cents for line in self.lines)


def share(cents: int, weights: list[int]) -> list[int]:
    """Split ``cents`` by ``weights`` in whole cents; the first takes the remainder."""
    total = sum(weights)
    if not weights:
        return []
    if total == 0:
        return [cents] + [0] * (len(weights) - 1)
    parts = [cents * w // total for w in weights]
    parts[0] += cents - sum(parts)
    return parts


@reads
def superbill(client_id: int, first_day: dt.date, last_day: dt.date) -> Superbill:
    if last_day < first_day:
        raise ValidationError("The period ends before it starts.", field="to")
    client = Client.get_by_id(client_id)
    insurance = client_insurance(client_id)
    practice = Practice.select().first()
    outstanding = {
        c.appointment_id: c.outstanding_cents
        for c in account(client_id).charges
        if c.kind == "session"
    }
    pointers = POINTERS[: min(len(insurance.diagnoses), 4)]
    lines: list[SuperbillLine] = []
    for row in (
        Appointment.select(Appointment, Service.name)
        .join(Service, on=(Appointment.service == Service.id))
        .where(
            (Appointment.client == client_id)
            & (Appointment.status == Status.COMPLETED.value)
            & (Appointment.start >= dt.datetime.combine(first_day, dt.time()))
            & (Appointment.start < dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time()))
        )
        .order_by(Appointment.start)
    ):
        codes = session_codes(row.id)
        if not codes:
            continue
        fee = int(row.fee_cents) if row.id in outstanding else 0
        paid = fee - outstanding.get(row.id, 0)
        weights = [c.units for c in codes]
        for code, fee_part, paid_part in zip(
            codes, share(fee, weights), share(paid, weights), strict=True
        ):
            lines.append(
                SuperbillLine(
                    row.start.date(),
                    practice.place_of_service,
                    code.cpt,
                    code.modifier,
                    code.minutes,
                    code.units,
                    pointers,
                    fee_part,
                    paid_part,
                )
            )
    return Superbill(
        client_id,
        display_name(client.first_name, client.last_name),
        client.date_of_birth,
        first_day,
        last_day,
        insurance.diagnoses,
        insurance.referring_provider,
        insurance.referring_npi,
        {
            "name": practice.name,
            "therapist": " ".join(p for p in (practice.therapist_name, practice.credentials) if p),
            "registration": practice.registration,
            "npi": practice.npi,
            "tax_id": practice.tax_id,
            "address": ", ".join(x.strip() for x in practice.address.splitlines() if x.strip()),
            "phone": practice.phone,
            "symbol": practice.currency_symbol,
        },
        tuple(lines),
    )


def superbill_csv(bill: Superbill) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for line in bill.lines:
        writer.writerow(
            (
                line.date.isoformat(),
                bill.client_name,
                line.cpt,
                line.modifier,
                line.minutes,
                line.units,
                plain_amount(line.fee_cents),
            )
        )
    return out.getvalue()


def superbill_document(bill: Superbill) -> Document:
    p = bill.practice

    def money(cents: int) -> str:
        return format_amount(cents, p["symbol"])

    header = [p["name"]]
    if p["therapist"]:
        header.append(p["therapist"])
    for label, key in (("Registration no.", "registration"), ("NPI", "npi"), ("Tax no.", "tax_id")):
        if p[key]:
            header.append(f"{label} {p[key]}")
    if p["address"] or p["phone"]:
        header.append(" · ".join(x for x in (p["address"], p["phone"]) if x))
    header += [
        "",
        f"Patient: {bill.client_name}"
        + (f" · born {bill.date_of_birth.isoformat()}" if bill.date_of_birth else ""),
        f"Period: {bill.first_day.isoformat()} to {bill.last_day.isoformat()}",
    ]
    if bill.referring_provider or bill.referring_npi:
        header.append(
            f"Referring provider: {bill.referring_provider or '—'}"
            + (f" · NPI {bill.referring_npi}" if bill.referring_npi else "")
        )
    diagnoses = tuple(
        f"{POINTERS[i] if i < 4 else ' '}  {d.code}  {d.description}"
        for i, d in enumerate(bill.diagnoses)
    ) or ("No diagnosis codes on file.",)
    lines = table(
        ("Date", "POS", "CPT", "Mod", "Min", "Units", "Dx", "Fee", "Paid"),
        [
            (
                x.date.isoformat(),
                x.place,
                x.cpt,
                x.modifier,
                str(x.minutes),
                str(x.units),
                x.pointers,
                money(x.fee_cents),
                money(x.paid_cents),
            )
            for x in bill.lines
        ]
        + [
            (
                "Total",
                "",
                "",
                "",
                "",
                str(sum(x.units for x in bill.lines)),
                "",
                money(bill.fee_cents),
                money(bill.paid_cents),
            )
        ],
        (5, 2, 3, 2, 2, 2, 2, 4, 4),
        right=(4, 5, 7, 8),
    )
    footer = (
        "Units for timed codes follow the CMS 8-minute rule.",
        f"Balance on these services: {money(bill.fee_cents - bill.paid_cents)}",
    )
    return Document(
        "Superbill", tuple(header), (("Diagnoses", diagnoses), ("Services", lines)), footer
    )


def superbill_pdf(bill: Superbill, path: Path) -> Path:
    written = write_pdf(superbill_document(bill), path)
    audit.export_noted("superbill", client_id=bill.client_id)
    return written
