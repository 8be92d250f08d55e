"""Clients: the intake record, search, duplicates, archiving (the profile is
in ``profile``).

Search runs in SQL on ``Client.search_text``, a lower-case, accent-free copy
of the names, phone digits and email kept up to date on every save, so
"mar gar" finds "María García" and "0142" finds "555-0142" among thousands of
clients without loading them. Every typed word must match (in any order); a
word that looks like part of a phone number ("(555)", "123-45") also matches
on its digits alone. Lists are read one page at a time: the page's ids first,
then the visit dates of just those clients.

"Recent" order is by latest activity: the last visit that took place (or was
booked and is over), or the day the client was added when that is later, so
a client added this morning comes before one last seen a month ago.

A client with any appointment or plan is never deleted, only archived: their
clinical record must be kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import peewee as pw
from dateutil.relativedelta import relativedelta

from practice_tui.domain import audit
from practice_tui.domain.dates import parse_birth_date, parse_date
from practice_tui.domain.db import database, reads, writes
from practice_tui.domain.errors import (
    ConflictError,
    DuplicateClientError,
    NotFound,
    ValidationError,
)
from practice_tui.domain.models import (
    BLOCKING_STATUSES,
    Appointment,
    Client,
    Plan,
    Status,
)
from practice_tui.domain.types import ClientRecord, ClientSummary, display_name
from practice_tui.domain.versions import check_version
from practice_tui.domain.vocab import PRESSURES
from practice_tui.domain.words import day_month_year
from practice_tui.textutil import visible

#: Every field of the intake form, in form order.
TEXT_FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "preferred_name",
    "phone",
    "email",
    "address",
    "emergency_name",
    "emergency_phone",
    "referring_provider",
    "complaint",
    "goals",
    "conditions",
    "medications",
    "allergies",
    "contraindications",
    "pressure_preference",
    "notes",
)
DATE_FIELDS: tuple[str, ...] = ("date_of_birth", "intake_date", "consent_date")
ALL_FIELDS = TEXT_FIELDS + DATE_FIELDS

#: Longest text kept in each field; longer input is refused, never cut silently.
MAX_LENGTH: dict[str, int] = {
    "first_name": 100,
    "last_name": 100,
    "preferred_name": 100,
    "phone": 40,
    "email": 254,
    "address": 500,
    "emergency_name": 200,
    "emergency_phone": 40,
    "referring_provider": 200,
    "pressure_preference": 20,
    "notes": 20000,
}
LONG_TEXT_MAX = 5000
#: Oldest date of birth accepted, in years before today.
MAX_AGE_YEARS = 120

LABELS: dict[str, str] = {
    "first_name": "First name",
    "last_name": "Last name",
    "preferred_name": "Preferred name",
    "date_of_birth": "Date of birth",
    "phone": "Phone",
    "email": "Email",
    "address": "Address",
    "emergency_name": "Emergency contact",
    "emergency_phone": "Emergency phone",
    "referring_provider": "Referring provider",
    "complaint": "Primary complaint",
    "goals": "Goals",
    "conditions": "Medical conditions",
    "medications": "Medications",
    "allergies": "Allergies",
    "contraindications": "Contraindications / precautions",
    "pressure_preference": "Pressure preference",
    "intake_date": "Intake date",
    "consent_date": "Consent date",
    "notes": "Notes",
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_PHONE_CHARS = re.compile(r"^[0-9+()\-.\s/x]*(ext\.?\s*\d+)?$", re.IGNORECASE)
#: A typed search word made only of phone punctuation and digits.
_PHONE_WORD = re.compile(r"^[0-9+()\-./]+$")


def fold(text: str) -> str:
    """Lower-case and strip accents: "María" → "maria"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _search_text(first: str, last: str, preferred: str, phone: str, email: str) -> str:
    words = " ".join((first, preferred, last, email.lower()))
    return f"{fold(words)} {digits(phone)} {fold(phone)}".strip()


def _sort_name(first: str, last: str) -> str:
    return fold(f"{last} {first}".strip())[:210]


def _now() -> dt.datetime:
    from practice_tui.domain.clock import practice_now

    return practice_now()


def client_record(row: Client) -> ClientRecord:
    return ClientRecord(**{name: getattr(row, name) for name in ClientRecord.__dataclass_fields__})


def _first_hidden(value: str) -> str:
    for char in value:
        if visible(char) != char:
            return visible(char)
    return ""


def _clean(fields: Mapping[str, Any], today: dt.date) -> dict[str, Any]:
    """Check every field; raise one ValidationError naming each bad field."""
    unknown = set(fields) - set(ALL_FIELDS)
    if unknown:
        raise ValueError(f"unknown client fields: {sorted(unknown)}")
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = fields.get(name, "")
        value = "" if value is None else str(value)
        # Names and single-line fields lose surrounding blanks; text stays as typed.
        if name in MAX_LENGTH and name != "notes":
            value = value.strip()
        limit = MAX_LENGTH.get(name, LONG_TEXT_MAX)
        if len(value) > limit:
            errors[name] = f"{LABELS[name]} is too long ({len(value)} characters, at most {limit})."
        clean[name] = value
    if not clean["first_name"] and "first_name" not in errors:
        errors["first_name"] = "A first name is required."
    for name in ("first_name", "last_name", "preferred_name", "emergency_name"):
        if name not in errors and visible(clean[name]) != clean[name]:
            errors[name] = (
                f"{LABELS[name]} holds a control or text-direction character "
                f"(shown as {_first_hidden(clean[name])}); a name is letters, not codes."
            )
    for name in ("phone", "emergency_phone"):
        value = clean[name]
        if name in errors or not value:
            continue
        if not _PHONE_CHARS.match(value) or not 5 <= len(digits(value)) <= 15:
            errors[name] = (
                f"{LABELS[name]} does not look like a phone number "
                "(5 to 15 digits; spaces, + - ( ) allowed)."
            )
    if clean["email"] and "email" not in errors and not _EMAIL.match(clean["email"]):
        errors["email"] = "That email address does not look right (name@example.com)."
    pressure = clean["pressure_preference"].lower()
    if pressure and pressure not in PRESSURES and "pressure_preference" not in errors:
        errors["pressure_preference"] = "Pressure is light, medium, firm or deep."
    clean["pressure_preference"] = pressure
    for name in DATE_FIELDS:
        value = fields.get(name)
        try:
            if isinstance(value, dt.date) or value is None:
                clean[name] = value
            elif name == "date_of_birth":
                clean[name] = parse_birth_date(str(value), today)
            else:
                clean[name] = parse_date(str(value), today) if str(value).strip() else None
        except ValidationError as error:
            # The date-of-birth reader names the field itself; the others do not.
            prefix = "" if name == "date_of_birth" else f"{LABELS[name]}: "
            errors[name] = prefix + error.message
            clean[name] = None
            continue
    born = clean["date_of_birth"]
    if isinstance(born, dt.date) and "date_of_birth" not in errors:
        if born > today:
            errors["date_of_birth"] = "A date of birth cannot be in the future."
        elif born < today - relativedelta(years=MAX_AGE_YEARS):
            errors["date_of_birth"] = f"That date of birth is more than {MAX_AGE_YEARS} years ago."
        else:
            for name in ("intake_date", "consent_date"):
                when = clean[name]
                if isinstance(when, dt.date) and when < born and name not in errors:
                    errors[name] = f"{LABELS[name]} is before the date of birth."
    if errors:
        raise ValidationError.from_errors(errors)
    return clean


def _duplicates(clean: Mapping[str, Any], exclude_id: int | None) -> list[Client]:
    """Same first and last name (ignoring case and accents) plus the same date of
    birth, phone digits or email. Archived clients count: they may come back."""
    sort_name = _sort_name(clean["first_name"], clean["last_name"])
    query = Client.select().where(Client.sort_name == sort_name)
    if exclude_id is not None:
        query = query.where(Client.id != exclude_id)
    matches = []
    phone = digits(clean.get("phone", ""))
    email = clean.get("email", "").lower()
    for row in query.order_by(Client.id):
        same_dob = clean.get("date_of_birth") and row.date_of_birth == clean["date_of_birth"]
        same_phone = phone and digits(row.phone) == phone
        same_email = email and row.email.lower() == email
        if same_dob or same_phone or same_email:
            matches.append(row)
    return matches


def as_datetime(value: object) -> dt.datetime | None:
    """Subquery columns come back as the stored text."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _summary(row: Client) -> ClientSummary:
    return ClientSummary(
        id=row.id,
        name=display_name(row.first_name, row.last_name, row.preferred_name),
        phone=row.phone,
        email=row.email,
        date_of_birth=row.date_of_birth,
        contraindications=row.contraindications,
        archived=row.archived,
        last_visit=as_datetime(getattr(row, "last_visit", None)),
        next_visit=as_datetime(getattr(row, "next_visit", None)),
    )


def _check_duplicates(clean: Mapping[str, Any], exclude_id: int | None) -> None:
    matches = _duplicates(clean, exclude_id)
    if matches:
        names = ", ".join(
            f"{display_name(m.first_name, m.last_name)}"
            + (f" (born {day_month_year(m.date_of_birth)})" if m.date_of_birth else "")
            for m in matches
        )
        raise DuplicateClientError(
            f"This looks like a client already on file: {names}.",
            conflicts=[_summary(m) for m in matches],
        )


@reads
def find_duplicates(
    fields: Mapping[str, Any], today: dt.date, exclude_id: int | None = None
) -> tuple[ClientSummary, ...]:
    """Likely duplicates of what is typed, for a warning before saving."""
    clean = _clean(fields, today)
    return tuple(_summary(row) for row in _duplicates(clean, exclude_id))


def _derived(clean: Mapping[str, Any]) -> dict[str, str]:
    return {
        "search_text": _search_text(
            clean["first_name"],
            clean["last_name"],
            clean["preferred_name"],
            clean["phone"],
            clean["email"],
        ),
        "sort_name": _sort_name(clean["first_name"], clean["last_name"]),
    }


@writes
def create_client(
    fields: Mapping[str, Any],
    *,
    today: dt.date,
    allow_duplicate: bool = False,
    now: dt.datetime | None = None,
) -> ClientRecord:
    """Add a client. A likely duplicate raises DuplicateClientError unless allowed.

    ``now`` stamps the record (the app passes its clock, so "recent" order and
    tests follow the injected time)."""
    clean = _clean(fields, today)
    if not allow_duplicate:
        _check_duplicates(clean, None)
    stamp = (now or _now()).replace(microsecond=0)
    row = Client.create(**clean, **_derived(clean), created_at=stamp, updated_at=stamp)
    audit.record("client", row.id, "create")
    return client_record(row)


def add_clients_in_this_write(
    many: Sequence[Mapping[str, Any]], *, today: dt.date, now: dt.datetime
) -> list[int]:
    """Add many clients inside the caller's write (a calendar import brings
    hundreds): each checked and stored as ``create_client`` stores it, likely
    duplicates allowed, each noted in the audit trail — through one prepared
    statement, not by building each one's SQL in Python (a fifth of a large
    import's time). Returns the new ids, in order."""
    if not database.in_transaction():
        raise RuntimeError("add_clients_in_this_write runs inside a write (@writes)")
    stamp = now.replace(microsecond=0)
    fields = [field for field in Client._meta.sorted_fields if field.name != "id"]
    sql = 'INSERT INTO "client" ({}) VALUES ({})'.format(
        ", ".join(f'"{field.column_name}"' for field in fields),
        ", ".join("?" * len(fields)),
    )
    ids: list[int] = []
    for given in many:
        clean = _clean(given, today)
        values = {**clean, **_derived(clean), "created_at": stamp, "updated_at": stamp}
        row = []
        for field in fields:
            if field.name in values:
                value = values[field.name]
            else:
                value = field.default() if callable(field.default) else field.default
            row.append(field.db_value(value))
        # Through peewee, so a full disk or a busy file is reported as for any write.
        client_id = int(database.execute_sql(sql, row).lastrowid)
        audit.record("client", client_id, "create")
        ids.append(client_id)
    return ids


def client_row(client_id: int) -> Client:
    row = Client.get_or_none(Client.id == client_id)
    if row is None:
        raise NotFound("That client no longer exists.")
    return row


@writes
def update_client(
    client_id: int,
    fields: Mapping[str, Any],
    *,
    today: dt.date,
    allow_duplicate: bool = False,
    now: dt.datetime | None = None,
    expected_version: int | None = None,
) -> ClientRecord:
    """Replace the intake record with ``fields`` (fields left out keep their value).

    With ``expected_version`` (what the form read), a change made in another
    window or program since is refused (``StaleRecordError``), never overwritten."""
    row = client_row(client_id)
    check_version("client", row, expected_version)
    before = audit.stored_values("client", client_id)
    merged = {name: getattr(row, name) for name in ALL_FIELDS}
    merged.update(fields)
    clean = _clean(merged, today)
    if not allow_duplicate:
        _check_duplicates(clean, client_id)
    for name, value in {**clean, **_derived(clean)}.items():
        setattr(row, name, value)
    row.updated_at = (now or _now()).replace(microsecond=0)
    row.save()
    changed = audit.changed_fields(before, audit.stored_values("client", client_id))
    audit.record("client", client_id, "change", fields=changed)
    return client_record(client_row(client_id))


@reads
def get_client(client_id: int) -> ClientRecord:
    return client_record(client_row(client_id))


@writes
def set_archived(client_id: int, archived: bool, *, now: dt.datetime | None = None) -> ClientRecord:
    """Archive (hide from lists, keep everything) or bring back a client."""
    row = client_row(client_id)
    row.archived = archived
    row.updated_at = (now or _now()).replace(microsecond=0)
    row.save()
    audit.record("client", client_id, "archive" if archived else "unarchive")
    return client_record(row)


def history_exists(client_id: int) -> bool:
    return (
        Appointment.select().where(Appointment.client == client_id).exists()
        or Plan.select().where(Plan.client == client_id).exists()
    )


@reads
def has_history(client_id: int) -> bool:
    """True when the client has any appointment (and so possibly notes) or plan."""
    return history_exists(client_id)


@writes
def delete_client(client_id: int) -> None:
    """Delete a client entered by mistake. Anyone with an appointment, note or plan
    can only be archived: their clinical record must be kept."""
    row = client_row(client_id)
    if history_exists(client_id):
        raise ConflictError(
            f"{display_name(row.first_name, row.last_name)} has appointments or notes on file; "
            "clinical records are kept, so archive the client instead."
        )
    row.delete_instance()
    audit.record("client", client_id, "delete", client_id=client_id)


# --- search -------------------------------------------------------------------


def _visit_columns(now: dt.datetime) -> tuple[pw.Node, pw.Node]:
    past = Appointment.alias("past")
    future = Appointment.alias("future")
    last_visit = past.select(pw.fn.MAX(past.start)).where(
        (past.client == Client.id) & (past.start < now) & (past.status.in_(BLOCKING_STATUSES))
    )
    next_visit = future.select(pw.fn.MIN(future.start)).where(
        (future.client == Client.id)
        & (future.start >= now)
        & (future.status == Status.BOOKED.value)
    )
    return last_visit, next_visit


def _like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like(column: pw.Node, word: str) -> pw.Node:
    pattern = f"%{_like_escape(word)}%"
    return pw.NodeList((column, pw.SQL("LIKE"), pw.Value(pattern), pw.SQL("ESCAPE '\\'")))


def _word_matches(word: str) -> pw.Node:
    """One typed word: in the names, phone or email (the email column too, for
    records written before it was part of the search text)."""
    options = [_like(Client.search_text, word), _like(pw.fn.LOWER(Client.email), word)]
    number = digits(word)
    if number and number != word and _PHONE_WORD.match(word):
        options.append(_like(Client.search_text, number))
    return pw.NodeList((pw.SQL("("), functools.reduce(operator.or_, options), pw.SQL(")")))


def _filtered(query: str, include_archived: bool) -> pw.ModelSelect:
    select = Client.select(Client.id)
    if not include_archived:
        select = select.where(Client.archived == False)  # noqa: E712
    for word in fold(query).split():
        select = select.where(_word_matches(word))
    return select


@reads
def search_clients(
    query: str = "",
    *,
    now: dt.datetime,
    include_archived: bool = False,
    order: str = "name",
    limit: int = 200,
    offset: int = 0,
) -> tuple[ClientSummary, ...]:
    """Clients whose name, phone or email contain every word typed (in any order,
    ignoring case and accents), one page at a time. ``order`` is ``"name"`` or
    ``"recent"`` (latest activity first, see the module docstring)."""
    if order not in ("name", "recent"):
        raise ValueError(f"unknown order {order!r}")
    page = _filtered(query, include_archived)
    if order == "recent":
        seen = Appointment.alias("seen")
        last_seen = seen.select(pw.fn.MAX(seen.start)).where(
            (seen.client == Client.id) & (seen.start < now) & (seen.status.in_(BLOCKING_STATUSES))
        )
        activity = pw.fn.MAX(pw.fn.COALESCE(last_seen, Client.created_at), Client.created_at)
        page = page.order_by(activity.desc(), Client.sort_name, Client.id)
    else:
        page = page.order_by(Client.sort_name, Client.id)
    ids = [row.id for row in page.limit(limit).offset(offset)]
    if not ids:
        return ()
    last_visit, next_visit = _visit_columns(now)
    rows = {
        row.id: row
        for row in Client.select(
            Client, last_visit.alias("last_visit"), next_visit.alias("next_visit")
        ).where(Client.id.in_(ids))
    }
    return tuple(_summary(rows[client_id]) for client_id in ids if client_id in rows)


@reads
def count_clients(include_archived: bool = False, *, query: str = "") -> int:
    """How many clients a search would list in all its pages."""
    return _filtered(query, include_archived).count()


# --- the profile ----------------------------------------------------------------
