"""4 Plans: the recurring treatment plans, with their rule in words, the next
date and a mark when an upcoming date could not be booked.

``n`` new plan · ``enter`` details · ``e`` change from a date onward · ``k``
skip one date · ``x`` end the plan · ``A`` show ended plans too.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from practice_tui.domain.errors import PracticeError
from practice_tui.domain.plans import PlanSummary, list_plans
from practice_tui.domain.words import clock, near_day
from practice_tui.ui.base import PracticeScreen
from practice_tui.ui.text import plain, plain_line
from practice_tui.ui.widgets.footer import KeysFooter


def next_words(moment: dt.datetime | None, today: dt.date) -> tuple[str, str]:
    """ "Mon 7 Dec", "09:00" — with "today"/"tomorrow" where it helps."""
    if moment is None:
        return ("—", "")
    return (near_day(moment.date(), today), clock(moment))


def end_words(plan: PlanSummary) -> str:
    """The second line of the rule column: "10 sessions · 3 left"."""
    return plan.words[len(plan.rule_words) + 3 :] if plan.words.startswith(plan.rule_words) else ""


class PlansScreen(PracticeScreen):
    """Active plans first, by next date; ended ones behind ``A``."""

    # "?" (which lists every key) first: at 80 columns the footer keeps the first ones.
    BINDINGS = [
        Binding("question_mark", "app.toggle_keys", "Keys", key_display="?"),
        Binding("n", "new_plan", "New plan"),
        Binding("enter", "open_plan", "Details", priority=True),
        Binding("e", "change_plan", "Change onward"),
        Binding("k", "skip_date", "Skip a date"),
        Binding("x", "end_plan", "End plan"),
        Binding("A", "toggle_ended", "Ended", key_display="A"),
    ]

    show_ended: reactive[bool] = reactive(False, init=False)

    def __init__(self) -> None:
        super().__init__()
        self._plans: tuple[PlanSummary, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(Text("Plans", style="bold"), id="plans-title")
        yield Static("", id="plans-summary")
        yield DataTable(id="plans-table", cursor_type="row", zebra_stripes=False)
        yield Static("", id="plans-info")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("", key="mark", width=1)
        table.add_column("Client / service", key="client", width=22)
        table.add_column("Repeats", key="rule", width=34)
        table.add_column("Next", key="next", width=12)
        self.load()

    def on_screen_resume(self) -> None:
        if self.back_in_view():
            self.load()

    def watch_show_ended(self, _: bool) -> None:
        self.load()

    # --- data -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="plans-list")
    def load(self) -> None:
        now: dt.datetime = self.app.now()
        try:
            found = list_plans(now=now, include_ended=self.show_ended)
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.show_plans, found)

    def show_plans(self, found: tuple[PlanSummary, ...]) -> None:
        table = self.query_one(DataTable)
        keep = self.selected.id if self.selected else None
        self._plans = found
        table.clear()
        today: dt.date = self.app.today()
        for plan in found:
            table.add_row(*self._cells(plan, today), key=str(plan.id), height=2)
        if not found:
            table.add_row(
                "",
                Text("No plans yet", style="dim"),
                Text("n starts one", style="dim"),
                "",
                height=1,
            )
        active = sum(p.active for p in found)
        troubled = sum(bool(p.problems) for p in found if p.active)
        summary = f"{active} active plan" + ("" if active == 1 else "s")
        if troubled:
            summary += f" · ✗ {troubled} with dates not booked"
        if self.show_ended:
            summary += f" · {len(found) - active} ended or finished shown (A hides them)"
        else:
            summary += " · A shows ended plans"
        self.query_one("#plans-summary", Static).update(summary)
        if keep is not None:
            for index, plan in enumerate(found):
                if plan.id == keep:
                    table.move_cursor(row=index)
                    break
        self._show_info()
        self.refresh_bindings()

    def _cells(self, plan: PlanSummary, today: dt.date) -> tuple[Text | str, ...]:
        dim = "" if plan.active else "dim"
        mark = Text("✗", style="bold red") if plan.problems and plan.active else Text("")
        if not plan.active:
            mark = Text("■", style="dim")
        who = plain_line(plan.client_name, 22, style=f"bold {dim}".strip())
        if plan.contraindications.strip():
            who = plain_line(plan.client_name, 19, style=f"bold {dim}".strip())
            who.append(" ⚠", style="yellow")
        who.append("\n")
        service = plan.service_name
        if str(plan.minutes) not in service:
            service += f" · {plan.minutes} min"
        who.append_text(plain_line(service, 22, style="dim"))
        rule = Text(plan.rule_words, style=dim)
        rule.append("\n")
        rule.append(end_words(plan) or plan.status, style="dim")
        day, time = next_words(plan.next_start, today) if plan.active else (plan.status, "")
        when = Text(day, style=dim)
        when.append("\n" + time, style="dim")
        return (mark, who, rule, when)

    # --- the highlighted plan ----------------------------------------------------

    @property
    def selected(self) -> PlanSummary | None:
        if not self._plans:
            return None  # nothing read yet (maybe no table yet either)
        table = self.query_one(DataTable)
        if table.cursor_row is None:
            return None
        if 0 <= table.cursor_row < len(self._plans):
            return self._plans[table.cursor_row]
        return None

    @on(DataTable.RowHighlighted)
    def _highlighted(self, _: DataTable.RowHighlighted) -> None:
        self._show_info()
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def _selected(self, _: DataTable.RowSelected) -> None:
        self.action_open_plan()

    def _show_info(self) -> None:
        plan = self.selected
        info = Text(end="")
        if plan is not None:
            if plan.contraindications.strip():
                info.append("⚠ ", style="bold yellow")
                info.append_text(plain_line(plan.contraindications, 90, style="yellow"))
            if plan.problems and plan.active:
                if info:
                    info.append("\n")
                info.append("✗ ", style="bold red")
                info.append_text(plain_line(plan.problems[0], 90, style="red"))
                if len(plan.problems) > 1:
                    info.append(f"  (+{len(plan.problems) - 1} more: enter)", style="dim")
            if not info:
                info.append_text(plain(plan.words, style="dim"))
        self.query_one("#plans-info", Static).update(info)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_plan":
            return self.selected is not None
        if action in ("change_plan", "skip_date", "end_plan"):
            plan = self.selected
            return plan is not None and plan.active
        return True

    # --- actions ---------------------------------------------------------------

    def action_new_plan(self) -> None:
        self.app.open_new_plan()

    def action_open_plan(self) -> None:
        plan = self.selected
        if plan is None:
            return
        from practice_tui.ui.screens.plan_details import PlanDetailsScreen

        self.app.push_screen(PlanDetailsScreen(plan.id))

    def action_toggle_ended(self) -> None:
        self.show_ended = not self.show_ended

    def action_skip_date(self) -> None:
        plan = self.selected
        if plan is None or not plan.active:
            return
        from practice_tui.ui.dialogs.plan_skip import SkipDateDialog

        self.app.push_screen(SkipDateDialog(plan.id))

    def action_change_plan(self) -> None:
        plan = self.selected
        if plan is None or not plan.active:
            return
        from practice_tui.ui.dialogs.plan_change import ChangePlanDialog

        start = plan.next_start.date() if plan.next_start else self.app.today()
        self.app.push_screen(ChangePlanDialog(plan, start))

    def action_end_plan(self) -> None:
        plan = self.selected
        if plan is None or not plan.active:
            return
        from practice_tui.ui.dialogs.plan_end import EndPlanDialog

        start = plan.next_start.date() if plan.next_start else self.app.today()
        self.app.push_screen(EndPlanDialog(plan, start))
