"""Skip one upcoming date of a plan, seeing first what it does.

The upcoming dates are listed; for the highlighted one the dialog shows which
session is cancelled (reason "skipped") and, for a plan with a number of
sessions, the date added at its end with anything in its way. ``enter``
skips it; nothing changes before that.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from practice_tui.domain.errors import PracticeError, StaleRecordError
from practice_tui.domain.plans import PlanDetails, SeriesEdit, get_plan, preview_skip, skip_date
from practice_tui.domain.words import clock, day_column, moment_long, moment_short
from practice_tui.ui.dialogs.plan_preview import PlanPreviewDialog
from practice_tui.ui.text import plain, plain_line
from practice_tui.ui.widgets.footer import KeysFooter


class SkipDateDialog(PlanPreviewDialog[bool]):
    """Returns True when a date was skipped."""

    BINDINGS = [
        Binding("enter", "skip", "Skip this date", priority=True),
        Binding("ctrl+s", "skip", "Skip this date", show=False),
        Binding("escape", "cancel", "Cancel"),
    ]

    ERROR_ID = "skip-error"

    def __init__(self, plan_id: int, slot: dt.datetime | None = None) -> None:
        super().__init__()
        self.plan_id = plan_id
        self._initial = slot
        self._slots: list[dt.datetime] = []
        self._edit: SeriesEdit | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="plan-box"):
            yield Static(Text("Skip a date", style="bold"), id="skip-title", classes="plan-title")
            yield Static(Text("Which date?", style="dim"), id="skip-question")
            yield OptionList(id="skip-dates")
            yield Static("", id="skip-preview")
            yield Static("", classes="form-error", id="skip-error")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="plan-skip-load")
    def load(self) -> None:
        now: dt.datetime = self.app.now()
        try:
            details = get_plan(self.plan_id, now=now)
        except PracticeError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self._show_dates, details, now)

    def _show_dates(self, details: PlanDetails, now: dt.datetime) -> None:
        plan = details.summary
        self.plan_id, self.version = plan.id, plan.version
        title = Text("Skip a date · ", style="bold")
        title.append_text(plain(plan.client_name, style="bold"))
        title.append(f" · {plan.rule_words}", style="bold")
        self.query_one("#skip-title", Static).update(title)
        upcoming = [r for r in details.sessions if r.skippable(now)]
        self._slots = [r.slot for r in upcoming]
        options = self.query_one(OptionList)
        options.clear_options()
        for row in upcoming:
            line = Text(f"{row.number or '':>3}. ", style="dim")
            line.append(f"{day_column(row.start, year=True)}  {clock(row.start)}")
            if row.state == "unbooked":
                line.append("   not booked", style="red")
            elif row.moved:
                line.append(f"   moved from {moment_short(row.slot)}", style="cyan")
            options.add_option(Option(line, id=row.slot.isoformat()))
        if not upcoming:
            options.add_option(
                Option(Text("No upcoming dates to skip.", style="dim"), disabled=True)
            )
            return
        index = 0
        if self._initial is not None and self._initial in self._slots:
            index = self._slots.index(self._initial)
        options.highlighted = index
        self._preview(self._slots[index])

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        index = event.option_index
        if 0 <= index < len(self._slots):
            self._preview(self._slots[index])

    @work(thread=True, exclusive=True, group="plan-skip-preview")
    def _preview(self, slot: dt.datetime) -> None:
        now: dt.datetime = self.app.now()
        try:
            edit = preview_skip(self.plan_id, slot, now=now)
        except PracticeError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self._show_preview, slot, edit)

    def _show_preview(self, slot: dt.datetime, edit: SeriesEdit) -> None:
        options = self.query_one(OptionList)
        current = options.highlighted
        if current is None or current >= len(self._slots) or self._slots[current] != slot:
            return
        self._edit = edit
        text = Text("What skipping it does\n", style="bold")
        if edit.cancelled:
            text.append(f"• Cancels the session of {moment_short(edit.cancelled[0].start)} ")
            text.append("(reason “skipped”); the date is remembered as skipped.\n")
        else:
            text.append(f"• {moment_short(slot)} is not booked: it is only marked as skipped.\n")
        if edit.dates:
            added = edit.dates[0]
            text.append("• The plan keeps its number of sessions: adds ")
            moment = added.start
            text.append(moment_long(moment), style="bold")
            text.append(" at its end")
            if added.problems:
                style = "red" if added.blocking else "yellow"
                text.append("\n  ")
                text.append_text(
                    plain_line(
                        ("✗ " if added.blocking else "! ") + added.problems[0], 70, style=style
                    )
                )
            if added.blocking:
                text.append("\n  That date clashes: it stays unbooked and is marked on the plan.")
            text.append("\n")
        else:
            text.append("• The plan has one date less (it has no number of sessions).\n")
        self.query_one("#skip-preview", Static).update(text)
        self.query_one("#skip-error", Static).update("")

    def action_skip(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if self._busy or index is None or not 0 <= index < len(self._slots):
            return
        self._busy = True
        self._apply(self._slots[index])

    @work(thread=True, exclusive=True, group="plan-skip-apply")
    def _apply(self, slot: dt.datetime) -> None:
        now: dt.datetime = self.app.now()
        try:
            skip_date(self.plan_id, slot, now=now, expected_version=self.version)
        except StaleRecordError as error:
            self.app.call_from_thread(self._changed_elsewhere, error)
            return
        except PracticeError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self._done, slot)

    def reload_plan(self) -> None:
        highlighted = self.query_one(OptionList).highlighted
        if highlighted is not None and 0 <= highlighted < len(self._slots):
            self._initial = self._slots[highlighted]  # the date the person chose stays chosen
        self.load()
        self._reloaded()

    def _done(self, slot: dt.datetime) -> None:
        self.app.notify(f"Skipped {moment_short(slot)}.", title="Plans")
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
