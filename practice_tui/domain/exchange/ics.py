"""iCalendar (RFC 5545) export and import, through ``icalendar``.

Export: one VEVENT per booked or completed appointment, with a UID that never
changes (``appointment-<id>@<practice uid>``), DTSTART/DTEND in the practice's
time zone with its VTIMEZONE, SUMMARY "client – service" (or the client's
initials only, for calendars that sync to a cloud), STATUS CONFIRMED, and no
health detail at all: no contraindications, notes or booking notes.

Import: see ``import_ics``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

from practice_tui import __version__
from practice_tui.domain.db import database, reads, writes
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


class _Bad(Exception):
    """An event that cannot be imported, with the reason."""


@dataclass
class _Event:
    where: str
    uid: str
    title: str
    component: icalendar.Event
    start: dt.datetime | None = None
    end: dt.datetime | None = None


@dataclass
class _Row:
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
class _PlanRow:
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


_DAY = dt.timedelta(days=1)
_SEPARATORS = (" – ", " — ", " - ", " | ", ": ")


def _fold(text: str) -> str:
    from practice_tui.domain.clients import fold

    return " ".join(fold(text).replace(",", " ").split())


def _split_title(title: str) -> list[tuple[str, str]]:
    """Ways to read a title as (client name, service), most likely first."""
    title = " ".join(title.split())
    ways = []
    for sep in _SEPARATORS:
        if sep in title:
            left, right = title.split(sep, 1)
            ways.append((left.strip(), right.strip()))
            ways.append((right.strip(), left.strip()))
    ways.append((title, ""))
    return ways


def _local(value: dt.date | dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A calendar time as the practice's naive wall-clock time."""
    if not isinstance(value, dt.datetime):
        raise _Bad("an all-day date where a time was expected")
    if value.tzinfo is None:
        return value.replace(second=0, microsecond=0)  # floating: as it reads
    return value.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0)


def _event_lines(text: str) -> list[int]:
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().upper() == "BEGIN:VEVENT"
    ]


def _parse(data: bytes) -> tuple[list[icalendar.Calendar], list[int]]:
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
    return calendars, _event_lines(text)


class _Importer:
    """Reads the calendar into rows to create (no writes); ``apply`` writes them."""

    def __init__(
        self, data: bytes, now: dt.datetime, name: str, since: dt.date | None = None
    ) -> None:
        from practice_tui.domain.models import Plan

        self.now = now
        self.since = dt.datetime.combine(since, dt.time()) if since else None
        self.before = 0
        self.calendars, self.lines = _parse(data)
        practice = Practice.select().first()
        self.tz = ZoneInfo(practice.timezone)
        self.own_suffix = own_uid_suffix(practice.uid)
        self.horizon = now.date() + dt.timedelta(weeks=practice.plan_horizon_weeks)
        self.window_end = dt.datetime.combine(self.horizon + dt.timedelta(days=1), dt.time())
        self.source = name
        self.clients: dict[str, list[tuple[int, bool]]] = {}
        for row in Client.select(
            Client.id, Client.first_name, Client.last_name, Client.preferred_name, Client.archived
        ).order_by(Client.archived, Client.id):
            for key in {
                _fold(f"{row.first_name} {row.last_name}"),
                _fold(display_name(row.first_name, row.last_name, row.preferred_name)),
                _fold(f"{row.last_name} {row.first_name}"),
            }:
                if key:
                    self.clients.setdefault(key, []).append((row.id, bool(row.archived)))
        self.services = list(
            Service.select().order_by(Service.active.desc(), Service.name).objects()
        )
        self.service_by_name = {}
        for service in self.services:
            self.service_by_name.setdefault(_fold(service.name), service)
        self.known_uids = {
            uid
            for (uid,) in Appointment.select(Appointment.external_uid)
            .where(Appointment.external_uid.is_null(False))
            .tuples()
        } | {
            uid
            for (uid,) in Plan.select(Plan.external_uid)
            .where(Plan.external_uid.is_null(False))
            .tuples()
        }
        self._who_seen: dict[tuple[str, int], tuple[tuple[str, str], int | None, int]] = {}
        self.rows: list[_Row] = []
        self.plans: list[_PlanRow] = []
        self.matched: dict[int, str] = {}
        self.new_clients: dict[str, str] = {}
        self.skipped: list[ImportNote] = []
        self.bad: list[ImportNote] = []
        self.split: list[ImportNote] = []
        self.already = 0
        self.events = 0

    # --- who and what -----------------------------------------------------------

    def _service_for(self, name: str, minutes: int) -> Service | None:
        if name:
            folded = _fold(name)
            if folded in self.service_by_name:
                return self.service_by_name[folded]
        return None

    def _who(self, title: str, minutes: int) -> tuple[tuple[str, str], int | None, int]:
        """(new-client key, matched client id, service id) for an event's title
        (remembered: a calendar names the same few clients thousands of times)."""
        key = (title, minutes)
        if key not in self._who_seen:
            self._who_seen[key] = self._who_uncached(title, minutes)
        return self._who_seen[key]

    def _who_uncached(self, title: str, minutes: int) -> tuple[tuple[str, str], int | None, int]:
        ways = _split_title(title)
        for name, service_name in ways:
            found = self.clients.get(_fold(name))
            if found:
                client_id = found[0][0]
                self.matched[client_id] = name
                service = self._service_for(service_name, minutes) or self._by_length(minutes)
                return ("", ""), client_id, service.id
        name, service_name = ways[0]
        if self._service_for(name, minutes) and service_name:
            name, service_name = service_name, name  # "Massage – Maya"
        if not name:
            raise _Bad("the event has no title to take a client's name from")
        if not service_name and self._service_for(name, minutes):
            raise _Bad("the title names a service but no client")
        if len(name) > 200:
            raise _Bad("the title is too long to be a client's name")
        key = _fold(name)
        self.new_clients.setdefault(key, name)
        service = self._service_for(service_name, minutes) or self._by_length(minutes)
        return (key, name), None, service.id

    def _by_length(self, minutes: int) -> Service:
        for service in self.services:
            if service.active and service.minutes == minutes:
                return service
        return next((s for s in self.services if s.active), self.services[0])

    # --- reading ----------------------------------------------------------------

    def _note(self, event: _Event, reason: str, when: dt.datetime | None = None) -> ImportNote:
        return ImportNote(event.where, event.title, when or event.start, reason)

    def _times(self, event: _Event) -> None:
        component = event.component
        if component.errors:
            name, message = component.errors[0]
            raise _Bad(f"{name}: {message}")
        if "DTSTART" not in component:
            raise _Bad("the event has no start (DTSTART)")
        raw = component.decoded("DTSTART")
        if not isinstance(raw, dt.datetime):
            raise _Bad("all-day")
        event.start = _local(raw, self.tz)
        if "DTEND" in component:
            end = _local(component.decoded("DTEND"), self.tz)
        elif "DURATION" in component:
            end = event.start + component.decoded("DURATION")
        else:
            end = event.start  # RFC 5545: no end, no length; the service gives one
        event.end = end

    def read(self) -> None:
        by_uid: dict[str, list[_Event]] = {}
        order: list[str] = []
        numbers = iter(self.lines)
        for calendar in self.calendars:
            for component in calendar.walk("VEVENT"):
                self.events += 1
                line = next(numbers, None)
                uid = str(component.get("UID", "")).strip()
                title = " ".join(str(component.get("SUMMARY", "")).split())
                where = f"line {line}" if line else f"UID {uid}"
                event = _Event(where, uid, title, component)
                if not uid:
                    self.bad.append(self._note(event, "the event has no UID"))
                    continue
                if uid not in by_uid:
                    order.append(uid)
                by_uid.setdefault(uid, []).append(event)
        for uid in order:
            self._read_uid(uid, by_uid[uid])

    def _read_uid(self, uid: str, events: list[_Event]) -> None:
        if uid.endswith(self.own_suffix):
            self.skipped.append(
                self._note(events[0], "this practice's own export: already in the file")
            )
            return
        good: list[_Event] = []
        for event in events:
            try:
                self._times(event)
            except _Bad as error:
                if str(error) == "all-day":
                    self.skipped.append(
                        self._note(event, "all-day event (time off is not imported)")
                    )
                else:
                    self.bad.append(self._note(event, str(error)))
                continue
            except (ValueError, TypeError, KeyError, AttributeError) as error:
                self.bad.append(self._note(event, f"cannot read its times ({error})"))
                continue
            good.append(event)
        if not good:
            return
        masters = [e for e in good if "RECURRENCE-ID" not in e.component]
        recurring = any("RRULE" in e.component or "RDATE" in e.component for e in masters)
        if not recurring:
            first, *others = good
            for other in others:
                self.bad.append(self._note(other, f"the UID {uid} is used twice; kept the first"))
            self._single(first, uid)
            return
        if len(masters) > 1:
            for other in masters[1:]:
                self.bad.append(self._note(other, f"the UID {uid} is used twice; kept the first"))
        self._series(masters[0], [e for e in good if e not in masters], uid)

    def _status_skip(self, event: _Event, component: icalendar.Event | None = None) -> bool:
        status = str((component or event.component).get("STATUS", "")).upper()
        return status == "CANCELLED"

    def _single(self, event: _Event, uid: str) -> None:
        if uid in self.known_uids:
            self.already += 1
            return
        if self._status_skip(event):
            self.skipped.append(self._note(event, "cancelled in the calendar"))
            return
        if self.since and event.start and event.start < self.since:
            self.before += 1
            return
        self._add_row(event, event.start, event.end, uid)

    def _add_row(
        self,
        event: _Event,
        start: dt.datetime,
        end: dt.datetime,
        uid: str | None,
        **plan: object,
    ) -> None:
        try:
            minutes = int((end - start).total_seconds() // 60)
            key, client_id, service_id = self._who(event.title, minutes)
            if end <= start:
                service = next(s for s in self.services if s.id == service_id)
                end = start + dt.timedelta(minutes=service.minutes)
            if (end - start) > dt.timedelta(hours=24):
                raise _Bad("the event lasts more than a day")
        except _Bad as error:
            self.bad.append(self._note(event, str(error), start))
            return
        self.rows.append(
            _Row(
                key,
                client_id,
                service_id,
                start,
                end,
                uid,
                where=event.where,
                title=event.title,
                **plan,
            )  # type: ignore[arg-type]
        )

    # --- series -------------------------------------------------------------------

    def _occurrences(
        self, master: _Event, overrides: list[_Event], window_end: dt.datetime
    ) -> list[tuple[dt.datetime, dt.datetime, dt.datetime, icalendar.Event]]:
        """(original slot, start, end, component) of every occurrence up to the window's end."""
        import recurring_ical_events

        mini = icalendar.Calendar()
        for calendar in self.calendars:
            for tz in calendar.walk("VTIMEZONE"):
                mini.add_component(tz)
        mini.add_component(master.component)
        for override in overrides:
            mini.add_component(override.component)
        start = master.start - dt.timedelta(days=1)
        result = []
        for occurrence in recurring_ical_events.of(mini).between(start.date(), window_end.date()):
            slot = (
                _local(occurrence.decoded("RECURRENCE-ID"), self.tz)
                if ("RECURRENCE-ID" in occurrence)
                else _local(occurrence.decoded("DTSTART"), self.tz)
            )
            begin = _local(occurrence.decoded("DTSTART"), self.tz)
            if "DTEND" in occurrence:
                end = _local(occurrence.decoded("DTEND"), self.tz)
            else:
                end = begin + (master.end - master.start)
            result.append((slot, begin, end, occurrence))
        result.sort(key=lambda o: (o[0], o[1]))
        return result

    def _plan_rule(self, master: _Event) -> tuple[str, dt.date | None] | None:
        """The plan's rule and last date, or None when a plan cannot say it."""
        from dateutil.rrule import rrulestr

        from practice_tui.domain import recurrence

        component = master.component
        if "RDATE" in component:
            return None
        rules = component.get("RRULE")
        if isinstance(rules, list):
            if len(rules) != 1:
                return None
            rules = rules[0]
        text = rules.to_ical().decode()
        parts = [p for p in text.split(";") if p.split("=")[0].upper() not in ("COUNT", "UNTIL")]
        try:
            rule = recurrence.normalise_rule(";".join(parts))
        except ValidationError:
            return None
        if "COUNT=" not in text.upper() and "UNTIL=" not in text.upper():
            return rule, None
        raw_start = component.decoded("DTSTART")
        try:
            base = rrulestr(text, dtstart=raw_start, ignoretz=False)
            last = None
            for last in base:  # noqa: B007 — a finite rule: walk to its last date
                pass
        except (ValueError, TypeError):
            return None
        if last is None:
            return None
        return rule, _local(last, self.tz).date()

    def _series(self, master: _Event, overrides: list[_Event], uid: str) -> None:
        from practice_tui.domain import recurrence
        from practice_tui.domain.plans import MAX_SESSIONS

        if uid in self.known_uids:
            self.already += 1
            return
        if self._status_skip(master):
            self.skipped.append(self._note(master, "a series cancelled in the calendar"))
            return
        plan_rule = self._plan_rule(master)
        # A finite series is read to its end (its skipped dates and moved sessions
        # beyond the horizon belong to the plan too); an open-ended one to the horizon.
        window_end = self.window_end
        if plan_rule is not None and plan_rule[1] is not None:
            window_end = max(window_end, dt.datetime.combine(plan_rule[1], dt.time()) + _DAY)
        try:
            occurrences = self._occurrences(master, overrides, window_end)
        except Exception as error:  # noqa: BLE001 — a library error on one bad series
            self.bad.append(self._note(master, f"cannot expand its repeat rule ({error})"))
            return
        if self.since is not None:
            kept = [o for o in occurrences if o[1] >= self.since]
            self.before += len(occurrences) - len(kept)
            if not kept:
                return
            occurrences = kept
        live = [o for o in occurrences if str(o[3].get("STATUS", "")).upper() != "CANCELLED"]
        if not live:
            self.skipped.append(self._note(master, "a series with no dates up to the horizon"))
            return
        minutes = int((master.end - master.start).total_seconds() // 60)
        why = ""
        if plan_rule is None:
            why = "its rule has extra dates (RDATE) or parts a plan's rule cannot hold"
        elif minutes < 5:
            why = "it lasts under 5 minutes"
        elif len(occurrences) > MAX_SESSIONS:
            why = f"it has more than {MAX_SESSIONS} dates"
        else:
            rule, until = plan_rule
            first = master.start
            try:
                dates = recurrence.occurrences(
                    rule, first, until=until, before=window_end, limit=MAX_SESSIONS + 1
                )
                cut = min(o[0] for o in occurrences)  # the earliest date kept
                if self.since is not None and dates and dates[0] < cut:
                    # Imported from a date: the plan starts at the rule's first
                    # date from then, if its rule still gives the same dates.
                    later = [d for d in dates if d >= cut]
                    first = later[0] if later else first
                    again = recurrence.occurrences(
                        rule, first, until=until, before=window_end, limit=MAX_SESSIONS + 1
                    )
                    dates = later if later and again == later else []
            except (ValidationError, ValueError):
                dates = []
            slots = {o[0] for o in occurrences}
            if not (dates and dates[0] == first and slots <= set(dates)):
                why = (
                    "its times move in the practice's time zone (kept in another zone, or "
                    "its first date is not one of its rule's)"
                )
        if why:
            fresh = [
                (f"{uid}/{slot:%Y%m%dT%H%M}", start, end)
                for slot, start, end, _ in live
                if f"{uid}/{slot:%Y%m%dT%H%M}" not in self.known_uids
            ]
            self.already += len(live) - len(fresh)
            if fresh:
                self.split.append(self._note(master, f"imported as separate appointments: {why}"))
            for key, start, end in fresh:
                self._add_row(master, start, end, key)
            return
        assert plan_rule is not None
        rule, until = plan_rule
        try:
            key, client_id, service_id = self._who(master.title, minutes)
        except _Bad as error:
            self.bad.append(self._note(master, str(error)))
            return
        live_slots = {o[0] for o in live}
        skips = [d for d in dates if d not in live_slots]
        index = len(self.plans)
        self.plans.append(
            _PlanRow(
                key,
                client_id,
                service_id,
                first,
                minutes,
                rule,
                until,
                filled_until=self.horizon if until is None else until,
                external_uid=uid,
                skips=skips,
            )
        )
        for slot, start, end, _ in live:
            moved = (start, end) != (slot, slot + dt.timedelta(minutes=minutes))
            self.rows.append(
                _Row(
                    key,
                    client_id,
                    service_id,
                    start,
                    end,
                    None,
                    plan=index,
                    plan_slot=slot,
                    plan_modified=moved,
                    where=master.where,
                    title=master.title,
                )
            )

    # --- conflicts ------------------------------------------------------------------

    def conflicts(self) -> list[ImportNote]:
        """Imported appointments that overlap each other or what is on file."""
        if not self.rows:
            return []
        low = min(r.start for r in self.rows)
        high = max(r.end for r in self.rows)
        existing = (
            Appointment.select(
                Appointment.start,
                Appointment.end,
                Client.first_name,
                Client.last_name,
                Client.preferred_name,
            )
            .join(Client, on=(Appointment.client == Client.id))
            .where(
                Appointment.status.in_(BLOCKING_STATUSES)
                & (Appointment.start < high)
                & (Appointment.end > low)
            )
            .tuples()
        )
        items: list[tuple[dt.datetime, dt.datetime, _Row | None, str]] = [
            (start, end, None, display_name(first, last, preferred))
            for start, end, first, last, preferred in existing
        ]
        items += [(r.start, r.end, r, r.title) for r in self.rows]
        items.sort(key=lambda i: (i[0], i[1]))
        notes: list[ImportNote] = []
        latest: tuple[dt.datetime, dt.datetime, _Row | None, str] | None = None
        for item in items:
            if latest is not None and item[0] < latest[1]:
                row = item[2] or latest[2]
                other = latest if item[2] is row else item
                if row is not None:
                    on_file = "" if other[2] is not None else " (already on file)"
                    notes.append(
                        ImportNote(
                            row.where,
                            row.title,
                            row.start,
                            f"overlaps {other[3]} {other[0]:%d %b %H:%M}–{other[1]:%H:%M}{on_file}",
                        )
                    )
            if latest is None or item[1] > latest[1]:
                latest = item
        return notes

    # --- writing ----------------------------------------------------------------------

    def apply(self) -> None:
        from practice_tui.domain.clients import create_client
        from practice_tui.domain.models import Plan, PlanSkip

        made: dict[str, int] = {}
        today = self.now.date()
        for key, name in self.new_clients.items():
            words = name.split()
            fields = {
                "first_name": words[0][:100],
                "last_name": " ".join(words[1:])[:100],
                "notes": f"Intake to complete: added by the calendar import of "
                f"{self.source} on {today:%d %b %Y}.",
            }
            made[key] = create_client(fields, today=today, allow_duplicate=True, now=self.now).id
        stamp = self.now.replace(second=0, microsecond=0)
        plan_ids: list[int] = []
        for plan in self.plans:
            created = Plan.create(
                client=plan.client_id or made[plan.key[0]],
                service=plan.service_id,
                first_start=plan.first_start,
                minutes=plan.minutes,
                rule=plan.rule,
                count=None,
                until=plan.until,
                filled_until=plan.filled_until,
                note=f"Imported from {self.source}",
                created_at=stamp,
                external_uid=plan.external_uid,
            )
            plan_ids.append(created.id)
            if plan.skips:
                PlanSkip.insert_many(
                    [{"plan": created.id, "slot": slot} for slot in plan.skips]
                ).execute()
        # One prepared statement for every appointment: peewee's insert_many
        # would build the SQL text of each batch in Python, ten times slower.
        columns = (
            "client_id",
            "service_id",
            "start",
            "end",
            "status",
            "cancel_reason",
            "late_cancel",
            "booking_note",
            "plan_id",
            "plan_slot",
            "plan_modified",
            "created_at",
            "updated_at",
            "external_uid",
        )
        sql = (
            'INSERT INTO "appointment" ('
            + ", ".join(f'"{c}"' for c in columns)
            + ") VALUES ("
            + ", ".join("?" * len(columns))
            + ")"
        )

        def text(moment: dt.datetime) -> str:
            return moment.isoformat(" ")  # how peewee stores a datetime in SQLite

        created = text(stamp)
        rows = []
        for row in self.rows:
            end = text(row.end)
            rows.append(
                (
                    row.client_id or made[row.key[0]],
                    row.service_id,
                    text(row.start),
                    end,
                    "completed" if row.end <= self.now else "booked",
                    "",
                    0,
                    "",
                    plan_ids[row.plan] if row.plan is not None else None,
                    text(row.plan_slot) if row.plan_slot is not None else None,
                    int(row.plan_modified),
                    created,
                    created,
                    row.external_uid,
                )
            )
        database.connection().executemany(sql, rows)

    def summary(self, checked_only: bool) -> IcsImport:
        return IcsImport(
            checked_only=checked_only,
            events=self.events,
            appointments=sum(r.plan is None for r in self.rows),
            plans=len(self.plans),
            plan_sessions=sum(r.plan is not None for r in self.rows),
            clients_matched=tuple(sorted(self.matched.values(), key=str.casefold)),
            clients_created=tuple(sorted(self.new_clients.values(), key=str.casefold)),
            already_imported=self.already,
            skipped=tuple(self.skipped),
            bad=tuple(self.bad),
            conflicts=tuple(self.conflicts()),
            split_series=tuple(self.split),
            before_since=self.before,
            since=self.since.date() if self.since else None,
        )


@reads
def check_ics_import(
    data: bytes, *, now: dt.datetime, name: str = "a calendar", since: dt.date | None = None
) -> IcsImport:
    """What ``import_ics`` would do, writing nothing."""
    importer = _Importer(data, now, name, since)
    importer.read()
    return importer.summary(checked_only=True)


def import_ics(
    data: bytes,
    *,
    now: dt.datetime,
    name: str = "a calendar",
    check: bool = False,
    since: dt.date | None = None,
) -> IcsImport:
    """Import a calendar's events as appointments and plans, in one transaction.

    ``check`` reports what would happen and writes nothing. A file that is not
    iCalendar raises ValidationError and nothing is written. ``since`` leaves
    out dates before that day (a practice bringing only its booked future)."""
    if check:
        return check_ics_import(data, now=now, name=name, since=since)
    return _import_ics(data, now=now, name=name, since=since)


@writes
def _import_ics(data: bytes, *, now: dt.datetime, name: str, since: dt.date | None) -> IcsImport:
    importer = _Importer(data, now, name, since)
    importer.read()
    result = importer.summary(checked_only=False)
    importer.apply()
    return result


def _when(moment: dt.datetime | None) -> str:
    return f"{moment:%a %d %b %Y %H:%M}" if moment else ""


def import_report(result: IcsImport, *, limit: int = 50) -> list[str]:
    """The summary as lines a person reads: what was created, matched, skipped and why."""
    verb = "would create" if result.checked_only else "created"
    lines = [
        f"read {result.events} event{'s' if result.events != 1 else ''}; {verb} "
        f"{result.appointments} appointment{'s' if result.appointments != 1 else ''} and "
        f"{result.plans} plan{'s' if result.plans != 1 else ''} "
        f"({result.plan_sessions} plan session{'s' if result.plan_sessions != 1 else ''})",
        f"clients matched: {len(result.clients_matched)}; new clients (intake to complete): "
        f"{len(result.clients_created)}"
        + (f" — {', '.join(result.clients_created[:20])}" if result.clients_created else "")
        + (" …" if len(result.clients_created) > 20 else ""),
    ]
    if result.before_since and result.since:
        lines.append(f"dates before {result.since:%d %b %Y} left out: {result.before_since}")
    if result.already_imported:
        lines.append(f"already imported (same UID), left alone: {result.already_imported}")
    sections = (
        ("series imported as separate appointments", result.split_series),
        ("skipped", result.skipped),
        ("conflicts (imported, overlapping)", result.conflicts),
        ("not imported (bad events)", result.bad),
    )
    for heading, notes in sections:
        if not notes:
            continue
        lines.append(f"{heading}: {len(notes)}")
        for note in notes[:limit]:
            what = " · ".join(p for p in (note.where, _when(note.when), note.title) if p)
            lines.append(f"  {what}: {note.reason}")
        if len(notes) > limit:
            lines.append(f"  … and {len(notes) - limit} more")
    if result.checked_only:
        lines.append("checked only: nothing was written")
    return lines
