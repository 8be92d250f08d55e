"""Plans: conflicts in the preview, saving, filling, skipping, changing, ending.

The practice of ``db_path``: Mon–Fri 09:00–17:00, break 12:30–13:30, 15 min
buffer, Europe/London. Now is Friday 27 November 2026 11:20.
"""

from __future__ import annotations

import datetime as dt

import pytest

from practice_tui.domain import plans
from practice_tui.domain.clients import create_client, set_archived
from practice_tui.domain.errors import ConflictError, OutsideHoursError, ValidationError
from practice_tui.domain.models import Appointment, Plan, PlanSkip
from practice_tui.domain.plans import PlanChange, PlanDraft, PlanForm
from practice_tui.domain.schedule import (
    book_appointment,
    cancel_appointment,
    mark_completed,
    move_appointment,
)
from practice_tui.domain.settings import list_services
from tests.conftest import FIXED_NOW, FIXED_TODAY

NOW = FIXED_NOW


def service(name: str = "Medical massage 60") -> int:
    return next(s.id for s in list_services() if s.name == name)


def client(first: str = "Daniel", last: str = "Okoye") -> int:
    return create_client({"first_name": first, "last_name": last}, today=FIXED_TODAY).id


def draft(
    client_id: int,
    rule: str = "FREQ=WEEKLY;BYDAY=TU",
    first: dt.datetime = dt.datetime(2026, 12, 1, 10, 0),
    **kwargs,
) -> PlanDraft:
    kwargs.setdefault("count", 8)
    return PlanDraft(
        client_id=client_id, service_id=service(), first_start=first, rule=rule, **kwargs
    )


def plan_appointments(plan_id: int) -> list[Appointment]:
    return list(Appointment.select().where(Appointment.plan == plan_id).order_by(Appointment.start))


# --- the form -------------------------------------------------------------------


def test_form_reads_the_walk_through_plan(db_path) -> None:
    form = PlanForm(
        client_id=1,
        service_id=2,
        first_date="2026-12-07",
        time="9:00",
        kind="weekly",
        weekdays=(0, 3),
        interval="2",
        end_kind="count",
        count="10",
    )
    read = plans.read_plan_form(form, now=NOW)
    assert read.rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"
    assert read.first_start == dt.datetime(2026, 12, 7, 9, 0)
    assert read.count == 10 and read.until is None and read.minutes is None


def test_form_names_every_bad_field(db_path) -> None:
    form = PlanForm(
        client_id=None,
        service_id=None,
        minutes="ninety",
        first_date="feb 30",
        time="25:00",
        kind="rule",
        rule_text="FREQ=WEEKLY;BYDAY=XX",
        end_kind="count",
        count="0",
    )
    with pytest.raises(ValidationError) as caught:
        plans.read_plan_form(form, now=NOW)
    errors = caught.value.errors
    assert set(errors) == {"client", "service", "minutes", "first_date", "time", "rule", "count"}
    assert "XX" in errors["rule"]
    assert "no day 30" in errors["first_date"]


def test_form_refuses_a_first_session_in_the_past_and_an_end_before_it(db_path) -> None:
    form = PlanForm(
        client_id=1,
        service_id=1,
        first_date="today",
        time="9:00",
        weekdays=(4,),
        end_kind="until",
        until="2026-11-01",
    )
    with pytest.raises(ValidationError) as caught:
        plans.read_plan_form(form, now=NOW)
    assert "past" in caught.value.errors["first_date"]
    assert "before the first session" in caught.value.errors["until"]


# --- preview and conflicts ---------------------------------------------------------


def test_preview_names_the_overlap_day_off_break_and_buffer(db_path) -> None:
    daniel, maya = client(), client("Maya", "Thompson")
    book_appointment(
        maya, service(), dt.datetime(2026, 12, 10, 8, 30), minutes=60, allow_outside_hours=True
    )
    book_appointment(maya, service(), dt.datetime(2026, 12, 14, 10, 15), minutes=30)
    preview = plans.preview_plan(
        draft(daniel, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", dt.datetime(2026, 12, 7, 9), count=10),
        now=NOW,
    )
    assert preview.words == "Every other Mon and Thu at 09:00 · 60 min · 10 sessions"
    assert [d.start.date() for d in preview.dates][:3] == [
        dt.date(2026, 12, 7),
        dt.date(2026, 12, 10),
        dt.date(2026, 12, 21),
    ]
    by_day = {d.start.date(): d for d in preview.dates}
    assert by_day[dt.date(2026, 12, 10)].clashes == (
        "Overlaps Maya Thompson 08:30–09:30 (Medical massage 60)",
    )
    assert not by_day[dt.date(2026, 12, 7)].problems
    assert preview.clashes == 1 and len(preview.blocking) == 1

    # Out of hours: a Saturday, and the lunch break.
    saturday = plans.preview_plan(
        draft(daniel, "FREQ=WEEKLY;BYDAY=SA", dt.datetime(2026, 12, 5, 10), count=2), now=NOW
    )
    assert all(d.outside_hours == "Saturday is a day off." for d in saturday.dates)
    assert not saturday.blocking and saturday.outside == 2
    lunch = plans.preview_plan(
        draft(daniel, "FREQ=WEEKLY;BYDAY=MO", dt.datetime(2026, 12, 7, 12, 0), count=1), now=NOW
    )
    assert "break" in lunch.dates[0].outside_hours

    # Too close: within the 15-minute buffer of Maya's 10:15 on 14 Dec.
    close = plans.preview_plan(
        draft(daniel, "FREQ=WEEKLY;BYDAY=MO", dt.datetime(2026, 12, 14, 9, 15), count=1), now=NOW
    )
    assert close.dates[0].clashes[0].startswith("Too close to Maya Thompson 10:15–10:45")


def test_preview_flags_a_time_lost_to_the_clocks_going_forward(db_path) -> None:
    daniel = client()
    preview = plans.preview_plan(
        draft(daniel, "FREQ=WEEKLY;BYDAY=SU", dt.datetime(2027, 3, 21, 1, 30), count=3), now=NOW
    )
    lost = [d for d in preview.dates if d.invalid_time]
    assert [d.start for d in lost] == [dt.datetime(2027, 3, 28, 1, 30)]
    assert "does not exist" in lost[0].invalid_time
    assert lost[0].blocking
    # The other dates keep 01:30 (wall-clock time).
    assert {d.start.time() for d in preview.dates} == {dt.time(1, 30)}


def test_skipping_in_the_preview_keeps_the_number_of_sessions(db_path) -> None:
    daniel = client()
    d = draft(daniel, count=3)
    skipped = [dt.datetime(2026, 12, 8, 10)]
    preview = plans.preview_plan(d, skipped=skipped, now=NOW)
    assert [(x.start.day, x.skipped, x.number) for x in preview.dates] == [
        (1, False, 1),
        (8, True, None),
        (15, False, 2),
        (22, False, 3),
    ]
    assert preview.sessions == 3


def test_open_ended_preview_stops_at_the_horizon(db_path) -> None:
    preview = plans.preview_plan(draft(client(), count=None), now=NOW)
    assert preview.open_ended and preview.horizon == FIXED_TODAY + dt.timedelta(weeks=12)
    assert preview.dates[-1].start.date() <= preview.horizon
    assert preview.sessions == 12
    assert "no end" in preview.words


# --- create ----------------------------------------------------------------------


def test_create_refuses_clashes_and_writes_nothing(db_path) -> None:
    daniel, maya = client(), client("Maya", "Thompson")
    book_appointment(maya, service(), dt.datetime(2026, 12, 8, 10, 30))
    with pytest.raises(ConflictError) as caught:
        plans.create_plan(draft(daniel), now=NOW)
    assert "Tue 8 Dec 10:00" in caught.value.message
    assert "Skip them" in caught.value.message
    assert Plan.select().count() == 0
    assert Appointment.select().where(Appointment.client == daniel).count() == 0


def test_create_books_every_session_of_a_finite_plan(db_path) -> None:
    daniel, maya = client(), client("Maya", "Thompson")
    book_appointment(maya, service(), dt.datetime(2026, 12, 8, 10, 30))
    summary = plans.create_plan(draft(daniel), skipped=[dt.datetime(2026, 12, 8, 10)], now=NOW)
    rows = plan_appointments(summary.id)
    assert len(rows) == 8
    assert rows[0].start == dt.datetime(2026, 12, 1, 10) and rows[0].plan_slot == rows[0].start
    assert dt.datetime(2026, 12, 8, 10) not in {r.start for r in rows}
    assert rows[-1].start == dt.datetime(2027, 1, 26, 10)  # one week longer: the skip
    assert [s.slot for s in PlanSkip.select()] == [dt.datetime(2026, 12, 8, 10)]
    assert summary.words == "Every Tue at 10:00 · 8 sessions · 8 left"
    assert summary.next_start == dt.datetime(2026, 12, 1, 10)


def test_out_of_hours_needs_consent_and_long_plans_need_confirming(db_path) -> None:
    daniel = client()
    saturday = draft(daniel, "FREQ=WEEKLY;BYDAY=SA", dt.datetime(2026, 12, 5, 10), count=2)
    with pytest.raises(OutsideHoursError):
        plans.create_plan(saturday, now=NOW)
    assert Plan.select().count() == 0
    assert plans.create_plan(saturday, now=NOW, allow_outside_hours=True).total == 2

    long = draft(daniel, "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", dt.datetime(2026, 12, 7, 16), count=201)
    with pytest.raises(plans.LongPlanError) as caught:
        plans.create_plan(long, now=NOW)
    assert caught.value.sessions == 201
    assert Plan.select().count() == 1
    made = plans.create_plan(long, now=NOW, confirm_long=True)
    assert len(plan_appointments(made.id)) == 201  # no hidden one-year cap

    with pytest.raises(ValidationError) as too_many:
        plans.preview_plan(draft(daniel, count=None, until=dt.date(2060, 1, 1)), now=NOW)
    assert str(plans.MAX_SESSIONS) in too_many.value.message


def test_archived_client_cannot_get_a_plan(db_path) -> None:
    daniel = client()
    set_archived(daniel, True)
    with pytest.raises(ValidationError) as caught:
        plans.preview_plan(draft(daniel), now=NOW)
    assert caught.value.field == "client"


# --- filling the horizon --------------------------------------------------------------


def test_open_ended_plan_is_kept_filled_as_time_passes(db_path) -> None:
    daniel, maya = client(), client("Maya", "Thompson")
    summary = plans.create_plan(draft(daniel, count=None), now=NOW)
    rows = plan_appointments(summary.id)
    assert len(rows) == 12
    assert rows[-1].start.date() <= FIXED_TODAY + dt.timedelta(weeks=12)
    assert plans.fill_horizon(FIXED_TODAY, NOW) == 0  # nothing new today

    # Three weeks later: three more Tuesdays come within reach; one is taken.
    later = FIXED_TODAY + dt.timedelta(weeks=3)
    book_appointment(maya, service(), dt.datetime(2027, 3, 2, 10, 0))
    assert plans.fill_horizon(later) == 2
    listed = plans.list_plans(now=dt.datetime.combine(later, dt.time(8)))
    assert listed[0].problems[0].startswith("Tue 2 Mar 10:00 not booked: Overlaps Maya")
    # Maya cancels: the date is filled the next time.
    maya_row = Appointment.get(Appointment.client == maya)
    cancel_appointment(maya_row.id, "moved away", now=NOW)
    assert plans.fill_horizon(later) == 1
    assert plans.fill_horizon(later) == 0
    assert len(plan_appointments(summary.id)) == 15


def test_fill_completes_a_finite_plan_that_was_cut_short(db_path) -> None:
    """The demo books plans only 8 weeks ahead; opening the app books the rest.
    (The ``demo_path`` fixture is the demo after that first opening.)"""
    from practice_tui.domain.demo import build_demo

    build_demo(FIXED_TODAY, NOW, timezone="Europe/London")
    before = {s.id: s for s in plans.list_plans(now=NOW)}
    assert any(s.problems for s in before.values())
    assert plans.fill_horizon(FIXED_TODAY, NOW) > 0
    after = plans.list_plans(now=NOW)
    assert all(not s.problems for s in after if s.count is not None)


def test_a_top_up_with_nothing_to_book_reads_the_same_few_statements_for_any_number_of_plans(
    db_path,
) -> None:
    """Counted, not timed: the app tops plans up at every start, so what every
    plan needs (its client, skips and booked slots) is read once for all."""
    from practice_tui.domain.db import database

    def statements_for_a_top_up() -> int:
        plans.fill_horizon(FIXED_TODAY, NOW)  # books what is missing
        seen: list[str] = []
        database.connection().set_trace_callback(seen.append)
        try:
            assert plans.fill_horizon(FIXED_TODAY, NOW) == 0
        finally:
            database.connection().set_trace_callback(None)
        return len(seen)

    weekdays = ("MO", "TU", "WE", "TH", "FR")
    for day in weekdays[:2]:
        plans.create_plan(draft(client(day), rule=f"FREQ=WEEKLY;BYDAY={day}", count=None), now=NOW)
    few = statements_for_a_top_up()
    for day in weekdays[2:]:
        plans.create_plan(draft(client(day), rule=f"FREQ=WEEKLY;BYDAY={day}", count=None), now=NOW)
    archived = client("Gone")
    plans.create_plan(
        draft(
            archived, rule="FREQ=WEEKLY;BYDAY=MO", first=dt.datetime(2026, 12, 1, 15), count=None
        ),
        now=NOW,
    )
    set_archived(archived, True)
    assert statements_for_a_top_up() == few


# --- skip --------------------------------------------------------------------------


def test_skip_cancels_with_reason_and_books_one_more_at_the_end(db_path) -> None:
    daniel = client()
    summary = plans.create_plan(draft(daniel, count=4), now=NOW)
    preview = plans.preview_skip(summary.id, dt.datetime(2026, 12, 15, 10), now=NOW)
    assert [r.start for r in preview.cancelled] == [dt.datetime(2026, 12, 15, 10)]
    assert [d.start for d in preview.dates] == [dt.datetime(2026, 12, 29, 10)]
    assert Appointment.select().where(Appointment.status == "cancelled").count() == 0

    after = plans.skip_date(summary.id, dt.datetime(2026, 12, 15, 10), now=NOW)
    skipped = Appointment.get(Appointment.start == dt.datetime(2026, 12, 15, 10))
    assert (skipped.status, skipped.cancel_reason, skipped.late_cancel) == (
        "cancelled",
        "skipped",
        False,
    )
    assert [s.slot for s in PlanSkip.select()] == [dt.datetime(2026, 12, 15, 10)]
    booked = [r.start.day for r in plan_appointments(summary.id) if r.status == "booked"]
    assert booked == [1, 8, 22, 29]
    assert after.words == "Every Tue at 10:00 · 4 sessions · 4 left"
    details = plans.get_plan(summary.id, now=NOW)
    assert [(s.start.day, s.state, s.number) for s in details.sessions] == [
        (1, "booked", 1),
        (8, "booked", 2),
        (15, "skipped", None),
        (22, "booked", 3),
        (29, "booked", 4),
    ]


def test_skip_refuses_the_past_and_twice(db_path) -> None:
    daniel = client()
    earlier = dt.datetime(2026, 11, 2, 8)
    summary = plans.create_plan(
        draft(daniel, first=dt.datetime(2026, 11, 3, 10), count=6), now=earlier
    )
    with pytest.raises(ValidationError, match="upcoming"):
        plans.skip_date(summary.id, dt.datetime(2026, 11, 24, 10), now=NOW)
    plans.skip_date(summary.id, dt.datetime(2026, 12, 1, 10), now=NOW)
    with pytest.raises(ConflictError, match="already skipped"):
        plans.skip_date(summary.id, dt.datetime(2026, 12, 1, 10), now=NOW)


# --- change from a date onward -----------------------------------------------------


def test_change_time_from_a_date_keeps_hand_moved_and_completed_sessions(db_path) -> None:
    daniel = client()
    earlier = dt.datetime(2026, 11, 2, 8)
    summary = plans.create_plan(
        draft(daniel, first=dt.datetime(2026, 11, 3, 10), count=12), now=earlier
    )
    rows = plan_appointments(summary.id)
    for row in rows[:4]:  # 3, 10, 17, 24 Nov took place
        mark_completed(row.id, now=NOW)
    # One upcoming session moved by hand (Tue 5 Jan → Wed 6 Jan 11:00).
    moved = next(r for r in rows if r.start == dt.datetime(2027, 1, 5, 10))
    move_appointment(moved.id, dt.datetime(2027, 1, 6, 11, 0))

    change = PlanChange(from_date=dt.date(2027, 1, 1), time=dt.time(14, 0))
    preview = plans.preview_change(summary.id, change, now=NOW)
    assert [r.appointment_id for r in preview.kept] == [moved.id]
    assert "moved from Tue 5 Jan 10:00" in preview.kept[0].description
    assert [r.start for r in preview.replaced] == [
        dt.datetime(2027, 1, 12, 10, 0),
        dt.datetime(2027, 1, 19, 10, 0),
    ]
    assert [d.start for d in preview.dates] == [
        dt.datetime(2027, 1, 12, 14, 0),
        dt.datetime(2027, 1, 19, 14, 0),
    ]
    assert Plan.select().count() == 1  # a preview writes nothing

    new = plans.change_plan(summary.id, change, now=NOW)
    assert new.replaces_id == summary.id
    assert Plan.get_by_id(summary.id).ended_on == dt.date(2027, 1, 1)
    # The moved session is untouched and still part of the series.
    kept = Appointment.get_by_id(moved.id)
    assert (kept.start, kept.status, kept.plan_modified) == (
        dt.datetime(2027, 1, 6, 11, 0),
        "booked",
        True,
    )
    # Completed sessions and December are untouched.
    statuses = [
        (a.start, a.status)
        for a in Appointment.select()
        .where(Appointment.client == daniel)
        .order_by(Appointment.start)
    ]
    assert statuses[:4] == [(r.start, "completed") for r in rows[:4]]
    assert (dt.datetime(2026, 12, 29, 10), "booked") in statuses
    # From January: 14:00, the kept one on 6 Jan standing for the 5 Jan date.
    january = [s for s, _ in statuses if s >= dt.datetime(2027, 1, 1)]
    assert january == [
        dt.datetime(2027, 1, 6, 11, 0),
        dt.datetime(2027, 1, 12, 14, 0),
        dt.datetime(2027, 1, 19, 14, 0),
    ]
    details = plans.get_plan(new.id, now=NOW)
    assert details.summary.total == 12
    assert details.summary.words == "Every Tue at 14:00 · 12 sessions · 8 left"
    assert [h.words for h in details.history] == ["Every Tue at 10:00"]
    # The old version is not listed as a plan of its own.
    assert [s.id for s in plans.list_plans(now=NOW, include_ended=True)] == [new.id]


def test_change_with_the_rule_unchanged_keeps_the_every_other_week_rhythm(db_path) -> None:
    daniel = client()
    summary = plans.create_plan(
        draft(daniel, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", dt.datetime(2026, 11, 30, 10), count=6),
        now=NOW,
    )
    old = [a.start.date() for a in plan_appointments(summary.id)]
    change = PlanChange(from_date=dt.date(2026, 12, 31), time=dt.time(15, 0))
    new = plans.change_plan(summary.id, change, now=NOW)
    dates = [a.start for a in plan_appointments(new.id)]
    assert [d.date() for d in dates] == [d for d in old if d >= dt.date(2026, 12, 31)]
    assert {d.time() for d in dates} == {dt.time(15, 0)}


def test_change_refuses_new_clashes_and_changes_nothing(db_path) -> None:
    daniel, maya = client(), client("Maya", "Thompson")
    summary = plans.create_plan(draft(daniel, count=4), now=NOW)
    book_appointment(maya, service(), dt.datetime(2026, 12, 15, 14, 30))
    change = PlanChange(from_date=dt.date(2026, 12, 10), time=dt.time(14, 0))
    preview = plans.preview_change(summary.id, change, now=NOW)
    assert [d.start.day for d in preview.blocking] == [15]
    # The sessions being replaced never count as clashes with their replacements.
    same_time = plans.preview_change(
        summary.id, PlanChange(from_date=dt.date(2026, 12, 10), minutes=90), now=NOW
    )
    assert not same_time.blocking
    with pytest.raises(ConflictError):
        plans.change_plan(summary.id, change, now=NOW)
    assert Plan.select().count() == 1
    assert len(plan_appointments(summary.id)) == 4
    # Skipping the clashing date in the change preview lets it through.
    new = plans.change_plan(summary.id, change, skipped=[dt.datetime(2026, 12, 15, 14)], now=NOW)
    assert [a.start for a in plan_appointments(new.id)] == [
        dt.datetime(2026, 12, 22, 14, 0),
        dt.datetime(2026, 12, 29, 14, 0),
    ]
    assert new.total == 4


def test_change_needs_something_to_change_and_a_date_ahead(db_path) -> None:
    summary = plans.create_plan(draft(client(), count=4), now=NOW)
    with pytest.raises(ValidationError, match="Nothing to change"):
        plans.change_plan(summary.id, PlanChange(from_date=dt.date(2026, 12, 10)), now=NOW)
    with pytest.raises(ValidationError, match="today or later"):
        plans.preview_change(
            summary.id, PlanChange(from_date=dt.date(2026, 11, 1), time=dt.time(9)), now=NOW
        )


# --- end -----------------------------------------------------------------------------


def test_end_cancels_upcoming_sessions_and_leaves_the_past(db_path) -> None:
    daniel = client()
    earlier = dt.datetime(2026, 11, 2, 8)
    summary = plans.create_plan(
        draft(daniel, first=dt.datetime(2026, 11, 3, 10), count=8), now=earlier
    )
    rows = plan_appointments(summary.id)
    mark_completed(rows[0].id, now=NOW)
    preview = plans.preview_end(summary.id, dt.date(2026, 12, 10), now=NOW)
    assert [r.start.day for r in preview.cancelled] == [15, 22]
    assert Appointment.select().where(Appointment.status == "cancelled").count() == 0

    ended = plans.end_plan(summary.id, dt.date(2026, 12, 10), now=NOW)
    assert ended.ended_on == dt.date(2026, 12, 10) and not ended.active
    after = {a.start.day: (a.status, a.cancel_reason) for a in plan_appointments(summary.id)}
    assert after[3] == ("completed", "")
    assert after[24] == ("booked", "")  # past, untouched (note owed on Today)
    assert after[1] == ("booked", "") and after[8] == ("booked", "")
    assert after[15] == after[22] == ("cancelled", "plan ended")
    assert plans.list_plans(now=NOW) == ()
    assert [s.id for s in plans.list_plans(now=NOW, include_ended=True)] == [summary.id]
    with pytest.raises(ConflictError, match="ended"):
        plans.skip_date(summary.id, dt.datetime(2026, 12, 15, 10), now=NOW)


# --- the list ------------------------------------------------------------------------


def test_list_shows_rule_in_words_next_date_and_sessions_left(demo_path) -> None:
    plans.fill_horizon(FIXED_TODAY, NOW)
    listed = plans.list_plans(now=NOW)
    assert [s.words for s in listed] == [
        "Every Tue at 14:00 · 8 sessions · 4 left",
        "Every other Wed at 10:15 · 10 sessions · 7 left",
        "Every Thu at 09:00 · 12 sessions · 10 left",
        "First Fri of each month at 15:15 · no end",
    ]
    assert [s.next_start for s in listed] == sorted(s.next_start for s in listed)
    assert all(s.active for s in listed)


def test_change_of_service_brings_its_length_and_keeps_the_times(db_path) -> None:
    summary = plans.create_plan(draft(client(), count=3), now=NOW)
    longer = service("Medical massage 90")
    new = plans.change_plan(
        summary.id, PlanChange(from_date=dt.date(2026, 12, 5), service_id=longer), now=NOW
    )
    rows = plan_appointments(new.id)
    assert [(r.start, r.end - r.start, r.service_id) for r in rows] == [
        (dt.datetime(2026, 12, 8, 10), dt.timedelta(minutes=90), longer),
        (dt.datetime(2026, 12, 15, 10), dt.timedelta(minutes=90), longer),
    ]
