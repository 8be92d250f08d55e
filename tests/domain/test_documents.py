"""Progress reports and the whole-record export, checked against the demo
records read another way (plain SQL), and the files read back with pypdf."""

from __future__ import annotations

import copy
import datetime as dt
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from practice_tui.cli import main
from practice_tui.domain.db import close_database, database, open_database
from practice_tui.domain.documents.progress import (
    make_progress_report,
    progress_report_data,
    report_defaults,
)
from practice_tui.domain.documents.record import client_record, export_client, import_client
from practice_tui.domain.errors import ConflictError, ValidationError
from practice_tui.domain.models import ProgressReport
from practice_tui.domain.notes import add_amendment
from practice_tui.domain.settings import ensure_practice
from tests.conftest import FIXED_NOW, FIXED_TODAY, TIMEZONE


def sql(query: str, *params: Any) -> list[tuple[Any, ...]]:
    return list(database.obj.execute_sql(query, params).fetchall())


def demo_report_client() -> tuple[int, dt.date]:
    """The demo client who already has a report, and where it ended."""
    rows = sql('SELECT client_id, "end" FROM progress_report')
    assert len(rows) == 1
    return rows[0][0], dt.date.fromisoformat(rows[0][1])


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_report_figures_agree_with_the_records(demo_path: Path) -> None:
    client_id, last_end = demo_report_client()
    defaults = report_defaults(client_id, demo_path, FIXED_NOW)
    assert defaults.start == last_end + dt.timedelta(days=1)
    assert defaults.end == FIXED_TODAY
    data = progress_report_data(client_id, defaults.start, defaults.end, FIXED_NOW)
    start, end = defaults.start.isoformat(), defaults.end.isoformat()
    in_range = "a.client_id = ? AND date(a.start) BETWEEN ? AND ?"

    def count(status: str) -> int:
        return sql(
            f"SELECT count(*) FROM appointment a WHERE {in_range} AND a.status = ?",
            client_id,
            start,
            end,
            status,
        )[0][0]

    assert data.attended == count("completed")
    assert data.cancelled == count("cancelled")
    assert data.no_show == count("no_show")
    signed = sql(
        "SELECT n.pain_before, n.pain_after FROM session_note n "
        f"JOIN appointment a ON a.id = n.appointment_id WHERE {in_range} "
        "AND n.signed_at IS NOT NULL ORDER BY a.start",
        client_id,
        start,
        end,
    )
    assert len(data.visits) == len(signed) >= 3
    befores = [b for b, _ in signed if b is not None]
    assert (data.first_pain, data.last_pain) == (befores[0], befores[-1])
    assert [(v.pain_before, v.pain_after) for v in data.visits] == signed
    goals = sql("SELECT id, activity FROM goal WHERE client_id = ? ORDER BY position", client_id)
    assert [g.activity for g in data.goals] == [name for _, name in goals]
    for (goal_id, _), goal in zip(goals, data.goals, strict=True):
        scores = [
            score
            for (score,) in sql(
                "SELECT s.score FROM goal_score s LEFT JOIN session_note n ON n.id = s.note_id "
                "WHERE s.goal_id = ? AND s.day BETWEEN ? AND ? "
                "AND (s.note_id IS NULL OR n.signed_at IS NOT NULL) ORDER BY s.day, s.id",
                goal_id,
                start,
                end,
            )
        ]
        assert [s.score for s in goal.scores] == scores
        assert goal.change == (scores[-1] - scores[0] if len(scores) > 1 else None)
    # Drafts in the range are left out, and counted.
    drafts = sql(
        "SELECT count(*) FROM appointment a LEFT JOIN session_note n ON n.appointment_id = a.id "
        f"WHERE {in_range} AND (a.status = 'completed' "
        "OR (a.status = 'booked' AND a.\"end\" <= ?)) "
        "AND n.signed_at IS NULL",
        client_id,
        start,
        end,
        FIXED_NOW.isoformat(sep=" "),
    )[0][0]
    assert data.unsigned == defaults.unsigned == drafts


def test_a_report_is_written_read_back_and_recorded(demo_path: Path, tmp_path: Path) -> None:
    client_id, _ = demo_report_client()
    defaults = report_defaults(client_id, demo_path, FIXED_NOW)
    folder = tmp_path / "reports"
    made = make_progress_report(
        client_id,
        defaults.start,
        defaults.end,
        "Pain before sessions eased.\nLifting is easier.",
        "Continue fortnightly for 6 weeks.",
        folder,
        now=FIXED_NOW,
    )
    for path in (made.pdf, made.markdown):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = pdf_text(made.pdf)
    name = made.data.client_name
    for expected in (
        f"Progress report · {name}",
        "Riverside Medical Massage",
        "Sam Rivera",  # the therapist and registration, from the Practice screen
        "RMT-04821",
        "Pain before sessions eased.",
        "Continue fortnightly for 6 weeks.",
        "Lift my grandchild",
        f"{made.data.attended} attended",
        "made 27 November 2026",
    ):
        assert expected in text, expected
    markdown = made.markdown.read_text()
    assert f"# Progress report · {name}" in markdown and "Lift my grandchild" in markdown
    row = ProgressReport.select().order_by(ProgressReport.id.desc()).first()
    assert (row.client_id, row.start, row.end) == (client_id, defaults.start, defaults.end)
    assert row.file_name == str(made.pdf)
    # The next report starts where this one ended (today), and a second file gets a new name.
    assert report_defaults(client_id, demo_path, FIXED_NOW).start == FIXED_TODAY
    again = make_progress_report(
        client_id, defaults.start, defaults.end, "Again.", "", folder, now=FIXED_NOW
    )
    assert again.pdf != made.pdf and again.pdf.exists()


def test_a_report_without_a_summary_or_signed_notes_is_refused(
    demo_path: Path, tmp_path: Path
) -> None:
    client_id, _ = demo_report_client()
    before = ProgressReport.select().count()
    folder = tmp_path / "reports"
    with pytest.raises(ValidationError) as error:
        make_progress_report(
            client_id, dt.date(2026, 9, 1), FIXED_TODAY, "   ", "", folder, now=FIXED_NOW
        )
    assert error.value.field == "summary"
    with pytest.raises(ValidationError) as error:
        make_progress_report(
            client_id, dt.date(2020, 1, 1), dt.date(2020, 2, 1), "Fine.", "", folder, now=FIXED_NOW
        )
    assert "No signed notes" in error.value.message
    with pytest.raises(ValidationError):
        make_progress_report(
            client_id, FIXED_TODAY, dt.date(2026, 9, 1), "Fine.", "", folder, now=FIXED_NOW
        )
    assert ProgressReport.select().count() == before
    assert not folder.exists() or not any(folder.iterdir())


def _comparable(record: dict[str, Any]) -> dict[str, Any]:
    """The record without what differs between two files: ids, the export time."""
    record = copy.deepcopy(record)
    for key in ("exported_at", "practice"):
        record.pop(key)
    plan_keys = {plan["key"]: index for index, plan in enumerate(record["plans"])}
    appointment_keys = {a["key"]: index for index, a in enumerate(record["appointments"])}
    for plan in record["plans"]:
        plan["key"] = plan_keys[plan["key"]]
        plan["replaces"] = plan_keys.get(plan["replaces"])
    for appointment in record["appointments"]:
        appointment["key"] = appointment_keys[appointment["key"]]
        appointment["plan"] = plan_keys.get(appointment["plan"])
    for goal in record["goals"]:
        for score in goal["scores"]:
            score["appointment"] = appointment_keys.get(score["appointment"])
    money = record["money"]
    for item in money["fees"] + money["session_codes"] + money["policy_fees"]:
        item["appointment"] = appointment_keys[item["appointment"]]
    for package in money["packages"]:
        package["used_by"] = [appointment_keys[key] for key in package["used_by"]]
    for payment in money["payments"]:
        for part in payment["paid"]:
            part["appointment"] = appointment_keys[part["appointment"]]
    return record


def test_the_json_record_re_creates_the_client_in_an_empty_file(
    demo_path: Path, tmp_path: Path
) -> None:
    client_id, _ = demo_report_client()
    signed = sql(
        "SELECT n.id FROM session_note n JOIN appointment a ON a.id = n.appointment_id "
        "WHERE a.client_id = ? AND n.signed_at IS NOT NULL ORDER BY a.start LIMIT 1",
        client_id,
    )[0][0]
    add_amendment(signed, "Pain after was 3, not 2.", "typing slip", now=FIXED_NOW)
    original = client_record(client_id, FIXED_NOW)
    assert original["goals"] and original["progress_reports"]
    assert any(a["note"] and a["note"]["amendments"] for a in original["appointments"])
    json_path, pdf_path = tmp_path / "record.json", tmp_path / "record.pdf"
    export_client(client_id, now=FIXED_NOW, pdf=pdf_path, json_path=json_path)
    assert stat.S_IMODE(os.stat(json_path).st_mode) == 0o600
    text = pdf_text(pdf_path)
    assert "AMENDMENT" in text and "typing slip" in text and "Lift my grandchild" in text
    # Into the same file: refused as a likely duplicate, nothing written.
    with pytest.raises(ConflictError):
        import_client(json_path, now=FIXED_NOW)
    close_database()
    other = tmp_path / "other.db"
    open_database(other)
    ensure_practice(timezone=TIMEZONE)
    new_id = import_client(json_path, now=FIXED_NOW)
    copied = client_record(new_id, FIXED_NOW)
    assert _comparable(copied) == _comparable(original)
    signed_after = sql("SELECT count(*) FROM session_note WHERE signed_at IS NOT NULL")[0][0]
    assert signed_after == sum(
        1 for a in original["appointments"] if a["note"] and a["note"]["signed_at"]
    )
    # Signed stays signed: the database still refuses to change one.
    with pytest.raises(Exception, match="locked"):
        database.obj.execute_sql(
            "UPDATE session_note SET subjective = 'x' WHERE signed_at IS NOT NULL"
        )


def test_export_and_import_from_the_command_line(demo_path: Path, tmp_path: Path) -> None:
    client_id, _ = demo_report_client()
    close_database()
    target = tmp_path / "c.json"
    assert (
        main(
            ["--db", str(demo_path), "export", "client", str(client_id), "--json", str(target)],
            now=FIXED_NOW,
        )
        == 0
    )
    assert target.exists()
    assert (
        main(
            ["export", "client", "a", "--json", str(tmp_path / "x.json"), "--db", str(demo_path)],
            now=FIXED_NOW,
        )
        == 2
    )
    assert main(["export", "client", str(client_id), "--db", str(demo_path)], now=FIXED_NOW) == 2
    fresh = tmp_path / "fresh.db"
    assert main(["--db", str(fresh), "import", "client", str(target)], now=FIXED_NOW) == 0
    assert main(["--db", str(fresh), "import", "client", str(target)], now=FIXED_NOW) == 1
    assert main(["--db", str(fresh), "import", "client", str(demo_path)], now=FIXED_NOW) == 1
