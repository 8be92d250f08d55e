"""Packages: N prepaid sessions of one service ("5 × Medical massage 60 for 400.00").

Selling a package charges its price to the client's account (pay it like any
charge). When an appointment of that service completes, one session is drawn
from the client's oldest usable package (sold first; not expired on the
appointment's date; sessions left) instead of charging the fee. Reopening the
appointment gives the session back. ``on_status_change`` is the one call the
schedule makes at every status change; it also waives any cancellation or
no-show fee when an appointment is reopened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from practice_tui.domain.audit import audited
from practice_tui.domain.db import reads
from practice_tui.domain.errors import NotFound, ValidationError
from practice_tui.domain.models import Appointment, Client, Package, PackageUse, Service, Status
from practice_tui.domain.money import parse_amount

MAX_SESSIONS = 100


@dataclass(frozen=True)
class PackageInfo:
    id: int
    client_id: int
    service_id: int
    service_name: str
    sessions: int
    used: int
    price_cents: int
    sold_on: dt.date
    expires_on: dt.date | None

    @property
    def left(self) -> int:
        return self.sessions - self.used

    def usable_on(self, day: dt.date) -> bool:
        return self.left > 0 and (self.expires_on is None or day <= self.expires_on)

    @property
    def words(self) -> str:
        """ "Medical massage 60 · 3 of 5 left · until 30 Jun 2027"."""
        text = f"{self.service_name} · {self.left} of {self.sessions} left"
        if self.expires_on is not None:
            text += f" · until {self.expires_on.day} {self.expires_on:%b %Y}"
        return text


def _query() -> pw.ModelSelect:
    used = PackageUse.select(pw.fn.COUNT(PackageUse.id)).where(PackageUse.package == Package.id)
    return (
        Package.select(Package, Service.id, Service.name, used.alias("used"))
        .join(Service, on=(Package.service == Service.id))
        .order_by(Package.sold_on, Package.id)
    )


def _info(row: Package) -> PackageInfo:
    return PackageInfo(
        row.id,
        row.client_id,
        row.service_id,
        row.service.name,
        int(row.sessions),
        int(getattr(row, "used", 0) or 0),
        int(row.price_cents),
        row.sold_on,
        row.expires_on,
    )


@reads
def client_packages(client_id: int) -> tuple[PackageInfo, ...]:
    """A client's packages, oldest first (used-up and expired ones too)."""
    return tuple(_info(r) for r in _query().where(Package.client == client_id))


@reads
def sessions_left(client_id: int, service_id: int, on: dt.date) -> int:
    return sum(
        p.left for p in client_packages(client_id) if p.service_id == service_id and p.usable_on(on)
    )


@reads
def package_of(appointment_id: int) -> PackageInfo | None:
    """The package an appointment drew its session from, if any."""
    use = PackageUse.get_or_none(PackageUse.appointment == appointment_id)
    if use is None:
        return None
    return _info(_query().where(Package.id == use.package_id).get())


@audited("package", "sell")
def sell_package(
    client_id: int,
    service_id: int,
    sessions: str | int,
    price: str | int,
    *,
    sold_on: dt.date,
    expires: str = "",
) -> PackageInfo:
    """Sell ``sessions`` sessions of a service for ``price``; ``expires`` is an
    optional last day ("2027-06-30", "jun 30"). Checked whole before saving."""
    errors: dict[str, str] = {}
    count = 0
    if isinstance(sessions, int):
        count = sessions
    elif sessions.strip().isdigit() and len(sessions.strip()) <= 3:
        count = int(sessions.strip())
    if not 1 <= count <= MAX_SESSIONS:
        errors["sessions"] = f"The number of sessions is 1 to {MAX_SESSIONS}."
    cents = 0
    try:
        cents = (
            price
            if isinstance(price, int)
            else parse_amount(price, field="price", label="The price")
        )
    except ValidationError as error:
        errors["price"] = error.message
    expires_on = None
    if expires.strip():
        from practice_tui.domain.dates import parse_date
        from practice_tui.domain.errors import PracticeError

        try:
            expires_on = parse_date(expires, sold_on)
            if expires_on < sold_on:
                errors["expires"] = "The package cannot expire before it is sold."
        except PracticeError as error:
            errors["expires"] = str(error)
    client = Client.get_or_none(Client.id == client_id)
    if client is None:
        raise NotFound("That client no longer exists.")
    if Service.get_or_none(Service.id == service_id) is None:
        errors["service"] = "That service no longer exists."
    if errors:
        raise ValidationError.from_errors(errors)
    row = Package.create(
        client=client_id,
        service=service_id,
        sessions=count,
        price_cents=cents,
        sold_on=sold_on,
        expires_on=expires_on,
    )
    return _info(_query().where(Package.id == row.id).get())


def _draw(row: Appointment) -> None:
    if PackageUse.select().where(PackageUse.appointment == row.id).exists():
        return
    day = row.start.date()
    for package in _query().where(
        (Package.client == row.client_id) & (Package.service == row.service_id)
    ):
        if _info(package).usable_on(day):
            PackageUse.create(package=package.id, appointment=row.id)
            return


def on_status_change(appointment_id: int, status: str, now: dt.datetime) -> None:
    """Inside the status change's transaction: a completed appointment draws a
    package session; one set back to booked gives it back and has its
    cancellation/no-show fee waived."""
    from practice_tui.domain.policy_fees import waive_fees_of

    row = Appointment.get_by_id(appointment_id)
    if status == Status.COMPLETED.value:
        _draw(row)
    elif status == Status.BOOKED.value:
        PackageUse.delete().where(PackageUse.appointment == appointment_id).execute()
        waive_fees_of(appointment_id, "appointment reopened", now)


@dataclass(frozen=True)
class AppointmentMoney:
    """The money line of an appointment's details."""

    fee_cents: int
    #: Still unpaid on a completed session (None when it is not charged).
    outstanding_cents: int | None
    #: The package it drew from, or the one it will draw from on completion.
    package: PackageInfo | None
    drawn: bool
    policy_fee_cents: int
    symbol: str

    def words(self) -> str:
        from practice_tui.domain.money import format_amount

        parts = [f"Fee {format_amount(self.fee_cents, self.symbol)}"]
        if self.drawn and self.package is not None:
            parts.append(
                f"paid from a package ({self.package.left} of {self.package.sessions} left)"
            )
        elif self.package is not None:
            parts.append(
                f"package: {self.package.left} of {self.package.sessions} left, drawn on completion"
            )
        elif self.outstanding_cents is not None:
            parts.append(
                "paid"
                if self.outstanding_cents == 0
                else f"owes {format_amount(self.outstanding_cents, self.symbol)}"
            )
        if self.policy_fee_cents:
            parts.append(f"fee charged {format_amount(self.policy_fee_cents, self.symbol)}")
        return " · ".join(parts)


@reads
def appointment_money(appointment_id: int) -> AppointmentMoney:
    from practice_tui.domain.models import PolicyFee, Practice
    from practice_tui.domain.payments import account

    row = Appointment.get_or_none(Appointment.id == appointment_id)
    if row is None:
        raise NotFound("That appointment no longer exists.")
    drawn = package_of(appointment_id)
    package = drawn
    if package is None and row.status == Status.BOOKED.value:
        package = next(
            (
                p
                for p in client_packages(row.client_id)
                if p.service_id == row.service_id and p.usable_on(row.start.date())
            ),
            None,
        )
    outstanding = next(
        (
            c.outstanding_cents
            for c in account(row.client_id).charges
            if c.kind == "session" and c.appointment_id == appointment_id
        ),
        None,
    )
    if outstanding is None and row.status == Status.COMPLETED.value and drawn is None:
        outstanding = 0
    fees = sum(
        int(f.amount_cents)
        for f in PolicyFee.select().where(
            (PolicyFee.appointment == appointment_id) & PolicyFee.waived_at.is_null()
        )
    )
    practice = Practice.select().first()
    return AppointmentMoney(
        int(row.fee_cents),
        outstanding,
        package,
        drawn is not None,
        fees,
        practice.currency_symbol if practice else "$",
    )
