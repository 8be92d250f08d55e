"""End a plan from a date: shows which booked sessions are cancelled (reason
"plan ended") before anything changes; earlier sessions stay as they are."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from practice_tui.domain.dates import parse_date
from practice_tui.domain.errors import PracticeError, StaleRecordError, ValidationError
from practice_tui.domain.plans import PlanSummary, SeriesEdit, end_plan, preview_end
from practice_tui.domain.words import day_or_moment, moment_short, slot_short
from practice_tui.ui.dialogs.plan_form import error_text
from practice_tui.ui.dialogs.plan_preview import PlanPreviewDialog
from practice_tui.ui.text import plain, plain_line
from practice_tui.ui.widgets.footer import KeysFooter
from practice_tui.ui.widgets.text_box import TextBox


class EndPlanDialog(PlanPreviewDialog[bool]):
    """Returns True when the plan was ended."""

    BINDINGS = [
        Binding("ctrl+s", "apply", "End plan"),
        Binding("escape", "cancel", "Cancel"),
    ]

    ERROR_ID = "end-error"

    def __init__(self, plan: PlanSummary, from_date: dt.date) -> None:
        super().__init__()
        self.plan = plan
        self.version = plan.version
        self._from = from_date

    def compose(self) -> ComposeResult:
        with Vertical(id="plan-box"):
            title = Text("End the plan · ", style="bold")
            title.append_text(plain(self.plan.client_name, style="bold"))
            yield Static(title, classes="plan-title")
            yield Static(plain(self.plan.words, style="dim"))
            with Horizontal(classes="form-row"):
                yield Label("From", classes="form-label")
                yield TextBox(f"{self._from:%Y-%m-%d}", compact=True, max_length=40, id="end-from")
                yield Label("the plan's sessions from this date on are cancelled", classes="word")
            yield Static("", classes="form-error", id="end-error")
            yield Static("", classes="preview-title", id="end-title")
            with VerticalScroll(id="end-list"):
                yield Static("", id="end-sessions")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#end-from", Input).focus()
        self.refresh_preview()

    @on(Input.Changed, "#end-from")
    def _changed(self, _: Input.Changed) -> None:
        self.schedule_preview()

    @on(Input.Submitted, "#end-from")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def _read(self) -> dt.date:
        today: dt.date = self.app.today()
        try:
            day = parse_date(self.query_one("#end-from", Input).value, today)
        except ValidationError as error:
            raise ValidationError(error.message, field="from_date") from error
        return day

    def refresh_preview(self) -> None:
        generation = self._next_generation()
        try:
            day = self._read()
        except ValidationError as error:
            self._show_problem(generation, error)
            return
        self._compute(generation, day)

    @work(thread=True, exclusive=True, group="plan-end-preview")
    def _compute(self, generation: int, day: dt.date) -> None:
        now: dt.datetime = self.app.now()
        try:
            edit = preview_end(self.plan.id, day, now=now)
        except PracticeError as error:
            self.app.call_from_thread(self._show_problem, generation, error)
            return
        self.app.call_from_thread(self._show_edit, generation, edit)

    def _show_problem(self, generation: int, error: PracticeError) -> None:
        if self._stale(generation):
            return
        self.query_one("#end-from", Input).add_class("-bad")
        self.query_one("#end-error", Static).update(error_text(error))
        self.query_one("#end-title", Static).update("")
        self.query_one("#end-sessions", Static).update("")

    def _show_edit(self, generation: int, edit: SeriesEdit) -> None:
        if self._stale(generation):
            return
        self.query_one("#end-from", Input).remove_class("-bad")
        self.query_one("#end-error", Static).update("")
        count = len(edit.cancelled)
        title = Text(f"From {day_or_moment(edit.cut)}: ", style="bold")
        if count:
            title.append(f"{count} booked session{'s' if count != 1 else ''} cancelled ")
            title.append("(reason “plan ended”)", style="dim")
        else:
            title.append("no booked session to cancel", style="dim")
        self.query_one("#end-title", Static).update(title)
        lines = Text(end="")
        for row in edit.cancelled:
            lines.append(f"  ✗ {slot_short(row.start, row.end)}")
            if row.moved:
                lines.append_text(plain_line(f"  ({row.description})", 60, style="cyan"))
            lines.append("\n")
        for row in edit.kept:
            lines.append(f"  ✓ {moment_short(row.start)}  ", style="dim")
            lines.append_text(plain_line(row.description, 60, style="dim"))
            lines.append("\n")
        lines.append("Earlier sessions stay as they are. ctrl+s ends the plan.", style="dim")
        self.query_one("#end-sessions", Static).update(lines)

    def action_apply(self) -> None:
        if self._busy:
            return
        try:
            day = self._read()
        except ValidationError as error:
            self._show_problem(self._generation, error)
            return
        self._busy = True
        self._apply(day)

    @work(thread=True, exclusive=True, group="plan-end-apply")
    def _apply(self, day: dt.date) -> None:
        now: dt.datetime = self.app.now()
        try:
            summary = end_plan(self.plan.id, day, now=now, expected_version=self.version)
        except StaleRecordError as error:
            self.app.call_from_thread(self._changed_elsewhere, error)
            return
        except PracticeError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self._done, summary)

    def reload_plan(self) -> None:
        self._read_plan_again(self.plan.id)

    def _plan_read_again(self, plan: PlanSummary) -> None:
        self.plan = plan
        super()._plan_read_again(plan)

    def _done(self, summary: PlanSummary) -> None:
        self.app.notify(f"Plan for {summary.client_name} ended ({summary.status}).", title="Plans")
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
