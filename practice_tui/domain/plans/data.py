"""What the plan services take and give: forms as typed, drafts, dates, previews,
sessions, summaries and series edits, all frozen; the limits and the one
error that asks to confirm a long plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from practice_tui.domain.errors import (
    PracticeError,
)
from practice_tui.domain.words import day_month_year, moment_short

#: A plan longer than this asks to confirm before it is saved.
CONFIRM_SESSIONS = 200


#: The most sessions one plan can hold (said in the error message).
MAX_SESSIONS = 1000


SKIPPED_REASON = "skipped"


ENDED_REASON = "plan ended"


END_KINDS = ("count", "until", "none")


class LongPlanError(PracticeError):
    """The plan would create more than ``CONFIRM_SESSIONS`` sessions; confirm to save."""

    def __init__(self, sessions: int) -> None:
        super().__init__(
            f"This plan creates {sessions} sessions (more than {CONFIRM_SESSIONS}). "
            "Confirm to save it anyway."
        )
        self.sessions = sessions


@dataclass(frozen=True)
class PlanForm:
    """The new-plan form as typed: text where a person types, ids and numbers
    where they pick."""

    client_id: int | None = None
    service_id: int | None = None
    minutes: str = ""
    first_date: str = ""
    time: str = ""
    kind: str = "weekly"
    weekdays: tuple[int, ...] = ()
    interval: str = "1"
    nth: int = 1
    weekday: int = 0
    day: str = "1"
    rule_text: str = ""
    end_kind: str = "count"
    count: str = ""
    until: str = ""


@dataclass(frozen=True)
class PlanDraft:
    """A plan read from the form, not yet saved."""

    client_id: int
    service_id: int
    first_start: dt.datetime
    rule: str
    minutes: int | None = None
    count: int | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class PlanDate:
    """One date of a plan being previewed, with what stands in its way."""

    start: dt.datetime
    end: dt.datetime
    number: int | None
    skipped: bool = False
    #: "Overlaps Maya Thompson 08:30–09:30 (Medical massage 60)" …
    clashes: tuple[str, ...] = ()
    outside_hours: str = ""
    invalid_time: str = ""
    #: "Time off: Holiday (…)" when the date falls in the therapist's time off.
    time_off: str = ""

    @property
    def blocking(self) -> bool:
        """It would stop the save: an overlap, a time that does not exist, or time off
        (a plan never books into time off; "Skip and save" skips those dates)."""
        return not self.skipped and bool(self.clashes or self.invalid_time or self.time_off)

    @property
    def problems(self) -> tuple[str, ...]:
        if self.skipped:
            return ()
        return tuple(
            m for m in (self.invalid_time, self.time_off, *self.clashes, self.outside_hours) if m
        )


@dataclass(frozen=True)
class PlanPreview:
    words: str
    dates: tuple[PlanDate, ...]
    open_ended: bool
    #: For an open-ended plan, the dates shown (and booked at once) end here.
    horizon: dt.date | None = None

    @property
    def sessions(self) -> int:
        return sum(not d.skipped for d in self.dates)

    @property
    def clashes(self) -> int:
        return sum(bool(d.clashes) and not d.skipped for d in self.dates)

    @property
    def invalid(self) -> int:
        return sum(bool(d.invalid_time) and not d.skipped for d in self.dates)

    @property
    def outside(self) -> int:
        return sum(bool(d.outside_hours) and not d.skipped for d in self.dates)

    @property
    def blocking(self) -> tuple[PlanDate, ...]:
        return tuple(d for d in self.dates if d.blocking)

    @property
    def needs_confirm(self) -> bool:
        return self.sessions > CONFIRM_SESSIONS


@dataclass(frozen=True)
class PlanSession:
    """One date of a saved plan: what happened or will happen to it."""

    plan_id: int
    #: The date of the plan it was made for.
    slot: dt.datetime
    #: When it takes place (the appointment's time, when it was moved).
    start: dt.datetime
    end: dt.datetime
    number: int | None
    #: booked, completed, cancelled, no_show, skipped or unbooked.
    state: str
    appointment_id: int | None = None
    cancel_reason: str = ""
    modified: bool = False
    has_note: bool = False
    #: Why a date is not booked ("Overlaps …"), when it is not.
    detail: str = ""

    @property
    def moved(self) -> bool:
        return self.appointment_id is not None and self.start != self.slot

    def upcoming(self, now: dt.datetime) -> bool:
        return self.start >= now

    @property
    def open(self) -> bool:
        """Still to happen as planned: booked, or a date left not booked."""
        return self.state in ("booked", "unbooked")

    def skippable(self, now: dt.datetime) -> bool:
        """The rule for skipping: an upcoming date that is still open."""
        return self.upcoming(now) and self.open

    @property
    def description(self) -> str:
        """ "moved from Mon 11 Jan 09:00", "cancelled: flu", "not booked: Overlaps …"."""
        words = {
            "booked": "booked",
            "completed": "completed",
            "no_show": "no-show",
            "skipped": "skipped",
            "unbooked": "not booked",
        }.get(self.state, self.state)
        if self.state == "cancelled":
            words = f"cancelled: {self.cancel_reason}" if self.cancel_reason else "cancelled"
        if self.state == "unbooked" and self.detail:
            words += f": {self.detail}"
        if self.moved:
            words += f" · moved from {moment_short(self.slot)}"
        elif self.modified:
            words += " · changed by hand"
        return words


@dataclass(frozen=True)
class PlanSummary:
    id: int
    client_id: int
    client_name: str
    contraindications: str
    service_id: int
    service_name: str
    minutes: int
    rule: str
    first_start: dt.datetime
    count: int | None
    until: dt.date | None
    ended_on: dt.date | None
    #: "Every Tue at 10:00"
    rule_words: str
    #: "Every Tue at 10:00 · 8 sessions · 3 left"
    words: str
    #: Sessions in the series (finite plans), upcoming ones not cancelled.
    total: int | None
    left: int | None
    next_start: dt.datetime | None
    #: Upcoming dates not booked, each with why.
    problems: tuple[str, ...]
    finished: bool
    replaces_id: int | None = None
    #: The plan's version when read (a dialog's save checks it).
    version: int = 0

    @property
    def active(self) -> bool:
        return self.ended_on is None and not self.finished

    @property
    def status(self) -> str:
        if self.ended_on is not None:
            return f"ended {day_month_year(self.ended_on)}"
        if self.finished:
            return "finished"
        return "active"


@dataclass(frozen=True)
class PlanChangeNote:
    """One earlier version of a changed plan: from when, and what it was."""

    plan_id: int
    until: dt.date
    words: str
    service_name: str
    minutes: int


@dataclass(frozen=True)
class PlanDetails:
    summary: PlanSummary
    sessions: tuple[PlanSession, ...]
    #: Earlier versions of the plan (changes from a date onward), oldest first.
    history: tuple[PlanChangeNote, ...] = ()
    horizon: dt.date | None = None


@dataclass(frozen=True)
class PlanChange:
    """A change from ``from_date`` onward; ``None`` keeps what the plan has."""

    from_date: dt.date
    time: dt.time | None = None
    minutes: int | None = None
    service_id: int | None = None
    rule: str | None = None


@dataclass(frozen=True)
class ChangeForm:
    """The change form as typed."""

    from_date: str = ""
    time: str = ""
    minutes: str = ""
    service_id: int | None = None
    kind: str = "weekly"
    weekdays: tuple[int, ...] = ()
    interval: str = "1"
    nth: int = 1
    weekday: int = 0
    day: str = "1"
    rule_text: str = ""


@dataclass(frozen=True)
class SeriesEdit:
    """What a series edit will do, shown before it is applied."""

    plan_id: int
    title: str
    before: str
    after: str
    cut: dt.datetime
    #: Booked sessions cancelled (skip, end) or replaced (change).
    cancelled: tuple[PlanSession, ...] = ()
    replaced: tuple[PlanSession, ...] = ()
    #: Sessions left as they are, each with why (moved, completed …).
    kept: tuple[PlanSession, ...] = ()
    #: New dates (a change's new sessions; a skip's date added at the end).
    dates: tuple[PlanDate, ...] = ()
    open_ended: bool = False
    horizon: dt.date | None = None

    @property
    def blocking(self) -> tuple[PlanDate, ...]:
        return tuple(d for d in self.dates if d.blocking)

    @property
    def outside(self) -> int:
        return sum(bool(d.outside_hours) and not d.skipped for d in self.dates)

    @property
    def sessions(self) -> int:
        return sum(not d.skipped for d in self.dates)


#: What can be done on a plan's date (the keys of the plan details screen).
PLAN_ACTIONS = ("skip_date", "change_plan", "end_plan")


def plan_date_actions(
    summary: PlanSummary, row: PlanSession | None, now: dt.datetime
) -> frozenset[str]:
    """The series edits the rules allow with ``row`` highlighted at ``now``, so
    a screen offers only those (as ``allowed_actions`` does for Today): an
    ended plan allows none; skipping needs an upcoming date still open."""
    if not summary.active:
        return frozenset()
    actions = {"change_plan", "end_plan"}
    if row is not None and row.skippable(now):
        actions.add("skip_date")
    return frozenset(actions)
