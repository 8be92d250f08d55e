"""Clients: search, validation, duplicates, deleting versus archiving, literal text."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from practice_tui.domain.clients import (
    LABELS,
    MAX_LENGTH,
    count_clients,
    create_client,
    delete_client,
    find_duplicates,
    fold,
    get_client,
    has_history,
    search_clients,
    set_archived,
    update_client,
)
from practice_tui.domain.errors import (
    ConflictError,
    DuplicateClientError,
    NotFound,
    ValidationError,
)
from practice_tui.domain.models import Client, Plan
from practice_tui.domain.schedule import book_appointment, cancel_appointment
from practice_tui.domain.settings import list_services
from tests.conftest import FIXED_NOW, FIXED_TODAY


def add(first: str, last: str = "", **fields: object) -> int:
    return create_client(
        {"first_name": first, "last_name": last, **fields}, today=FIXED_TODAY, now=FIXED_NOW
    ).id


def names(query: str, **kwargs: object) -> list[str]:
    return [c.name for c in search_clients(query, now=FIXED_NOW, **kwargs)]  # type: ignore[arg-type]


def book(client_id: int, start: dt.datetime) -> int:
    service = list_services()[0]
    return book_appointment(client_id, service.id, start, allow_outside_hours=True).id


# --- search ---------------------------------------------------------------------


@pytest.fixture
def people(db_path):
    add("María", "García", phone="555-0142", email="maria.garcia@example.com")
    add("Mario", "Rossi", phone="+44 20 7946 0958", email="mrossi@example.org")
    add("Ben", "Carter", phone="(555) 123-4567", email="ben@carter.net")
    add("Zoë", "Lindqvist", preferred_name="Zo", email="ZOE@Example.com")
    return db_path


def test_search_ignores_accents_and_case(people) -> None:
    assert names("maria garcia") == ["María García"]
    assert names("MARÍA") == ["María García"]
    assert names("zoe") == ["Zo Lindqvist"]


def test_search_matches_partial_words_in_any_order(people) -> None:
    assert names("mar gar") == ["María García"]
    assert names("gar mar") == ["María García"]
    assert names("mar") == ["María García", "Mario Rossi"]
    assert names("mar ross") == ["Mario Rossi"]
    assert names("mar xyz") == []


def test_search_by_part_of_a_phone_number_however_it_is_written(people) -> None:
    assert names("0142") == ["María García"]
    assert names("555-0142") == ["María García"]
    assert names("5550142") == ["María García"]
    assert names("123-4567") == ["Ben Carter"]
    assert names("1234567") == ["Ben Carter"]
    assert names("(555) 123") == ["Ben Carter"]
    assert names("7946 0958") == ["Mario Rossi"]
    assert names("+44") == ["Mario Rossi"]


def test_search_by_email(people) -> None:
    assert names("maria.garcia@") == ["María García"]
    assert names("example.org") == ["Mario Rossi"]
    assert names("zoe@example") == ["Zo Lindqvist"]


def test_like_wildcards_typed_by_a_person_are_literal(people) -> None:
    assert names("%") == []
    assert names("_") == []
    assert names("\\") == []


def test_blank_query_lists_everyone_by_last_name(people) -> None:
    assert names("") == ["Ben Carter", "María García", "Zo Lindqvist", "Mario Rossi"]
    assert names("   ") == names("")


def test_archived_clients_are_hidden_unless_asked(people) -> None:
    rossi = search_clients("rossi", now=FIXED_NOW)[0]
    set_archived(rossi.id, True)
    assert names("mar") == ["María García"]
    assert names("mar", include_archived=True) == ["María García", "Mario Rossi"]
    assert count_clients() == 3
    assert count_clients(True) == 4
    assert count_clients(query="mar", include_archived=True) == 2
    found = search_clients("rossi", now=FIXED_NOW, include_archived=True)
    assert found[0].archived
    set_archived(rossi.id, False)
    assert names("mar") == ["María García", "Mario Rossi"]


def test_pages_cover_everyone_once_in_order(db_path) -> None:
    for index in range(25):
        add(f"Client{index:02d}", "Same")
    pages = [
        search_clients("", now=FIXED_NOW, limit=10, offset=offset) for offset in (0, 10, 20, 30)
    ]
    assert [len(p) for p in pages] == [10, 10, 5, 0]
    ids = [c.id for page in pages for c in page]
    assert len(set(ids)) == 25
    assert [c.name for page in pages for c in page] == [f"Client{i:02d} Same" for i in range(25)]
    assert count_clients(query="client") == 25


def test_recent_order_puts_latest_activity_first(db_path) -> None:
    long_ago = dt.datetime(2026, 1, 1, 9, 0)

    def added(first: str, last: str, when: dt.datetime) -> int:
        return create_client(
            {"first_name": first, "last_name": last}, today=FIXED_TODAY, now=when
        ).id

    old = added("Olga", "Old", long_ago)
    recent = added("Rita", "Recent", long_ago)
    new = added("Nina", "New", dt.datetime(2026, 11, 26, 9, 0))
    book(old, dt.datetime(2026, 9, 1, 10, 0))
    book(recent, dt.datetime(2026, 11, 25, 10, 0))
    # A booking ahead is not activity yet: only visits that took place count.
    book(old, dt.datetime(2027, 1, 5, 10, 0))
    order = [c.id for c in search_clients("", now=FIXED_NOW, order="recent")]
    assert order == [new, recent, old]
    by_name = [c.id for c in search_clients("", now=FIXED_NOW, order="name")]
    assert by_name == [new, old, recent]
    with pytest.raises(ValueError):
        search_clients("", now=FIXED_NOW, order="shoe size")


def test_recent_order_counts_visits_not_cancellations(db_path) -> None:
    early = create_client(
        {"first_name": "Ed", "last_name": "Early"}, today=FIXED_TODAY, now=dt.datetime(2026, 1, 1)
    ).id
    late = create_client(
        {"first_name": "Lu", "last_name": "Late"}, today=FIXED_TODAY, now=dt.datetime(2026, 1, 1)
    ).id
    book(early, dt.datetime(2026, 11, 2, 10, 0))
    cancelled = book(late, dt.datetime(2026, 11, 20, 10, 0))
    cancel_appointment(cancelled, "Sick", now=dt.datetime(2026, 11, 19, 9, 0))
    book(late, dt.datetime(2026, 10, 1, 10, 0))
    order = [c.id for c in search_clients("", now=FIXED_NOW, order="recent")]
    assert order == [early, late]


def test_last_and_next_visit_come_with_each_row(db_path) -> None:
    client = add("Vera", "Visit")
    book(client, dt.datetime(2026, 11, 20, 10, 0))
    book(client, dt.datetime(2026, 12, 3, 9, 0))
    book(client, dt.datetime(2026, 12, 10, 9, 0))
    (row,) = search_clients("vera", now=FIXED_NOW)
    assert row.last_visit == dt.datetime(2026, 11, 20, 10, 0)
    assert row.next_visit == dt.datetime(2026, 12, 3, 9, 0)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=st.text(alphabet=string.ascii_letters + "áéíóúñçøÅ", min_size=2, max_size=12),
    data=st.data(),
)
def test_any_piece_of_a_first_name_finds_the_client(db_path, first: str, data) -> None:
    Client.delete().execute()
    client_id = add(first, "Zzyzx")
    folded = fold(first)
    start = data.draw(st.integers(0, len(folded) - 1))
    end = data.draw(st.integers(start + 1, len(folded)))
    piece = folded[start:end]
    typed = data.draw(st.sampled_from([piece, piece.upper(), f"zzy {piece}"]))
    assert client_id in [c.id for c in search_clients(typed, now=FIXED_NOW)]


# --- validation -------------------------------------------------------------------


def test_a_name_is_required_and_nothing_is_stored(db_path) -> None:
    for blank in ("", "   ", "\t"):
        with pytest.raises(ValidationError) as caught:
            create_client({"first_name": blank, "last_name": "X"}, today=FIXED_TODAY)
        assert caught.value.field == "first_name"
    assert count_clients(True) == 0


def test_every_bad_field_is_named_at_once(db_path) -> None:
    with pytest.raises(ValidationError) as caught:
        create_client(
            {
                "first_name": "",
                "phone": "12",
                "email": "ann@",
                "date_of_birth": "2027-01-01",
                "pressure_preference": "crushing",
            },
            today=FIXED_TODAY,
        )
    assert set(caught.value.errors) == {
        "first_name",
        "phone",
        "email",
        "date_of_birth",
        "pressure_preference",
    }
    assert count_clients(True) == 0


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-02-30", "no day 30"),
        ("30 feb 1980", "not a real date"),
        ("2027-01-01", "future"),
        ("1900-01-01", "more than 120 years"),
        (dt.date(1906, 11, 26), "more than 120 years"),
        (dt.date(2026, 11, 28), "future"),
        ("3/4/1970", "ambiguous"),
        ("last summer", "Cannot read"),
    ],
)
def test_date_of_birth_must_be_real_past_and_plausible(db_path, typed, message) -> None:
    with pytest.raises(ValidationError) as caught:
        create_client({"first_name": "Ann", "date_of_birth": typed}, today=FIXED_TODAY)
    assert caught.value.field == "date_of_birth"
    assert message in caught.value.errors["date_of_birth"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1970-12-03", dt.date(1970, 12, 3)),
        ("3 dec 1970", dt.date(1970, 12, 3)),
        ("December 3, 1970", dt.date(1970, 12, 3)),
        ("1906-11-27", dt.date(1906, 11, 27)),
        (FIXED_TODAY, FIXED_TODAY),
        ("", None),
    ],
)
def test_date_of_birth_accepted_forms(db_path, typed, expected) -> None:
    record = create_client({"first_name": "Ann", "date_of_birth": typed}, today=FIXED_TODAY)
    assert record.date_of_birth == expected


@pytest.mark.parametrize("email", ["ann", "ann@", "@example.com", "ann@example", "a b@x.com"])
def test_implausible_emails_are_refused(db_path, email) -> None:
    with pytest.raises(ValidationError) as caught:
        create_client({"first_name": "Ann", "email": email}, today=FIXED_TODAY)
    assert caught.value.field == "email"


@pytest.mark.parametrize("phone", ["12", "call me", "555-0142 or 0143", "1234567890123456"])
def test_implausible_phones_are_refused(db_path, phone) -> None:
    with pytest.raises(ValidationError) as caught:
        create_client({"first_name": "Ann", "emergency_phone": phone}, today=FIXED_TODAY)
    assert caught.value.field == "emergency_phone"


@pytest.mark.parametrize("phone", ["555-0142", "+44 20 7946 0958", "(555) 123-4567 ext 12"])
def test_plausible_phones_are_kept_as_typed(db_path, phone) -> None:
    record = create_client({"first_name": "Ann", "phone": f"  {phone} "}, today=FIXED_TODAY)
    assert record.phone == phone


@pytest.mark.parametrize("field", ["first_name", "email", "address", "complaint", "notes"])
def test_text_longer_than_its_cap_is_refused_not_cut(db_path, field) -> None:
    limit = MAX_LENGTH.get(field, 5000)
    value = "a" * (limit + 1) if field != "email" else "a" * (limit - 5) + "@x.com"
    with pytest.raises(ValidationError) as caught:
        create_client({"first_name": "Ann", field: value}, today=FIXED_TODAY)
    assert "too long" in caught.value.errors[field]
    assert LABELS[field] in caught.value.errors[field]
    record = create_client({"first_name": "Ann", "notes": "n" * 20000}, today=FIXED_TODAY)
    assert len(record.notes) == 20000


def test_intake_and_consent_dates_are_read_like_other_dates(db_path) -> None:
    record = create_client(
        {
            "first_name": "Ann",
            "date_of_birth": "1980-05-05",
            "intake_date": "today",
            "consent_date": "2026-11-20",
        },
        today=FIXED_TODAY,
    )
    assert record.intake_date == FIXED_TODAY
    assert record.consent_date == dt.date(2026, 11, 20)
    with pytest.raises(ValidationError) as caught:
        update_client(
            record.id, {"consent_date": "1970-01-01", "intake_date": "feb 30"}, today=FIXED_TODAY
        )
    assert "before the date of birth" in caught.value.errors["consent_date"]
    assert "Intake date" in caught.value.errors["intake_date"]
    assert get_client(record.id).consent_date == dt.date(2026, 11, 20)


def test_pressure_preference_is_one_of_the_known_words(db_path) -> None:
    assert (
        create_client(
            {"first_name": "Ann", "pressure_preference": "Firm"}, today=FIXED_TODAY
        ).pressure_preference
        == "firm"
    )


def test_unknown_fields_are_a_programming_error(db_path) -> None:
    with pytest.raises(ValueError):
        create_client({"first_name": "Ann", "shoe_size": "42"}, today=FIXED_TODAY)


def test_a_refused_edit_changes_nothing(db_path) -> None:
    client_id = add("Ann", "Lee", phone="555-0101")
    with pytest.raises(ValidationError):
        update_client(client_id, {"phone": "x", "last_name": "Changed"}, today=FIXED_TODAY)
    record = get_client(client_id)
    assert (record.last_name, record.phone) == ("Lee", "555-0101")
    assert names("lee") == ["Ann Lee"]


def test_an_edit_updates_what_search_finds(db_path) -> None:
    client_id = add("Ann", "Lee", phone="555-0101")
    update_client(client_id, {"last_name": "Núñez", "phone": "555-9999"}, today=FIXED_TODAY)
    assert names("nunez") == ["Ann Núñez"]
    assert names("9999") == ["Ann Núñez"]
    assert names("0101") == []
    assert names("lee") == []


# --- duplicates -------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        {"date_of_birth": "1980-05-05"},
        {"phone": "(555) 010-1"},
        {"email": "ANN.LEE@example.com"},
    ],
)
def test_same_name_plus_birth_phone_or_email_is_a_likely_duplicate(db_path, extra) -> None:
    first = add(
        "Ann", "Lee", date_of_birth="1980-05-05", phone="555-0101", email="ann.lee@example.com"
    )
    with pytest.raises(DuplicateClientError) as caught:
        create_client({"first_name": "ann", "last_name": "LEE", **extra}, today=FIXED_TODAY)
    assert [c.id for c in caught.value.conflicts] == [first]
    assert "Ann Lee" in str(caught.value)
    assert count_clients() == 1
    again = create_client(
        {"first_name": "Ann", "last_name": "Lee", **extra},
        today=FIXED_TODAY,
        allow_duplicate=True,
    )
    assert again.id != first
    assert count_clients() == 2


def test_accents_do_not_hide_a_duplicate(db_path) -> None:
    add("María", "García", phone="555-0142")
    assert [
        c.name
        for c in find_duplicates(
            {"first_name": "Maria", "last_name": "Garcia", "phone": "5550142"}, FIXED_TODAY
        )
    ] == ["María García"]


def test_same_name_alone_or_same_phone_alone_is_not_a_duplicate(db_path) -> None:
    add("Ann", "Lee", phone="555-0101", date_of_birth="1980-05-05")
    create_client({"first_name": "Ann", "last_name": "Lee"}, today=FIXED_TODAY)
    create_client({"first_name": "Ann", "last_name": "Lee", "phone": "555-0202"}, today=FIXED_TODAY)
    create_client({"first_name": "Bob", "last_name": "Lee", "phone": "555-0101"}, today=FIXED_TODAY)
    assert count_clients() == 4


def test_editing_checks_duplicates_against_others_only(db_path) -> None:
    ann = add("Ann", "Lee", phone="555-0101")
    other = add("Anne", "Lee", phone="555-0101")
    update_client(ann, {"notes": "likes quiet"}, today=FIXED_TODAY)  # herself is no duplicate
    with pytest.raises(DuplicateClientError) as caught:
        update_client(other, {"first_name": "Ann"}, today=FIXED_TODAY)
    assert [c.id for c in caught.value.conflicts] == [ann]
    assert get_client(other).first_name == "Anne"
    update_client(other, {"first_name": "Ann"}, today=FIXED_TODAY, allow_duplicate=True)
    assert get_client(other).first_name == "Ann"


def test_archived_clients_still_count_as_duplicates(db_path) -> None:
    ann = add("Ann", "Lee", phone="555-0101")
    set_archived(ann, True)
    (match,) = find_duplicates(
        {"first_name": "Ann", "last_name": "Lee", "phone": "555-0101"}, FIXED_TODAY
    )
    assert match.id == ann and match.archived


# --- deleting and archiving -----------------------------------------------------------


def test_a_client_without_history_can_be_deleted(db_path) -> None:
    client_id = add("Typo", "Client")
    assert not has_history(client_id)
    delete_client(client_id)
    with pytest.raises(NotFound):
        get_client(client_id)
    with pytest.raises(NotFound):
        delete_client(client_id)


def test_a_client_with_an_appointment_is_never_deleted(db_path) -> None:
    client_id = add("Kept", "Client")
    appointment = book(client_id, dt.datetime(2026, 12, 1, 10, 0))
    cancel_appointment(appointment, "Changed mind", now=FIXED_NOW)
    assert has_history(client_id)
    with pytest.raises(ConflictError) as caught:
        delete_client(client_id)
    assert "archive" in str(caught.value)
    assert get_client(client_id).first_name == "Kept"


def test_a_client_with_only_a_plan_is_never_deleted(db_path) -> None:
    client_id = add("Plan", "Client")
    Plan.create(
        client=client_id,
        service=list_services()[0].id,
        first_start=dt.datetime(2026, 12, 1, 10, 0),
        minutes=60,
        rule="FREQ=WEEKLY",
        count=4,
    )
    with pytest.raises(ConflictError):
        delete_client(client_id)
    assert get_client(client_id)


def test_archiving_keeps_everything_and_can_be_undone(db_path) -> None:
    client_id = add("Ann", "Lee", complaint="Low back pain")
    book(client_id, dt.datetime(2026, 11, 20, 10, 0))
    archived = set_archived(client_id, True, now=FIXED_NOW)
    assert archived.archived and archived.updated_at == FIXED_NOW
    assert archived.complaint == "Low back pain"
    assert has_history(client_id)
    assert not set_archived(client_id, False).archived
    with pytest.raises(NotFound):
        set_archived(9999, True)


# --- literal text ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["[bold]Ann[/]", "\x1b[31mEve", "Ann\u200bZero", "[link=x]y[/]"])
def test_markup_and_control_characters_are_stored_as_typed(db_path, name) -> None:
    from practice_tui.textutil import visible

    fields = {"first_name": name, "last_name": "[/]", "notes": f"{name}\n\tsecond line"}
    if visible(name) != name:
        # A name refuses control and text-direction characters; notes keep them.
        with pytest.raises(ValidationError, match="control or text-direction"):
            create_client(fields, today=FIXED_TODAY)
        fields["first_name"] = "Ann"
    record = create_client(fields, today=FIXED_TODAY)
    stored = get_client(record.id)
    assert stored.first_name == fields["first_name"]
    assert stored.last_name == "[/]"
    assert stored.notes == f"{name}\n\tsecond line"
    assert record.id in [c.id for c in search_clients(fields["first_name"][:4], now=FIXED_NOW)]


def test_clients_added_in_one_write_are_stored_as_create_client_stores_them(db_path) -> None:
    """A calendar import adds its new clients in one go; each row is the one
    ``create_client`` would have stored, and each is in the audit trail."""
    from practice_tui.domain import audit_verify
    from practice_tui.domain.clients import add_clients_in_this_write
    from practice_tui.domain.db import writes

    fields = {"first_name": "Zoë", "last_name": "O'Brien  Nowak", "notes": "Intake to complete"}
    one = create_client(fields, today=FIXED_TODAY, allow_duplicate=True, now=FIXED_NOW).id

    @writes
    def add(many: list[dict[str, str]]) -> list[int]:
        return add_clients_in_this_write(many, today=FIXED_TODAY, now=FIXED_NOW)

    two, three = add([fields, {"first_name": "Ann"}])

    def stored(client_id: int) -> dict[str, object]:
        row = Client.select().where(Client.id == client_id).dicts().get()
        del row["id"]
        return row

    assert stored(two) == stored(one)
    assert stored(three) == {
        **stored(one),
        "first_name": "Ann",
        "last_name": "",
        "notes": "",
        "search_text": stored(three)["search_text"],
        "sort_name": stored(three)["sort_name"],
    }
    assert "ann" in str(stored(three)["search_text"])
    # Refused input is refused as create_client refuses it, and nothing is kept.
    with pytest.raises(ValidationError):
        add([{"first_name": "Bea"}, {"first_name": ""}])
    assert Client.select().count() == 3
    # Each is noted in the trail, which still verifies.
    noted = [e.record_id for e in audit_verify.trail() if e.kind == "client"]
    assert {one, two, three} <= set(noted)
    assert audit_verify.verify().problems == ()
    # Outside a write it refuses to run at all.
    with pytest.raises(RuntimeError):
        add_clients_in_this_write([fields], today=FIXED_TODAY, now=FIXED_NOW)
