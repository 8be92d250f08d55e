"""iCalendar import: each event becomes an appointment, each series a plan
(see ``ics_events`` for the choices and ``ics_series`` for series)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar

from practice_tui.domain import audit
from practice_tui.domain.db import database, reads, writes
from practice_tui.domain.exchange.ics import own_uid_suffix
from practice_tui.domain.exchange.ics_events import (
    BadEvent,
    IcsImport,
    ImportNote,
    ImportRow,
    PlanRow,
    ReadEvent,
    fold_title,
    local_time,
    parse_calendar,
    split_title,
)
from practice_tui.domain.exchange.ics_series import SeriesReader
from practice_tui.domain.models import BLOCKING_STATUSES, Appointment, Client, Practice, Service
from practice_tui.domain.types import display_name
from practice_tui.domain.words import day_month_year, moment_long


class _Importer(SeriesReader):
    """Reads the calendar into rows to create (no writes); ``apply`` writes them."""

    def __init__(
        self, data: bytes, now: dt.datetime, name: str, since: dt.date | None = None
    ) -> None:
        from practice_tui.domain.models import Plan

        self.now = now
        self.since = dt.datetime.combine(since, dt.time()) if since else None
        self.before = 0
        self.calendars, self.lines = parse_calendar(data)
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
                fold_title(f"{row.first_name} {row.last_name}"),
                fold_title(display_name(row.first_name, row.last_name, row.preferred_name)),
                fold_title(f"{row.last_name} {row.first_name}"),
            }:
                if key:
                    self.clients.setdefault(key, []).append((row.id, bool(row.archived)))
        self.services = list(
            Service.select().order_by(Service.active.desc(), Service.name).objects()
        )
        self.service_by_name = {}
        for service in self.services:
            self.service_by_name.setdefault(fold_title(service.name), service)
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
        self.rows: list[ImportRow] = []
        self.plans: list[PlanRow] = []
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
            folded = fold_title(name)
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
        ways = split_title(title)
        for name, service_name in ways:
            found = self.clients.get(fold_title(name))
            if found:
                client_id = found[0][0]
                self.matched[client_id] = name
                service = self._service_for(service_name, minutes) or self._by_length(minutes)
                return ("", ""), client_id, service.id
        name, service_name = ways[0]
        if self._service_for(name, minutes) and service_name:
            name, service_name = service_name, name  # "Massage – Maya"
        if not name:
            raise BadEvent("the event has no title to take a client's name from")
        if not service_name and self._service_for(name, minutes):
            raise BadEvent("the title names a service but no client")
        if len(name) > 200:
            raise BadEvent("the title is too long to be a client's name")
        key = fold_title(name)
        self.new_clients.setdefault(key, name)
        service = self._service_for(service_name, minutes) or self._by_length(minutes)
        return (key, name), None, service.id

    def _by_length(self, minutes: int) -> Service:
        for service in self.services:
            if service.active and service.minutes == minutes:
                return service
        return next((s for s in self.services if s.active), self.services[0])

    # --- reading ----------------------------------------------------------------

    def _note(self, event: ReadEvent, reason: str, when: dt.datetime | None = None) -> ImportNote:
        return ImportNote(event.where, event.title, when or event.start, reason)

    def _times(self, event: ReadEvent) -> None:
        component = event.component
        if component.errors:
            name, message = component.errors[0]
            raise BadEvent(f"{name}: {message}")
        if "DTSTART" not in component:
            raise BadEvent("the event has no start (DTSTART)")
        raw = component.decoded("DTSTART")
        if not isinstance(raw, dt.datetime):
            raise BadEvent("all-day")
        event.start = local_time(raw, self.tz)
        if "DTEND" in component:
            end = local_time(component.decoded("DTEND"), self.tz)
        elif "DURATION" in component:
            end = event.start + component.decoded("DURATION")
        else:
            end = event.start  # RFC 5545: no end, no length; the service gives one
        event.end = end

    def read(self) -> None:
        by_uid: dict[str, list[ReadEvent]] = {}
        order: list[str] = []
        numbers = iter(self.lines)
        for calendar in self.calendars:
            for component in calendar.walk("VEVENT"):
                self.events += 1
                line = next(numbers, None)
                uid = str(component.get("UID", "")).strip()
                title = " ".join(str(component.get("SUMMARY", "")).split())
                where = f"line {line}" if line else f"UID {uid}"
                event = ReadEvent(where, uid, title, component)
                if not uid:
                    self.bad.append(self._note(event, "the event has no UID"))
                    continue
                if uid not in by_uid:
                    order.append(uid)
                by_uid.setdefault(uid, []).append(event)
        for uid in order:
            self._read_uid(uid, by_uid[uid])

    def _read_uid(self, uid: str, events: list[ReadEvent]) -> None:
        if uid.endswith(self.own_suffix):
            self.skipped.append(
                self._note(events[0], "this practice's own export: already in the file")
            )
            return
        good: list[ReadEvent] = []
        for event in events:
            try:
                self._times(event)
            except BadEvent as error:
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

    def _status_skip(self, event: ReadEvent, component: icalendar.Event | None = None) -> bool:
        status = str((component or event.component).get("STATUS", "")).upper()
        return status == "CANCELLED"

    def _single(self, event: ReadEvent, uid: str) -> None:
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
        event: ReadEvent,
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
                raise BadEvent("the event lasts more than a day")
        except BadEvent as error:
            self.bad.append(self._note(event, str(error), start))
            return
        self.rows.append(
            ImportRow(
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
        items: list[tuple[dt.datetime, dt.datetime, ImportRow | None, str]] = [
            (start, end, None, display_name(first, last, preferred))
            for start, end, first, last, preferred in existing
        ]
        items += [(r.start, r.end, r, r.title) for r in self.rows]
        items.sort(key=lambda i: (i[0], i[1]))
        notes: list[ImportNote] = []
        latest: tuple[dt.datetime, dt.datetime, ImportRow | None, str] | None = None
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
        from practice_tui.domain.clients import add_clients_in_this_write
        from practice_tui.domain.models import Plan, PlanSkip

        today = self.now.date()
        intake = (
            f"Intake to complete: added by the calendar import of "
            f"{self.source} on {day_month_year(today)}."
        )
        keys, new = [], []
        for key, name in self.new_clients.items():
            words = name.split()
            keys.append(key)
            new.append(
                {
                    "first_name": words[0][:100],
                    "last_name": " ".join(words[1:])[:100],
                    "notes": intake,
                }
            )
        made = dict(
            zip(keys, add_clients_in_this_write(new, today=today, now=self.now), strict=True)
        )
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
    audit.record("import", None, "import", detail=f"calendar {name}: {result.events} events")
    return result


def _when(moment: dt.datetime | None) -> str:
    return moment_long(moment) if moment else ""


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
        lines.append(f"dates before {day_month_year(result.since)} left out: {result.before_since}")
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
