"""The money at a glance, for the Money screen and ``practice-tui report income``.

Income is money received: payments less refunds, voided ones left out, by the
date they were received (cash basis, as a sole practitioner's books usually
are). Charges by service are the fees of completed sessions (and packages
sold) in the period, whether paid or not.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from practice_tui.domain.db import reads
from practice_tui.domain.models import Appointment, Package, PackageUse, Payment, Service, Status
from practice_tui.domain.payments import METHODS, Owing, owing


@dataclass(frozen=True)
class MonthTotal:
    month: dt.date  # the first of the month
    cents: int


@dataclass(frozen=True)
class IncomeReport:
    first_day: dt.date
    last_day: dt.date
    received_cents: int
    refunded_cents: int
    by_method: tuple[tuple[str, int], ...]
    #: (service, sessions, fees charged) — packages sold count as their service.
    by_service: tuple[tuple[str, int, int], ...]
    by_month: tuple[MonthTotal, ...]

    @property
    def net_cents(self) -> int:
        return self.received_cents - self.refunded_cents


def _months(first_day: dt.date, last_day: dt.date) -> list[dt.date]:
    months = []
    month = first_day.replace(day=1)
    while month <= last_day:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


@reads
def income_report(first_day: dt.date, last_day: dt.date) -> IncomeReport:
    payments = Payment.select().where(
        (Payment.received_on >= first_day)
        & (Payment.received_on <= last_day)
        & Payment.voided_at.is_null()
    )
    received = refunded = 0
    methods: dict[str, int] = defaultdict(int)
    months: dict[dt.date, int] = defaultdict(int)
    for row in payments:
        signed = int(row.amount_cents) if row.kind == "payment" else -int(row.amount_cents)
        if signed > 0:
            received += signed
        else:
            refunded -= signed
        methods[row.method] += signed
        months[row.received_on.replace(day=1)] += signed
    services: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    start = dt.datetime.combine(first_day, dt.time())
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time())
    drawn = {r.appointment_id for r in PackageUse.select(PackageUse.appointment)}
    for row in (
        Appointment.select(Appointment, Service.name)
        .join(Service, on=(Appointment.service == Service.id))
        .where(
            (Appointment.status == Status.COMPLETED.value)
            & (Appointment.start >= start)
            & (Appointment.start < end)
        )
    ):
        entry = services[row.service.name]
        entry[0] += 1
        if row.id not in drawn:
            entry[1] += int(row.fee_cents)
    for row in (
        Package.select(Package, Service.name)
        .join(Service, on=(Package.service == Service.id))
        .where((Package.sold_on >= first_day) & (Package.sold_on <= last_day))
    ):
        services[f"{row.service.name} (package)"][1] += int(row.price_cents)
    order = {m: i for i, m in enumerate(METHODS)}
    return IncomeReport(
        first_day,
        last_day,
        received,
        refunded,
        tuple(sorted(methods.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))),
        tuple(sorted(((k, v[0], v[1]) for k, v in services.items()), key=lambda t: -t[2])),
        tuple(MonthTotal(m, months.get(m, 0)) for m in _months(first_day, last_day)),
    )


@dataclass(frozen=True)
class MoneyOverview:
    today: dt.date
    takings_cents: int
    takings_by_method: tuple[tuple[str, int], ...]
    owing: tuple[Owing, ...]
    year: IncomeReport


@reads
def money_overview(today: dt.date) -> MoneyOverview:
    """Today's takings, who owes (oldest first), and the last 12 months."""
    day = income_report(today, today)
    first = (today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    return MoneyOverview(today, day.net_cents, day.by_method, owing(), income_report(first, today))
