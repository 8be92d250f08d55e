"""Recurring events on import: a calendar series becomes a plan when the
plan's own rule gives exactly the calendar's dates, else separate appointments."""

from __future__ import annotations

import datetime as dt

import icalendar

from practice_tui.domain.errors import ValidationError
from practice_tui.domain.exchange.ics_events import (
    DAY,
    BadEvent,
    ImportRow,
    PlanRow,
    ReadEvent,
    local_time,
)


class SeriesReader:
    """The series half of the importer (``ics_import._Importer``)."""

    # --- series -------------------------------------------------------------------

    def _occurrences(
        self, master: ReadEvent, overrides: list[ReadEvent], window_end: dt.datetime
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
                local_time(occurrence.decoded("RECURRENCE-ID"), self.tz)
                if ("RECURRENCE-ID" in occurrence)
                else local_time(occurrence.decoded("DTSTART"), self.tz)
            )
            begin = local_time(occurrence.decoded("DTSTART"), self.tz)
            if "DTEND" in occurrence:
                end = local_time(occurrence.decoded("DTEND"), self.tz)
            else:
                end = begin + (master.end - master.start)
            result.append((slot, begin, end, occurrence))
        result.sort(key=lambda o: (o[0], o[1]))
        return result

    def _plan_rule(self, master: ReadEvent) -> tuple[str, dt.date | None] | None:
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
        return rule, local_time(last, self.tz).date()

    def _series(self, master: ReadEvent, overrides: list[ReadEvent], uid: str) -> None:
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
            window_end = max(window_end, dt.datetime.combine(plan_rule[1], dt.time()) + DAY)
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
        except BadEvent as error:
            self.bad.append(self._note(master, str(error)))
            return
        live_slots = {o[0] for o in live}
        skips = [d for d in dates if d not in live_slots]
        index = len(self.plans)
        self.plans.append(
            PlanRow(
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
                ImportRow(
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
