"""Set a client's functional goals: up to five activities in their words, each
with an optional score for today (at intake, or at a review).

Clearing an activity removes the goal (a goal with scores is kept in the
record as retired). The dialog saves through ``save_goals`` itself, so a
refused row keeps everything typed and shows its message under the row.
Returns ``True`` once saved, ``None`` when left with escape.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, HorizontalGroup, Vertical
from textual.widgets import Button, Input, Static
from textual.worker import Worker, WorkerState

from practice_tui.domain.errors import PracticeError, ValidationError
from practice_tui.domain.outcomes import (
    MAX_ACTIVITY,
    MAX_GOALS,
    FunctionalGoal,
    GoalRow,
    save_goals,
)
from practice_tui.textutil import visible
from practice_tui.ui.base import PracticeModal
from practice_tui.ui.text import plain
from practice_tui.ui.widgets.field_error import FieldError
from practice_tui.ui.widgets.text_box import TextBox


class GoalsDialog(PracticeModal[bool | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save goals", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, client_id: int, client_name: str, goals: Sequence[FunctionalGoal]) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_name = client_name
        self.goals = tuple(goals)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text.assemble(
                    ("Functional goals · ", "bold"), plain(self.client_name, style="bold")
                ),
                classes="dialog-title",
            )
            yield Static(
                f"Up to {MAX_GOALS} activities the client finds hard, in their words. "
                "Score today: 0 = unable … 10 = as before the problem (blank = not asked). "
                "An emptied activity is removed; scored goals stay in the record.",
                classes="dialog-hint",
            )
            for index in range(MAX_GOALS):
                goal = self.goals[index] if index < len(self.goals) else None
                with HorizontalGroup(classes="goal-line"):
                    yield TextBox(
                        visible(goal.activity) if goal else "",
                        placeholder=f"activity {index + 1}, e.g. lift my grandchild",
                        id=f"activity-{index}",
                        classes="goal-activity",
                        max_length=MAX_ACTIVITY + 20,
                    )
                    yield TextBox(
                        placeholder="today",
                        id=f"score-{index}",
                        classes="goal-today",
                        max_length=12,
                    )
                yield FieldError(classes="dialog-error", id=f"err-{index}")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Save goals (ctrl+s)", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#activity-0", Input).focus()

    def rows(self) -> list[GoalRow]:
        rows = []
        for index in range(MAX_GOALS):
            goal = self.goals[index] if index < len(self.goals) else None
            activity = self.query_one(f"#activity-{index}", Input).value
            score = self.query_one(f"#score-{index}", Input).value
            if goal is None and not activity.strip() and not score.strip():
                continue
            rows.append(GoalRow(goal.id if goal else None, activity, score))
        return rows

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        for index in range(MAX_GOALS):
            self._show_error(index, "")
        rows = self.rows()
        self._save(rows)

    @work(thread=True, exclusive=True, group="goals")
    def _save(self, rows: list[GoalRow]) -> bool:
        try:
            save_goals(self.client_id, rows, now=self.app.now())
        except PracticeError as error:
            self.app.call_from_thread(self._refused, error, rows)
            return False
        return True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Close once saved (after the worker ends, so it is never cut short)."""
        if event.state == WorkerState.SUCCESS and event.worker.result is True:
            self.app.notify("Goals saved.")
            self.dismiss(True)

    def _show_error(self, index: int, message: str) -> None:
        self.query_one(f"#err-{index}", FieldError).show(message)

    def _line_of(self, rows: list[GoalRow], row_index: int) -> int:
        """The dialog line of the ``row_index``-th row handed to the domain."""
        lines = [
            index
            for index in range(MAX_GOALS)
            if index < len(self.goals)
            or self.query_one(f"#activity-{index}", Input).value.strip()
            or self.query_one(f"#score-{index}", Input).value.strip()
        ]
        return lines[row_index] if row_index < len(lines) else 0

    def _refused(self, error: PracticeError, rows: list[GoalRow]) -> None:
        errors = error.errors if isinstance(error, ValidationError) else {}
        if not errors:
            self.app.notify(f"Not saved: {error.message}", severity="error")
            return
        first = None
        for key, message in errors.items():
            kind, _, number = key.partition("-")
            line = self._line_of(rows, int(number))
            self._show_error(line, message)
            if first is None:
                first = self.query_one(f"#{kind}-{line}", Input)
        if first is not None:
            first.focus()
