"""Calendar export: stable UIDs, the practice's zone with its VTIMEZONE, no health
detail, initials, the kept-up-to-date file, and calcurse reading it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from practice_tui.domain.appointments import appointments_between
from practice_tui.domain.exchange import sync
from practice_tui.domain.exchange.ics import export_ics
from practice_tui.domain.schedule import cancel_appointment
from tests.conftest import FIXED_NOW, FIXED_TODAY, TIMEZONE

MONTH = (FIXED_TODAY, FIXED_TODAY + dt.timedelta(days=30))


def _events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_export_reads_back_with_icalendar(demo_path: Path) -> None:
    export = export_ics(*MONTH)
    expected = [a for a in appointments_between(*MONTH) if a.status in ("booked", "completed")]
    events = _events(export.data)
    assert export.events == len(events) == len(expected) > 20
    tz = ZoneInfo(TIMEZONE)
    for event, appointment in zip(events, expected, strict=True):
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert start == appointment.start.replace(tzinfo=tz)
        assert end == appointment.end.replace(tzinfo=tz)
        assert str(event["dtstart"].params["TZID"]) == TIMEZONE
        assert str(event["summary"]) == f"{appointment.client_name} – {appointment.service_name}"
        assert str(event["status"]) == "CONFIRMED"
    calendar = icalendar.Calendar.from_ical(export.data)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == [TIMEZONE]


def test_uids_are_stable_and_unique(demo_path: Path) -> None:
    first = [str(e["uid"]) for e in _events(export_ics(*MONTH).data)]
    again = [str(e["uid"]) for e in _events(export_ics().data)]
    assert len(set(first)) == len(first)
    assert set(first) <= set(again)


def test_no_health_detail_and_initials(demo_path: Path) -> None:
    data = export_ics(*MONTH, only_initials=True).data.decode()
    appointments = appointments_between(*MONTH)
    for appointment in appointments:
        assert appointment.client_name not in data
        if appointment.contraindications:
            assert appointment.contraindications[:20] not in data
    assert "SUMMARY:M.K." in data or "SUMMARY:" in data
    for event in _events(data.encode()):
        assert str(event["summary"]).endswith(".")
        assert "description" not in event


def test_cancelled_appointments_are_left_out(demo_path: Path) -> None:
    booked = next(
        a for a in appointments_between(*MONTH) if a.status == "booked" and a.start > FIXED_NOW
    )
    cancel_appointment(booked.id, "ill", now=FIXED_NOW)
    uids = {str(e["uid"]) for e in _events(export_ics(*MONTH).data)}
    assert not any(uid.startswith(f"appointment-{booked.id}@") for uid in uids)


def test_kept_calendar_is_rewritten_after_each_change(demo_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "phone" / "practice.ics"
    sync.keep_calendar_updated(target)
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    booked = next(
        a for a in appointments_between(*MONTH) if a.status == "booked" and a.start > FIXED_NOW
    )
    uid = f"appointment-{booked.id}@"
    assert uid in target.read_text()
    cancel_appointment(booked.id, "ill", now=FIXED_NOW)
    assert uid not in target.read_text()
    sync.stop_calendar_updates()
    assert not sync.calendar_setting().enabled


def test_a_calendar_that_cannot_be_written_never_fails_the_save(
    demo_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "practice.ics"
    sync.keep_calendar_updated(target)
    target.unlink()
    target.mkdir()  # a folder where the file was: os.replace fails, even for root
    booked = next(
        a for a in appointments_between(*MONTH) if a.status == "booked" and a.start > FIXED_NOW
    )
    cancel_appointment(booked.id, "ill", now=FIXED_NOW)  # does not raise
    assert "could not be written" in sync.last_error
    assert appointments_between(*MONTH)[0] is not None
    target.rmdir()
    sync.refresh()
    assert sync.last_error == "" and target.is_file()


def test_a_folder_is_refused_as_the_kept_calendar(demo_path: Path, tmp_path: Path) -> None:
    from practice_tui.domain.errors import ValidationError

    with pytest.raises(ValidationError, match="folder"):
        sync.keep_calendar_updated(tmp_path)
    assert not sync.calendar_setting().enabled


@pytest.mark.skipif(shutil.which("calcurse") is None, reason="calcurse is not installed")
def test_calcurse_loads_the_export_with_the_same_appointments(
    demo_path: Path, tmp_path: Path
) -> None:
    export = export_ics(*MONTH)
    ics = tmp_path / "demo.ics"
    ics.write_bytes(export.data)
    folder = tmp_path / "calcurse"
    folder.mkdir()
    env = {**os.environ, "TZ": TIMEZONE, "HOME": str(tmp_path)}
    done = subprocess.run(
        ["calcurse", "-D", str(folder), "-i", str(ics)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert f"{export.events} apps" in done.stdout
    loaded = set()
    for line in (folder / "apts").read_text().splitlines():
        # 11/27/2026 @ 09:00 -> 11/27/2026 @ 10:00>…|Maya Kowalski – Medical massage 60
        when, _, summary = line.partition("|")
        start, _, end = when.partition(" -> ")
        end = end.split(">")[0].split(" |")[0].strip()
        loaded.add(
            (
                dt.datetime.strptime(start.strip(), "%m/%d/%Y @ %H:%M"),
                dt.datetime.strptime(end, "%m/%d/%Y @ %H:%M"),
                summary,
            )
        )
    expected = {
        (a.start, a.end, f"{a.client_name} – {a.service_name}")
        for a in appointments_between(*MONTH)
        if a.status in ("booked", "completed")
    }
    assert loaded == expected
