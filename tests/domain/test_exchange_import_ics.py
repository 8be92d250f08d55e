"""Calendar import: clients by name, series as plans that match the calendar's
occurrences exactly (checked against recurring-ical-events), UIDs never
imported twice, overlaps listed, bad events listed, --check writes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from practice_tui.domain.appointments import appointments_between
from practice_tui.domain.clients import create_client, search_clients
from practice_tui.domain.db import close_database, open_database
from practice_tui.domain.errors import ValidationError
from practice_tui.domain.exchange.ics import export_ics
from practice_tui.domain.exchange.ics_import import import_ics, import_report
from practice_tui.domain.models import Appointment, Plan, PlanSkip
from practice_tui.domain.plans import get_plan, list_plans
from practice_tui.domain.settings import ensure_practice
from tests.conftest import FIXED_NOW, FIXED_TODAY, TIMEZONE

LONDON = ZoneInfo(TIMEZONE)

#: A Google-Calendar-like export of an old practice: a weekly series with a
#: skipped week and a moved session, a monthly rule, a series kept in another
#: time zone (its London times shift when the US and UK change clocks on
#: different dates), an open-ended weekly series, single events, an all-day
#: event, a cancelled one, and a broken one.
OLD_PRACTICE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Google Inc//Google Calendar 70.9054//EN
X-WR-TIMEZONE:Europe/London
BEGIN:VTIMEZONE
TZID:Europe/London
BEGIN:DAYLIGHT
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
TZNAME:BST
DTSTART:19700329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
TZNAME:GMT
DTSTART:19701025T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20261201T100000
DTEND;TZID=Europe/London:20261201T110000
RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=8
EXDATE;TZID=Europe/London:20261222T100000
UID:weekly-maya@google.com
SUMMARY:Maya Thompson - Medical massage 60
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20261211T150000
DTEND;TZID=Europe/London:20261211T160000
RECURRENCE-ID;TZID=Europe/London:20261208T100000
UID:weekly-maya@google.com
SUMMARY:Maya Thompson - Medical massage 60
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20261208T140000
DTEND;TZID=Europe/London:20261208T153000
RRULE:FREQ=MONTHLY;BYDAY=2TU;UNTIL=20270615T235959Z
UID:monthly-ben@google.com
SUMMARY:Ben Carter – Medical massage 90
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=America/New_York:20270302T090000
DTEND;TZID=America/New_York:20270302T100000
RRULE:FREQ=WEEKLY;COUNT=6
UID:travel-lucia@google.com
SUMMARY:Lucía Gómez
END:VEVENT
BEGIN:VEVENT
DTSTART:20261203T120000Z
DTEND:20261203T130000Z
RRULE:FREQ=WEEKLY;BYDAY=TH
UID:open-ended@google.com
SUMMARY:Priya Shah - Sports massage 60
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20261130T090000
DTEND;TZID=Europe/London:20261130T100000
UID:single-1@google.com
SUMMARY:Maya Thompson
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20261130T093000
DTEND;TZID=Europe/London:20261130T103000
UID:single-2@google.com
SUMMARY:Tom Baker - Deep tissue 60
END:VEVENT
BEGIN:VEVENT
DTSTART;VALUE=DATE:20261224
DTEND;VALUE=DATE:20261227
UID:holiday@google.com
SUMMARY:Christmas break
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20261202T090000
DTEND;TZID=Europe/London:20261202T100000
STATUS:CANCELLED
UID:cancelled@google.com
SUMMARY:Maya Thompson
END:VEVENT
BEGIN:VEVENT
DTSTART:2026120
SUMMARY:Broken event
UID:broken@google.com
END:VEVENT
END:VCALENDAR
"""


def _occurrences(uid: str, until: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The calendar's own occurrences of one series, by recurring-ical-events."""
    broken = OLD_PRACTICE.index("BEGIN:VEVENT\nDTSTART:2026120\n")
    calendar = icalendar.Calendar.from_ical(OLD_PRACTICE[:broken] + "END:VCALENDAR\n")
    result = []
    for event in recurring_ical_events.of(calendar).between(dt.date(2026, 1, 1), until):
        if str(event["UID"]) != uid:
            continue
        start = event.decoded("DTSTART").astimezone(LONDON).replace(tzinfo=None)
        end = event.decoded("DTEND").astimezone(LONDON).replace(tzinfo=None)
        result.append((start, end))
    return sorted(result)


def _imported(plan_external_uid: str) -> list[tuple[dt.datetime, dt.datetime]]:
    plan = Plan.get(Plan.external_uid == plan_external_uid)
    details = get_plan(plan.id, now=FIXED_NOW)
    return sorted((s.start, s.end) for s in details.sessions if s.state in ("booked", "completed"))


@pytest.fixture
def imported(db_path: Path):
    create_client({"first_name": "Maya", "last_name": "Thompson"}, today=FIXED_TODAY)
    create_client({"first_name": "Ben", "last_name": "Carter"}, today=FIXED_TODAY)
    return import_ics(OLD_PRACTICE.encode(), now=FIXED_NOW, name="old.ics")


def test_weekly_series_with_a_skipped_week_and_a_moved_session(imported) -> None:
    sessions = _imported("weekly-maya@google.com")
    assert sessions == _occurrences("weekly-maya@google.com", dt.date(2027, 12, 31))
    assert len(sessions) == 7  # 8 dates, one skipped
    assert (dt.datetime(2026, 12, 11, 15), dt.datetime(2026, 12, 11, 16)) in sessions
    plan = Plan.get(Plan.external_uid == "weekly-maya@google.com")
    assert [s.slot for s in PlanSkip.select().where(PlanSkip.plan == plan)] == [
        dt.datetime(2026, 12, 22, 10)
    ]
    moved = Appointment.get(
        (Appointment.plan == plan) & (Appointment.plan_slot == dt.datetime(2026, 12, 8, 10))
    )
    assert moved.plan_modified and moved.start == dt.datetime(2026, 12, 11, 15)
    assert moved.client.first_name == "Maya"  # matched, not created
    # ... and Today shows the sessions at the calendar's times.
    from practice_tui.domain.today import day_view

    for day, time in ((dt.date(2026, 12, 1), dt.time(10)), (dt.date(2026, 12, 11), dt.time(15))):
        items = day_view(day, now=FIXED_NOW).appointments
        assert [(a.start.time(), a.client_name) for a in items] == [(time, "Maya Thompson")]
    assert day_view(dt.date(2026, 12, 22), now=FIXED_NOW).appointments == ()


def test_monthly_series_to_its_until(imported) -> None:
    sessions = _imported("monthly-ben@google.com")
    assert sessions == _occurrences("monthly-ben@google.com", dt.date(2027, 12, 31))
    assert len(sessions) == 7  # Dec 2026 … Jun 2027, second Tuesday
    assert all(s[1] - s[0] == dt.timedelta(minutes=90) for s in sessions)


def test_open_ended_series_fills_to_the_plan_horizon(imported) -> None:
    sessions = _imported("open-ended@google.com")
    horizon = FIXED_TODAY + dt.timedelta(weeks=12)
    assert sessions == _occurrences("open-ended@google.com", horizon + dt.timedelta(days=1))
    assert sessions[-1][0].date() <= horizon < sessions[-1][0].date() + dt.timedelta(days=7)
    assert sessions[0][0] == dt.datetime(2026, 12, 3, 12)  # UTC noon is London noon in winter
    plan = Plan.get(Plan.external_uid == "open-ended@google.com")
    assert plan.until is None and plan.count is None


def test_a_series_in_another_zone_becomes_separate_appointments(imported) -> None:
    expected = _occurrences("travel-lucia@google.com", dt.date(2027, 12, 31))
    assert len({s.time() for s, _ in expected}) == 2  # 14:00, then 13:00 for a while
    rows = (
        Appointment.select()
        .where(Appointment.external_uid.startswith("travel-lucia@google.com/"))
        .order_by(Appointment.start)
    )
    assert [(r.start, r.end) for r in rows] == expected
    assert any("separate appointments" in n.reason for n in imported.split_series)


def test_summary_lists_skips_bad_events_conflicts_and_new_clients(imported) -> None:
    reasons = {n.title: n.reason for n in imported.skipped}
    assert "all-day" in reasons["Christmas break"]
    assert "cancelled" in reasons["Maya Thompson"]
    assert [n.title for n in imported.bad] == ["Broken event"]
    assert imported.bad[0].where.startswith("line ")
    line = int(imported.bad[0].where.split()[1])
    assert OLD_PRACTICE.splitlines()[line - 1] == "BEGIN:VEVENT"
    assert OLD_PRACTICE.splitlines()[line] == "DTSTART:2026120"
    # Tom Baker's 09:30 overlaps Maya's 09:00: both imported, listed as a conflict.
    assert any(
        "overlaps" in n.reason and "Tom Baker" in n.title + n.reason for n in imported.conflicts
    )
    assert len(appointments_between(dt.date(2026, 11, 30), dt.date(2026, 11, 30))) == 2
    assert set(imported.clients_created) == {"Lucía Gómez", "Priya Shah", "Tom Baker"}
    tom = search_clients("tom baker", now=FIXED_NOW)[0]
    from practice_tui.domain.clients import get_client

    assert "Intake to complete" in get_client(tom.id).notes
    text = "\n".join(import_report(imported))
    assert "Broken event" in text and "all-day" in text


def test_a_second_import_creates_nothing(imported) -> None:
    before = Appointment.select().count()
    again = import_ics(OLD_PRACTICE.encode(), now=FIXED_NOW, name="old.ics")
    assert again.created == 0 and again.plans == 0 and not again.clients_created
    assert again.already_imported >= 7
    assert Appointment.select().count() == before


def test_check_writes_nothing(db_path: Path) -> None:
    digest = hashlib.sha256(db_path.read_bytes()).hexdigest()
    result = import_ics(OLD_PRACTICE.encode(), now=FIXED_NOW, check=True)
    assert result.checked_only and result.created > 20
    assert Appointment.select().count() == 0 and Plan.select().count() == 0
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("data", [b"hello, world\n", b"\x00\x01binary", b"", b"BEGIN:VCARD\n"])
def test_not_a_calendar_is_one_clear_error(db_path: Path, data: bytes) -> None:
    with pytest.raises(ValidationError, match="not an iCalendar file|cannot be read"):
        import_ics(data, now=FIXED_NOW)
    assert Appointment.select().count() == 0


def test_plans_of_an_import_show_on_the_plans_screen(imported) -> None:
    words = [p.words for p in list_plans(now=FIXED_NOW)]
    assert any(w.startswith("Every Tue at 10:00") for w in words), words


def test_export_import_round_trip_gives_the_same_appointments(
    demo_path: Path, tmp_path: Path
) -> None:
    window = (FIXED_TODAY - dt.timedelta(days=60), FIXED_TODAY + dt.timedelta(days=60))
    data = export_ics(*window).data
    original = sorted(
        (a.start, a.end, a.client_name, a.service_name)
        for a in appointments_between(*window)
        if a.status in ("booked", "completed")
    )
    close_database()
    open_database(tmp_path / "new.db")
    ensure_practice(timezone=TIMEZONE)
    result = import_ics(data, now=FIXED_NOW)
    assert not result.bad and result.created == len(original)
    again = sorted(
        (a.start, a.end, a.client_name, a.service_name) for a in appointments_between(*window)
    )
    assert again == original


def test_thousands_of_events_in_one_transaction(db_path: Path) -> None:
    """A large calendar — years of visits, hundreds of clients — imports whole,
    in one transaction (counts only: speed is for ``benchmarks/``, which
    imports twenty years). The file is test data, written as text to keep the
    test quick."""
    start = dt.datetime(2020, 1, 6, 8, 0)
    events = []
    for n in range(4_000):
        day, slot = divmod(n, 8)
        begin = start + dt.timedelta(days=day, hours=slot)
        end = begin + dt.timedelta(minutes=60)
        events.append(
            f"BEGIN:VEVENT\r\nUID:bulk-{n}@example.com\r\nDTSTAMP:20200101T000000Z\r\n"
            f"DTSTART:{begin:%Y%m%dT%H%M%S}\r\nDTEND:{end:%Y%m%dT%H%M%S}\r\n"
            f"SUMMARY:Client{n % 300} Person{n % 300} - Medical massage 60\r\nEND:VEVENT\r\n"
        )
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + "".join(events)
        + "END:VCALENDAR\r\n"
    ).encode()
    result = import_ics(data, now=FIXED_NOW)
    assert result.appointments == 4_000 and not result.bad and not result.conflicts
    assert len(result.clients_created) == 300
    assert Appointment.select().count() == 4_000
    assert Appointment.select().where(Appointment.status == "completed").count() == 4_000


def test_a_title_without_a_client_is_listed_not_made_a_client(db_path: Path) -> None:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//test//EN")
    calendar.add("version", "2.0")
    for uid, title in (("a", "Medical massage 60"), ("b", ""), ("c", "Deep tissue 60 – Ann Lee")):
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("dtstart", dt.datetime(2026, 12, 1, 10 + len(uid + title) % 5))
        event.add("duration", dt.timedelta(hours=1))
        if title:
            event.add("summary", title)
        calendar.add_component(event)
    result = import_ics(calendar.to_ical(), now=FIXED_NOW)
    reasons = sorted(n.reason for n in result.bad)
    assert reasons == ["the event has no title to take a client's name from",
                       "the title names a service but no client"]  # fmt: skip
    assert result.clients_created == ("Ann Lee",)
    [row] = Appointment.select()
    assert row.service.name == "Deep tissue 60" and row.end - row.start == dt.timedelta(hours=1)


def test_import_from_a_date_brings_only_the_booked_future(db_path: Path) -> None:
    since = dt.date(2026, 12, 10)
    result = import_ics(OLD_PRACTICE.encode(), now=FIXED_NOW, since=since)
    assert result.before_since > 0
    assert not Appointment.select().where(Appointment.start < dt.datetime(2026, 12, 10)).exists()
    # The weekly series is still a plan: the moved session (11 Dec) and the
    # skipped week are kept, and its sessions from then on match the calendar.
    plan = Plan.get(Plan.external_uid == "weekly-maya@google.com")
    assert plan.first_start == dt.datetime(2026, 12, 8, 10)  # the date moved to 11 Dec
    expected = [s for s in _occurrences("weekly-maya@google.com", dt.date(2027, 12, 31))
                if s[0].date() >= since]  # fmt: skip
    assert _imported("weekly-maya@google.com") == expected
    assert (dt.datetime(2026, 12, 11, 15), dt.datetime(2026, 12, 11, 16)) in expected
