"""Reading an iCalendar file for import: the notes and summary an import
gives, and the events, rows and plans it reads before anything is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

from practice_tui.domain.errors import ValidationError

# --- import ---------------------------------------------------------------------
#
# Choices made here (the issue left them open):
#
# * **Clients** are matched by the name in the event's title ("Maya Thompson –
#   Medical massage 60", "Maya Thompson - Massage", or just "Maya Thompson"),
#   ignoring case and accents; an unknown name becomes a new client whose notes
#   say "Intake to complete". The service is the one named in the title, else
#   one as long as the event, else the practice's first service; the
#   appointment keeps the event's own times either way.
# * **Status**: an event that has ended is imported as completed (it took
#   place in the old calendar), a later one as booked. Events the calendar marks
#   CANCELLED are skipped and listed.
# * **Recurring events** become a plan when the plan's own rule gives exactly
#   the calendar's dates: EXDATEs become skipped dates and moved occurrences
#   (RECURRENCE-ID) sessions moved by hand. A series a plan cannot express
#   (RDATE, several times a day, times that shift with another zone's daylight
#   saving) becomes separate appointments, and the summary says so. An
#   open-ended series is booked up to the practice's plan horizon, as
#   open-ended plans are; later dates follow as the plan is topped up. A
#   finite series reaching beyond the horizon is booked to the horizon too and
#   filled to its end when the app opens.
# * **All-day events** (holidays, days off) are skipped and listed: time off
#   is not part of this version.
# * **Overlaps** are imported, never dropped, and listed as conflicts: the
#   clash rule of booking is deliberately not applied to what a calendar
#   already holds.
# * A second import of the same calendar creates nothing twice (the event's
#   UID is stored); the practice's own export is recognised and skipped.


@dataclass(frozen=True)
class ImportNote:
    """One event the summary speaks about: where it is and why."""

    where: str
    title: str
    when: dt.datetime | None
    reason: str


@dataclass(frozen=True)
class IcsImport:
    """What an import did (or, with ``check``, would do)."""

    checked_only: bool
    events: int
    appointments: int
    plans: int
    plan_sessions: int
    clients_matched: tuple[str, ...]
    clients_created: tuple[str, ...]
    already_imported: int
    skipped: tuple[ImportNote, ...]
    bad: tuple[ImportNote, ...]
    conflicts: tuple[ImportNote, ...]
    split_series: tuple[ImportNote, ...]
    #: Dates before ``since`` left out (an import of the booked future only).
    before_since: int = 0
    since: dt.date | None = None

    @property
    def created(self) -> int:
        return self.appointments + self.plan_sessions


class BadEvent(Exception):
    """An event that cannot be imported, with the reason."""


@dataclass
class ReadEvent:
    where: str
    uid: str
    title: str
    component: icalendar.Event
    start: dt.datetime | None = None
    end: dt.datetime | None = None


@dataclass
class ImportRow:
    """One appointment to create."""

    key: tuple[str, str]  # (client name folded, display name) for clients made later
    client_id: int | None
    service_id: int
    start: dt.datetime
    end: dt.datetime
    external_uid: str | None
    plan: int | None = None  # index into the plans list
    plan_slot: dt.datetime | None = None
    plan_modified: bool = False
    where: str = ""
    title: str = ""


@dataclass
class PlanRow:
    key: tuple[str, str]
    client_id: int | None
    service_id: int
    first_start: dt.datetime
    minutes: int
    rule: str
    until: dt.date | None
    filled_until: dt.date
    external_uid: str
    skips: list[dt.datetime]


DAY = dt.timedelta(days=1)
SEPARATORS = (" – ", " — ", " - ", " | ", ": ")


def fold_title(text: str) -> str:
    from practice_tui.domain.clients import fold

    return " ".join(fold(text).replace(",", " ").split())


def split_title(title: str) -> list[tuple[str, str]]:
    """Ways to read a title as (client name, service), most likely first."""
    title = " ".join(title.split())
    ways = []
    for sep in SEPARATORS:
        if sep in title:
            left, right = title.split(sep, 1)
            ways.append((left.strip(), right.strip()))
            ways.append((right.strip(), left.strip()))
    ways.append((title, ""))
    return ways


def local_time(value: dt.date | dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A calendar time as the practice's naive wall-clock time."""
    if not isinstance(value, dt.datetime):
        raise BadEvent("an all-day date where a time was expected")
    if value.tzinfo is None:
        return value.replace(second=0, microsecond=0)  # floating: as it reads
    return value.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0)


def event_lines(text: str) -> list[int]:
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().upper() == "BEGIN:VEVENT"
    ]


def parse_calendar(data: bytes) -> tuple[list[icalendar.Calendar], list[int]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    if "BEGIN:VCALENDAR" not in text[:4096].upper():
        raise ValidationError(
            "This is not an iCalendar file (no BEGIN:VCALENDAR); nothing was imported."
        )
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise ValidationError(
            f"This iCalendar file cannot be read ({error}); nothing was imported."
        ) from error
    if not calendars:
        raise ValidationError("This is not an iCalendar file; nothing was imported.")
    return calendars, event_lines(text)
