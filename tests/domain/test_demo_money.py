"""The demo practice carries realistic money."""

from __future__ import annotations

from practice_tui.domain.income import money_overview
from practice_tui.domain.models import Appointment, Client, Package, Payment, PolicyFee
from practice_tui.domain.packages import client_packages
from practice_tui.domain.payments import account, owing, unpaid_appointments
from practice_tui.domain.superbill import superbill
from practice_tui.domain.today import day_view
from tests.conftest import FIXED_NOW, FIXED_TODAY


def test_demo_money(demo_path) -> None:
    assert Appointment.select().where(Appointment.fee_cents > 0).count() > 100
    methods = {p.method for p in Payment.select()}
    assert {"card", "cash", "e-transfer", "insurance"} <= methods
    assert len(owing()) >= 3
    packages = list(Package.select())
    assert len(packages) == 2
    for package in packages:
        (info,) = client_packages(package.client_id)
        assert 0 < info.used < info.sessions
    assert PolicyFee.select().count() == 1
    insured = Client.select().where(Client.diagnosis_codes != "")
    assert insured.count() >= 3
    today = day_view(FIXED_TODAY, now=FIXED_NOW).appointments
    assert len(unpaid_appointments([a.id for a in today])) == 2
    first = insured.order_by(Client.id).first()
    bill = superbill(first.id, FIXED_TODAY.replace(month=1, day=1), FIXED_TODAY)
    assert any(line.cpt == "97140" and line.modifier == "59" for line in bill.lines)
    overview = money_overview(FIXED_TODAY)
    assert sum(1 for m in overview.year.by_month if m.cents > 0) >= 3


def test_the_days_unpaid_marks_agree_with_each_clients_account(demo_path) -> None:
    """Today reads every client of a day in one go; each mark is what that
    client's own account says, whatever else the other clients owe."""
    completed = Appointment.select().where(Appointment.status == "completed")
    days = sorted({a.start.date() for a in completed})
    checked = 0
    for day in days[-15:]:
        ids = [a.id for a in day_view(day, now=FIXED_NOW).appointments]
        expected = set()
        for client_id in {a.client_id for a in Appointment.select().where(Appointment.id.in_(ids))}:
            expected |= {
                c.appointment_id
                for c in account(client_id).charges
                if c.kind == "session" and c.appointment_id in ids and c.outstanding_cents > 0
            }
        assert unpaid_appointments(ids) == expected, day
        checked += len(expected)
    assert checked > 2  # some days have unpaid visits to find
