"""iCalendar (RFC 5545) export and import, through ``icalendar``.

Export: one VEVENT per booked or completed appointment, with a UID that never
changes (``appointment-<id>@<practice uid>``), DTSTART/DTEND in the practice's
time zone with its VTIMEZONE, SUMMARY "client – service" (or the client's
initials only, for calendars that sync to a cloud), STATUS CONFIRMED, and no
health detail at all: no contraindications, notes or booking notes.

Import: see ``ics_import``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

from practice_tui import __version__
from practice_tui.domain.db import reads
from practice_tui.domain.errors import ValidationError
from practice_tui.domain.models import BLOCKING_STATUSES, Appointment, Client, Practice, Service
from practice_tui.domain.types import display_name

PRODID = f"-//practice-tui//practice-tui {__version__}//EN"
#: Between a client's name and the service in an event's title.
DASH = " – "


@dataclass(frozen=True)
class IcsExport:
    """What an export wrote: the calendar's bytes and how many events it holds."""

    data: bytes
    events: int
    first: dt.datetime | None
    last: dt.datetime | None


def initials(first: str, last: str, preferred: str = "") -> str:
    """ "Maya Thompson" → "M.T." (what a cloud calendar may know of a client)."""
    words = [w for w in f"{(preferred or first)} {last}".split() if w]
    return "".join(f"{w[0].upper()}." for w in words) or "?"


def appointment_uid(appointment_id: int, practice_uid: str) -> str:
    return f"appointment-{appointment_id}@{practice_uid}.practice-tui"


def own_uid_suffix(practice_uid: str) -> str:
    return f"@{practice_uid}.practice-tui"


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


@reads
def export_ics(
    first_day: dt.date | None = None,
    last_day: dt.date | None = None,
    *,
    only_initials: bool = False,
) -> IcsExport:
    """The practice's booked and completed appointments as an iCalendar file.

    ``first_day``/``last_day`` (inclusive) limit the range; without them every
    appointment is exported. The output is the same for the same records (DTSTAMP
    is the appointment's last change), so a sync tool sees only real changes.
    """
    if first_day and last_day and last_day < first_day:
        raise ValidationError("The end of the range is before its start.", field="to")
    practice = Practice.select().first()
    tz = ZoneInfo(practice.timezone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", practice.name)
    calendar.add("x-wr-timezone", practice.timezone)
    query = (
        Appointment.select(
            Appointment.id,
            Appointment.start,
            Appointment.end,
            Appointment.status,
            Appointment.updated_at,
            Client.first_name,
            Client.last_name,
            Client.preferred_name,
            Service.name,
        )
        .join(Client, on=(Appointment.client == Client.id))
        .switch(Appointment)
        .join(Service, on=(Appointment.service == Service.id))
        .where(Appointment.status.in_(BLOCKING_STATUSES))
        .order_by(Appointment.start, Appointment.id)
    )
    if first_day is not None:
        query = query.where(Appointment.start >= dt.datetime.combine(first_day, dt.time()))
    if last_day is not None:
        end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time())
        query = query.where(Appointment.start < end)
    count = 0
    first = last = None
    for row in query.objects():
        if only_initials:
            summary = initials(row.first_name, row.last_name, row.preferred_name)
        else:
            who = display_name(row.first_name, row.last_name, row.preferred_name)
            summary = f"{who}{DASH}{row.name}"
        event = icalendar.Event()
        event.add("uid", appointment_uid(row.id, practice.uid))
        event.add("dtstamp", _utc((row.updated_at or row.start).replace(tzinfo=tz)))
        event.add("dtstart", row.start.replace(tzinfo=tz))
        event.add("dtend", row.end.replace(tzinfo=tz))
        event.add("summary", summary)
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
        count += 1
        first = first or row.start
        last = row.start
    if count:
        calendar.add_missing_timezones(
            first_date=(first - dt.timedelta(days=366)).date(),
            last_date=(last + dt.timedelta(days=366)).date(),
        )
    return IcsExport(data=calendar.to_ical(), events=count, first=first, last=last)
