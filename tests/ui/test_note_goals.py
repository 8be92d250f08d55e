"""The note editor's functional-goals section: scored like pain, saved with the
draft, refused with a message next to the goal, locked once signed."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from practice_tui.domain.outcomes import GoalRow, client_outcomes, note_goals, save_goals
from practice_tui.ui.app import make_app
from tests.conftest import FIXED_NOW, fixed_clock
from tests.domain.notes_helpers import at, book, make_client
from tests.ui.test_sessions import open_editor, settle


async def test_goal_scores_are_saved_with_the_draft(db_path: Path) -> None:
    client = make_client()
    goals = save_goals(
        client,
        [GoalRow(None, "Lift my grandchild", "2"), GoalRow(None, "Sit through a film")],
        now=FIXED_NOW,
    )
    appointment = book(client, at(0, 9))  # today: the intake score (today) came before
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 40)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        first = editor.query_one(f"#goal-{goals[0].id}", Input)
        assert "last 2" in " ".join(
            shown(s) for s in editor.query(".goal-activity").results(Static)
        )
        editor.query_one("#pain_before", Input).value = "6"
        first.value = "11"
        await pilot.pause()
        error = editor.query_one(f"#err-goal-{goals[0].id}", Static)
        assert error.display and "above 10" in shown(error)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert first.value == "11"  # what was typed is kept
        assert note_goals(appointment)[0].score is None
        first.value = "4"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not editor.dirty
        assert [(g.activity, g.score) for g in note_goals(appointment)] == [
            ("Lift my grandchild", 4),
            ("Sit through a film", None),
        ]
        await pilot.press("ctrl+l")
        await settle(app, pilot)
        await pilot.press("enter")  # the confirm's default answer is "Sign"
        await settle(app, pilot)
        assert editor.page is not None and editor.page.note.signed
        scored = shown(editor.query_one("#note-goals", Static))
        assert "4  Lift my grandchild" in scored and "film" not in scored
    scores = client_outcomes(client).goals[0].scores
    assert [(s.score, s.signed) for s in scores] == [(2, False), (4, True)]


def shown(widget: Static) -> str:
    """What the widget holds, whether or not it has been laid out yet."""
    return str(widget.render())
