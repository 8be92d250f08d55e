"""The scheduling rules: clashes, buffer, hours, daylight saving, status changes,
alert marks and free gaps — and that a refused change stores nothing.

The practice of ``db_path``: Monday–Friday 09:00–17:00, break 12:30–13:30,
a 15-minute buffer, Europe/London. ``FIXED_NOW`` is Friday 27 Nov 2026 11:20.
"""

from __future__ import annotations

import datetime as dt

import pytest

from practice_tui.domain.appointments import get_appointment
from practice_tui.domain.clients import create_client
from practice_tui.domain.db import database
from practice_tui.domain.errors import (
    ConflictError,
    NotFound,
    OutsideHoursError,
    ValidationError,
)
from practice_tui.domain.models import Appointment, SessionNote
from practice_tui.domain.schedule import (
    book_appointment,
    cancel_appointment,
    check_slot,
    describe_clash,
    edit_appointment,
    mark_completed,
    mark_no_show,
    move_appointment,
    reopen_appointment,
)
from practice_tui.domain.settings import list_services, set_working_hours, update_practice
from practice_tui.domain.today import day_view, notes_owed, notes_owed_count
from practice_tui.domain.types import Gap
from tests.conftest import FIXED_NOW, FIXED_TODAY

MON = dt.date(2026, 11, 30)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


@pytest.fixture
def service(db_path) -> int:
    """Medical massage 60."""
    return next(s.id for s in list_services() if s.name == "Medical massage 60")


@pytest.fixture
def ann(db_path) -> int:
    return create_client({"first_name": "Ann", "last_name": "Lee"}, today=FIXED_TODAY).id


@pytest.fixture
def ben(db_path) -> int:
    return create_client({"first_name": "Ben", "last_name": "Carter"}, today=FIXED_TODAY).id


def stored() -> list[tuple]:
    """Every appointment as stored, to prove a refused change changed nothing."""
    return list(Appointment.select().order_by(Appointment.id).tuples())


# --- clashes and the buffer --------------------------------------------------------


def test_overlap_is_refused_and_names_the_other_appointment(ann, ben, service) -> None:
    book_appointment(ann, service, at(MON, 10))
    before = stored()
    with pytest.raises(ConflictError) as refused:
        book_appointment(ben, service, at(MON, 10, 30))
    assert "Overlaps Ann Lee 10:00–11:00" in refused.value.message
    assert refused.value.field == "start"
    assert [c.client_name for c in refused.value.conflicts] == ["Ann Lee"]
    assert stored() == before


def test_half_open_intervals_back_to_back_is_fine_with_no_buffer(ann, ben, service) -> None:
    update_practice(buffer_minutes=0)
    book_appointment(ann, service, at(MON, 10))
    book_appointment(ben, service, at(MON, 11))  # starts as the other ends
    book_appointment(ben, service, at(MON, 9))  # ends as the other starts
    with pytest.raises(ConflictError):
        book_appointment(ben, service, at(MON, 10, 59), minutes=5)


def test_the_buffer_counts_on_both_sides(ann, ben, service) -> None:
    book_appointment(ann, service, at(MON, 10))
    with pytest.raises(ConflictError) as after:
        book_appointment(ben, service, at(MON, 11, 10))
    assert "Too close to Ann Lee 10:00–11:00 (15 min buffer" in after.value.message
    with pytest.raises(ConflictError):
        book_appointment(ben, service, at(MON, 8, 50), allow_outside_hours=True)
    book_appointment(ben, service, at(MON, 11, 15))
    book_appointment(ben, service, at(MON, 14), minutes=30)
    assert len(day_view(MON, now=FIXED_NOW).appointments) == 3


@pytest.mark.parametrize("close", [cancel_appointment, mark_no_show])
def test_cancelled_and_no_show_do_not_block(ann, ben, service, close) -> None:
    first = book_appointment(ann, service, at(FIXED_TODAY, 9))
    if close is cancel_appointment:
        cancel_appointment(first.id, "Sick", now=FIXED_NOW)
    else:
        mark_no_show(first.id, now=FIXED_NOW)
    assert check_slot(at(FIXED_TODAY, 9), 60).ok
    book_appointment(ben, service, at(FIXED_TODAY, 9))


def test_check_slot_reports_without_saving(ann, ben, service) -> None:
    book_appointment(ann, service, at(MON, 10))
    before = stored()
    check = check_slot(at(MON, 10, 30), 60)
    assert not check.ok
    assert check.messages == ("Overlaps Ann Lee 10:00–11:00 (Medical massage 60)",)
    assert check_slot(at(MON, 10, 30), 60, exclude_id=before[0][0]).ok
    assert stored() == before


def test_describe_clash_names_another_day(ann, service) -> None:
    other = book_appointment(ann, service, at(MON, 16))
    text = describe_clash(other, at(MON, 16, 30), at(MON, 17, 30), 15)
    assert text.startswith("Overlaps Ann Lee 16:00–17:00")
    assert "Mon 30 Nov" in describe_clash(other, at(MON + dt.timedelta(days=1), 0), at(MON, 17), 0)


# --- working hours, day off, break, daylight saving ----------------------------------


@pytest.mark.parametrize(
    ("start", "minutes", "reason"),
    [
        (at(MON, 8, 0), 60, "Outside working hours (Mon 09:00–17:00)"),
        (at(MON, 16, 30), 60, "Outside working hours"),
        (at(MON, 12, 0), 60, "During the break (12:30–13:30)"),
        (at(dt.date(2026, 11, 28), 10), 60, "Saturday is a day off."),
    ],
)
def test_out_of_hours_needs_the_override(ann, service, start, minutes, reason) -> None:
    before = stored()
    assert reason in check_slot(start, minutes).outside_hours
    with pytest.raises(OutsideHoursError) as refused:
        book_appointment(ann, service, start, minutes=minutes)
    assert reason in refused.value.message
    assert stored() == before
    booked = book_appointment(ann, service, start, minutes=minutes, allow_outside_hours=True)
    assert booked.start == start


def test_a_day_off_set_in_settings(ann, service) -> None:
    set_working_hours(0, None)  # Monday off
    with pytest.raises(OutsideHoursError, match="Monday is a day off"):
        book_appointment(ann, service, at(MON, 10))


def test_spring_forward_gap_is_refused_naming_the_nearest_times(ann, service) -> None:
    # Europe/London: on Sun 28 Mar 2027 the clocks go from 01:00 to 02:00.
    start = dt.datetime(2027, 3, 28, 1, 30)
    check = check_slot(start, 30)
    assert "01:30 does not exist" in check.invalid_time
    before = stored()
    with pytest.raises(ValidationError) as refused:
        book_appointment(ann, service, start, minutes=30, allow_outside_hours=True)
    assert "00:59" in refused.value.message and "02:00" in refused.value.message
    assert stored() == before
    # Ending inside the gap is refused too.
    with pytest.raises(ValidationError):
        book_appointment(
            ann, service, dt.datetime(2027, 3, 28, 0, 45), minutes=30, allow_outside_hours=True
        )


def test_autumn_repeated_hour_can_be_booked(ann, service) -> None:
    # 01:30 happens twice on Sun 25 Oct 2026; it exists, so it may be booked.
    booked = book_appointment(
        ann, service, dt.datetime(2026, 10, 25, 1, 30), allow_outside_hours=True
    )
    assert booked.start.hour == 1


@pytest.mark.parametrize("minutes", [0, 4, 481, -30])
def test_length_out_of_range_is_refused(ann, service, minutes) -> None:
    with pytest.raises(ValidationError) as refused:
        book_appointment(ann, service, at(MON, 10), minutes=minutes)
    assert refused.value.field == "minutes"
    assert stored() == []


def test_archived_or_missing_records_are_refused(ann, ben, service) -> None:
    from practice_tui.domain.clients import set_archived

    set_archived(ann, True)
    with pytest.raises(ValidationError, match="archived"):
        book_appointment(ann, service, at(MON, 10))
    with pytest.raises(NotFound):
        book_appointment(9999, service, at(MON, 10))
    with pytest.raises(NotFound):
        book_appointment(ben, 9999, at(MON, 10))
    assert stored() == []


def test_a_long_booking_note_is_refused(ann, service) -> None:
    with pytest.raises(ValidationError) as refused:
        book_appointment(ann, service, at(MON, 10), booking_note="x" * 2001)
    assert refused.value.field == "booking_note"
    assert stored() == []


# --- edit and move ----------------------------------------------------------------


def test_move_passes_the_same_checks_and_keeps_the_length(ann, ben, service) -> None:
    first = book_appointment(ann, service, at(MON, 10), minutes=45)
    book_appointment(ben, service, at(MON, 14))
    before = stored()
    with pytest.raises(ConflictError, match="Overlaps Ben Carter 14:00–15:00"):
        move_appointment(first.id, at(MON, 14, 30))
    with pytest.raises(OutsideHoursError):
        move_appointment(first.id, at(MON, 17))
    assert stored() == before
    moved = move_appointment(first.id, at(MON, 15, 15))
    assert (moved.start, moved.minutes) == (at(MON, 15, 15), 45)
    # Moving onto its own old time never clashes with itself.
    assert move_appointment(first.id, at(MON, 15, 30)).start == at(MON, 15, 30)


def test_edit_changes_client_service_length_and_note(ann, ben, service) -> None:
    other = next(s.id for s in list_services() if s.name == "Follow-up 30")
    first = book_appointment(ann, service, at(MON, 10))
    edited = edit_appointment(
        first.id, client_id=ben, service_id=other, minutes=30, booking_note="  bring shorts "
    )
    assert (edited.client_name, edited.service_name, edited.minutes) == (
        "Ben Carter",
        "Follow-up 30",
        30,
    )
    assert edited.booking_note == "bring shorts"


def test_only_booked_appointments_change(ann, service) -> None:
    first = book_appointment(ann, service, at(FIXED_TODAY, 9))
    mark_completed(first.id, now=FIXED_NOW)
    before = stored()
    for change in (
        lambda: edit_appointment(first.id, minutes=30),
        lambda: move_appointment(first.id, at(MON, 10)),
        lambda: cancel_appointment(first.id, "oops", now=FIXED_NOW),
        lambda: mark_no_show(first.id, now=FIXED_NOW),
    ):
        with pytest.raises(ConflictError, match="completed"):
            change()
    assert stored() == before


# --- cancel, no-show, completed, reopen ---------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_cancel_needs_a_reason(ann, service, reason) -> None:
    first = book_appointment(ann, service, at(MON, 10))
    before = stored()
    with pytest.raises(ValidationError) as refused:
        cancel_appointment(first.id, reason, now=FIXED_NOW)
    assert refused.value.field == "reason"
    assert stored() == before


def test_a_too_long_reason_is_refused(ann, service) -> None:
    first = book_appointment(ann, service, at(MON, 10))
    with pytest.raises(ValidationError):
        cancel_appointment(first.id, "x" * 501, now=FIXED_NOW)
    assert get_appointment(first.id).status == "booked"


@pytest.mark.parametrize(
    ("start", "late"),
    [
        (at(FIXED_TODAY, 14), True),  # in under 3 hours
        (at(FIXED_TODAY + dt.timedelta(days=1), 11, 19), True),  # 23 h 59 min ahead
        (at(MON, 10), False),  # 3 days ahead
    ],
)
def test_late_cancel_is_flagged_within_24_hours(ann, service, start, late) -> None:
    first = book_appointment(ann, service, start, allow_outside_hours=True)
    cancelled = cancel_appointment(first.id, "  Sick (cold) ", now=FIXED_NOW)
    assert cancelled.status == "cancelled"
    assert cancelled.cancel_reason == "Sick (cold)"
    assert cancelled.late_cancel is late


def test_exactly_24_hours_ahead_is_not_late(ann, service) -> None:
    first = book_appointment(ann, service, at(MON, 10))
    cancelled = cancel_appointment(first.id, "Travel", now=at(MON, 10) - dt.timedelta(hours=24))
    assert not cancelled.late_cancel


def test_no_show_and_completed_need_the_start_to_have_passed(ann, service) -> None:
    later = book_appointment(ann, service, at(FIXED_TODAY, 14))
    before = stored()
    with pytest.raises(ValidationError, match="not started"):
        mark_no_show(later.id, now=FIXED_NOW)
    with pytest.raises(ValidationError, match="not started"):
        mark_completed(later.id, now=FIXED_NOW)
    assert stored() == before
    assert mark_no_show(later.id, now=at(FIXED_TODAY, 14, 10)).status == "no_show"


def test_completed_is_idempotent_and_cancelled_cannot_complete(ann, service) -> None:
    first = book_appointment(ann, service, at(FIXED_TODAY, 9))
    assert mark_completed(first.id, now=FIXED_NOW).status == "completed"
    assert mark_completed(first.id, now=FIXED_NOW).status == "completed"
    second = book_appointment(ann, service, at(MON, 9))
    cancel_appointment(second.id, "Travel", now=FIXED_NOW)
    with pytest.raises(ConflictError, match="reopen it first"):
        mark_completed(second.id, now=at(MON, 11))


def test_reopen_undoes_a_slip_unless_the_time_was_taken(ann, ben, service) -> None:
    first = book_appointment(ann, service, at(MON, 10))
    cancel_appointment(first.id, "Sick", now=FIXED_NOW)
    taken = book_appointment(ben, service, at(MON, 10))
    with pytest.raises(ConflictError, match="Overlaps Ben Carter"):
        reopen_appointment(first.id, now=FIXED_NOW)
    cancel_appointment(taken.id, "Moved away", now=FIXED_NOW)
    reopened = reopen_appointment(first.id, now=FIXED_NOW)
    assert (reopened.status, reopened.cancel_reason, reopened.late_cancel) == ("booked", "", False)


def test_missing_appointment(db_path) -> None:
    with pytest.raises(NotFound):
        get_appointment(1)
    with pytest.raises(NotFound):
        cancel_appointment(1, "x", now=FIXED_NOW)
    with pytest.raises(NotFound):
        mark_completed(1, now=FIXED_NOW)


# --- marks: notes owed, first visit ----------------------------------------------------


def _note(appointment_id: int, *, signed: bool) -> None:
    with database.atomic():
        SessionNote.create(
            appointment=appointment_id,
            pain_before=6,
            pain_after=3,
            signed_at=FIXED_NOW if signed else None,
        )


def test_notes_owed_and_has_note(ann, ben, service) -> None:
    signed = book_appointment(ann, service, at(FIXED_TODAY - dt.timedelta(days=1), 9))
    draft = book_appointment(ann, service, at(FIXED_TODAY - dt.timedelta(days=1), 11))
    none = book_appointment(ben, service, at(FIXED_TODAY, 9))  # booked, over, not closed
    later = book_appointment(ben, service, at(FIXED_TODAY, 14))
    for appointment in (signed, draft):
        mark_completed(appointment.id, now=FIXED_NOW)
    _note(signed.id, signed=True)
    _note(draft.id, signed=False)

    info = {
        a.id: a for a in (get_appointment(x.id, FIXED_NOW) for x in (signed, draft, none, later))
    }
    assert (info[signed.id].has_note, info[signed.id].note_signed, info[signed.id].note_owed) == (
        True,
        True,
        False,
    )
    # A saved draft is still owed: the note is done when it is signed.
    assert (info[draft.id].has_note, info[draft.id].note_signed, info[draft.id].note_owed) == (
        True,
        False,
        True,
    )
    assert info[none.id].note_owed and not info[none.id].has_note
    assert not info[later.id].note_owed
    assert notes_owed_count(FIXED_NOW) == 2
    assert [a.id for a in notes_owed(FIXED_NOW)] == [draft.id, none.id]
    # The day view agrees with the count.
    owed_today = [a for a in day_view(FIXED_TODAY, now=FIXED_NOW).appointments if a.note_owed]
    assert [a.id for a in owed_today] == [none.id]


def test_no_show_and_cancelled_owe_no_note(ann, service) -> None:
    first = book_appointment(ann, service, at(FIXED_TODAY, 9))
    mark_no_show(first.id, now=FIXED_NOW)
    assert not get_appointment(first.id, FIXED_NOW).note_owed
    assert notes_owed_count(FIXED_NOW) == 0


def test_first_visit_mark(ann, service) -> None:
    cancelled = book_appointment(ann, service, at(MON, 9))
    cancel_appointment(cancelled.id, "Sick", now=FIXED_NOW)
    first = book_appointment(ann, service, at(MON, 11))
    second = book_appointment(ann, service, at(MON, 14))
    assert not get_appointment(cancelled.id).first_visit  # it never took place
    assert get_appointment(first.id).first_visit  # an earlier cancel does not count
    assert not get_appointment(second.id).first_visit


# --- the day: gaps and counts -----------------------------------------------------------


def test_free_gaps_and_the_break(ann, ben, service) -> None:
    book_appointment(ann, service, at(MON, 10))
    book_appointment(ben, service, at(MON, 11, 15))  # 15-min changeover: no gap listed
    cancelled = book_appointment(ann, service, at(MON, 14))
    cancel_appointment(cancelled.id, "Sick", now=FIXED_NOW)
    view = day_view(MON, now=FIXED_NOW)
    gaps = [(g.start.time(), g.end.time(), g.kind) for g in view.gaps]
    assert gaps == [
        # The 15-minute buffer before 10:00 is not free: a 45-minute session fits.
        (dt.time(9), dt.time(9, 45), "free"),
        # 12:15–12:30 is all buffer: changeover, not free time.
        (dt.time(12, 30), dt.time(13, 30), "break"),
        (dt.time(13, 30), dt.time(17), "free"),  # the cancelled one frees its time
    ]
    assert view.free_minutes == 45 + 210
    assert view.free_minutes_left == view.free_minutes  # a future day
    assert (view.booked, view.cancelled) == (2, 1)
    starts = [item.start for item in view.items]
    assert starts == sorted(starts)


def test_a_gap_no_longer_than_the_buffer_is_changeover(ann, ben, service) -> None:
    book_appointment(ann, service, at(MON, 9))
    book_appointment(ben, service, at(MON, 10, 15), minutes=30)
    update_practice(buffer_minutes=30)
    view = day_view(MON, now=FIXED_NOW)
    assert all(g.start != at(MON, 10) for g in view.gaps)


def test_the_break_is_shown_around_an_appointment_booked_into_it(ann, service) -> None:
    book_appointment(ann, service, at(MON, 12, 45), minutes=30, allow_outside_hours=True)
    view = day_view(MON, now=FIXED_NOW)
    breaks = [(g.start.time(), g.end.time()) for g in view.gaps if g.kind == "break"]
    assert breaks == [(dt.time(12, 30), dt.time(12, 45)), (dt.time(13, 15), dt.time(13, 30))]
    appointment = view.appointments[0]
    assert not any(
        isinstance(g, Gap) and g.start < appointment.end and appointment.start < g.end
        for g in view.gaps
    )


def test_free_time_left_today_counts_from_now(db_path) -> None:
    view = day_view(FIXED_TODAY, now=FIXED_NOW)
    # 11:20–12:30 and 13:30–17:00 are still ahead.
    assert view.free_minutes_left == 70 + 210
    assert view.free_minutes == 210 + 210


def test_a_day_off_has_no_gaps(db_path) -> None:
    view = day_view(dt.date(2026, 11, 29), now=FIXED_NOW)
    assert view.working is None and view.items == ()


def test_a_free_gap_holds_a_session_of_its_length_and_enter_proposes_a_bookable_time(
    ann, ben, service
) -> None:
    from practice_tui.domain.free_time import suggest_booking_start
    from practice_tui.domain.schedule import check_slot

    book_appointment(ann, service, at(MON, 9))  # 09:00–10:00
    book_appointment(ben, service, at(MON, 11, 15))  # 11:15–12:15
    view = day_view(MON, now=FIXED_NOW)
    gap = next(g for g in view.gaps if g.kind == "free")
    # The old gap was 10:00–11:15 ("1h15") and could not hold 75 minutes.
    assert (gap.start, gap.end) == (at(MON, 10, 15), at(MON, 11))
    assert not check_slot(gap.start, gap.minutes).messages
    assert check_slot(gap.start, gap.minutes + 5).messages
    # Enter on the gap: a length that fits starts there; one that does not is
    # proposed where it can be booked, never where it is then refused.
    assert suggest_booking_start(45, FIXED_NOW, gap=gap) == gap.start
    later = suggest_booking_start(90, FIXED_NOW, gap=gap)
    assert later is not None and later >= gap.start
    assert not check_slot(later, 90).messages
