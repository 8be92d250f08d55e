"""The new-plan form with its live preview.

The fields run client, service and length, first date and time, how it ends,
then how it repeats (the weekdays follow the first date and are one field:
``←``/``→`` and ``space``), so a weekly plan needs no key past the count.
Real defaults are values (10 sessions, the service's length); grey "e.g."
text is only a hint. Nothing is written until ``ctrl+s``. Every change of a field asks the domain
for a fresh preview (in a worker, a moment after the last key), so the dates
and their conflicts are always in view. ``k``/``space`` on a date skips it.

On save: dates that still clash are not booked over — the form lists every
date "Skip and save" skips, adds or moves (``plans.plan_clash_skips``) and
saves exactly that, or goes back; dates outside
working hours, and plans of more than 200 sessions, ask to confirm.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from practice_tui.domain.dates import parse_date
from practice_tui.domain.errors import (
    ConflictError,
    OutsideHoursError,
    PracticeError,
    ValidationError,
)
from practice_tui.domain.plans import (
    ClashSkips,
    LongPlanError,
    PlanDraft,
    PlanForm,
    PlanPreview,
    create_plan,
    plan_clash_skips,
    preview_plan,
    read_plan_form,
)
from practice_tui.domain.schedule import usual_service
from practice_tui.domain.settings import get_practice, list_services
from practice_tui.domain.types import ClientSummary, ServiceInfo
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
from practice_tui.ui.widgets.client_picker import ClientPicker
from practice_tui.ui.widgets.footer import KeysFooter
from practice_tui.ui.widgets.plan_dates import PlanDateList
from practice_tui.ui.widgets.plan_repeat import RepeatFields
from practice_tui.ui.widgets.text_box import TextBox

#: A new plan ends after this many sessions unless another number is typed
#: (a real value in the field, not a hint).
DEFAULT_COUNT = "10"
#: Fields that read a number: what was typed there is refused with a message,
#: even while the rest of the form is still empty.
NUMBER_FIELDS = ("minutes", "count", "interval", "day")
END_OPTIONS: list[tuple[str, str]] = [
    ("After", "count"),
    ("On a date", "until"),
    ("No end", "none"),
]
#: Which widget holds each field the domain may complain about.
FIELD_WIDGETS = {
    "client": "#client-search",
    "service": "#plan-service",
    "minutes": "#plan-minutes",
    "first_date": "#plan-first-date",
    "time": "#plan-time",
    "interval": "RepeatFields .number",
    "weekdays": "#repeat-weekdays",
    "nth": "RepeatFields",
    "weekday": "RepeatFields",
    "day": "#repeat-day",
    "rule": "#repeat-rule",
    "count": "#plan-count",
    "until": "#plan-until",
}


class NewPlanDialog(PlanPreviewDialog[int | None]):
    """Plan a recurring series; returns the new plan's id, or None."""

    FIELD_WIDGETS = FIELD_WIDGETS

    BINDINGS = [
        Binding("ctrl+s", "save", "Save plan"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, client: ClientSummary | None = None) -> None:
        super().__init__()
        self._client = client
        self._services: tuple[ServiceInfo, ...] = ()
        self._service_touched = False
        self._length_typed = False
        self._skipped_days: set[dt.date] = set()
        self._preview: PlanPreview | None = None
        self._draft: PlanDraft | None = None
        self._horizon_weeks = 12

    # --- layout -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="plan-box"):
            yield Static(Text("New plan", style="bold"), id="plan-title", classes="plan-title")
            with Horizontal(classes="form-row-auto"):
                yield Label("Client", classes="form-label")
                yield ClientPicker(self._client, limit=6, id="plan-client")
            with Horizontal(classes="form-row"):
                yield Label("Service", classes="form-label")
                yield Select[int]([], prompt="Pick a service", compact=True, id="plan-service")
                yield Label("length", classes="word")
                yield TextBox(compact=True, max_length=6, id="plan-minutes", classes="minutes")
                yield Label("min", classes="word")
            with Horizontal(classes="form-row"):
                yield Label("First", classes="form-label")
                yield TextBox(
                    compact=True,
                    placeholder="e.g. mon, dec 7",
                    max_length=40,
                    id="plan-first-date",
                )
                yield Label("at", classes="word")
                yield TextBox(compact=True, placeholder="e.g. 9:00", max_length=10, id="plan-time")
            with Horizontal(classes="form-row"):
                yield Label("Ends", classes="form-label")
                yield Select(
                    END_OPTIONS,
                    value="count",
                    allow_blank=False,
                    compact=True,
                    id="plan-end-kind",
                )
                yield TextBox(
                    DEFAULT_COUNT,
                    compact=True,
                    max_length=6,
                    id="plan-count",
                    classes="end-count",
                )
                yield Label("sessions", classes="word end-count")
                yield TextBox(
                    compact=True,
                    placeholder="e.g. 2027-06-30",
                    max_length=40,
                    id="plan-until",
                    classes="end-until",
                )
                yield Label("", classes="word end-none", id="plan-open-note")
            yield RepeatFields(id="plan-repeat")
            yield Static("", classes="form-error", id="plan-error")
            yield Static(
                Text("Dates", style="bold"), classes="preview-title", id="plan-preview-title"
            )
            yield Static("", classes="preview-counts", id="plan-preview-counts")
            yield PlanDateList(id="plan-dates")
        yield KeysFooter()

    def on_mount(self) -> None:
        picker = self.query_one(ClientPicker)
        picker.input.compact = True
        if self._client is None:
            picker.focus()
        else:
            self._show_client(self._client)
            self.query_one("#plan-first-date", Input).focus()
        self._load_services(self._client.id if self._client else None)

    # --- services -----------------------------------------------------------

    @work(thread=True, exclusive=True, group="plan-services")
    def _load_services(self, client_id: int | None) -> None:
        try:
            services = list_services()
            usual = usual_service(client_id)
            weeks = get_practice().plan_horizon_weeks
        except PracticeError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self._show_services, services, usual, weeks)

    def _show_services(
        self, services: tuple[ServiceInfo, ...], usual: int | None, weeks: int
    ) -> None:
        self._services = services
        self._horizon_weeks = weeks
        self.query_one("#plan-open-note", Label).update(
            f"booked {weeks} weeks ahead, kept filled as time passes"
        )
        select = self.query_one("#plan-service", Select)
        with self.prevent(Select.Changed):
            select.set_options((plain(s.name), s.id) for s in services)
        if usual is not None and any(s.id == usual for s in services):
            self._set_service(usual)

    def _set_service(self, service_id: int) -> None:
        select = self.query_one("#plan-service", Select)
        with self.prevent(Select.Changed):
            select.value = service_id
        self._length_hint()
        self.schedule_preview()

    def _length_hint(self) -> None:
        """The length is the service's (a real value) until one is typed."""
        value = self.query_one("#plan-service", Select).value
        service = next((s for s in self._services if s.id == value), None)
        field = self.query_one("#plan-minutes", Input)
        if service is not None and not self._length_typed:
            with self.prevent(Input.Changed):
                field.value = str(service.minutes)

    # --- reading the form -------------------------------------------------------

    def _form(self) -> PlanForm:
        picker = self.query_one(ClientPicker)
        service = self.query_one("#plan-service", Select).value
        end_kind = self.query_one("#plan-end-kind", Select).value
        repeat = self.query_one(RepeatFields).values()
        return PlanForm(
            client_id=picker.client.id if picker.client else None,
            service_id=service if isinstance(service, int) else None,
            minutes=self.query_one("#plan-minutes", Input).value,
            first_date=self.query_one("#plan-first-date", Input).value,
            time=self.query_one("#plan-time", Input).value,
            kind=str(repeat["kind"]),
            weekdays=repeat["weekdays"],  # type: ignore[arg-type]
            interval=str(repeat["interval"]),
            nth=int(repeat["nth"]),  # type: ignore[call-overload]
            weekday=int(repeat["weekday"]),  # type: ignore[call-overload]
            day=str(repeat["day"]),
            rule_text=str(repeat["rule_text"]),
            end_kind=str(end_kind) if end_kind is not Select.NULL else "count",
            count=self.query_one("#plan-count", Input).value,
            until=self.query_one("#plan-until", Input).value,
        )

    def _skipped_for(self, draft: PlanDraft) -> list[dt.datetime]:
        time = draft.first_start.time()
        return [dt.datetime.combine(day, time) for day in sorted(self._skipped_days)]

    # --- live preview --------------------------------------------------------------

    @on(Input.Changed)
    @on(Select.Changed)
    @on(RepeatFields.Changed)
    def _field_changed(self, event: Input.Changed | Select.Changed | RepeatFields.Changed) -> None:
        control = getattr(event, "control", None)
        name = getattr(control, "id", "") or ""
        if name == "plan-first-date" and isinstance(event, Input.Changed):
            try:
                day = parse_date(event.value, self.app.today())
            except ValidationError:
                pass
            else:
                self.query_one(RepeatFields).follow_first_date(day)
        if name == "plan-minutes" and isinstance(event, Input.Changed) and control.has_focus:
            self._length_typed = True
        if name == "plan-service":
            self._service_touched = True
            self._length_hint()
        if name == "plan-end-kind":
            kind = self.query_one("#plan-end-kind", Select).value
            for option in ("until", "none"):
                self.set_class(kind == option, f"-end-{option}")
        self.schedule_preview()

    def _show_client(self, client: ClientSummary) -> None:
        title = Text("New plan · ", style="bold")
        title.append_text(plain(client.name, style="bold"))
        if client.has_alert:
            title.append("  ⚠ ", style="bold yellow")
            title.append_text(plain_line(client.contraindications, 60, style="yellow"))
        self.query_one("#plan-title", Static).update(title)

    @on(ClientPicker.Picked)
    def _client_picked(self, event: ClientPicker.Picked) -> None:
        self._client = event.client
        self._show_client(event.client)
        if not self._service_touched:
            self._usual(event.client.id)
        self.query_one("#plan-first-date", Input).focus()
        self.schedule_preview()

    @work(thread=True, exclusive=True, group="plan-usual")
    def _usual(self, client_id: int) -> None:
        try:
            usual = usual_service(client_id)
        except PracticeError:
            return
        if usual is not None:
            self.app.call_from_thread(self._set_service, usual)

    def refresh_preview(self) -> None:
        self._compute(self._next_generation(), self._form(), frozenset(self._skipped_days))

    @work(thread=True, exclusive=True, group="plan-preview")
    def _compute(self, generation: int, form: PlanForm, skipped: frozenset[dt.date]) -> None:
        now: dt.datetime = self.app.now()
        try:
            draft = read_plan_form(form, now=now)
            time = draft.first_start.time()
            preview = preview_plan(
                draft, skipped=[dt.datetime.combine(d, time) for d in skipped], now=now
            )
        except PracticeError as error:
            self.app.call_from_thread(self._show_problem, generation, error)
            return
        self.app.call_from_thread(self._show_preview, generation, draft, preview)

    def _show_problem(self, generation: int, error: PracticeError) -> None:
        if self._stale(generation):
            return
        self._preview = None
        self._draft = None
        errors = getattr(error, "errors", None) or {error.field or "": str(error)}
        message = error_text(error)
        typed = {f: m for f, m in errors.items() if f in NUMBER_FIELDS}
        if isinstance(error, ValidationError) and typed:
            # A number field that cannot be read is said at once, whatever else is empty.
            message = error_text(ValidationError.from_errors(typed))
            self._mark_fields(set(typed))
        elif isinstance(error, ValidationError) and not self._has_typed_enough():
            # While the form is still being filled in, say only what comes next.
            field, first = next(iter(errors.items()))
            message = error_text(ValidationError(first, field=field))
            message.stylize("dim")
            self._mark_fields(set())
        else:
            self._mark_fields(set(errors))
        self.query_one("#plan-error", Static).update(message)
        self.query_one("#plan-preview-title", Static).update(
            Text("Dates: fill in the form to see every date and its conflicts", style="dim")
        )
        self.query_one("#plan-preview-counts", Static).update("")
        self.query_one(PlanDateList).show((), message="")

    def _has_typed_enough(self) -> bool:
        form = self._form()
        return bool(form.first_date.strip() and form.time.strip())

    def _show_preview(self, generation: int, draft: PlanDraft, preview: PlanPreview) -> None:
        if self._stale(generation):
            return
        self._preview = preview
        self._draft = draft
        self._mark_fields(set())
        self.query_one("#plan-error", Static).update("")
        title = Text(preview.words, style="bold")
        self.query_one("#plan-preview-title", Static).update(title)
        counts = counts_line(preview.dates, sessions=False)
        hint = "   tab to the dates · k skip one" if preview.dates else ""
        counts.append(hint, style="dim")
        self.query_one("#plan-preview-counts", Static).update(counts)
        self.query_one(PlanDateList).show(
            preview.dates, message="The rule gives no dates: check the repeat and the end."
        )

    @on(PlanDateList.SkipToggled)
    def _skip_toggled(self, event: PlanDateList.SkipToggled) -> None:
        day = event.start.date()
        if event.skipped:
            self._skipped_days.add(day)
        else:
            self._skipped_days.discard(day)
        self.refresh_preview()

    # --- saving ------------------------------------------------------------------

    def action_save(self) -> None:
        if self._busy:
            return
        try:
            draft = read_plan_form(self._form(), now=self.app.now())
        except ValidationError as error:
            self._failed(error)
            return
        self._busy = True
        self._save(draft, self._skipped_for(draft), (), False, False)

    @work(thread=True, exclusive=True, group="plan-save")
    def _save(
        self,
        draft: PlanDraft,
        slots: list[dt.datetime],
        clash: tuple[dt.datetime, ...],
        allow: bool,
        confirm_long: bool,
    ) -> None:
        """Save with the skips chosen by hand (``slots``) and those the person
        agreed to for a clash (``clash``); ask what the domain says needs asking."""
        now: dt.datetime = self.app.now()
        call = self.app.call_from_thread
        try:
            summary = create_plan(
                draft,
                skipped=slots,
                clash_skipped=clash,
                now=now,
                allow_outside_hours=allow,
                confirm_long=confirm_long,
            )
        except LongPlanError as error:
            call(self._ask_long, draft, slots, clash, allow, error)
        except OutsideHoursError:
            try:
                preview = preview_plan(draft, skipped=[*slots, *clash], now=now)
            except PracticeError as error:
                call(self._failed, error)
                return
            call(self._ask_outside, draft, slots, clash, preview)
        except ConflictError as error:
            try:
                preview = preview_plan(draft, skipped=[*slots, *clash], now=now)
                result = plan_clash_skips(draft, skipped=slots, now=now)
            except PracticeError as inner:
                call(self._failed, inner)
                return
            call(self._ask_skip, draft, slots, preview, result, error)
        except PracticeError as error:
            call(self._failed, error)
        else:
            call(self._saved, summary.id, summary.client_name, summary.total)

    def _ask_skip(
        self,
        draft: PlanDraft,
        slots: list[dt.datetime],
        preview: PlanPreview,
        result: ClashSkips,
        error: ConflictError,
    ) -> None:
        self._show_preview(self._next_generation(), draft, preview)
        self._failed(error)
        if not result.skipped:
            return
        count = len(result.skipped)

        def answered(yes: bool | None) -> None:
            if yes:
                # Exactly the skips listed: the same result is saved.
                self._busy = True
                self._save(draft, slots, result.slots, False, False)

        self.app.push_screen(
            SkipClashesDialog(
                f"Skip {count} date{'s' if count > 1 else ''} that "
                f"clash{'' if count > 1 else 'es'}?",
                skips_message(result),
                yes="Skip and save",
                no="Go back",
            ),
            answered,
        )

    def _ask_outside(
        self,
        draft: PlanDraft,
        slots: list[dt.datetime],
        clash: tuple[dt.datetime, ...],
        preview: PlanPreview,
    ) -> None:
        self._busy = False

        def answered(yes: bool | None) -> None:
            if yes:
                self._busy = True
                self._save(draft, slots, clash, True, False)

        self.app.push_screen(
            ConfirmDialog(
                f"{preview.outside} date{'s are' if preview.outside > 1 else ' is'} "
                "outside working hours",
                outside_message(preview.dates),
                yes="Book anyway",
                no="Go back",
            ),
            answered,
        )

    def _ask_long(
        self,
        draft: PlanDraft,
        slots: list[dt.datetime],
        clash: tuple[dt.datetime, ...],
        allow: bool,
        error: LongPlanError,
    ) -> None:
        self._busy = False

        def answered(yes: bool | None) -> None:
            if yes:
                self._busy = True
                self._save(draft, slots, clash, allow, True)

        self.app.push_screen(
            ConfirmDialog(
                f"Save a plan of {error.sessions} sessions?",
                f"This plan books {error.sessions} appointments, more than 200. "
                "Each one can still be moved or cancelled on its own.",
                yes="Save",
                no="Go back",
            ),
            answered,
        )

    def _saved(self, plan_id: int, client_name: str, total: int | None) -> None:
        self._busy = False
        booked = f"{total} sessions booked" if total is not None else "sessions booked ahead"
        self.app.notify(f"Plan saved for {client_name}: {booked}.", title="Plans")
        self.dismiss(plan_id)

    def action_cancel(self) -> None:
        self.dismiss(None)
