"""The Practice screen's rules: details, hours, time off, services, policies,
money amounts, the first-run set-up and the practice's clock."""

from __future__ import annotations

import datetime as dt

import pytest

from practice_tui.domain import availability, clock, settings
from practice_tui.domain.clients import create_client
from practice_tui.domain.errors import OutsideHoursError, ValidationError
from practice_tui.domain.models import Appointment, Practice, Service
from practice_tui.domain.money import format_amount, parse_amount
from practice_tui.domain.plans import PlanDraft, create_plan, preview_plan, skip_clashes
from practice_tui.domain.schedule import (
    book_appointment,
    cancel_appointment,
    check_slot,
    get_appointment,
    is_late_cancel,
)
from practice_tui.domain.today import day_view, week_overview
from practice_tui.domain.types import WorkingDay
from tests.conftest import FIXED_NOW, FIXED_TODAY, freeze_the_wall_clock

NOW = FIXED_NOW
MONDAY = dt.date(2026, 11, 30)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


def service_id(name: str = "Medical massage 60") -> int:
    return next(s.id for s in settings.list_services(True) if s.name == name)


@pytest.fixture
def ann(db_path) -> int:
    return create_client({"first_name": "Ann", "last_name": "Lee"}, today=FIXED_TODAY).id


# --- money --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cents"), [("85", 8500), ("85.5", 8550), ("85.50", 8550), ("$1,200", 120000), ("0", 0)]
)
def test_amounts_are_read_as_whole_cents(text, cents) -> None:
    assert parse_amount(text) == cents


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("-5", "negative"),
        ("8.555", "two decimals"),
        ("abc", "number"),
        ("", "needed"),
        ("nan", "number"),
        ("99999999", "too large"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(text, words) -> None:
    with pytest.raises(ValidationError, match=words):
        parse_amount(text, field="price")


def test_amounts_are_formatted_with_the_currency() -> None:
    assert format_amount(8550, "$") == "$85.50"
    assert format_amount(123456789, "€") == "€1,234,567.89"
    assert format_amount(500, code="CAD") == "5.00 CAD"


# --- details and policies -----------------------------------------------------------


def test_details_are_saved_and_checked_field_by_field(db_path) -> None:
    info = settings.update_practice(
        name="  Calm  Hands ",
        therapist_name="Ana Ruiz",
        credentials="RMT",
        npi="1234567890",
        email="ana@example.com",
        currency_code="cad",
        currency_symbol="$",
    )
    assert (info.name, info.therapist_name, info.currency_code) == ("Calm Hands", "Ana Ruiz", "CAD")
    with pytest.raises(ValidationError) as caught:
        settings.update_practice(
            name=" ", npi="123", email="nope", currency_code="dollars", timezone="Mars/Base"
        )
    assert set(caught.value.errors) == {"name", "npi", "email", "currency_code", "timezone"}
    assert settings.get_practice().name == "Calm Hands"  # nothing changed


def test_changing_the_zone_keeps_wall_clock_times_and_moves_the_clock(
    db_path, ann, monkeypatch
) -> None:
    booked = book_appointment(ann, service_id(), at(MONDAY, 10))
    # 22:20 in London is 11:20 the next morning in Auckland (UTC+13 in summer).
    freeze_the_wall_clock(monkeypatch, dt.datetime(2026, 11, 27, 22, 20, tzinfo=dt.UTC))
    assert clock.practice_now() == dt.datetime(2026, 11, 27, 22, 20)
    settings.update_practice(timezone="Pacific/Auckland")
    assert get_appointment(booked.id).start == at(MONDAY, 10)
    assert clock.practice_zone() == "Pacific/Auckland"
    assert clock.practice_now() == dt.datetime(2026, 11, 28, 11, 20)


def test_policies_are_checked_and_the_late_cancel_window_is_read(db_path, ann) -> None:
    with pytest.raises(ValidationError, match="0 to 120"):
        settings.update_policies(buffer_minutes=200)
    with pytest.raises(ValidationError, match="whole number"):
        settings.read_policy("late_cancel_hours", "1.5")
    start = NOW + dt.timedelta(hours=30)
    assert not is_late_cancel(start, NOW)
    settings.update_policies(late_cancel_hours=96, plan_horizon_weeks=8, default_minutes=90)
    assert is_late_cancel(start, NOW)
    info = settings.get_practice()
    assert (info.late_cancel_hours, info.plan_horizon_weeks, info.default_minutes) == (96, 8, 90)
    booked = book_appointment(ann, service_id(), at(dt.date(2026, 11, 30), 15))
    assert cancel_appointment(booked.id, "flu", now=NOW).late_cancel


# --- working hours ----------------------------------------------------------------


def test_a_week_is_read_with_messages_next_to_each_field() -> None:
    with pytest.raises(ValidationError) as caught:
        settings.read_week(
            [
                ("18:00-10:00", ""),
                ("10:00-18:00", "13:00-19:00"),
                ("off", "12:00-13:00"),
                ("banana", ""),
                ("", ""),
                ("", ""),
                ("", ""),
            ]
        )
    assert set(caught.value.errors) == {"hours-0", "break-1", "break-2", "hours-3"}
    week = settings.read_week([("", "")] + [("10-18", "14:00-14:30")] * 5 + [("", "")])
    assert week[0] is None and week[5] == WorkingDay(
        5, dt.time(10), dt.time(18), dt.time(14), dt.time(14, 30)
    )


def test_new_hours_that_strand_bookings_list_them_and_need_a_confirm(db_path, ann) -> None:
    booked = book_appointment(ann, service_id(), at(MONDAY, 9))
    week = settings.read_week([("", "")] + [("10-18", "14:00-14:30")] * 5 + [("", "")])
    with pytest.raises(settings.AffectsBookings) as caught:
        settings.set_week(week, now=NOW)
    assert [a.id for a in caught.value.conflicts] == [booked.id]
    assert settings.get_practice().hours_on(0) is not None  # nothing saved
    info = settings.set_week(week, now=NOW, confirm=True)
    assert info.hours_on(0) is None and info.hours_on(5).start == dt.time(10)
    assert get_appointment(booked.id).status == "booked"  # never moved or cancelled
    assert get_appointment(booked.id).start == at(MONDAY, 9)
    # Saturday is now a working day: booking there needs no confirm.
    book_appointment(ann, service_id(), at(dt.date(2026, 12, 5), 10))


# --- services -------------------------------------------------------------------


def test_a_new_price_never_touches_booked_fees(db_path, ann) -> None:
    sid = service_id()
    booked = book_appointment(ann, sid, at(MONDAY, 10))
    settings.update_service(sid, "Medical massage 60", 60, 9500)
    later = book_appointment(ann, sid, at(MONDAY, 14))
    fees = {row.id: row.fee_cents for row in Appointment.select()}
    assert fees == {booked.id: 8500, later.id: 9500}


def test_service_validation_and_duplicates(db_path) -> None:
    added = settings.add_service("Hot stone 75", 75, 11000, "97124, 97140-59")
    assert added.cpt_codes == "97124, 97140-59"
    with pytest.raises(ValidationError, match="already a service"):
        settings.add_service("hot STONE 75", 75, 11000)
    with pytest.raises(ValidationError, match="not a billing code"):
        settings.add_service("Cupping 30", 30, 5000, "massage")
    with pytest.raises(ValidationError) as caught:
        settings.add_service("", 2, -1)
    assert set(caught.value.errors) == {"name", "minutes", "price"}
    with pytest.raises(ValidationError, match="already a service"):
        settings.update_service(added.id, "Follow-up 30", 30, 100)


def test_retire_hides_a_service_and_delete_only_when_unused(db_path, ann) -> None:
    sports = service_id("Sports massage 60")
    book_appointment(ann, sports, at(MONDAY, 10))
    with pytest.raises(ValidationError, match="retire it instead"):
        settings.delete_service(sports)
    settings.set_service_active(sports, False)
    assert "Sports massage 60" not in {s.name for s in settings.list_services()}
    every = {s.name: s for s in settings.list_services(include_inactive=True)}
    assert not every["Sports massage 60"].active and every["Sports massage 60"].in_use
    settings.set_service_active(sports, True)
    assert "Sports massage 60" in {s.name for s in settings.list_services()}
    settings.delete_service(service_id("Follow-up 30"))
    assert not Service.select().where(Service.name == "Follow-up 30").exists()


# --- time off ---------------------------------------------------------------------


def test_time_off_is_checked(db_path) -> None:
    with pytest.raises(ValidationError, match="before the first"):
        availability.add_time_off(MONDAY, MONDAY - dt.timedelta(days=1), now=NOW)
    with pytest.raises(ValidationError, match="one day"):
        availability.add_time_off(
            MONDAY, MONDAY + dt.timedelta(days=1), dt.time(9), dt.time(12), now=NOW
        )
    with pytest.raises(ValidationError, match="after the start"):
        availability.add_time_off(MONDAY, None, dt.time(12), dt.time(9), now=NOW)


def test_time_off_asks_to_confirm_and_leaves_the_day(db_path, ann) -> None:
    availability.add_time_off(MONDAY, MONDAY + dt.timedelta(days=4), label="Holiday", now=NOW)
    check = check_slot(at(MONDAY + dt.timedelta(days=1), 10), 60)
    assert check.outside_hours.startswith("Time off: Holiday")
    with pytest.raises(OutsideHoursError, match="Holiday"):
        book_appointment(ann, service_id(), at(MONDAY, 10))
    view = day_view(MONDAY, now=NOW)
    assert [g.kind for g in view.gaps] == ["off"] and view.free_minutes == 0
    week = week_overview(MONDAY, now=NOW)
    assert [d.time_off for d in week.days][:6] == ["Holiday"] * 5 + [""]


def test_hours_off_in_a_day_split_the_free_time(db_path) -> None:
    availability.add_time_off(MONDAY, None, dt.time(14), dt.time(16), "Course", now=NOW)
    kinds = [(g.kind, g.start.time()) for g in day_view(MONDAY, now=NOW).gaps]
    assert ("off", dt.time(14)) in kinds and ("free", dt.time(16)) in kinds
    assert check_slot(at(MONDAY, 10), 60).ok


def test_time_off_over_bookings_lists_then_cancels_them_only_when_told(db_path, ann) -> None:
    first = book_appointment(ann, service_id(), at(MONDAY, 10))
    with pytest.raises(settings.AffectsBookings) as caught:
        availability.add_time_off(MONDAY, label="Sick", now=NOW)
    assert [a.id for a in caught.value.conflicts] == [first.id]
    assert availability.upcoming_time_off(FIXED_TODAY) == ()
    block, cancelled = availability.add_time_off(MONDAY, label="Sick", now=NOW, cancel_booked=True)
    assert block.label == "Sick" and [c.id for c in cancelled] == [first.id]
    after = get_appointment(first.id)
    assert (after.status, after.cancel_reason, after.late_cancel) == (
        "cancelled",
        "therapist unavailable",
        False,
    )


def test_plan_preview_marks_time_off_and_skip_and_save_skips_it(db_path, ann) -> None:
    availability.add_time_off(dt.date(2026, 12, 7), dt.date(2026, 12, 11), label="Holiday", now=NOW)
    draft = PlanDraft(
        client_id=ann,
        service_id=service_id(),
        first_start=at(dt.date(2026, 12, 1), 10),
        rule="FREQ=WEEKLY;BYDAY=TU",
        count=3,
    )
    preview = preview_plan(draft, now=NOW)
    marked = [d for d in preview.dates if d.time_off]
    assert [d.start.date() for d in marked] == [dt.date(2026, 12, 8)] and marked[0].blocking
    skips = skip_clashes(draft, now=NOW)
    assert skips == (at(dt.date(2026, 12, 8), 10),)
    plan = create_plan(draft, skipped=skips, now=NOW)
    dates = sorted(a.start.date() for a in Appointment.select().where(Appointment.plan == plan.id))
    assert dates == [dt.date(2026, 12, 1), dt.date(2026, 12, 15), dt.date(2026, 12, 22)]


# --- first run --------------------------------------------------------------------


def test_a_new_file_needs_set_up_and_the_welcome_marks_it(db_path) -> None:
    assert not settings.get_practice().setup_done
    week = settings.read_week([("", "")] + [("10-18", "14:00-14:30")] * 5 + [("", "")])
    info = settings.finish_setup(
        name="Calm Hands",
        therapist_name="Ana",
        timezone="America/Toronto",
        week=week,
        keep_services=False,
        first_service=("Hot stone 75", 75, 11000),
    )
    assert info.setup_done and info.timezone == "America/Toronto" and info.hours_on(0) is None
    assert [s.name for s in settings.list_services()] == ["Hot stone 75"]
    assert Practice.get().setup_done


def test_a_new_booking_offers_a_service_of_the_default_length(db_path) -> None:
    from practice_tui.domain.schedule import usual_service

    settings.update_policies(default_minutes=90)
    offered = settings.get_service(usual_service())
    assert offered.minutes == 90
    settings.update_policies(default_minutes=30)
    assert settings.get_service(usual_service()).name == "Follow-up 30"


def test_the_settings_kept_between_reads_follow_every_write(db_path) -> None:
    """``get_practice`` keeps what it read until something is written: by this
    connection (committed, or not yet), or by another program."""
    import sqlite3
    import threading

    from practice_tui.domain.db import database

    first = settings.get_practice()
    assert settings.get_practice() is first  # nothing written: read once

    settings.update_practice(name="Harbour Massage")
    assert settings.get_practice().name == "Harbour Massage"

    # Inside one write, the row changed a moment ago is what is read back.
    with pytest.raises(RuntimeError), database.atomic():
        Practice.update(name="Inside the write").execute()
        assert settings.get_practice().name == "Inside the write"
        raise RuntimeError("rolled back")
    assert settings.get_practice().name == "Harbour Massage"

    # Another program changes the file: the next read sees it.
    other = sqlite3.connect(db_path)
    with other:
        other.execute("UPDATE practice SET name = 'Changed elsewhere', version = version + 1")
    other.close()
    assert settings.get_practice().name == "Changed elsewhere"

    # Another thread of this program: its own connection and its own reads.
    seen: list[str] = []

    def read_in_a_thread() -> None:
        seen.append(settings.get_practice().name)
        database.close()

    thread = threading.Thread(target=read_in_a_thread)
    thread.start()
    thread.join()
    assert seen == ["Changed elsewhere"]
    settings.update_practice(buffer_minutes=5)
    assert settings.get_practice().buffer_minutes == 5
