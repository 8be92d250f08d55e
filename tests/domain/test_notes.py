"""Session notes: pain rules, drafts, copy forward, sign and lock, amendments, owed."""

from __future__ import annotations

import datetime as dt
import sqlite3

import peewee as pw
import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice_tui.domain import notes
from practice_tui.domain.appointments import get_appointment
from practice_tui.domain.db import database
from practice_tui.domain.errors import ConflictError, NotFound, ValidationError
from practice_tui.domain.models import Appointment, NoteAmendment, SessionNote
from practice_tui.domain.note_fields import (
    NoteFields,
    check_note,
    copy_forward,
    normalize_areas,
    parse_pain,
)
from practice_tui.domain.schedule import cancel_appointment, mark_no_show
from practice_tui.domain.vocab import REGION_NAMES, SIDED, SIDES, split_area
from tests.conftest import FIXED_NOW
from tests.domain.notes_helpers import at, book, make_client

# --- pain ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("", None), ("   ", None), (None, None), ("0", 0), ("7", 7), (" 10 ", 10), ("07", 7), (3, 3)],
)
def test_pain_accepts_whole_numbers_and_blank(typed, expected) -> None:
    assert parse_pain(typed) == expected


def test_blank_pain_is_not_zero() -> None:
    assert parse_pain("") is None
    assert parse_pain("0") == 0
    assert check_note({"pain_before": ""}).pain_before is None
    assert check_note({"pain_before": "0"}).pain_before == 0


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("7.5", "no decimals"),
        ("7,5", "no decimals"),
        ("-1", "below 0"),
        ("11", "above 10"),
        ("7/10", "type just the number (7)"),
        ("seven", "whole number"),
        ("٧", "whole number"),  # an Arabic-Indic digit is not taken as 7
        ("1e1", "whole number"),
    ],
)
def test_pain_refuses_with_a_message(typed, hint) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_pain(typed, "Pain before")
    assert hint in caught.value.message
    assert caught.value.message.startswith("Pain before")


@pytest.mark.parametrize("value", [-1, 11, True, 7.0])
def test_pain_refuses_non_scale_values_from_code(value) -> None:
    with pytest.raises(ValidationError):
        parse_pain(value)


@given(st.text(max_size=8))
def test_pain_is_blank_or_an_integer_on_the_scale(typed: str) -> None:
    """Whatever is typed, the result is None, or an int 0–10 — or a message."""
    try:
        value = parse_pain(typed)
    except ValidationError as error:
        assert error.message
        assert typed.strip()  # blank is never refused
        return
    if value is None:
        assert not typed.strip()
    else:
        assert isinstance(value, int) and 0 <= value <= 10
        assert int(typed.strip()) == value


@given(st.integers(min_value=-1000, max_value=1000))
def test_pain_typed_integers_are_kept_exactly_when_on_the_scale(number: int) -> None:
    if 0 <= number <= 10:
        assert parse_pain(str(number)) == number
    else:
        with pytest.raises(ValidationError):
            parse_pain(str(number))


def test_check_note_names_every_bad_field() -> None:
    with pytest.raises(ValidationError) as caught:
        check_note(
            {
                "pain_before": "7.5",
                "pain_after": "11",
                "areas": ["elbow:left"],
                "pressure": "crushing",
                "next_visit": "x" * 201,
            }
        )
    assert set(caught.value.errors) == {
        "pain_before",
        "pain_after",
        "areas",
        "pressure",
        "next_visit",
    }


# --- vocabulary ------------------------------------------------------------------


def test_areas_are_merged_checked_and_in_body_order() -> None:
    fields = check_note(
        {"areas": ["hips:right", "neck:left", "neck:right", "abdomen:left", "hips:both"]}
    )
    assert fields.areas == ("neck:both", "hips:both", "abdomen:")


_AREA = st.sampled_from(REGION_NAMES).flatmap(
    lambda region: st.sampled_from(
        [f"{region}:{side}" for side in SIDES] if region in SIDED else [f"{region}:"]
    )
)


@given(st.lists(_AREA, max_size=12))
def test_area_normalising_is_stable_and_keeps_every_region(values: list[str]) -> None:
    once = normalize_areas(values)
    assert normalize_areas(once) == once
    assert {split_area(v)[0] for v in once} == {split_area(v)[0] for v in values}
    assert len({split_area(v)[0] for v in once}) == len(once)  # one entry per region


def test_a_sided_area_needs_a_side() -> None:
    with pytest.raises(ValidationError) as caught:
        check_note({"areas": ["neck:"]})
    assert caught.value.field == "areas"
    assert "which side" in caught.value.message


def test_techniques_keep_free_additions_after_the_list() -> None:
    fields = check_note(
        {"techniques": ["cupping", "myofascial release", "SWEDISH", "  Cupping ", "[b]gua sha[/b]"]}
    )
    assert fields.techniques == ("Swedish", "myofascial release", "cupping", "[b]gua sha[/b]")


def test_home_care_is_picked_from_the_list() -> None:
    fields = check_note({"home_care": ["Heat", "stretching"], "home_care_notes": " ice 10 min "})
    assert fields.home_care == ("stretching", "heat")
    assert fields.home_care_notes == "ice 10 min"
    with pytest.raises(ValidationError) as caught:
        check_note({"home_care": ["yoga"]})
    assert caught.value.field == "home_care"


# --- drafts ----------------------------------------------------------------------


def test_save_draft_then_change_it(db_path) -> None:
    client = make_client()
    appointment = book(client, at(0, 9))
    empty = notes.get_note(appointment)
    assert empty.id is None and not empty.signed
    saved = notes.save_draft(
        appointment,
        {"pain_before": "6", "pain_after": "", "areas": ["neck:both"], "subjective": "Stiff."},
        now=FIXED_NOW,
    )
    assert saved.id is not None and not saved.signed
    assert saved.content.pain_before == 6 and saved.content.pain_after is None
    again = notes.save_draft(
        appointment, {"pain_before": "6", "pain_after": "3", "areas": []}, now=FIXED_NOW
    )
    assert again.id == saved.id
    assert again.content.pain_after == 3 and again.content.areas == ()
    assert SessionNote.select().count() == 1


def test_a_refused_save_changes_nothing(db_path) -> None:
    client = make_client()
    appointment = book(client, at(0, 9))
    notes.save_draft(appointment, {"pain_before": "6"}, now=FIXED_NOW)
    with pytest.raises(ValidationError) as caught:
        notes.save_draft(appointment, {"pain_before": "7/10", "subjective": "x"}, now=FIXED_NOW)
    assert caught.value.field == "pain_before"
    stored = notes.get_note(appointment)
    assert stored.content.pain_before == 6 and stored.content.subjective == ""


def test_no_note_before_the_session_or_for_a_cancelled_one(db_path) -> None:
    client = make_client()
    later = book(client, FIXED_NOW + dt.timedelta(days=3))
    with pytest.raises(ConflictError, match="not started"):
        notes.save_draft(later, {"subjective": "x"}, now=FIXED_NOW)
    cancelled = book(client, FIXED_NOW + dt.timedelta(days=4))
    cancel_appointment(cancelled, "sick", now=FIXED_NOW)
    with pytest.raises(ConflictError, match="cancelled"):
        notes.save_draft(cancelled, {"subjective": "x"}, now=FIXED_NOW + dt.timedelta(days=5))
    missed = book(client, at(1, 10))
    mark_no_show(missed, now=FIXED_NOW)
    with pytest.raises(ConflictError, match="no-show"):
        notes.save_draft(missed, {"subjective": "x"}, now=FIXED_NOW)
    with pytest.raises(NotFound):
        notes.save_draft(9999, {}, now=FIXED_NOW)
    assert SessionNote.select().count() == 0


# --- copy forward ------------------------------------------------------------------


def test_copy_forward_takes_structure_from_the_previous_note_only(db_path) -> None:
    client = make_client()
    other = make_client("Daniel", "Okoye")
    first = book(client, at(14, 9))
    second = book(client, at(7, 9))
    today = book(client, at(0, 9))
    other_visit = book(other, at(2, 9))
    notes.sign_note(
        first,
        {"areas": ["feet:left"], "plan_text": "old plan", "pain_before": "8"},
        now=FIXED_NOW,
    )
    notes.save_draft(
        second,
        {
            "pain_before": "6",
            "pain_after": "3",
            "areas": ["lower back/lumbar:both", "sacrum and glutes:right"],
            "techniques": ["trigger point therapy", "cupping"],
            "pressure": "firm",
            "subjective": "S last week",
            "home_care": ["heat"],
            "home_care_notes": "heat 15 min",
            "plan_text": "weekly x4",
            "next_visit": "1 week",
        },
        now=FIXED_NOW,
    )
    notes.save_draft(other_visit, {"areas": ["neck:left"]}, now=FIXED_NOW)

    page = notes.open_note(today)
    assert page.previous is not None and page.previous.appointment_id == second
    current = NoteFields(pain_before=5, subjective="today")
    filled = copy_forward(current, page.previous.content)
    assert filled.areas == ("lower back/lumbar:both", "sacrum and glutes:right")
    assert filled.techniques == ("trigger point therapy", "cupping")
    assert filled.pressure == "firm"
    assert filled.home_care == ("heat",) and filled.home_care_notes == "heat 15 min"
    assert filled.plan_text == "weekly x4"
    # What belongs to today's session is kept, not copied.
    assert filled.pain_before == 5 and filled.pain_after is None
    assert filled.subjective == "today" and filled.next_visit == ""
    # The first visit has no previous note.
    assert notes.open_note(first).previous is None


def test_copy_forward_never_overwrites(db_path) -> None:
    previous = NoteFields(areas=("neck:both",), plan_text="p")
    with pytest.raises(ConflictError):
        copy_forward(NoteFields(pressure="light"), previous)
    with pytest.raises(ConflictError):
        copy_forward(NoteFields(plan_text="mine"), previous)


# --- sign and lock -------------------------------------------------------------------


def test_sign_saves_locks_and_completes_the_appointment(db_path) -> None:
    client = make_client()
    appointment = book(client, at(0, 9))
    assert get_appointment(appointment, FIXED_NOW).status == "booked"
    signed = notes.sign_note(appointment, {"pain_before": "6", "pain_after": "2"}, now=FIXED_NOW)
    assert signed.signed and signed.signed_at == FIXED_NOW
    assert signed.content.pain_after == 2
    assert get_appointment(appointment, FIXED_NOW).status == "completed"
    assert appointment not in [a.id for a in notes.notes_owed(FIXED_NOW)]
    with pytest.raises(ConflictError, match="signed and locked"):
        notes.save_draft(appointment, {"pain_before": "1"}, now=FIXED_NOW)
    with pytest.raises(ConflictError):
        notes.sign_note(appointment, {"pain_before": "1"}, now=FIXED_NOW)
    assert notes.get_note(appointment).content.pain_before == 6


def test_an_empty_note_cannot_be_signed(db_path) -> None:
    appointment = book(make_client(), at(0, 9))
    with pytest.raises(ValidationError, match="empty"):
        notes.sign_note(appointment, {"pain_before": ""}, now=FIXED_NOW)
    assert SessionNote.select().count() == 0
    assert Appointment.get_by_id(appointment).status == "booked"


def test_a_refused_sign_leaves_the_appointment_and_draft_alone(db_path) -> None:
    appointment = book(make_client(), at(0, 9))
    notes.save_draft(appointment, {"pain_before": "4"}, now=FIXED_NOW)
    with pytest.raises(ValidationError):
        notes.sign_note(appointment, {"pain_before": "-1"}, now=FIXED_NOW)
    assert Appointment.get_by_id(appointment).status == "booked"
    assert not notes.get_note(appointment).signed


def _signed_note(db_path) -> int:
    appointment = book(make_client(), at(0, 9))
    return notes.sign_note(appointment, {"pain_before": "6"}, now=FIXED_NOW).id


def test_the_database_refuses_update_and_delete_of_a_signed_note(db_path) -> None:
    note_id = _signed_note(db_path)
    database.connect(reuse_if_open=True)
    with pytest.raises(pw.IntegrityError, match="locked"):
        database.execute_sql("UPDATE session_note SET pain_before = 1 WHERE id = ?", (note_id,))
    with pytest.raises(pw.IntegrityError, match="locked"):
        database.execute_sql("UPDATE session_note SET signed_at = NULL WHERE id = ?", (note_id,))
    with pytest.raises(pw.IntegrityError, match="locked"):
        database.execute_sql("DELETE FROM session_note WHERE id = ?", (note_id,))
    # Another program writing to the file directly is refused too.
    raw = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="locked"):
            raw.execute("UPDATE session_note SET subjective = 'changed' WHERE id = ?", (note_id,))
        with pytest.raises(sqlite3.IntegrityError, match="locked"):
            raw.execute("DELETE FROM session_note WHERE id = ?", (note_id,))
    finally:
        raw.close()
    row = SessionNote.get_by_id(note_id)
    assert row.pain_before == 6 and row.subjective == "" and row.signed_at is not None


def test_a_draft_is_not_locked_in_the_database(db_path) -> None:
    """The triggers catch signed notes only (so the lock test above can fail)."""
    appointment = book(make_client(), at(0, 9))
    note_id = notes.save_draft(appointment, {"pain_before": "6"}, now=FIXED_NOW).id
    database.connect(reuse_if_open=True)
    database.execute_sql("UPDATE session_note SET pain_before = 2 WHERE id = ?", (note_id,))
    assert SessionNote.get_by_id(note_id).pain_before == 2


# --- amendments ----------------------------------------------------------------------


def test_amendments_need_text_and_reason_and_are_stamped(db_path) -> None:
    note_id = _signed_note(db_path)
    with pytest.raises(ValidationError) as caught:
        notes.add_amendment(note_id, "  ", "", now=FIXED_NOW)
    assert set(caught.value.errors) == {"text", "reason"}
    later = FIXED_NOW + dt.timedelta(hours=2, minutes=5)
    note = notes.add_amendment(note_id, "Pain after was 3, not 2.", "typo", now=FIXED_NOW)
    note = notes.add_amendment(note_id, "Client called: sore next day.", "follow-up", now=later)
    assert [(a.text, a.reason, a.created_at) for a in note.amendments] == [
        ("Pain after was 3, not 2.", "typo", FIXED_NOW),
        ("Client called: sore next day.", "follow-up", later),
    ]
    assert note.content.pain_before == 6  # the note itself is unchanged


def test_amendments_are_append_only_in_the_database(db_path) -> None:
    note_id = _signed_note(db_path)
    notes.add_amendment(note_id, "text", "reason", now=FIXED_NOW)
    amendment_id = NoteAmendment.select().first().id
    database.connect(reuse_if_open=True)
    with pytest.raises(pw.IntegrityError, match="append-only"):
        database.execute_sql("UPDATE note_amendment SET text = 'x' WHERE id = ?", (amendment_id,))
    with pytest.raises(pw.IntegrityError, match="append-only"):
        database.execute_sql("DELETE FROM note_amendment WHERE id = ?", (amendment_id,))
    assert NoteAmendment.get_by_id(amendment_id).text == "text"


def test_a_draft_takes_no_amendment(db_path) -> None:
    appointment = book(make_client(), at(0, 9))
    note_id = notes.save_draft(appointment, {"pain_before": "6"}, now=FIXED_NOW).id
    with pytest.raises(ConflictError, match="draft"):
        notes.add_amendment(note_id, "text", "reason", now=FIXED_NOW)
    with pytest.raises(NotFound):
        notes.add_amendment(9999, "text", "reason", now=FIXED_NOW)


# --- notes owed, recent, history -------------------------------------------------------


def test_notes_owed_oldest_first_drafts_still_owed(db_path) -> None:
    maya = make_client()
    ben = make_client("Ben", "Carter")
    old = book(maya, at(6, 10))
    draft = book(ben, at(3, 14))
    signed = book(maya, at(2, 9))
    book(ben, at(0, 15))  # 15:00 today: not over at 11:20
    in_progress = book(maya, at(0, 11))  # 11:00–12:00: not over yet
    missed = book(ben, at(1, 9))
    cancelled = book(maya, at(1, 14))
    mark_no_show(missed, now=FIXED_NOW)
    cancel_appointment(cancelled, "sick", now=at(2))
    notes.save_draft(draft, {"pain_before": "5"}, now=FIXED_NOW)
    notes.sign_note(signed, {"pain_before": "4"}, now=FIXED_NOW)
    notes.save_draft(in_progress, {"subjective": "started"}, now=FIXED_NOW)

    overview = notes.sessions_overview(FIXED_NOW)
    assert [a.id for a in overview.owed] == [old, draft]
    assert overview.owed_total == notes.notes_owed_count(FIXED_NOW) == 2
    assert overview.drafts == {draft}
    # Recent notes: the signed one and the draft of the session under way; the
    # owed draft is listed with the owed only.
    assert [(n.appointment_id, n.signed) for n in overview.recent] == [
        (in_progress, False),
        (signed, True),
    ]
    # Signing the draft moves it from owed to recent.
    notes.sign_note(draft, None, now=FIXED_NOW)
    overview = notes.sessions_overview(FIXED_NOW)
    assert [a.id for a in overview.owed] == [old]
    assert [n.appointment_id for n in overview.recent] == [in_progress, signed, draft]


def test_client_history_newest_first_with_pain_trend(db_path) -> None:
    maya = make_client(contraindications="Warfarin: light pressure only")
    visits = [book(maya, at(days, 9)) for days in (21, 14, 7, 0)]
    for appointment, (before, after) in zip(
        visits, [(7, 4), (6, 4), ("", ""), (5, 2)], strict=True
    ):
        notes.sign_note(
            appointment,
            {"pain_before": str(before), "pain_after": str(after), "subjective": "s"},
            now=FIXED_NOW,
        )
    history = notes.client_notes(maya)
    assert history.contraindications == "Warfarin: light pressure only"
    assert [n.appointment_id for n in history.notes] == list(reversed(visits))
    assert list(zip(history.trend.before, history.trend.after, strict=True)) == [
        (7, 4),
        (6, 4),
        (5, 2),
    ]
    assert history.trend.change == -2
    with pytest.raises(NotFound):
        notes.client_notes(9999)


def test_reading_a_note_shows_contraindications_and_amendment_count(db_path) -> None:
    maya = make_client(contraindications="DVT left calf")
    appointment = book(maya, at(0, 9))
    signed = notes.sign_note(appointment, {"pain_before": "3"}, now=FIXED_NOW)
    notes.add_amendment(signed.id, "more", "why", now=FIXED_NOW)
    page = notes.open_note(appointment)
    assert page.note.contraindications == "DVT left calf"
    assert len(page.note.amendments) == 1
    assert notes.client_notes(maya).notes[0].amendment_count == 1


def test_open_note_says_why_a_note_cannot_be_written(db_path) -> None:
    client = make_client()
    later = book(client, FIXED_NOW + dt.timedelta(days=3))
    given = book(client, at(1, 9))
    missed = book(client, at(2, 9))
    mark_no_show(missed, now=FIXED_NOW)
    assert "not started" in notes.open_note(later, FIXED_NOW).blocked
    assert "no-show" in notes.open_note(missed, FIXED_NOW).blocked
    assert notes.open_note(given, FIXED_NOW).blocked == ""
    assert notes.open_note(later).blocked == ""  # without a clock nothing is judged
