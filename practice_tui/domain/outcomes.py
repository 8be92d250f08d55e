"""Functional goals (Patient-Specific Functional Scale) and the pain series.

The rules a therapist can rely on:

- A client has **at most five goals** at a time, each an activity in the
  client's own words ("lift my grandchild"), one line, at most
  ``MAX_ACTIVITY`` characters.
- A **score** is a whole number from 0 (unable) to 10 (as before the
  problem), or blank for "not asked" — the same rule and messages as pain
  (``notes.parse_pain``): ``7.5``, ``-1``, ``11`` and ``7/10`` are refused.
- A score belongs to a **day** and, when given in a session note, to that
  note: it is saved with the draft and locked with the note when it is signed
  (triggers of migration 0004 refuse any later change). A score given on the
  profile (at intake or a review) belongs to the day only; a second one on the
  same day replaces it.
- A goal with scores is **retired**, never deleted, when it is removed: its
  history stays in reports and the client's record. A goal without scores is
  simply removed.
- The **change** of a goal is its latest score minus its first (positive is
  better, unlike pain).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import peewee as pw

from practice_tui.domain import audit
from practice_tui.domain.audit import audited
from practice_tui.domain.db import reads, writes
from practice_tui.domain.errors import NotFound, ValidationError
from practice_tui.domain.models import Appointment, Client, Goal, GoalScore, SessionNote
from practice_tui.domain.notes import (
    NoteInfo,
    check_note,
    parse_pain,
    save_draft,
    sign_note,
)

__all__ = [
    "MAX_ACTIVITY",
    "MAX_GOALS",
    "ClientOutcomes",
    "FunctionalGoal",
    "GoalRow",
    "GoalScorePoint",
    "NoteGoal",
    "PainPoint",
    "client_outcomes",
    "goals_of",
    "note_goals",
    "pain_points",
    "pain_series",
    "parse_score",
    "save_goals",
    "save_note_with_scores",
]

MAX_GOALS = 5
MAX_ACTIVITY = 120


# --- plain data ----------------------------------------------------------------


@dataclass(frozen=True)
class GoalScorePoint:
    day: dt.date
    score: int
    #: The session note the score was given in (``None``: given on the profile).
    note_id: int | None = None
    signed: bool = False


@dataclass(frozen=True)
class FunctionalGoal:
    id: int
    client_id: int
    position: int
    activity: str
    created_at: dt.datetime
    retired_at: dt.datetime | None
    #: Oldest first.
    scores: tuple[GoalScorePoint, ...] = ()

    @property
    def first(self) -> GoalScorePoint | None:
        return self.scores[0] if self.scores else None

    @property
    def latest(self) -> GoalScorePoint | None:
        return self.scores[-1] if self.scores else None

    @property
    def change(self) -> int | None:
        """Latest score minus the first (positive is better); ``None`` with fewer than two."""
        if len(self.scores) < 2:
            return None
        return self.scores[-1].score - self.scores[0].score

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


@dataclass(frozen=True)
class PainPoint:
    """Pain before and after one session that recorded either."""

    day: dt.date
    before: int | None
    after: int | None
    signed: bool = False


@dataclass(frozen=True)
class ClientOutcomes:
    """What the profile shows of a client's outcomes, read at once."""

    client_id: int
    #: Current goals, in the client's order.
    goals: tuple[FunctionalGoal, ...]
    retired: tuple[FunctionalGoal, ...]
    #: Every scored session, oldest first.
    pain: tuple[PainPoint, ...]
    last_report_end: dt.date | None = None
    reports: int = 0


@dataclass(frozen=True)
class NoteGoal:
    """One goal as the note editor asks it: the score given in this note, if any."""

    goal_id: int
    activity: str
    score: int | None
    #: The latest score given before this session (for reference), if any.
    previous: int | None = None


@dataclass(frozen=True)
class GoalRow:
    """One row of the goals dialog as typed: ``goal_id`` is ``None`` for a new goal;
    an empty activity removes the goal; ``score`` is text (blank = not asked)."""

    goal_id: int | None
    activity: str
    score: str = ""


# --- rules ------------------------------------------------------------------------


def parse_score(value: object, activity: str = "The score") -> int | None:
    """A goal score from what was typed: blank → ``None``; the rule of pain scores."""
    return parse_pain(value, activity)


def _label(activity: str) -> str:
    short = " ".join(activity.split())
    if len(short) > 40:
        short = short[:39] + "…"
    return f"“{short}”"


def check_activity(text: str) -> str:
    activity = " ".join((text or "").split())
    if "\n" in (text or "").strip():
        raise ValidationError("A goal is one line: the activity in the client's words.")
    if len(activity) > MAX_ACTIVITY:
        raise ValidationError(
            f"Keep the activity under {MAX_ACTIVITY} characters ({len(activity)} now)."
        )
    return activity


# --- reading ------------------------------------------------------------------------


def _goal(row: Goal, scores: Sequence[GoalScorePoint]) -> FunctionalGoal:
    return FunctionalGoal(
        id=row.id,
        client_id=row.client_id,
        position=row.position,
        activity=row.activity,
        created_at=row.created_at,
        retired_at=row.retired_at,
        scores=tuple(scores),
    )


def goals_of(
    client_id: int,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    signed_only: bool = False,
) -> tuple[FunctionalGoal, ...]:
    """Every goal of a client (current first by position, then retired), each with
    its scores oldest first — within ``since``/``until`` when given, and only
    scores given outside a note or in a signed note when ``signed_only``."""
    goals = list(
        Goal.select()
        .where(Goal.client == client_id)
        .order_by(Goal.retired_at.is_null(False), Goal.position, Goal.id)
    )
    query = (
        GoalScore.select(
            GoalScore.goal, GoalScore.day, GoalScore.score, GoalScore.note, SessionNote.signed_at
        )
        .join(SessionNote, pw.JOIN.LEFT_OUTER, on=(GoalScore.note == SessionNote.id))
        .where(GoalScore.goal.in_([g.id for g in goals]))
        .order_by(GoalScore.day, GoalScore.id)
    )
    if since is not None:
        query = query.where(GoalScore.day >= since)
    if until is not None:
        query = query.where(GoalScore.day <= until)
    by_goal: dict[int, list[GoalScorePoint]] = {g.id: [] for g in goals}
    for goal_id, day, score, note_id, signed_at in query.tuples():
        signed = note_id is not None and signed_at is not None
        if signed_only and note_id is not None and not signed:
            continue
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        by_goal[goal_id].append(GoalScorePoint(day, score, note_id, signed))
    return tuple(_goal(g, by_goal[g.id]) for g in goals)


def pain_points(
    client_id: int,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    signed_only: bool = False,
) -> tuple[PainPoint, ...]:
    """Pain before/after of each of a client's sessions that recorded it, oldest first."""
    query = (
        SessionNote.select(
            SessionNote.pain_before,
            SessionNote.pain_after,
            SessionNote.signed_at,
            Appointment.start,
        )
        .join(Appointment, on=(SessionNote.appointment == Appointment.id))
        .where(
            (Appointment.client == client_id)
            & (SessionNote.pain_before.is_null(False) | SessionNote.pain_after.is_null(False))
        )
        .order_by(Appointment.start, Appointment.id)
    )
    if signed_only:
        query = query.where(SessionNote.signed_at.is_null(False))
    points = []
    for before, after, signed_at, start in query.tuples():
        start = _as_datetime(start)
        if since is not None and start.date() < since:
            continue
        if until is not None and start.date() > until:
            continue
        points.append(PainPoint(start.date(), before, after, signed_at is not None))
    return tuple(points)


def _as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


@reads
def pain_series(client_id: int) -> tuple[PainPoint, ...]:
    """Every scored session of a client, oldest first (the pain chart's data)."""
    return pain_points(client_id)


@reads
def client_outcomes(client_id: int) -> ClientOutcomes:
    """A client's goals with their scores, the pain series and the last report."""
    from practice_tui.domain.models import ProgressReport

    if not Client.select().where(Client.id == client_id).exists():
        raise NotFound("That client no longer exists.")
    goals = goals_of(client_id)
    last_end = (
        ProgressReport.select(pw.fn.MAX(ProgressReport.end))
        .where(ProgressReport.client == client_id)
        .scalar()
    )
    reports = ProgressReport.select().where(ProgressReport.client == client_id).count()
    return ClientOutcomes(
        client_id=client_id,
        goals=tuple(g for g in goals if not g.retired),
        retired=tuple(g for g in goals if g.retired),
        pain=pain_points(client_id),
        last_report_end=dt.date.fromisoformat(str(last_end)) if last_end else None,
        reports=reports,
    )


def _appointment_row(appointment_id: int) -> Appointment:
    row = Appointment.get_or_none(Appointment.id == appointment_id)
    if row is None:
        raise NotFound("That appointment no longer exists.")
    return row


@reads
def note_goals(appointment_id: int) -> tuple[NoteGoal, ...]:
    """The goals the note of this appointment asks about: the client's current
    goals, plus any retired one scored in this note; each with its score here."""
    appointment = _appointment_row(appointment_id)
    note = SessionNote.get_or_none(SessionNote.appointment == appointment_id)
    here: dict[int, int] = {}
    if note is not None:
        here = {s.goal_id: s.score for s in GoalScore.select().where(GoalScore.note == note.id)}
    day = _as_datetime(appointment.start).date()
    result = []
    for goal in goals_of(appointment.client_id, until=day):
        if goal.retired and goal.id not in here:
            continue
        earlier = [s for s in goal.scores if note is None or s.note_id != note.id]
        result.append(
            NoteGoal(
                goal_id=goal.id,
                activity=goal.activity,
                score=here.get(goal.id),
                previous=earlier[-1].score if earlier else None,
            )
        )
    return tuple(result)


# --- writing -------------------------------------------------------------------------


def check_scores(
    goals: Sequence[NoteGoal] | Mapping[int, str], raw: Mapping[int, object]
) -> dict[int, int | None]:
    """Scores as typed per goal id → whole numbers or ``None``; raises one
    ValidationError whose ``errors`` are keyed ``goal-<id>``."""
    names = (
        {g.goal_id: g.activity for g in goals} if not isinstance(goals, Mapping) else dict(goals)
    )
    clean: dict[int, int | None] = {}
    errors: dict[str, str] = {}
    for goal_id, value in raw.items():
        try:
            clean[goal_id] = parse_score(value, _label(names.get(goal_id, "The score")))
        except ValidationError as error:
            errors[f"goal-{goal_id}"] = error.message
    if errors:
        raise ValidationError.from_errors(errors)
    return clean


@writes
def save_note_with_scores(
    appointment_id: int,
    raw: Mapping[str, Any],
    scores: Mapping[int, object],
    *,
    sign: bool,
    now: dt.datetime,
    expected_version: int | None = None,
) -> NoteInfo:
    """Save a note (as ``notes.save_draft``/``sign_note``) with the goal scores
    typed in it, all or nothing; ``expected_version`` refuses a note changed
    elsewhere since it was read, as ``save_draft`` does. Blank scores are "not asked" (a score given
    earlier in this draft and now cleared is removed). Signing locks the scores
    with the note."""
    appointment = _appointment_row(appointment_id)
    errors: dict[str, str] = {}
    try:
        check_note(raw)
    except ValidationError as error:
        errors.update(error.errors)
    mine = {
        g.id: g.activity
        for g in Goal.select().where(
            (Goal.client == appointment.client_id) & Goal.id.in_(list(scores))
        )
    }
    unknown = set(scores) - set(mine)
    if unknown:
        raise NotFound("A goal of this note was removed meanwhile; open the note again.")
    clean: dict[int, int | None] = {}
    try:
        clean = check_scores(mine, scores)
    except ValidationError as error:
        errors.update(error.errors)
    if errors:
        raise ValidationError.from_errors(errors)
    note = save_draft(appointment_id, raw, now=now, expected_version=expected_version)
    assert note.id is not None
    day = _as_datetime(appointment.start).date()
    stamp = now.replace(microsecond=0)
    for goal_id, score in clean.items():
        existing = GoalScore.get_or_none((GoalScore.goal == goal_id) & (GoalScore.note == note.id))
        if score is None:
            if existing is not None:
                existing.delete_instance()
        elif existing is None:
            GoalScore.create(goal=goal_id, day=day, score=score, note=note.id, created_at=stamp)
        elif existing.score != score:
            existing.score = score
            existing.save()
    if clean:
        audit.record("note", note.id, "scores", fields=("goal scores",))
    if sign:
        return sign_note(appointment_id, raw, now=now)
    return note


@audited("client", "goals", key="client_id", fields=("goals",))
def save_goals(
    client_id: int, rows: Sequence[GoalRow], *, now: dt.datetime
) -> tuple[FunctionalGoal, ...]:
    """Set a client's goals as typed in the goals dialog, all or nothing.

    Each row rewords, adds or (with an empty activity) removes a goal, and a
    score typed beside it is the score of ``now``'s day (replacing one already
    given on the profile that day). Errors are keyed ``activity-<i>`` and
    ``score-<i>`` by row index.
    """
    if not Client.select().where(Client.id == client_id).exists():
        raise NotFound("That client no longer exists.")
    current = {
        g.id: g for g in Goal.select().where((Goal.client == client_id) & Goal.retired_at.is_null())
    }
    errors: dict[str, str] = {}
    clean: list[tuple[int | None, str, int | None]] = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if row.goal_id is not None and row.goal_id not in current:
            raise NotFound("A goal was changed meanwhile; open the goals again.")
        try:
            activity = check_activity(row.activity)
        except ValidationError as error:
            errors[f"activity-{index}"] = error.message
            continue
        key = activity.casefold()
        if activity and key in seen:
            errors[f"activity-{index}"] = "This activity is already a goal."
            continue
        seen.add(key)
        try:
            score = parse_score(row.score, _label(activity) if activity else "The score")
        except ValidationError as error:
            errors[f"score-{index}"] = error.message
            continue
        if score is not None and not activity:
            errors[f"activity-{index}"] = "Name the activity this score is for."
            continue
        clean.append((row.goal_id, activity, score))
    touched = {goal_id for goal_id, _, _ in clean if goal_id is not None}
    # Goals not in the dialog at all are kept as they are, and count.
    untouched = [goal_id for goal_id in current if goal_id not in touched]
    if len([c for c in clean if c[1]]) + len(untouched) > MAX_GOALS:
        errors.setdefault(
            "activity-0", f"At most {MAX_GOALS} goals at a time: remove one to add another."
        )
    if errors:
        raise ValidationError.from_errors(errors)
    stamp = now.replace(microsecond=0)
    position = len(untouched)
    for goal_id, activity, score in clean:
        if goal_id is not None and not activity:
            goal = current[goal_id]
            if GoalScore.select().where(GoalScore.goal == goal_id).exists():
                goal.retired_at = stamp
                goal.save()
            else:
                goal.delete_instance()
            continue
        if not activity:
            continue
        position += 1
        if goal_id is None:
            goal = Goal.create(
                client=client_id, position=position, activity=activity, created_at=stamp
            )
        else:
            goal = current[goal_id]
            goal.activity = activity
            goal.position = position
            goal.save()
        if score is not None:
            _score_on_day(goal.id, now.date(), score, stamp)
    return tuple(g for g in goals_of(client_id) if not g.retired)


def _score_on_day(goal_id: int, day: dt.date, score: int, stamp: dt.datetime) -> None:
    existing = GoalScore.get_or_none(
        (GoalScore.goal == goal_id) & (GoalScore.day == day) & GoalScore.note.is_null()
    )
    if existing is None:
        GoalScore.create(goal=goal_id, day=day, score=score, created_at=stamp)
    else:
        existing.score = score
        existing.save()
