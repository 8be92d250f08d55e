"""`superbill` and `report income` read their dates on the practice's clock
("today" is the practice's today, not the computer's) and never write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from practice_tui.cli import main
from practice_tui.domain import clock
from practice_tui.domain.billing import set_session_codes
from practice_tui.domain.db import close_database, open_database
from practice_tui.domain.payments import record_payment
from tests.conftest import FIXED_NOW, FIXED_TODAY
from tests.domain.test_receipts import MON, setup  # noqa: F401 — the fixture
from tests.test_cli_files import beside, closed_demo, digest  # noqa: F401 — the fixture

VISIT_DAY = dt.datetime.combine(MON, dt.time(18))  # the evening of the visit


def run(args: list[str], capsys: pytest.CaptureFixture[str], **kwargs: object) -> list[str]:
    close_database()
    assert main(args, **kwargs) == 0  # type: ignore[arg-type]
    return capsys.readouterr().out.splitlines()


def test_superbill_today_is_the_practice_clocks_today(
    setup,  # noqa: F811
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, visit = setup
    set_session_codes(visit, "97124 60")
    monkeypatch.setattr(clock, "practice_now", lambda: VISIT_DAY)
    args = ["--db", str(db_path), "superbill", "Gómez", "--from", "today", "--to", "today"]
    out = run([*args, "--csv"], capsys)
    assert out[1:] == ["2026-11-23,Lucía Gómez,97124,,60,4,90.00"]
    out = run(args, capsys, now=VISIT_DAY + dt.timedelta(days=1))
    assert "2026-11-24 to 2026-11-24" in out[0] and not any("97124" in line for line in out)
    open_database(db_path)


def test_income_report_today_is_the_practice_clocks_today(
    setup,  # noqa: F811
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client, _ = setup
    record_payment(client, "90", "cash", received_on=MON, today=FIXED_TODAY)
    monkeypatch.setattr(clock, "practice_now", lambda: VISIT_DAY)
    args = ["--db", str(db_path), "report", "income", "--from", "today", "--to", "today"]
    out = run([*args, "--csv"], capsys)
    assert "method,cash,,90.00" in out
    before = db_path.stat().st_mtime_ns
    out = run(args, capsys, now=VISIT_DAY - dt.timedelta(days=1))
    assert out[0] == "Income 2026-11-22 to 2026-11-22" and not any("cash" in x for x in out)
    assert db_path.stat().st_mtime_ns == before  # read-only: the file is not written
    open_database(db_path)


@pytest.mark.parametrize(
    "command",
    [
        ["report", "income", "--from", "2026-01-01", "--to", "2026-12-31"],
        ["superbill", "Olivia Moreau", "--from", "2026-01-01", "--to", "2026-12-31", "--csv"],
        ["export", "client", "Olivia Moreau", "--json", "OUT"],
        ["settings"],
    ],
)
def test_reports_and_exports_read_only_while_another_window_writes(
    closed_demo: Path,  # noqa: F811
    command: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sqlite3

    import practice_tui.domain.audit as audit_module
    import practice_tui.domain.db as db_module

    monkeypatch.setattr(db_module, "BUSY_PATIENCE_SECONDS", 0.0)
    # Noting the export in the trail gives up at once rather than after a second.
    monkeypatch.setattr(audit_module, "EXPORT_NOTE_PATIENCE_MS", 0)
    out = tmp_path / "out"
    out.mkdir()
    command = [str(out / "record.json") if part == "OUT" else part for part in command]
    before, files = digest(closed_demo), beside(closed_demo)
    writer = sqlite3.connect(closed_demo, timeout=0)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE practice SET name = 'Being renamed'")
    try:
        assert main([*command, "--db", str(closed_demo)], now=FIXED_NOW) == 0, (
            capsys.readouterr().err
        )
    finally:
        writer.rollback()
        writer.close()
    close_database()
    assert beside(closed_demo) == files and digest(closed_demo) == before
