"""A client's whole record carries their money: exported as JSON and imported
into an empty file, the fees, codes, packages, cancellation fees and every
payment (voided and refunded ones too) come back, and so does the balance.
The PDF shows them; the progress report names the diagnosis codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pypdf import PdfReader

from practice_tui.domain.billing import set_client_insurance, set_session_codes
from practice_tui.domain.clients import create_client
from practice_tui.domain.db import close_database, open_database
from practice_tui.domain.documents.progress import make_progress_report
from practice_tui.domain.documents.record import client_record, export_client, import_client
from practice_tui.domain.notes import sign_note
from practice_tui.domain.packages import sell_package
from practice_tui.domain.payments import account, record_payment, record_refund, void_payment
from practice_tui.domain.policy_fees import charge_policy_fee, set_fee_policy, waive_policy_fee
from practice_tui.domain.pricing import save_client_pricing
from practice_tui.domain.schedule import (
    book_appointment,
    cancel_appointment,
    mark_completed,
    mark_no_show,
)
from practice_tui.domain.settings import ensure_practice, list_services
from tests.conftest import FIXED_NOW, FIXED_TODAY, TIMEZONE
from tests.domain.test_documents import _comparable

MON = dt.date(2026, 11, 16)


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime.combine(MON + dt.timedelta(days=day), dt.time(hour))


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def client_with_money() -> int:
    services = {s.name: s for s in list_services()}
    medical, deep = services["Medical massage 60"], services["Deep tissue 60"]
    client = create_client({"first_name": "Lucía", "last_name": "Gómez"}, today=MON).id
    set_client_insurance(
        client, "M54.50 Low back pain\nM79.1 Myalgia", "Dr. A. Patel", "1234567893"
    )
    save_client_pricing(client, "10", {medical.id: "70"})
    sell_package(client, deep.id, "3", "240", sold_on=MON, expires="2027-06-30")
    first = book_appointment(client, medical.id, at(0, 10)).id
    mark_completed(first, now=at(0, 11))
    set_session_codes(first, "97140-59 33, 97124 27")
    sign_note(
        first, {"subjective": "Back stiff", "pain_before": "6", "pain_after": "3"}, now=at(0, 11)
    )
    drawn = book_appointment(client, deep.id, at(1, 10)).id
    mark_completed(drawn, now=at(1, 11))  # drawn from the package
    set_fee_policy("fixed", "40")
    late = book_appointment(client, medical.id, at(2, 10)).id
    cancel_appointment(late, "sick", now=at(2, 8))
    charge_policy_fee(late, now=at(2, 8))
    missed = book_appointment(client, medical.id, at(3, 10)).id
    mark_no_show(missed, now=at(3, 11))
    charge_policy_fee(missed, now=at(3, 11))
    from practice_tui.domain.models import PolicyFee

    waive_policy_fee(
        PolicyFee.get(PolicyFee.appointment == missed).id, "car broke down", now=at(3, 12)
    )
    paid = record_payment(
        client,
        "70",
        "card",
        received_on=at(0, 11).date(),
        today=FIXED_TODAY,
        reference="auth 1",
        appointment_ids=(first,),
    )
    wrong = record_payment(client, "300", "cash", received_on=at(1, 11).date(), today=FIXED_TODAY)
    void_payment(wrong.id, "entered twice", now=at(1, 12))
    record_payment(client, "300", "e-transfer", received_on=at(1, 11).date(), today=FIXED_TODAY)
    record_refund(client, "20", "cash", "overpaid", received_on=at(4, 9).date(), today=FIXED_TODAY)
    assert paid.amount_cents == 7000
    return client


def test_the_money_comes_across_and_the_balance_is_the_same(db_path: Path, tmp_path: Path) -> None:
    client = client_with_money()
    original = client_record(client, FIXED_NOW)
    money = original["money"]
    assert [p["voided_at"] is not None for p in money["payments"]] == [False, True, False, False]
    assert money["packages"][0]["used_by"] and money["session_codes"]
    assert money["fixed_prices"] == [{"service": "Medical massage 60", "price_cents": 7000}]
    assert [f["waived_at"] is not None for f in money["policy_fees"]] == [False, True]
    balance = account(client).balance_cents
    json_path, pdf_path = tmp_path / "record.json", tmp_path / "record.pdf"
    export_client(client, now=FIXED_NOW, pdf=pdf_path, json_path=json_path)
    text = pdf_text(pdf_path)
    for words in (
        "Billing and payments",
        "M54.50 Low back pain",
        "VOIDED: entered twice",
        "waived: car broke down",
        "3 × Deep tissue 60",
        "e-transfer",
        "-20.00",
    ):
        assert words in text, words
    close_database()
    open_database(tmp_path / "other.db")
    ensure_practice(timezone=TIMEZONE)
    copied_id = import_client(json_path, now=FIXED_NOW)
    copied = client_record(copied_id, FIXED_NOW)
    assert _comparable(copied) == _comparable(original)
    assert account(copied_id).balance_cents == balance
    close_database()
    open_database(db_path)


def test_a_record_made_before_the_money_still_imports(db_path: Path, tmp_path: Path) -> None:
    client = create_client({"first_name": "Ann", "last_name": "Lee"}, today=MON).id
    record = client_record(client, FIXED_NOW)
    record["version"] = 1
    del record["money"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(record))
    close_database()
    open_database(tmp_path / "other.db")
    ensure_practice(timezone=TIMEZONE)
    copied = client_record(import_client(path, now=FIXED_NOW), FIXED_NOW)
    assert copied["client"]["first_name"] == "Ann" and copied["money"]["payments"] == []
    close_database()
    open_database(db_path)


def test_the_progress_report_names_the_diagnosis_codes(db_path: Path, tmp_path: Path) -> None:
    client = client_with_money()
    made = make_progress_report(
        client, MON, FIXED_TODAY, "Better.", "", tmp_path / "reports", now=FIXED_NOW
    )
    text = pdf_text(made.pdf)
    assert "Diagnoses (ICD-10)" in text and "M54.50 Low back pain" in text and "M79.1" in text
    assert "Dr. A. Patel (NPI 1234567893)" in text
    markdown = made.markdown.read_text()
    assert "**Diagnoses (ICD-10):** M54.50 Low back pain; M79.1 Myalgia" in markdown
    assert "**Referred by:** Dr. A. Patel (NPI 1234567893)" in markdown
