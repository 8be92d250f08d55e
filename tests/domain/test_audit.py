"""The audit trail (issue 16, item 1): every write of a clinical or money record
leaves a row; the rows are append-only and chained; ``verify`` names what
another program changed behind the app's back."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import peewee as pw
import pytest

import practice_tui.domain as domain_package
from practice_tui.domain import audit, audit_verify, notes, schedule
from practice_tui.domain.db import close_database, database, open_database
from practice_tui.domain.models import Audit, PolicyFee, SessionNote
from practice_tui.domain.settings import list_services
from tests.conftest import FIXED_NOW, FIXED_TODAY
from tests.domain.notes_helpers import at, book, make_client

#: Writes that touch no clinical or money record, and why they leave no row.
EXEMPT = {
    "settings.ensure_practice": "practice settings",
    "settings.update_practice": "practice settings",
    "settings.update_policies": "practice settings",
    "settings.set_week": "working hours",
    "settings.set_working_hours": "working hours",
    "settings.finish_setup": "first-run set-up",
    "policy_fees.set_fee_policy": "a practice policy",
    "policy_fees.set_fee_policy_text": "a practice policy",
    "policy_fees.save_policies": "practice policies",
    "availability.add_time_off": "time off (a cancelled booking is audited by set_status)",
    "availability.delete_time_off": "time off",
    "exchange.sync._store": "where the kept calendar file goes",
    "plans.fill.fill_horizon": "books through book_appointment, which is audited",
    "demo.build_demo": "starts the trail again at its end (start_trail)",
    "filecheck._restart_trail": "starts a new trail (test_a_removed_trail_is_said…)",
}


def _write_functions() -> set[str]:
    found = set()
    for info in pkgutil.walk_packages(domain_package.__path__, "practice_tui.domain."):
        try:
            module = importlib.import_module(info.name)
        except ImportError:  # encrypted_db, without the [encrypted] extra: no writes there
            assert info.name.endswith(".encrypted_db")
            continue
        for name, value in vars(module).items():
            if (
                callable(value)
                and getattr(value, "writes", False)
                and value.__module__ == module.__name__
            ):
                found.add(f"{info.name.removeprefix('practice_tui.domain.')}.{name}")
    return found


def _rows_after(last_id: int) -> list[Audit]:
    return list(Audit.select().where(Audit.id > last_id).order_by(Audit.id))


def _last() -> int:
    return Audit.select(pw.fn.MAX(Audit.id)).scalar() or 0


def _service(name: str = "Medical massage 60") -> int:
    return next(s.id for s in list_services() if s.name == name)


def _steps(tmp: Path) -> list[tuple[str, Callable[[dict[str, Any]], Any], str, str]]:
    """(write function, call, kind, action) in an order where each has what it needs."""
    from practice_tui.domain import (
        archiving,
        billing,
        clients,
        outcomes,
        packages,
        payments,
        plans,
        policy_fees,
        pricing,
        receipts,
        services,
    )
    from practice_tui.domain.documents import progress, record
    from practice_tui.domain.exchange import client_import, ics, ics_import, tables
    from practice_tui.domain.filecheck import check_file
    from practice_tui.domain.outcomes import GoalRow

    def drop_a_lock(c: dict[str, Any]) -> None:
        database.execute_sql("DROP TRIGGER note_amendment_no_delete")
        check_file()

    return [
        (
            "clients.create_client",
            lambda c: c.update(client=make_client("Ann", "Lee")),
            "client",
            "create",
        ),
        (
            "clients.update_client",
            lambda c: clients.update_client(c["client"], {"phone": "555-0199"}, today=FIXED_TODAY),
            "client",
            "change",
        ),
        (
            "clients.set_archived",
            lambda c: clients.set_archived(make_client("Eve", "Stone"), True),
            "client",
            "archive",
        ),
        (
            "archiving.archive_client",
            lambda c: archiving.archive_client(
                make_client("Gus", "Hale"), now=FIXED_NOW, cancel_ahead=True
            ),
            "client",
            "archive",
        ),
        (
            "clients.delete_client",
            lambda c: clients.delete_client(make_client("Fay", "Wray")),
            "client",
            "delete",
        ),
        (
            "schedule.book_appointment",
            lambda c: c.update(a1=book(c["client"], at(1, 9))),
            "appointment",
            "create",
        ),
        (
            "schedule.edit_appointment",
            lambda c: schedule.edit_appointment(c["a1"], booking_note="back"),
            "appointment",
            "change",
        ),
        (
            "schedule.cancel_appointment",
            lambda c: schedule.cancel_appointment(
                c.setdefault("a2", book(c["client"], at(2, 10))), "ill", now=FIXED_NOW
            ),
            "appointment",
            "cancel",
        ),
        (
            "schedule.reopen_appointment",
            lambda c: schedule.reopen_appointment(c["a2"], now=FIXED_NOW),
            "appointment",
            "reopen",
        ),
        (
            "schedule.mark_no_show",
            lambda c: schedule.mark_no_show(c["a2"], now=FIXED_NOW),
            "appointment",
            "no_show",
        ),
        (
            "schedule.mark_completed",
            lambda c: schedule.mark_completed(
                c.setdefault("a3", book(c["client"], at(3, 9))), now=FIXED_NOW
            ),
            "appointment",
            "complete",
        ),
        (
            "notes.save_draft",
            lambda c: notes.save_draft(c["a1"], {"pain_before": "5"}, now=FIXED_NOW),
            "note",
            "create",
        ),
        (
            "notes.sign_note",
            lambda c: c.update(
                note=notes.sign_note(
                    c["a1"], {"pain_before": "4", "subjective": "sore"}, now=FIXED_NOW
                ).id
            ),
            "note",
            "sign",
        ),
        (
            "notes.add_amendment",
            lambda c: notes.add_amendment(c["note"], "more", "typo", now=FIXED_NOW),
            "amendment",
            "amend",
        ),
        (
            "outcomes.save_goals",
            lambda c: c.update(
                goal=outcomes.save_goals(
                    c["client"], [GoalRow(None, "Walking", "4")], now=FIXED_NOW
                )[0].id
            ),
            "client",
            "goals",
        ),
        (
            "outcomes.save_note_with_scores",
            lambda c: outcomes.save_note_with_scores(
                c["a3"], {"subjective": "ok"}, {c["goal"]: "5"}, sign=False, now=FIXED_NOW
            ),
            "note",
            "scores",
        ),
        (
            "pricing.set_fee",
            lambda c: payments.set_fee(c["a3"], "80"),
            "appointment",
            "fee",
        ),
        (
            "pricing.set_discount",
            lambda c: payments.set_discount(c["client"], "10"),
            "client",
            "discount",
        ),
        (
            "pricing.set_client_price",
            lambda c: payments.set_client_price(c["client"], _service(), "70"),
            "client",
            "price",
        ),
        (
            "pricing.save_client_pricing",
            lambda c: pricing.save_client_pricing(c["client"], "5", {_service(): "65"}),
            "client",
            "pricing",
        ),
        (
            "payments.record_payment",
            lambda c: c.update(
                payment=payments.record_payment(
                    c["client"], "50", "cash", received_on=FIXED_TODAY, today=FIXED_TODAY
                ).id
            ),
            "payment",
            "payment",
        ),
        (
            "payments.record_refund",
            lambda c: c.update(
                refund=payments.record_refund(
                    c["client"], "5", "cash", "overpaid", received_on=FIXED_TODAY, today=FIXED_TODAY
                ).id
            ),
            "payment",
            "refund",
        ),
        (
            "payments.void_payment",
            lambda c: payments.void_payment(c["refund"], "mistake", now=FIXED_NOW),
            "payment",
            "void",
        ),
        (
            "receipts.issue_payment_receipt",
            lambda c: receipts.issue_payment_receipt(c["payment"], now=FIXED_NOW),
            "receipt",
            "issue",
        ),
        (
            "receipts.issue_statement",
            lambda c: receipts.issue_statement(
                c["client"], FIXED_TODAY - dt.timedelta(days=30), FIXED_TODAY, now=FIXED_NOW
            ),
            "receipt",
            "issue",
        ),
        (
            "policy_fees.charge_policy_fee",
            lambda c: (
                policy_fees.set_fee_policy("fixed", "40"),
                policy_fees.charge_policy_fee(c["a2"], now=FIXED_NOW),
            ),
            "policy_fee",
            "charge",
        ),
        (
            "policy_fees.waive_policy_fee",
            lambda c: policy_fees.waive_policy_fee(
                PolicyFee.select().first().id, "first time", now=FIXED_NOW
            ),
            "policy_fee",
            "waive",
        ),
        (
            "packages.sell_package",
            lambda c: packages.sell_package(c["client"], _service(), 5, 30000, sold_on=FIXED_TODAY),
            "package",
            "sell",
        ),
        (
            "billing.set_client_insurance",
            lambda c: billing.set_client_insurance(c["client"], "M54.5", "Dr Who", ""),
            "client",
            "insurance",
        ),
        (
            "billing.set_session_codes",
            lambda c: billing.set_session_codes(c["a3"], ""),
            "appointment",
            "codes",
        ),
        (
            "services.add_service",
            lambda c: c.update(service=services.add_service("Chair 15", 15, 2000).id),
            "service",
            "create",
        ),
        (
            "services.update_service",
            lambda c: services.update_service(c["service"], "Chair 20", 20, 2500),
            "service",
            "change",
        ),
        (
            "services.set_service_active",
            lambda c: services.set_service_active(c["service"], False),
            "service",
            "retire",
        ),
        (
            "services.delete_service",
            lambda c: services.delete_service(c["service"]),
            "service",
            "delete",
        ),
        (
            "plans.create.create_plan",
            lambda c: c.update(
                plan=plans.create_plan(
                    plans.PlanDraft(
                        client_id=c["client"],
                        service_id=_service(),
                        first_start=dt.datetime(2026, 12, 1, 10, 0),
                        rule="FREQ=WEEKLY;BYDAY=TU",
                        count=6,
                    ),
                    now=FIXED_NOW,
                ).id
            ),
            "plan",
            "create",
        ),
        (
            "plans.edits.skip_date",
            lambda c: plans.skip_date(c["plan"], dt.datetime(2026, 12, 8, 10, 0), now=FIXED_NOW),
            "plan",
            "skip",
        ),
        (
            "plans.edits.change_plan",
            lambda c: c.update(
                plan=plans.change_plan(
                    c["plan"],
                    plans.PlanChange(from_date=dt.date(2026, 12, 14), time=dt.time(14, 0)),
                    now=FIXED_NOW,
                ).id
            ),
            "plan",
            "create",
        ),
        (
            "plans.edits.end_plan",
            lambda c: plans.end_plan(c["plan"], dt.date(2026, 12, 21), now=FIXED_NOW),
            "plan",
            "end",
        ),
        (
            "documents.progress.make_progress_report",
            lambda c: progress.make_progress_report(
                c["client"],
                FIXED_TODAY - dt.timedelta(days=30),
                FIXED_TODAY,
                "Better.",
                "Go on.",
                tmp / "reports",
                now=FIXED_NOW,
            ),
            "export",
            "export",
        ),
        (
            "documents.record.import_client",
            lambda c: (
                record.export_client(
                    c.setdefault("dee", make_client("Dee", "Moss")),
                    now=FIXED_NOW,
                    json_path=tmp / "dee.json",
                ),
                record.import_client(tmp / "dee.json", now=FIXED_NOW, allow_duplicate=True),
            ),
            "client",
            "import",
        ),
        (
            "exchange.client_import._import",
            lambda c: client_import.import_clients(
                b"first_name,last_name\nBob,Ray\n", now=FIXED_NOW
            ),
            "client",
            "create",
        ),
        (
            "exchange.ics_import._import_ics",
            lambda c: ics_import.import_ics(ics.export_ics().data, now=FIXED_NOW),
            "import",
            "import",
        ),
        (
            "audit.record_export",
            lambda c: tables.export_csv(tmp / "csv"),
            "export",
            "export",
        ),
        ("filecheck._restore_triggers", drop_a_lock, "file", "locks restored"),
    ]


def test_every_write_function_is_audited_or_exempt_with_a_reason(
    db_path: Path, tmp_path: Path
) -> None:
    """A new write function fails this test until it is audited (and called below)
    or listed as exempt with its reason."""
    covered = {name for name, *_ in _steps(tmp_path)}
    assert _write_functions() == covered | set(EXEMPT)


def test_each_write_leaves_its_audit_row_and_the_trail_verifies(
    db_path: Path, tmp_path: Path
) -> None:
    context: dict[str, Any] = {}
    for name, call, kind, action in _steps(tmp_path):
        before = _last()
        call(context)
        rows = {(r.kind, r.action) for r in _rows_after(before)}
        assert (kind, action) in rows, (name, rows)
    report = audit_verify.verify()
    # The lock dropped in the last step was put back and the app said so.
    assert report.problems == () and report.rows == _last()
    assert any("note_amendment_no_delete" in w for w in report.warnings)


def test_a_row_names_fields_never_their_text(db_path: Path) -> None:
    appointment = book(make_client(), at(1, 9))
    notes.save_draft(appointment, {"subjective": "secret shoulder story"}, now=FIXED_NOW)
    notes.save_draft(
        appointment,
        {"subjective": "secret shoulder story", "objective": "tight traps"},
        now=FIXED_NOW,
    )
    row = Audit.select().order_by(Audit.id.desc()).first()
    assert (row.kind, row.action, row.fields) == ("note", "change", "objective")
    text = " ".join(str(v) for r in Audit.select().dicts() for v in r.values())
    assert "secret" not in text and "tight" not in text


def test_audit_rows_are_append_only(db_path: Path) -> None:
    make_client()
    with pytest.raises(pw.IntegrityError, match="append-only"):
        database.execute_sql("UPDATE audit SET action = 'x'")
    with pytest.raises(pw.IntegrityError, match="append-only"):
        database.execute_sql("DELETE FROM audit")


def test_trail_by_client_and_from_a_day(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "_clock", lambda: dt.datetime(2026, 11, 20, 9, 0))
    ann = make_client("Ann", "Lee")
    monkeypatch.setattr(audit, "_clock", lambda: FIXED_NOW)
    bob = make_client("Bob", "Ray")
    appointment = book(ann, at(1, 9))
    lines = [e.line for e in audit_verify.trail(client_id=ann)]
    assert lines == [
        "Fri 20 Nov 2026 09:00 · client 1 · Ann Lee · created",
        f"Fri 27 Nov 2026 11:20 · appointment {appointment} · Ann Lee · created",
    ]
    assert [e.record_id for e in audit_verify.trail(since=FIXED_TODAY) if e.kind == "client"] == [
        bob
    ]


# --- verify: what another program did -------------------------------------------------


def _behind_the_apps_back(path: Path, *statements: str) -> None:
    close_database()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()
    open_database(path)


def _signed_story(db_path: Path) -> int:
    appointment = book(make_client("Ann", "Lee"), at(1, 9))
    note = notes.sign_note(appointment, {"pain_before": "6", "subjective": "sore"}, now=FIXED_NOW)
    notes.add_amendment(note.id, "more", "typo", now=FIXED_NOW)
    assert audit_verify.verify().ok
    return note.id


def test_verify_catches_a_deleted_row(db_path: Path) -> None:
    _signed_story(db_path)
    _behind_the_apps_back(db_path, "DROP TRIGGER audit_no_delete", "DELETE FROM audit WHERE id = 3")
    report = audit_verify.verify()
    assert "Audit row 3 is missing: removed by another program (the trail jumps to 4)." in (
        report.problems
    )


def test_verify_catches_an_edited_row(db_path: Path) -> None:
    _signed_story(db_path)
    _behind_the_apps_back(
        db_path,
        "DROP TRIGGER audit_no_update",
        "UPDATE audit SET at = '2026-01-01 09:00:00' WHERE id = 4",
    )
    problems = audit_verify.verify().problems
    assert any(p.startswith("Audit row 4 was changed or forged") for p in problems), problems


def test_verify_catches_a_row_inserted_with_a_forged_hash(db_path: Path) -> None:
    _signed_story(db_path)
    last = _last()
    head = Audit.get_by_id(last).hash
    _behind_the_apps_back(
        db_path,
        "INSERT INTO audit (at, kind, record_id, client_id, action, fields, digest, prev_hash,"
        f" hash) VALUES ('2026-11-01 09:00:00', 'note', 1, 1, 'sign', '', '', '{head}', "
        f"'{'0' * 64}')",
    )
    problems = audit_verify.verify().problems
    assert (
        f"Audit row {last + 1} was changed or forged: its content no longer matches its hash."
        in (problems)
    )


def test_verify_names_a_signed_note_changed_with_its_trigger_dropped(db_path: Path) -> None:
    note_id = _signed_story(db_path)
    _behind_the_apps_back(
        db_path,
        "DROP TRIGGER session_note_signed_no_update",
        f"UPDATE session_note SET subjective = 'never said', pain_before = 2 WHERE id = {note_id}",
        "DROP TRIGGER note_amendment_no_update",
        "INSERT INTO note_amendment (note_id, created_at, reason, text) "
        f"VALUES ({note_id}, '2026-01-02 10:00:00', 'x', 'back-dated')",
    )
    problems = audit_verify.verify().problems
    assert (
        f"note {note_id} (Ann Lee, 26 Nov 2026) changed outside the app: "
        "fields pain_before, subjective." in problems
    )
    assert "amendment 2 (Ann Lee, 26 Nov 2026) was added outside the app." in problems
    assert any("session_note_signed_no_update" in p for p in problems)
    assert not any("never said" in p or "back-dated" in p for p in problems)
    assert SessionNote.get_by_id(note_id).subjective == "never said"


def test_the_demo_practice_starts_its_trail_and_verifies(demo_path: Path) -> None:
    report = audit_verify.verify()
    assert report.ok, report.problems
    # The demo's own rows are one "started" row; the plans its first opening
    # booked (the fixture's demo is after that) follow it.
    words = [row.action_words for row in audit_verify.trail()]
    last_start = len(words) - 1 - words[::-1].index("audit trail started")
    assert set(words[last_start + 1 :]) <= {"created", "as found when the trail started"}


def test_a_demo_note_signed_before_the_trail_is_still_watched(demo_path: Path) -> None:
    """The trail starts at the end of the demo's build: the notes signed before
    it are sealed as found, so a change behind the app's back is still named."""
    note = (
        SessionNote.select()
        .where(SessionNote.signed_at.is_null(False))
        .order_by(SessionNote.id)
        .first()
    )
    _behind_the_apps_back(
        demo_path,
        "DROP TRIGGER session_note_signed_no_update",
        f"UPDATE session_note SET subjective = 'rewritten' WHERE id = {note.id}",
    )
    problems = audit_verify.verify().problems
    assert any(
        f"note {note.id} (" in problem and "changed outside the app: fields subjective" in problem
        for problem in problems
    ), problems


def test_a_removed_trail_is_said_and_started_again(db_path: Path) -> None:
    from practice_tui.domain.filecheck import check_file

    _signed_story(db_path)
    _behind_the_apps_back(db_path, "DROP TABLE audit")
    assert audit_verify.verify().problems == (
        "The audit trail has been removed from this file by another program.",
    )
    report = check_file()
    assert report.trail_restarted and "audit trail had been removed" in report.messages[0]
    make_client("Bob", "Ray")  # writes work again, and are audited
    after = audit_verify.verify()
    assert after.ok and any("started a new one" in w for w in after.warnings)
