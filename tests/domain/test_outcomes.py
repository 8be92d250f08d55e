"""Functional goals: at most five, scores 0–10 whole numbers, locked with a signed note."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from practice_tui.domain.db import database
from practice_tui.domain.errors import ConflictError, ValidationError
from practice_tui.domain.models import GoalScore
from practice_tui.domain.outcomes import (
    GoalRow,
    client_outcomes,
    note_goals,
    parse_score,
    save_goals,
    save_note_with_scores,
)
from tests.conftest import FIXED_NOW
from tests.domain.notes_helpers import at, book, make_client

NOTE = {"subjective": "Lower back better", "pain_before": "6", "pain_after": "3"}


@pytest.mark.parametrize("typed", ["7.5", "-1", "11", "7/10", "seven", "1e1"])
def test_scores_outside_the_scale_or_not_whole_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_score(typed, "“Lift my grandchild”")
    assert "“Lift my grandchild”" in error.value.message


@given(st.integers(min_value=0, max_value=10))
def test_whole_numbers_from_0_to_10_are_scores(value: int) -> None:
    assert parse_score(str(value)) == value
    assert parse_score(f"  {value} ") == value


def test_blank_means_not_asked() -> None:
    assert parse_score("") is None
    assert parse_score("   ") is None


def test_goals_are_set_scored_and_changed(db_path: Path) -> None:
    client = make_client()
    goals = save_goals(
        client,
        [GoalRow(None, "Lift my grandchild", "2"), GoalRow(None, "Sit through a film", "")],
        now=FIXED_NOW,
    )
    assert [g.activity for g in goals] == ["Lift my grandchild", "Sit through a film"]
    assert [s.score for s in goals[0].scores] == [2]
    assert goals[1].scores == ()
    # A second score on the same day on the profile replaces the first.
    goals = save_goals(
        client,
        [
            GoalRow(goals[0].id, "Lift my grandchild", "3"),
            GoalRow(goals[1].id, "Sit through a film"),
        ],
        now=FIXED_NOW,
    )
    assert [s.score for s in goals[0].scores] == [3]


def test_at_most_five_goals(db_path: Path) -> None:
    client = make_client()
    rows = [GoalRow(None, f"Activity {i}") for i in range(6)]
    with pytest.raises(ValidationError) as error:
        save_goals(client, rows, now=FIXED_NOW)
    assert "At most 5" in error.value.message
    assert client_outcomes(client).goals == ()


def test_a_bad_score_changes_nothing_and_names_its_row(db_path: Path) -> None:
    client = make_client()
    save_goals(client, [GoalRow(None, "Walk the dog", "4")], now=FIXED_NOW)
    before = client_outcomes(client)
    with pytest.raises(ValidationError) as error:
        save_goals(
            client,
            [GoalRow(before.goals[0].id, "Walk the dog far", "4.5"), GoalRow(None, "Garden", "")],
            now=FIXED_NOW,
        )
    assert set(error.value.errors) == {"score-0"}
    assert client_outcomes(client) == before


def test_removing_a_scored_goal_retires_it(db_path: Path) -> None:
    client = make_client()
    goals = save_goals(
        client, [GoalRow(None, "Walk the dog", "4"), GoalRow(None, "Garden")], now=FIXED_NOW
    )
    save_goals(client, [GoalRow(goals[0].id, ""), GoalRow(goals[1].id, "")], now=FIXED_NOW)
    outcomes = client_outcomes(client)
    assert outcomes.goals == ()
    assert [g.activity for g in outcomes.retired] == ["Walk the dog"]


def test_note_scores_are_saved_with_the_draft_and_locked_when_signed(db_path: Path) -> None:
    client = make_client()
    goal = save_goals(client, [GoalRow(None, "Lift my grandchild", "2")], now=FIXED_NOW)[0]
    first = book(client, at(14))
    second = book(client, at(7))
    save_note_with_scores(first, NOTE, {goal.id: "4"}, sign=True, now=FIXED_NOW)
    note = save_note_with_scores(second, NOTE, {goal.id: "5"}, sign=False, now=FIXED_NOW)
    asked = note_goals(second)
    assert [(g.score, g.previous) for g in asked] == [(5, 4)]
    # Cleared in the draft: not asked any more.
    save_note_with_scores(second, NOTE, {goal.id: ""}, sign=False, now=FIXED_NOW)
    assert note_goals(second)[0].score is None
    save_note_with_scores(second, NOTE, {goal.id: "6"}, sign=True, now=FIXED_NOW)
    outcomes = client_outcomes(client)
    scores = outcomes.goals[0].scores
    assert [s.score for s in scores] == [4, 6, 2]  # by day: the profile score is today
    assert outcomes.goals[0].change is not None
    # The services refuse, and so does the database itself.
    with pytest.raises(ConflictError):
        save_note_with_scores(second, NOTE, {goal.id: "9"}, sign=False, now=FIXED_NOW)
    row = GoalScore.get(GoalScore.note == note.id)
    for statement in (
        f"UPDATE goal_score SET score = 9 WHERE id = {row.id}",
        f"DELETE FROM goal_score WHERE id = {row.id}",
        f"INSERT INTO goal_score (goal_id, day, score, note_id, created_at) "
        f"VALUES ({goal.id}, '2026-11-20', 1, {note.id}, '2026-11-20 10:00:00')",
    ):
        with pytest.raises(Exception) as error:
            database.obj.execute_sql(statement)
        assert "locked" in str(error.value)
    assert [s.score for s in client_outcomes(client).goals[0].scores] == [s.score for s in scores]
    assert isinstance(database.obj.connection(), sqlite3.Connection)


def test_a_bad_score_in_a_note_saves_nothing(db_path: Path) -> None:
    client = make_client()
    goal = save_goals(client, [GoalRow(None, "Sleep through the night")], now=FIXED_NOW)[0]
    appointment = book(client, at(3))
    with pytest.raises(ValidationError) as error:
        save_note_with_scores(
            appointment, {**NOTE, "pain_before": "12"}, {goal.id: "11"}, sign=False, now=FIXED_NOW
        )
    assert set(error.value.errors) == {"pain_before", f"goal-{goal.id}"}
    assert GoalScore.select().count() == 0
    assert note_goals(appointment)[0].score is None


def test_change_since_first_score(db_path: Path) -> None:
    client = make_client()
    goal = save_goals(client, [GoalRow(None, "Climb stairs")], now=FIXED_NOW)[0]
    for days, score in ((21, "3"), (14, "2"), (7, "6")):
        save_note_with_scores(
            book(client, at(days)), NOTE, {goal.id: score}, sign=True, now=FIXED_NOW
        )
    goal = client_outcomes(client).goals[0]
    assert [s.score for s in goal.scores] == [3, 2, 6]
    assert goal.change == 3
