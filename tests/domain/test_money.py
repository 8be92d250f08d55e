"""Money rules: fees, payments, balances through voids, refunds, packages,
reopened appointments and cancellation fees; the CMS 8-minute rule; no floats."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice_tui.domain import billing, packages, payments, policy_fees
from practice_tui.domain import money as money_module
from practice_tui.domain.billing import code_units, distribute_units, total_units
from practice_tui.domain.clients import create_client
from practice_tui.domain.db import database
from practice_tui.domain.errors import ConflictError, ValidationError
from practice_tui.domain.models import Payment, Service
from practice_tui.domain.money import parse_amount
from practice_tui.domain.packages import client_packages, package_of, sell_package
from practice_tui.domain.payments import (
    account,
    owing,
    payment_suggestion,
    record_payment,
    record_refund,
    set_client_price,
    set_discount,
    set_fee,
    unpaid_appointments,
    void_payment,
)
from practice_tui.domain.policy_fees import charge_policy_fee, policy_fee_due, set_fee_policy
from practice_tui.domain.schedule import (
    book_appointment,
    cancel_appointment,
    mark_completed,
    mark_no_show,
    reopen_appointment,
)
from practice_tui.domain.settings import list_services, update_service
from tests.conftest import FIXED_NOW, FIXED_TODAY

MON = dt.date(2026, 11, 23)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


@pytest.fixture
def service(db_path) -> int:
    return next(s.id for s in list_services() if s.name == "Medical massage 60")


@pytest.fixture
def ann(db_path) -> int:
    return create_client({"first_name": "Ann", "last_name": "Lee"}, today=FIXED_TODAY).id


def done(client: int, service: int, day: dt.date, hour: int = 10) -> int:
    info = book_appointment(client, service, at(day, hour))
    mark_completed(info.id, now=FIXED_NOW)
    return info.id


def price(service: int) -> int:
    return int(Service.get_by_id(service).price_cents)


# --- amounts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cents"), [("85", 8500), ("85.5", 8550), ("85.50", 8550), ("$1,250", 125000)]
)
def test_amounts_are_read_to_cents(text: str, cents: int) -> None:
    assert parse_amount(text) == cents


@pytest.mark.parametrize("text", ["-5", "8.555", "85,50,1", "abc", "", "1e3x", "nan"])
def test_bad_amounts_get_a_message(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_amount(text, field="amount")
    assert caught.value.field == "amount" and caught.value.message


MONEY_MODULES = (money_module, payments, packages, billing)


def test_no_float_anywhere_in_money_code() -> None:
    from practice_tui.domain import income, receipts

    for module in (*MONEY_MODULES, income, receipts):
        tree = ast.parse(inspect.getsource(module))
        for node in ast.walk(tree):
            assert not (isinstance(node, ast.Constant) and isinstance(node.value, float)), (
                f"float literal in {module.__name__} line {node.lineno}"
            )
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id != "float", f"float() in {module.__name__}"
            assert not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)), (
                f"true division in {module.__name__} line {node.lineno}"
            )


def _ints_only(value: object) -> None:
    """Every amount in a returned value is an int (never a float)."""
    if isinstance(value, float):
        raise AssertionError(f"float in money: {value!r}")
    if isinstance(value, (tuple, list, frozenset, set)):
        for item in value:
            _ints_only(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            _ints_only(getattr(value, name))


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    amounts=st.lists(st.integers(min_value=1, max_value=99_999), min_size=1, max_size=4),
    discount=st.integers(min_value=0, max_value=100),
)
def test_every_amount_returned_is_an_int(tmp_path_factory, amounts, discount) -> None:
    from practice_tui.domain.db import close_database, open_database
    from practice_tui.domain.settings import ensure_practice

    path = tmp_path_factory.mktemp("ints") / "p.db"
    open_database(path)
    try:
        ensure_practice(name="P", timezone="Europe/London")
        client = create_client({"first_name": "Ann"}, today=FIXED_TODAY).id
        service = list_services()[0].id
        set_discount(client, str(discount))
        first = done(client, service, MON, 9)
        for cents in amounts:
            record_payment(
                client, cents, "card", received_on=MON, today=FIXED_TODAY, appointment_ids=(first,)
            )
        info = account(client)
        _ints_only(info)
        _ints_only(owing())
        _ints_only(payment_suggestion(first))
        assert info.balance_cents == info.charged_cents - sum(amounts)
    finally:
        close_database()


# --- fees ---------------------------------------------------------------------------------


def test_fee_comes_from_the_price_and_price_changes_never_touch_it(ann, service) -> None:
    first = book_appointment(ann, service, at(MON, 10))
    old = price(service)
    s = Service.get_by_id(service)
    update_service(service, s.name, s.minutes, old + 2000, s.cpt_codes)
    second = book_appointment(ann, service, at(MON, 14))
    mark_completed(first.id, now=FIXED_NOW)
    mark_completed(second.id, now=FIXED_NOW)
    assert account(ann).charged_cents == old + old + 2000


def test_sliding_scale_and_standing_discounts(ann, service) -> None:
    set_discount(ann, "10")
    first = done(ann, service, MON, 9)
    assert account(ann).charged_cents == price(service) - (price(service) * 10 + 50) // 100
    set_client_price(ann, service, "60")
    assert payments.client_pricing(ann).fixed_prices[0][0] == service
    second = done(ann, service, MON, 14)
    set_fee(first, "40")
    assert {c.appointment_id: c.amount_cents for c in account(ann).charges} == {
        first: 4000,
        second: 6000,
    }
    with pytest.raises(ValidationError):
        set_fee(first, "-5")
    with pytest.raises(ValidationError):
        set_discount(ann, "150")
    assert account(ann).charged_cents == 10000


# --- payments and balances ----------------------------------------------------------------


def test_balance_through_payments_refunds_and_voids(ann, service) -> None:
    fee = price(service)
    first = done(ann, service, MON, 9)
    done(ann, service, MON, 14)
    assert account(ann).balance_cents == 2 * fee
    assert unpaid_appointments([first]) == {first}
    paid = record_payment(
        ann, fee, "card", received_on=MON, today=FIXED_TODAY, appointment_ids=(first,)
    )
    assert unpaid_appointments([first]) == frozenset()
    assert account(ann).balance_cents == fee
    record_payment(ann, "50", "cash", received_on=MON, today=FIXED_TODAY)
    assert account(ann).balance_cents == fee - 5000
    record_refund(ann, "20", "cash", "overcharged", received_on=MON, today=FIXED_TODAY)
    assert account(ann).balance_cents == fee - 3000
    void_payment(paid.id, "card declined", now=FIXED_NOW)
    info = account(ann)
    assert info.balance_cents == 2 * fee - 3000
    assert [p.voided for p in info.payments] == [True, False, False]
    with pytest.raises(ConflictError):
        void_payment(paid.id, "again", now=FIXED_NOW)


def test_an_overpayment_is_credit(ann, service) -> None:
    first = done(ann, service, MON)
    record_payment(
        ann,
        price(service) + 1000,
        "e-transfer",
        received_on=MON,
        today=FIXED_TODAY,
        appointment_ids=(first,),
    )
    info = account(ann)
    assert info.balance_cents == -1000 and info.credit_cents == 1000


def test_a_bad_payment_changes_nothing(ann, service) -> None:
    done(ann, service, MON)
    for amount, method, day in (
        ("-5", "cash", MON),
        ("8.555", "cash", MON),
        ("10", "bitcoin", MON),
        ("10", "cash", FIXED_TODAY + dt.timedelta(days=1)),
    ):
        with pytest.raises(ValidationError):
            record_payment(ann, amount, method, received_on=day, today=FIXED_TODAY)
    with pytest.raises(ValidationError):
        record_refund(ann, "10", "cash", "  ", received_on=MON, today=FIXED_TODAY)
    assert Payment.select().count() == 0


def test_the_database_refuses_to_delete_or_rewrite_a_payment(ann, service) -> None:
    paid = record_payment(ann, "10", "cash", received_on=MON, today=FIXED_TODAY)
    conn = database.obj.connection()
    for sql in (
        "DELETE FROM payment",
        "UPDATE payment SET amount_cents = 1",
        "UPDATE payment SET void_reason = 'x'",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(sql)
    void_payment(paid.id, "typo", now=FIXED_NOW)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE payment SET voided_at = NULL, void_reason = ''")


def test_who_owes_oldest_first_and_the_suggestion(ann, service, db_path) -> None:
    ben = create_client({"first_name": "Ben", "last_name": "Carter"}, today=FIXED_TODAY).id
    done(ben, service, MON, 14)
    older = done(ann, service, MON - dt.timedelta(days=7), 10)
    assert [o.client_id for o in owing()] == [ann, ben]
    suggestion = payment_suggestion(older)
    assert suggestion.amount_cents == price(service)
    assert suggestion.method == "cash"
    record_payment(ann, price(service), "card", received_on=MON, today=FIXED_TODAY)
    assert [o.client_id for o in owing()] == [ben]
    assert payment_suggestion(done(ann, service, MON, 9)).method == "card"


# --- packages -----------------------------------------------------------------------------


def test_packages_draw_oldest_usable_and_give_back_on_reopen(ann, service) -> None:
    old = sell_package(
        ann, service, "2", "150", sold_on=MON - dt.timedelta(days=60), expires="2026-10-31"
    )  # expired before MON
    first = sell_package(ann, service, "2", "160", sold_on=MON - dt.timedelta(days=30))
    second = sell_package(ann, service, "5", "400", sold_on=MON - dt.timedelta(days=3))
    charged = account(ann).charged_cents
    assert charged == 15000 + 16000 + 40000
    a = done(ann, service, MON, 9)
    b = done(ann, service, MON, 11)
    c = done(ann, service, MON, 14)
    assert package_of(a).id == first.id and package_of(b).id == first.id
    assert package_of(c).id == second.id
    left = {p.id: p.left for p in client_packages(ann)}
    assert left == {old.id: 2, first.id: 0, second.id: 4}
    assert {p.service_id for p in client_packages(ann)} == {service}
    assert account(ann).charged_cents == charged  # no fee for drawn sessions
    reopen_appointment(b, now=FIXED_NOW)
    assert {p.id: p.left for p in client_packages(ann)}[first.id] == 1
    assert package_of(b) is None


def test_a_bad_package_is_refused(ann, service) -> None:
    for sessions, amount, expires in (
        ("0", "100", ""),
        ("5", "abc", ""),
        ("5", "100", "2020-01-01"),
    ):
        with pytest.raises(ValidationError):
            sell_package(ann, service, sessions, amount, sold_on=MON, expires=expires)
    assert client_packages(ann) == ()


# --- cancellation and no-show fees --------------------------------------------------------


def test_late_cancel_fee_is_charged_after_confirm_and_waivable(ann, service) -> None:
    set_fee_policy("percent", "50")
    soon = book_appointment(ann, service, at(FIXED_TODAY, 15))
    cancel_appointment(soon.id, "sick", now=FIXED_NOW)
    due = policy_fee_due(soon.id)
    assert due == (price(service) * 50 + 50) // 100
    assert account(ann).balance_cents == 0  # not charged until confirmed
    charge_policy_fee(soon.id, now=FIXED_NOW)
    info = account(ann)
    assert info.balance_cents == due and info.charges[0].kind == "late_cancel"
    policy_fees.waive_policy_fee(info.charges[0].fee_id, "first time", now=FIXED_NOW)
    assert account(ann).balance_cents == 0


def test_no_show_fee_and_reopen_waives_it(ann, service) -> None:
    set_fee_policy("fixed", "40")
    missed = book_appointment(ann, service, at(MON, 10))
    mark_no_show(missed.id, now=FIXED_NOW)
    charge_policy_fee(missed.id, now=FIXED_NOW)
    assert account(ann).balance_cents == 4000
    with pytest.raises(ConflictError):
        charge_policy_fee(missed.id, now=FIXED_NOW)
    reopen_appointment(missed.id, now=FIXED_NOW)
    assert account(ann).balance_cents == 0


def test_an_early_cancel_has_no_fee_and_bad_policies_are_refused(ann, service) -> None:
    set_fee_policy("fixed", "40")
    later = book_appointment(ann, service, at(FIXED_TODAY + dt.timedelta(days=4), 10))
    cancel_appointment(later.id, "travel", now=FIXED_NOW)
    assert policy_fee_due(later.id) == 0
    for kind, value in (("fixed", "-5"), ("percent", "150"), ("maybe", "1"), ("fixed", "0")):
        with pytest.raises(ValidationError):
            set_fee_policy(kind, value)
    assert policy_fees.fee_policy().value == 4000


# --- the CMS 8-minute rule ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "units"),
    [
        (0, 0),
        (7, 0),
        (8, 1),
        (22, 1),
        (23, 2),
        (37, 2),
        (38, 3),
        (52, 3),
        (53, 4),
        (67, 4),
        (68, 5),
        (82, 5),
        (83, 6),
        (97, 6),
        (98, 7),
    ],
)
def test_cms_total_units_table(minutes: int, units: int) -> None:
    assert total_units(minutes) == units


@pytest.mark.parametrize(
    ("minutes", "units"),
    [
        # CMS's own examples (Medicare Claims Processing Manual, ch. 5, 20.2).
        ((33, 7), (2, 1)),  # 40 min → 3 units: 97140 ×2, 97110 ×1
        ((24, 23), (2, 1)),  # 47 min → 3 units: the code with more minutes gets the extra
        ((10, 7), (1, 0)),  # 17 min → 1 unit, to the code with more minutes
        ((7, 7), (1, 0)),  # 14 min → 1 unit: a tie goes to the first listed
        ((33, 7, 15), (2, 1, 1)),  # 55 → 4
        ((5,), (0,)),
        ((60,), (4,)),
    ],
)
def test_cms_examples_spread_units_over_codes(minutes, units) -> None:
    assert distribute_units(minutes) == units


def _reference(minutes: list[int]) -> list[int]:
    """A plain restatement of the rule: count units minute-band by minute-band."""
    total = sum(minutes)
    units_total = 0
    while total >= 8 + 15 * units_total:
        units_total += 1
    result = [m // 15 for m in minutes]
    remaining = [m - 15 * (m // 15) for m in minutes]
    for _ in range(units_total - sum(result)):
        best = max(range(len(minutes)), key=lambda i: (remaining[i], -i))
        result[best] += 1
        remaining[best] = -1
    return result


@given(st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=5))
def test_units_match_a_plain_reference(minutes: list[int]) -> None:
    units = distribute_units(minutes)
    assert list(units) == _reference(minutes)
    assert sum(units) == total_units(sum(minutes))
    assert all(isinstance(u, int) for u in units)


def test_untimed_codes_bill_one_unit() -> None:
    lines = code_units([("97140", "59", 30), ("97010", "", 10), ("97124", "", 8)])
    assert [(line.cpt, line.units) for line in lines] == [("97140", 2), ("97010", 1), ("97124", 1)]


def test_diagnoses_and_session_codes(ann, service) -> None:
    info = billing.set_client_insurance(
        ann, "M54.50 Low back pain\nm79.1 Myalgia", "Dr. A. Patel", "1234567893"
    )
    assert [d.code for d in info.diagnoses] == ["M54.50", "M79.1"]
    with pytest.raises(ValidationError) as caught:
        billing.set_client_insurance(ann, "back pain", "Dr", "12")
    assert set(caught.value.errors) == {"diagnosis_codes", "referring_npi"}
    s = Service.get_by_id(service)
    update_service(service, s.name, 60, s.price_cents, "97124, 97140-59")
    visit = done(ann, service, MON)
    default = [(c.cpt, c.modifier, c.minutes, c.units) for c in billing.session_codes(visit)]
    assert default == [("97124", "", 60, 4)]
    lines = billing.set_session_codes(visit, "97140-59 33, 97124 7")
    assert [(c.cpt, c.modifier, c.units) for c in lines] == [("97140", "59", 2), ("97124", "", 1)]
    with pytest.raises(ValidationError):
        billing.set_session_codes(visit, "97140 50, 97124 20")
    with pytest.raises(ValidationError):
        billing.set_session_codes(visit, "massage 30")
    assert len(billing.session_codes(visit)) == 2
