"""Change a plan from a date onward: new time, weekday, length, service or rule.

The form starts with what the plan has; the preview shows, before anything
changes, the sessions replaced, the ones kept because they were moved, edited
or have taken place, and every new date with its conflicts (``k`` skips one).
``ctrl+s`` applies it, with the same questions as a new plan.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from practice_tui.domain.errors import (
    ConflictError,
    OutsideHoursError,
    PracticeError,
    StaleRecordError,
    ValidationError,
)
from practice_tui.domain.plans import (
    ChangeForm,
    ClashSkips,
    PlanChange,
    PlanSummary,
    SeriesEdit,
    change_clash_skips,
    change_plan,
    preview_change,
    read_change_form,
)
from practice_tui.domain.recurrence import Repeat, repeat_from_rule
from practice_tui.domain.settings import list_services
from practice_tui.domain.types import ServiceInfo
from practice_tui.domain.words import day_or_moment, moment_short
from practice_tui.ui.dialogs.common import ConfirmDialog
from practice_tui.ui.dialogs.plan_form import (
    SkipClashesDialog,
    counts_line,
    error_text,
    outside_message,
    skips_message,
)
from practice_tui.ui.dialogs.plan_preview import PlanPreviewDialog
from practice_tui.ui.text import plain, plain_line
from practice_tui.ui.widgets.footer import KeysFooter
from practice_tui.ui.widgets.plan_dates import PlanDateList
from practice_tui.ui.widgets.plan_repeat import RepeatFields
from practice_tui.ui.widgets.text_box import TextBox

FIELD_WIDGETS = {
    "from_date": "#change-from",
    "time": "#change-time",
    "minutes": "#change-minutes",
    "service": "#change-service",
    "day": "#repeat-day",
    "rule": "#repeat-rule",
    "interval": "RepeatFields .number",
    "weekdays": "#repeat-weekdays",
}


def _repeat_of(plan: PlanSummary) -> Repeat:
    try:
        return repeat_from_rule(plan.rule, plan.first_start)
    except ValidationError:
        return Repeat(kind="rule", text=plan.rule)


class ChangePlanDialog(PlanPreviewDialog[bool]):
    """Returns True when the plan was changed."""

    FIELD_WIDGETS = FIELD_WIDGETS

    BINDINGS = [
        Binding("ctrl+s", "save", "Apply change"),
        Binding("escape", "cancel", "Cancel"),
    ]

    ERROR_ID = "change-error"

    def __init__(self, plan: PlanSummary, from_date: dt.date) -> None:
        super().__init__()
        self.plan = plan
        self.version = plan.version
        self._from = from_date
        self._services: tuple[ServiceInfo, ...] = ()
        self._skipped_days: set[dt.date] = set()
        self._length_typed = False

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical(id="plan-box"):
            title = Text("Change from a date onward · ", style="bold")
            title.append_text(plain(plan.client_name, style="bold"))
            yield Static(title, classes="plan-title")
            yield Static(plain(f"Now: {plan.words}", style="dim"), id="change-now")
            with Horizontal(classes="form-row"):
                yield Label("From", classes="form-label")
                yield TextBox(
                    f"{self._from:%Y-%m-%d}", compact=True, max_length=40, id="change-from"
                )
                yield Label("at", classes="word")
                yield TextBox(
                    f"{plan.first_start:%H:%M}", compact=True, max_length=10, id="change-time"
                )
                yield Label("length", classes="word")
                yield TextBox(str(plan.minutes), compact=True, max_length=6, id="change-minutes")
                yield Label("min", classes="word")
            with Horizontal(classes="form-row"):
                yield Label("Service", classes="form-label")
                yield Select[int](
                    [(plain(plan.service_name), plan.service_id)],
                    value=plan.service_id,
                    allow_blank=False,
                    compact=True,
                    id="change-service",
                )
            yield RepeatFields(_repeat_of(plan), id="change-repeat")
            yield Static("", classes="form-error", id="change-error")
            yield Static("", classes="preview-title", id="change-title")
            yield Static("", id="change-effects")
            yield Static("", classes="preview-counts", id="change-counts")
            yield PlanDateList(id="change-dates")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#change-from", Input).focus()
        self._load_services()
        self.refresh_preview()

    @work(thread=True, exclusive=True, group="plan-change-services")
    def _load_services(self) -> None:
        try:
            services = list_services()
        except PracticeError:
            return
        self.app.call_from_thread(self._show_services, services)

    def _show_services(self, services: tuple[ServiceInfo, ...]) -> None:
        self._services = services
        options = [(plain(s.name), s.id) for s in services]
        if not any(s.id == self.plan.service_id for s in services):
            options.insert(0, (plain(self.plan.service_name), self.plan.service_id))
        select = self.query_one("#change-service", Select)
        with self.prevent(Select.Changed):
            select.set_options(options)
            select.value = self.plan.service_id

    # --- the form --------------------------------------------------------------

    def _form(self) -> ChangeForm:
        repeat = self.query_one(RepeatFields).values()
        service = self.query_one("#change-service", Select).value
        return ChangeForm(
            from_date=self.query_one("#change-from", Input).value,
            time=self.query_one("#change-time", Input).value,
            minutes=self.query_one("#change-minutes", Input).value,
            service_id=service if isinstance(service, int) else None,
            kind=str(repeat["kind"]),
            weekdays=repeat["weekdays"],  # type: ignore[arg-type]
            interval=str(repeat["interval"]),
            nth=int(repeat["nth"]),  # type: ignore[call-overload]
            weekday=int(repeat["weekday"]),  # type: ignore[call-overload]
            day=str(repeat["day"]),
            rule_text=str(repeat["rule_text"]),
        )

    @on(Select.Changed, "#change-service")
    def _service_changed(self, event: Select.Changed) -> None:
        """A new service brings its own length, unless the length was typed."""
        minutes = self.query_one("#change-minutes", Input)
        service = next((s for s in self._services if s.id == event.value), None)
        if service is not None and not self._length_typed:
            with self.prevent(Input.Changed):
                minutes.value = str(service.minutes)

    @on(Input.Changed, "#change-minutes")
    def _length_changed(self, event: Input.Changed) -> None:
        if event.input.has_focus:
            self._length_typed = True

    @on(Input.Changed)
    @on(Select.Changed)
    @on(RepeatFields.Changed)
    def _changed(self, _: object) -> None:
        self.schedule_preview()

    def refresh_preview(self) -> None:
        self._compute(self._next_generation(), self._form(), frozenset(self._skipped_days))

    def _read(self, form: ChangeForm) -> PlanChange:
        today: dt.date = self.app.today()
        return read_change_form(form, self.plan, today=today)

    def _slots(self, change: PlanChange, days: frozenset[dt.date]) -> list[dt.datetime]:
        time = change.time or self.plan.first_start.time()
        return [dt.datetime.combine(d, time) for d in sorted(days)]

    @work(thread=True, exclusive=True, group="plan-change-preview")
    def _compute(self, generation: int, form: ChangeForm, days: frozenset[dt.date]) -> None:
        now: dt.datetime = self.app.now()
        try:
            change = self._read(form)
            edit = preview_change(self.plan.id, change, skipped=self._slots(change, days), now=now)
        except PracticeError as error:
            self.app.call_from_thread(self._show_problem, generation, error)
            return
        self.app.call_from_thread(self._show_edit, generation, change, edit)

    def _show_problem(self, generation: int, error: PracticeError) -> None:
        if self._stale(generation):
            return
        errors = getattr(error, "errors", None) or {error.field or "": str(error)}
        self._mark_fields(set(errors))
        self.query_one("#change-error", Static).update(error_text(error))
        self.query_one("#change-title", Static).update(
            Text("Fix the form to see what changes", style="dim")
        )
        self.query_one("#change-effects", Static).update("")
        self.query_one("#change-counts", Static).update("")
        self.query_one(PlanDateList).show(())

    def _show_edit(self, generation: int, change: PlanChange, edit: SeriesEdit) -> None:
        if self._stale(generation):
            return
        self._mark_fields(set())
        self.query_one("#change-error", Static).update("")
        unchanged = (
            change.time is None
            and change.minutes is None
            and change.service_id is None
            and change.rule is None
        )
        title = Text(f"From {day_or_moment(edit.cut)}: ", style="bold")
        if unchanged:
            title.append("nothing changes yet — give a new time, length, service or repeat", "dim")
        else:
            title.append_text(plain(edit.after, style="bold"))
        self.query_one("#change-title", Static).update(title)
        effects = Text(end="")
        if edit.replaced:
            first, last = edit.replaced[0].start, edit.replaced[-1].start
            span = day_or_moment(first) + (f" – {day_or_moment(last)}" if last != first else "")
            count = len(edit.replaced)
            effects.append(f"Replaced: {count} session{'s' if count != 1 else ''}, {span}")
            effects.append(" (rebooked as below)", style="dim")
        else:
            effects.append("Nothing booked is replaced.", style="dim")
        if edit.kept:
            effects.append(f"\nKept as they are ({len(edit.kept)}):", style="bold")
            for row in edit.kept[:3]:
                effects.append(f"\n  {moment_short(row.start)}  ")
                effects.append_text(plain_line(row.description, 60, style="cyan"))
            if len(edit.kept) > 3:
                effects.append(f"\n  … and {len(edit.kept) - 3} more", style="dim")
        self.query_one("#change-effects", Static).update(effects)
        counts = Text("New dates: ", style="bold")
        counts.append_text(counts_line(edit.dates))
        counts.append("   k skips one", style="dim")
        self.query_one("#change-counts", Static).update(counts)
        self.query_one(PlanDateList).show(edit.dates, message="No new dates.")

    @on(PlanDateList.SkipToggled)
    def _skip(self, event: PlanDateList.SkipToggled) -> None:
        if event.skipped:
            self._skipped_days.add(event.start.date())
        else:
            self._skipped_days.discard(event.start.date())
        self.refresh_preview()

    # --- applying -----------------------------------------------------------------

    def action_save(self) -> None:
        if self._busy:
            return
        try:
            change = self._read(self._form())
        except ValidationError as error:
            self._failed(error)
            return
        self._busy = True
        self._apply(change, frozenset(self._skipped_days), (), False)

    @work(thread=True, exclusive=True, group="plan-change-apply")
    def _apply(
        self,
        change: PlanChange,
        days: frozenset[dt.date],
        clash: tuple[dt.datetime, ...],
        allow: bool,
    ) -> None:
        """Apply with the days skipped by hand and the dates the person agreed
        to skip for a clash (``clash``)."""
        now: dt.datetime = self.app.now()
        slots = self._slots(change, days)
        call = self.app.call_from_thread
        try:
            summary = change_plan(
                self.plan.id,
                change,
                skipped=slots,
                clash_skipped=clash,
                now=now,
                allow_outside_hours=allow,
                expected_version=self.version,
            )
        except StaleRecordError as error:
            call(self._changed_elsewhere, error)
        except OutsideHoursError:
            try:
                edit = preview_change(
                    self.plan.id, change, skipped=slots, clash_skipped=clash, now=now
                )
            except PracticeError as inner:
                call(self._failed, inner)
                return
            call(self._ask_outside, change, days, clash, edit)
        except ConflictError as error:
            try:
                result = change_clash_skips(self.plan.id, change, skipped=slots, now=now)
            except PracticeError as inner:
                call(self._failed, inner)
                return
            call(self._ask_skip, change, days, result, error)
        except PracticeError as error:
            call(self._failed, error)
        else:
            call(self._done, summary)

    def _ask_skip(
        self,
        change: PlanChange,
        days: frozenset[dt.date],
        result: ClashSkips,
        error: ConflictError,
    ) -> None:
        self._failed(error)
        if not result.skipped:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            # Exactly the skips listed: the same result is applied.
            self._busy = True
            self._apply(change, days, result.slots, False)

        count = len(result.skipped)
        self.app.push_screen(
            SkipClashesDialog(
                f"Skip {count} new date{'s' if count > 1 else ''} that "
                f"clash{'' if count > 1 else 'es'}?",
                skips_message(result, what="the changed plan"),
                yes="Skip and apply",
                no="Go back",
            ),
            answered,
        )

    def _ask_outside(
        self,
        change: PlanChange,
        days: frozenset[dt.date],
        clash: tuple[dt.datetime, ...],
        edit: SeriesEdit,
    ) -> None:
        self._busy = False

        def answered(yes: bool | None) -> None:
            if yes:
                self._busy = True
                self._apply(change, days, clash, True)

        self.app.push_screen(
            ConfirmDialog(
                f"{edit.outside} new date{'s are' if edit.outside > 1 else ' is'} "
                "outside working hours",
                outside_message(edit.dates),
                yes="Book anyway",
                no="Go back",
            ),
            answered,
        )

    def reload_plan(self) -> None:
        self._read_plan_again(self.plan.id)

    def _plan_read_again(self, plan: PlanSummary) -> None:
        self.plan = plan
        self.query_one("#change-now", Static).update(plain(f"Now: {plan.words}", style="dim"))
        super()._plan_read_again(plan)

    def _done(self, summary: PlanSummary) -> None:
        self.app.notify(f"Plan changed: {summary.words}.", title="Plans")
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
