"""One plan in full: every session of the series, what happened to each, and
the series edits, working from the highlighted date.

``k`` skip the highlighted date · ``e`` change from it onward · ``x`` end the
plan from it · ``p`` the client's profile · ``escape`` back to the list.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from practice_tui.domain.errors import PracticeError
from practice_tui.domain.plans import (
    PLAN_ACTIONS,
    PlanDetails,
    PlanSession,
    get_plan,
    plan_date_actions,
)
from practice_tui.domain.words import day_month_year, span, weekday_day
from practice_tui.ui.base import PracticeScreen
from practice_tui.ui.dialogs.plan_change import ChangePlanDialog
from practice_tui.ui.dialogs.plan_end import EndPlanDialog
from practice_tui.ui.dialogs.plan_skip import SkipDateDialog
from practice_tui.ui.text import plain, plain_line
from practice_tui.ui.widgets.footer import KeysFooter
from practice_tui.ui.widgets.plan_dates import date_words


def session_cell(row: PlanSession, now: dt.datetime) -> Text:
    """What happened to one date, marked: ✓ completed, ✗ not booked, – skipped."""
    words = row.description
    if row.state == "completed":
        return Text("✓ " + words, style="green")
    if row.state == "unbooked":
        if row.start >= now:
            return plain_line("✗ " + words, 80, style="red")
        return Text("not booked", style="dim")
    if row.state == "skipped":
        return Text("– " + words, style="dim italic")
    if row.state in ("cancelled", "no_show"):
        # A cancel reason was typed by a person: literal.
        return plain_line(words, 80, style="dim")
    if row.moved or row.modified:
        return plain_line(words, 80, style="cyan")
    return Text(words)


class PlanDetailsScreen(PracticeScreen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("k", "skip_date", "Skip date"),
        Binding("e", "change_plan", "Change onward"),
        Binding("x", "end_plan", "End plan"),
        Binding("p", "profile", "Profile"),
    ]

    def __init__(self, plan_id: int) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.details: PlanDetails | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Plan", style="bold"), id="plan-head")
        yield DataTable(id="plan-sessions", cursor_type="row", zebra_stripes=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("#", key="number", width=4)
        table.add_column("Date", key="date", width=15)
        table.add_column("Time", key="time", width=11)
        table.add_column("Session", key="session")
        self.load()

    def on_screen_resume(self) -> None:
        if self.details is not None:
            self.load()

    @work(thread=True, exclusive=True, group="plan-details")
    def load(self) -> None:
        now: dt.datetime = self.app.now()
        try:
            details = get_plan(self.plan_id, now=now)
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.show_details, details)

    def show_details(self, details: PlanDetails) -> None:
        keep = self.selected.slot if self.details and self.selected else None
        self.details = details
        self.plan_id = details.summary.id
        plan = details.summary
        now: dt.datetime = self.app.now()
        head = plain(plan.client_name, style="bold")
        head.append(" · ")
        service = plan.service_name
        if str(plan.minutes) not in service:
            service += f" · {plan.minutes} min"
        head.append_text(plain(service))
        head.append(f"   {plan.status}", style="dim" if not plan.active else "green")
        if plan.contraindications.strip():
            head.append("\n⚠ ", style="bold yellow")
            head.append_text(plain_line(plan.contraindications, 96, style="yellow"))
        head.append("\n")
        head.append(plan.words, style="bold")
        if plan.next_start and plan.active:
            head.append(f" · next {weekday_day(plan.next_start)}")
        for old in details.history:
            head.append(
                f"\nBefore {day_month_year(old.until)}: {old.words}",
                style="dim",
            )
            head.append_text(plain(f" · {old.service_name} · {old.minutes} min", style="dim"))
        if details.horizon is not None:
            head.append(
                f"\nNo end: booked up to {day_month_year(details.horizon)}, "
                "kept filled each time the app opens.",
                style="dim",
            )
        self.query_one("#plan-head", Static).update(head)

        table = self.query_one(DataTable)
        table.clear()
        years = {r.start.year for r in details.sessions}
        cursor = None
        for index, row in enumerate(details.sessions):
            number = f"{row.number}." if row.number is not None else ""
            upcoming = row.start >= now
            if cursor is None and row.skippable(now):
                cursor = index
            if keep is not None and row.slot == keep:
                cursor = index
            style = "" if upcoming else "dim"
            table.add_row(
                Text(number, style="dim"),
                Text(date_words(row.start, year=len(years) > 1).rstrip(), style=style),
                Text(span(row.start, row.end), style=style),
                session_cell(row, now),
                key=f"{row.plan_id}:{row.slot.isoformat()}:{row.appointment_id or 0}",
            )
        if cursor is not None:
            table.move_cursor(row=cursor)
        table.focus()
        self.refresh_bindings()

    @property
    def selected(self) -> PlanSession | None:
        if self.details is None:
            return None
        row = self.query_one(DataTable).cursor_row
        if row is None or not 0 <= row < len(self.details.sessions):
            return None
        return self.details.sessions[row]

    @on(DataTable.RowHighlighted)
    def _highlighted(self, _: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PLAN_ACTIONS:
            if self.details is None:
                return False
            now: dt.datetime = self.app.now()
            return action in plan_date_actions(self.details.summary, self.selected, now)
        if action == "profile":
            return self.details is not None
        return True

    def _from_date(self) -> dt.date:
        today: dt.date = self.app.today()
        row = self.selected
        if row is None:
            return today
        return max(row.start.date(), today)

    def action_skip_date(self) -> None:
        row = self.selected
        if self.details is None or row is None:
            return
        self.app.push_screen(SkipDateDialog(self.details.summary.id, row.slot))

    def action_change_plan(self) -> None:
        if self.details is None:
            return
        self.app.push_screen(ChangePlanDialog(self.details.summary, self._from_date()))

    def action_end_plan(self) -> None:
        if self.details is None:
            return
        self.app.push_screen(EndPlanDialog(self.details.summary, self._from_date()))

    def action_profile(self) -> None:
        if self.details is not None:
            self.app.open_client_profile(self.details.summary.client_id)
