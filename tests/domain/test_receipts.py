"""Receipts numbered without gaps (two processes at once), immutable, corrected
by a new receipt; PDFs that open and read back; the superbill and income report."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from practice_tui.domain.billing import set_client_insurance, set_session_codes
from practice_tui.domain.clients import create_client
from practice_tui.domain.db import close_database, database, open_database
from practice_tui.domain.errors import ConflictError
from practice_tui.domain.income import income_report, money_overview
from practice_tui.domain.models import Receipt, Service
from practice_tui.domain.payments import record_payment, record_refund, void_payment
from practice_tui.domain.receipts import (
    issue_payment_receipt,
    issue_statement,
    receipt_pdf,
    receipt_text,
)
from practice_tui.domain.schedule import book_appointment, mark_completed
from practice_tui.domain.settings import list_services, update_practice, update_service
from practice_tui.domain.superbill import CSV_HEADER, superbill, superbill_csv, superbill_pdf
from tests.conftest import FIXED_NOW, FIXED_TODAY

MON = dt.date(2026, 11, 23)


@pytest.fixture
def setup(db_path):
    update_practice(
        therapist_name="Sam Rivera",
        credentials="RMT",
        registration="RMT-4821",
        address="12 Elm Street\nSpringfield",
    )
    service = next(s for s in list_services() if s.name == "Medical massage 60")
    update_service(service.id, service.name, 60, 9000, "97124, 97140-59")
    client = create_client({"first_name": "Lucía", "last_name": "Gómez"}, today=FIXED_TODAY).id
    visit = book_appointment(client, service.id, dt.datetime.combine(MON, dt.time(10))).id
    mark_completed(visit, now=FIXED_NOW)
    return client, visit


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_a_payment_receipt_reads_back_from_its_pdf(setup, tmp_path) -> None:
    client, visit = setup
    paid = record_payment(
        client,
        "90",
        "card",
        received_on=MON,
        today=FIXED_TODAY,
        reference="auth 5521",
        appointment_ids=(visit,),
    )
    receipt = issue_payment_receipt(paid.id, now=FIXED_NOW)
    assert receipt.number == 1
    text = receipt_text(receipt)
    for words in (
        "Registration no. RMT-4821",
        "Lucía Gómez",
        "Medical massage 60",
        "$90.00",
        "card",
        "No. 00001",
        "Balance owing: $0.00",
    ):
        assert words in text
    path = receipt_pdf(receipt, tmp_path / "r.pdf")
    read = pdf_text(path)
    for words in ("RMT-4821", "Gómez", "Medical massage 60", "$90.00", "card", "00001"):
        assert words in read


def test_receipts_never_change_and_a_correction_names_the_void_one(setup) -> None:
    client, visit = setup
    wrong = record_payment(
        client, "80", "cash", received_on=MON, today=FIXED_TODAY, appointment_ids=(visit,)
    )
    first = issue_payment_receipt(wrong.id, now=FIXED_NOW)
    void_payment(wrong.id, "wrong amount", now=FIXED_NOW)
    with pytest.raises(ConflictError):
        issue_payment_receipt(wrong.id, now=FIXED_NOW)
    right = record_payment(
        client, "90", "cash", received_on=MON, today=FIXED_TODAY, appointment_ids=(visit,)
    )
    second = issue_payment_receipt(right.id, now=FIXED_NOW, replaces=first.id)
    assert second.number == 2 and second.replaces_number == 1
    assert "replaces receipt no. 00001, which is void" in receipt_text(second)
    with pytest.raises(ConflictError):
        issue_payment_receipt(right.id, now=FIXED_NOW, replaces=first.id)
    conn = database.obj.connection()
    for sql in (
        "UPDATE receipt SET content = '{}'",
        "DELETE FROM receipt",
        "UPDATE receipt_counter SET last_number = 0",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(sql)


def test_a_year_end_statement(setup, tmp_path) -> None:
    client, visit = setup
    record_payment(client, "100", "e-transfer", received_on=MON, today=FIXED_TODAY)
    record_refund(client, "10", "e-transfer", "overpaid", received_on=MON, today=FIXED_TODAY)
    statement = issue_statement(client, dt.date(2026, 1, 1), dt.date(2026, 12, 31), now=FIXED_NOW)
    text = receipt_text(statement)
    assert "Statement" in text and "Total charged" in text and "$90.00" in text
    assert "Balance owing: $0.00" in text
    read = pdf_text(receipt_pdf(statement, tmp_path / "s.pdf"))
    assert "Statement" in read and "e-transfer" in read


def _issue_many(path: str, client: int, count: int) -> None:
    open_database(path)
    for _ in range(count):
        issue_statement(client, dt.date(2026, 1, 1), dt.date(2026, 12, 31), now=FIXED_NOW)
    close_database()


def test_two_processes_issuing_at_once_get_unique_gap_free_numbers(setup, db_path) -> None:
    client, _ = setup
    close_database()
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_issue_many, args=(str(db_path), client, 15)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    open_database(db_path)
    numbers = sorted(r.number for r in Receipt.select())
    assert numbers == list(range(1, 31))


def test_superbill_units_csv_and_pdf(setup, tmp_path) -> None:
    client, visit = setup
    set_client_insurance(
        client, "M54.50 Low back pain\nM79.1 Myalgia", "Dr. A. Patel", "1234567893"
    )
    set_session_codes(visit, "97140-59 33, 97124 7")
    svc = Service.get_by_id(next(s.id for s in list_services() if s.name == "Medical massage 60"))
    second = book_appointment(client, svc.id, dt.datetime.combine(MON, dt.time(14))).id
    mark_completed(second, now=FIXED_NOW)
    record_payment(
        client, "90", "card", received_on=MON, today=FIXED_TODAY, appointment_ids=(visit,)
    )
    bill = superbill(client, MON, MON)
    rows = [(x.cpt, x.modifier, x.minutes, x.units, x.pointers) for x in bill.lines]
    assert rows == [
        ("97140", "59", 33, 2, "AB"),
        ("97124", "", 7, 1, "AB"),
        ("97124", "", 60, 4, "AB"),
    ]
    assert bill.fee_cents == 18000 and bill.paid_cents == 9000
    csv_text = superbill_csv(bill)
    assert csv_text.splitlines()[0] == "date,client,cpt,modifier,minutes,units,fee"
    assert ",".join(CSV_HEADER) == csv_text.splitlines()[0]
    assert csv_text.splitlines()[1] == "2026-11-23,Lucía Gómez,97140,59,33,2,60.00"
    read = pdf_text(superbill_pdf(bill, tmp_path / "sb.pdf"))
    for words in ("Superbill", "M54.50", "Dr. A. Patel", "1234567893", "97140", "8-minute"):
        assert words in read


def test_income_report_and_overview(setup) -> None:
    client, visit = setup
    record_payment(client, "90", "card", received_on=FIXED_TODAY, today=FIXED_TODAY)
    record_payment(client, "20", "cash", received_on=dt.date(2026, 10, 2), today=FIXED_TODAY)
    voided = record_payment(client, "500", "cash", received_on=FIXED_TODAY, today=FIXED_TODAY)
    void_payment(voided.id, "typo", now=FIXED_NOW)
    record_refund(client, "5", "cash", "change", received_on=FIXED_TODAY, today=FIXED_TODAY)
    report = income_report(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert report.net_cents == 10500 and report.refunded_cents == 500
    assert dict(report.by_method) == {"cash": 1500, "card": 9000}
    assert report.by_service == (("Medical massage 60", 1, 9000),)
    assert len(report.by_month) == 12
    assert {m.month.month: m.cents for m in report.by_month if m.cents} == {10: 2000, 11: 8500}
    overview = money_overview(FIXED_TODAY)
    assert overview.takings_cents == 8500
    assert len(overview.year.by_month) == 12 and overview.year.by_month[-1].month.month == 11
    assert overview.owing == ()


def test_cli_superbill_csv_and_income_report(setup, db_path, tmp_path, capsys) -> None:
    from practice_tui.cli import main

    client, visit = setup
    set_session_codes(visit, "97140-59 33, 97124 7")
    record_payment(client, "90", "card", received_on=MON, today=FIXED_TODAY)
    close_database()
    pdf = tmp_path / "bill.pdf"
    code = main(
        [
            "--db",
            str(db_path),
            "superbill",
            "Gómez",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--csv",
            "--pdf",
            str(pdf),
        ]
    )
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out == [
        "date,client,cpt,modifier,minutes,units,fee",
        "2026-11-23,Lucía Gómez,97140,59,33,2,60.00",
        "2026-11-23,Lucía Gómez,97124,,7,1,30.00",
    ]
    assert "97140" in pdf_text(pdf)
    close_database()
    assert (
        main(
            [
                "--db",
                str(db_path),
                "report",
                "income",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
                "--csv",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "method,card,,90.00" in out and "total,net,,90.00" in out
    close_database()
    assert main(["--db", str(db_path), "superbill", "Nobody", "--from", "x", "--to", "y"]) == 2
    open_database(db_path)
