""" "Skip and save": the dates listed are the dates saved, the first session's
move is said, and skips made for a clash are looked at again after a change.

The practice of ``db_path``: Mon–Fri 09:00–17:00, break 12:30–13:30, 15 min
buffer. Now is Friday 27 November 2026 11:20.
"""

from __future__ import annotations

import datetime as dt

from practice_tui.domain import plans
from practice_tui.domain.models import Appointment, PlanSkip
from practice_tui.domain.plans import PlanChange
from practice_tui.domain.schedule import book_appointment
from tests.conftest import FIXED_NOW
from tests.domain.test_plans import client, draft, plan_appointments, service

NOW = FIXED_NOW


def booked(plan_id: int) -> list[dt.datetime]:
    return [a.start for a in plan_appointments(plan_id) if a.status == "booked"]


def test_an_added_date_that_clashes_is_listed_and_saved_as_listed(db_path) -> None:
    daniel, maya = client(), client("Maya", "Thompson")
    # Tue 1 Dec clashes; skipping it adds Tue 22 Dec at the end, which clashes
    # too — the old question said "1 date" and skipped a second one unsaid.
    for day in (1, 22):
        book_appointment(maya, service(), dt.datetime(2026, 12, day, 10, 0))
    plan = draft(daniel, count=3)
    preview = plans.preview_plan(plan, now=NOW)
    assert [d.start.day for d in preview.blocking] == [1]

    result = plans.plan_clash_skips(plan, now=NOW)
    assert [d.start for d in result.skipped] == [
        dt.datetime(2026, 12, 1, 10),
        dt.datetime(2026, 12, 22, 10),
    ]
    assert all(d.clashes for d in result.skipped)
    assert [d.start for d in result.added] == [dt.datetime(2026, 12, 29, 10)]
    assert (result.first_from, result.first_to) == (
        dt.datetime(2026, 12, 1, 10),
        dt.datetime(2026, 12, 8, 10),
    )
    assert any("first session moves" in line for line in result.lines)
    shown = [d.start for d in result.dates if not d.skipped]

    summary = plans.create_plan(plan, clash_skipped=result.slots, now=NOW)
    assert booked(summary.id) == shown
    assert sorted((s.slot, s.reason) for s in PlanSkip.select()) == [
        (dt.datetime(2026, 12, 1, 10), "clash"),
        (dt.datetime(2026, 12, 22, 10), "clash"),
    ]


def test_a_first_date_moved_far_is_said_before_saving(db_path) -> None:
    daniel, maya = client(), client("Maya", "Thompson")
    book_appointment(maya, service(), dt.datetime(2026, 12, 7, 9, 0))
    every_six = draft(
        daniel,
        rule="FREQ=WEEKLY;INTERVAL=6;BYDAY=MO",
        first=dt.datetime(2026, 12, 7, 9, 0),
        count=2,
    )
    result = plans.plan_clash_skips(every_six, now=NOW)
    assert result.first_to == dt.datetime(2027, 1, 18, 9, 0)
    assert "moves from Mon 7 Dec 09:00 to Mon 18 Jan 09:00" in " ".join(result.lines)


def test_skips_by_hand_stay_and_are_remembered_as_such(db_path) -> None:
    daniel = client()
    hand = [dt.datetime(2026, 12, 8, 10)]
    result = plans.plan_clash_skips(draft(daniel, count=3), skipped=hand, now=NOW)
    assert result.skipped == () and result.hand == tuple(hand)
    summary = plans.create_plan(draft(daniel, count=3), skipped=hand, now=NOW)
    assert [(s.slot, s.reason) for s in PlanSkip.select()] == [(hand[0], "hand")]
    assert len(booked(summary.id)) == 3


def test_a_clash_skip_is_reconsidered_when_the_plan_moves_to_another_time(db_path) -> None:
    daniel, maya = client(), client("Maya", "Thompson")
    book_appointment(maya, service(), dt.datetime(2026, 12, 15, 10, 0))
    plan = draft(daniel, count=4)
    result = plans.plan_clash_skips(plan, now=NOW)
    summary = plans.create_plan(plan, clash_skipped=result.slots, now=NOW)
    assert [a.day for a in booked(summary.id)] == [1, 8, 22, 29]

    # At 14:00 nothing is in the way on 15 Dec: the date comes back, the end shrinks.
    change = PlanChange(from_date=dt.date(2026, 12, 2), time=dt.time(14, 0))
    edit = plans.preview_change(summary.id, change, now=NOW)
    assert [d.start for d in edit.dates] == [
        dt.datetime(2026, 12, 8, 14),
        dt.datetime(2026, 12, 15, 14),
        dt.datetime(2026, 12, 22, 14),
    ]
    new = plans.change_plan(summary.id, change, now=NOW)
    assert [a for a in booked(new.id)] == [d.start for d in edit.dates]
    assert new.total == 4
    assert not PlanSkip.select().where(PlanSkip.plan == new.id).exists()


def test_a_clash_skip_that_still_clashes_stays_and_a_hand_skip_always_stays(db_path) -> None:
    daniel, maya = client(), client("Maya", "Thompson")
    book_appointment(maya, service(), dt.datetime(2026, 12, 15, 9, 30), minutes=120)
    plan = draft(daniel, count=5)
    result = plans.plan_clash_skips(plan, now=NOW)
    assert result.slots == (dt.datetime(2026, 12, 15, 10),)
    summary = plans.create_plan(plan, clash_skipped=result.slots, now=NOW)
    plans.skip_date(summary.id, dt.datetime(2026, 12, 22, 10), now=NOW)

    # 11:00 still clashes on 15 Dec (Maya until 11:30); 22 Dec was skipped by hand.
    change = PlanChange(from_date=dt.date(2026, 12, 2), time=dt.time(11, 0))
    edit = plans.preview_change(summary.id, change, now=NOW)
    assert not edit.blocking
    skipped = {d.start.date() for d in edit.dates if d.skipped}
    assert dt.date(2026, 12, 15) in skipped
    new = plans.change_plan(summary.id, change, now=NOW)
    days = {a.date() for a in booked(new.id)}
    assert not days & {dt.date(2026, 12, 15), dt.date(2026, 12, 22)}
    reasons = {s.slot.date(): s.reason for s in PlanSkip.select().where(PlanSkip.plan == new.id)}
    assert reasons[dt.date(2026, 12, 15)] == "clash"
    assert reasons[dt.date(2026, 12, 22)] == "hand"


def test_skip_and_apply_for_a_change_saves_what_it_lists(db_path) -> None:
    daniel, maya = client(), client("Maya", "Thompson")
    summary = plans.create_plan(draft(daniel, count=4), now=NOW)
    book_appointment(maya, service(), dt.datetime(2026, 12, 15, 14, 30))
    change = PlanChange(from_date=dt.date(2026, 12, 10), time=dt.time(14, 0))
    result = plans.change_clash_skips(summary.id, change, now=NOW)
    assert result.slots == (dt.datetime(2026, 12, 15, 14),)
    assert [d.start for d in result.added] == [dt.datetime(2026, 12, 29, 14)]
    new = plans.change_plan(summary.id, change, clash_skipped=result.slots, now=NOW)
    assert booked(new.id) == [d.start for d in result.dates if not d.skipped]
    assert Appointment.select().where(Appointment.plan == new.id).count() == 2
