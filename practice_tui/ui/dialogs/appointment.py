"""The appointment form: book a new one, edit one, or move one to another time.

What stands in the way of the chosen time (a clash, naming the other
appointment; outside working hours; a time that does not exist on a
daylight-saving day) is shown under the fields while typing, from
``check_slot``, before anything is saved. Saving goes through the same rules
in the domain; a time outside working hours is only booked after an explicit
yes. A refused save leaves the form open with everything as typed and the
reason next to the field it concerns.

Choices where the issue is silent: a new booking offers the client's last
service (or the practice's most booked one) with its default length;
changing the service resets the length to that service's; the start is the
first time in the selected free gap where the service fits (buffer
included), else the gap's start, else the next free time from now; while
the start is still the form's own suggestion, a new length moves it to where
that length fits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import get_current_worker

from practice_tui.domain.appointments import get_appointment
from practice_tui.domain.clients import get_client
from practice_tui.domain.dates import parse_date, parse_time
from practice_tui.domain.errors import (
    ConflictError,
    OutsideHoursError,
    PracticeError,
    StaleRecordError,
    ValidationError,
)
from practice_tui.domain.free_time import suggest_booking_start
from practice_tui.domain.rebook import propose_rebooking
from practice_tui.domain.schedule import (
    book_appointment,
    check_slot,
    edit_appointment,
    move_appointment,
    usual_service,
)
from practice_tui.domain.settings import list_services
from practice_tui.domain.types import (
    AppointmentInfo,
    ClientSummary,
    Gap,
    ServiceInfo,
    SlotCheck,
)
from practice_tui.domain.words import clock, full_date, slot_long
from practice_tui.textutil import visible
from practice_tui.ui.base import PracticeModal
from practice_tui.ui.dialogs.common import ConfirmDialog
from practice_tui.ui.dialogs.stale_record import StaleRecordDialog, changed_fields, reapply
from practice_tui.ui.text import plain, plain_line
from practice_tui.ui.typeahead import PickSelect
from practice_tui.ui.widgets.client_picker import ClientPicker
from practice_tui.ui.widgets.footer import KeysFooter
from practice_tui.ui.widgets.text_box import TextBox

Mode = Literal["new", "edit", "move"]

#: Error rows under the fields, by the ``field`` a domain error names.
FIELD_ROWS = {
    "client": "client",
    "service": "service",
    "date": "date",
    "start": "time",
    "time": "time",
    "minutes": "minutes",
    "booking_note": "note",
}


def client_summary(appointment: AppointmentInfo) -> ClientSummary:
    """Enough of the client to prefill the picker when editing."""
    return ClientSummary(
        id=appointment.client_id,
        name=appointment.client_name,
        phone="",
        email="",
        date_of_birth=None,
        contraindications=appointment.contraindications,
        archived=False,
    )


def slot_lines(check: SlotCheck, now: dt.datetime) -> Text:
    """The live verdict on a time, one line per problem, names literal."""
    text = Text(end="")
    problems: list[tuple[str, str]] = []
    if check.invalid_time:
        problems.append(("✗ " + check.invalid_time, "bold red"))
    for message in check.clash_messages:
        problems.append(("✗ " + message, "bold red"))
    if check.outside_hours:
        problems.append(
            ("⚠ " + check.outside_hours + " Saving asks you to confirm.", "bold yellow")
        )
    if not problems:
        problems.append(("✓ Free: " + slot_long(check.start, check.end), "green"))
    if check.start < now:
        problems.append(("⚠ This time is in the past.", "yellow"))
    for index, (words, style) in enumerate(problems):
        if index:
            text.append("\n")
        text.append_text(plain(words, style=style))
    return text


def _values_of(info: AppointmentInfo) -> dict[str, object]:
    """An appointment as the form's fields, to compare and merge."""
    return {
        "client": info.client_id,
        "service": info.service_id,
        "start": info.start,
        "minutes": info.minutes,
        "note": visible(info.booking_note),
    }


@dataclass(frozen=True)
class _Request:
    client_id: int | None
    service_id: int | None
    start: dt.datetime
    minutes: int
    note: str


@dataclass(frozen=True)
class _Prepared:
    services: tuple[ServiceInfo, ...]
    service_id: int | None
    client: ClientSummary | None
    start: dt.datetime | None
    #: The length to fill in (None: the service's own).
    minutes: int | None = None
    #: What the form proposes and why, in words (booking a client again).
    hint: str = ""


class AppointmentForm(PracticeModal[AppointmentInfo | None]):
    """Book (``mode="new"``), change (``"edit"``) or move (``"move"``) an appointment."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "close", "Cancel"),
    ]

    def __init__(
        self,
        mode: Mode = "new",
        *,
        appointment: AppointmentInfo | None = None,
        client: ClientSummary | None = None,
        client_id: int | None = None,
        start: dt.datetime | None = None,
        gap: Gap | None = None,
        day: dt.date | None = None,
        after: dt.datetime | None = None,
        rebook_of: int | None = None,
    ) -> None:
        super().__init__()
        if mode != "new" and appointment is None:
            raise ValueError("editing or moving needs the appointment")
        self.mode: Mode = mode
        # A new booking or an edit reads the services and the client first;
        # keys typed meanwhile wait for the fields (no key lost).
        self.WAITS_FOR_DATA = mode != "move"
        self.appointment = appointment
        self._client = client_summary(appointment) if appointment else client
        self._client_id = self._client.id if self._client else client_id
        self._start = appointment.start if appointment else start
        self._gap = gap
        self._day = day
        self._after = after
        #: Book this appointment's client again (same service and length,
        #: a week later or the note's next visit): ``domain.rebook``.
        self._rebook_of = rebook_of
        self._services: dict[int, ServiceInfo] = {}
        self._service_id: int | None = appointment.service_id if appointment else None
        self._service_touched = False
        self._saving = False
        self._last_check: SlotCheck | None = None
        #: The date and time the form filled in itself, as (date, time) text.
        self._suggested: tuple[str, str] | None = None

    # --- layout --------------------------------------------------------------

    def _title(self) -> Text:
        if self.mode == "new":
            return Text("Book again" if self._rebook_of else "New appointment")
        assert self.appointment is not None
        verb = "Edit appointment of " if self.mode == "edit" else "Move "
        return Text(verb) + plain(self.appointment.client_name)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._title(), classes="dialog-title")
            if self.mode == "move":
                assert self.appointment is not None
                info = self.appointment
                yield Static(
                    plain(info.service_name)
                    + Text(f" · {info.minutes} min · now {slot_long(info.start, info.end)}"),
                    id="move-summary",
                )
            else:
                with Horizontal(classes="form-row"):
                    yield Label("Client")
                    yield Vertical(id="client-slot")
                yield Static("", classes="field-error", id="error-client")
                yield Static("", id="client-alert")
                with Horizontal(classes="form-row"):
                    yield Label("Service")
                    yield PickSelect(
                        [], prompt="Pick a service", id="service", compact=True, allow_blank=True
                    )
                yield Static("", classes="field-error", id="error-service")
            with Horizontal(classes="form-row"):
                yield Label("Date")
                yield TextBox(id="date", compact=True, placeholder="e.g. fri, dec 3")
                yield Static("", id="date-words")
            yield Static("", classes="field-error", id="error-date")
            with Horizontal(classes="form-row"):
                yield Label("Time")
                yield TextBox(id="time", compact=True, placeholder="e.g. 13:30")
                if self.mode != "move":
                    yield Label("Length", classes="after-time")
                    yield TextBox(id="minutes", compact=True, max_length=5)
                    yield Label("min", classes="after-time")
                yield Static("", id="end-words")
            yield Static("", classes="field-error", id="error-time")
            yield Static("", classes="field-error", id="error-minutes")
            if self.mode != "move":
                with Horizontal(classes="form-row"):
                    yield Label("Note")
                    yield TextBox(
                        id="note",
                        compact=True,
                        placeholder="Booking note (optional)",
                        max_length=2000,
                    )
                yield Static("", classes="field-error", id="error-note")
            yield Static("", id="form-hint")
            yield Static("", id="slot-check")
            yield Static("", id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                label = {"new": "Book", "edit": "Save", "move": "Move"}[self.mode]
                yield Button(f"{label} (ctrl+s)", id="save", variant="primary", compact=True)
        # The form's own keys, in place of those of the screen underneath.
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        if self.mode == "move":
            assert self.appointment is not None
            self._fill_time(self.appointment.start)
            self.query_one("#time", Input).focus()
            self._run_check()
            return
        self._prepare()

    # --- loading what the form offers ----------------------------------------

    @work(thread=True, exclusive=True, group="appointment-form-prepare")
    def _prepare(self) -> None:
        now: dt.datetime = self.app.now()
        minutes_given: int | None = None
        hint = ""
        try:
            services = list_services()
            if self._rebook_of is not None:
                proposal = propose_rebooking(self._rebook_of, now)
                self._client_id = proposal.client_id
                self._service_id = proposal.service_id
                self._start = proposal.start or proposal.wanted
                minutes_given = proposal.minutes
                hint = proposal.words()
            client = self._client
            if client is None and self._client_id is not None:
                record = get_client(self._client_id)
                client = ClientSummary(
                    id=record.id,
                    name=record.name,
                    phone=record.phone,
                    email=record.email,
                    date_of_birth=record.date_of_birth,
                    contraindications=record.contraindications,
                    archived=record.archived,
                )
            service_id = self._service_id or usual_service(client.id if client else None)
            minutes = minutes_given or next((s.minutes for s in services if s.id == service_id), 60)
            start = self._start or suggest_booking_start(
                minutes, now, day=self._day, after=self._after, gap=self._gap
            )
        except PracticeError as error:
            self.app.call_from_thread(self._show_form_error, error.message)
            services, client, service_id, start = (), self._client, None, self._start
        self.app.call_from_thread(
            self._prepared,
            _Prepared(tuple(services), service_id, client, start, minutes_given, hint),
        )

    async def _prepared(self, prepared: _Prepared) -> None:
        self._services = {s.id: s for s in prepared.services}
        if self.appointment is not None and self.appointment.service_id not in self._services:
            # An inactive service still shows on an appointment that has it.
            info = self.appointment
            self._services[info.service_id] = ServiceInfo(
                info.service_id, info.service_name, info.minutes, 0, False
            )
        select = self.query_one("#service", Select)
        select.set_options(
            (plain(s.name) + Text(f" · {s.minutes} min", style="dim"), s.id)
            for s in self._services.values()
        )
        self._service_id = prepared.service_id
        if prepared.service_id in self._services:
            select.value = prepared.service_id
        picker = ClientPicker(prepared.client, id="client-picker")
        await self.query_one("#client-slot", Vertical).mount(picker)
        self._show_alert(prepared.client)
        if self.appointment is not None:
            self.query_one("#minutes", Input).value = str(self.appointment.minutes)
            self.query_one("#note", Input).value = visible(self.appointment.booking_note)
        elif prepared.minutes is not None:
            self.query_one("#minutes", Input).value = str(prepared.minutes)
        elif prepared.service_id in self._services:
            self.query_one("#minutes", Input).value = str(
                self._services[prepared.service_id].minutes
            )
        self.query_one("#form-hint", Static).update(plain(prepared.hint))
        if prepared.start is not None:
            self._fill_time(prepared.start)
        # The first field still to fill: the client, else the date.
        if prepared.client is None:
            picker.focus()
        else:
            self.query_one("#date", Input).focus()
        self._run_check()
        self.ready_for_keys()

    def _fill_time(self, start: dt.datetime) -> None:
        date_text, time_text = start.date().isoformat(), clock(start)
        self._suggested = (date_text, time_text)
        self.query_one("#date", Input).value = date_text
        self.query_one("#time", Input).value = time_text

    def _time_is_suggested(self) -> bool:
        """True while the date and time are still the form's own suggestion."""
        typed = (self.query_one("#date", Input).value, self.query_one("#time", Input).value)
        return self.mode == "new" and self._start is None and typed == self._suggested

    def _length_changed(self, minutes: int) -> None:
        """A new length: move a suggested start to where that length fits."""
        self.query_one("#minutes", Input).value = str(minutes)
        if self._time_is_suggested():
            self._resuggest(minutes)

    @work(thread=True, exclusive=True, group="appointment-form-suggest")
    def _resuggest(self, minutes: int) -> None:
        now: dt.datetime = self.app.now()
        try:
            start = suggest_booking_start(
                minutes, now, day=self._day, after=self._after, gap=self._gap
            )
        except PracticeError:
            return
        if start is not None and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._resuggested, start)

    def _resuggested(self, start: dt.datetime) -> None:
        if self._time_is_suggested():
            self._fill_time(start)

    # --- what was typed --------------------------------------------------------

    def _read(self, *, complete: bool) -> tuple[_Request | None, dict[str, str]]:
        """Read the fields; ``complete`` also requires the client and service."""
        errors: dict[str, str] = {}
        now: dt.datetime = self.app.now()
        date_text = self.query_one("#date", Input).value
        time_text = self.query_one("#time", Input).value
        day = start_time = None
        if complete or date_text.strip():
            try:
                day = parse_date(date_text, now.date())
            except ValidationError as error:
                errors["date"] = error.message
        if complete or time_text.strip():
            try:
                start_time = parse_time(time_text)
            except ValidationError as error:
                errors["time"] = error.message
        minutes = self.appointment.minutes if self.appointment else 60
        client_id = service_id = None
        note = ""
        if self.mode != "move":
            minutes_text = self.query_one("#minutes", Input).value.strip()
            if minutes_text or complete:
                try:
                    minutes = int(minutes_text)
                except ValueError:
                    # Never the digits of something else ("14:00" is not 1400 minutes).
                    errors["minutes"] = (
                        f"“{visible(minutes_text)}” is not a length: type minutes, e.g. 60."
                        if minutes_text
                        else "Type the length in minutes, e.g. 60."
                    )
            pickers = self.query(ClientPicker)
            client = pickers.first().client if pickers else None
            client_id = client.id if client else None
            value = self.query_one("#service", Select).value
            service_id = value if isinstance(value, int) else None
            note = self.query_one("#note", Input).value
            if complete and client_id is None:
                errors["client"] = "Pick a client: type part of a name, then enter."
            if complete and service_id is None:
                errors["service"] = "Pick a service."
        if day is None or start_time is None or errors:
            return None, errors
        start = dt.datetime.combine(day, start_time)
        return _Request(client_id, service_id, start, minutes, note), errors

    def _show_errors(self, errors: dict[str, str], *, only: set[str] | None = None) -> None:
        for name in ("client", "service", "date", "time", "minutes", "note"):
            if only is not None and name not in only:
                continue
            matches = self.query(f"#error-{name}")
            if not matches:
                continue
            widget = matches.first(Static)
            message = errors.get(name, "")
            widget.update(plain(message))
            widget.set_class(bool(message), "-shown")

    def _show_form_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(plain(message))

    def _show_alert(self, client: ClientSummary | None) -> None:
        alert = self.query("#client-alert")
        if not alert:
            return
        widget = alert.first(Static)
        if client is not None and client.has_alert:
            widget.update(
                Text("⚠ ", style="bold yellow")
                + plain_line(client.contraindications, 64, style="yellow")
            )
            widget.set_class(True, "-shown")
        else:
            widget.set_class(False, "-shown")

    # --- live checks --------------------------------------------------------------

    @on(Input.Changed, "#date, #time, #minutes")
    def _time_changed(self, event: Input.Changed) -> None:
        self._run_check()

    def _run_check(self) -> None:
        request, errors = self._read(complete=False)
        self._show_errors(errors, only={"date", "time", "minutes"})
        now: dt.datetime = self.app.now()
        date_words = self.query_one("#date-words", Static)
        end_words = self.query_one("#end-words", Static)
        if request is None:
            self._last_check = None
            self.query_one("#slot-check", Static).update("")
            try:
                day = parse_date(self.query_one("#date", Input).value, now.date())
                date_words.update(full_date(day))
            except ValidationError:
                date_words.update("")
            end_words.update("")
            return
        end = request.start + dt.timedelta(minutes=request.minutes)
        date_words.update(full_date(request.start))
        end_words.update(f"until {clock(end)}" if end.date() == request.start.date() else "")
        self._check(request.start, request.minutes)

    @work(thread=True, exclusive=True, group="appointment-form-check")
    def _check(self, start: dt.datetime, minutes: int) -> None:
        exclude = self.appointment.id if self.appointment else None
        try:
            check = check_slot(start, minutes, exclude_id=exclude)
        except ValidationError as error:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._checked_error, error)
            return
        except PracticeError as error:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._show_form_error, error.message)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._checked, check)

    def _checked(self, check: SlotCheck) -> None:
        request, _ = self._read(complete=False)
        if request is None or request.start != check.start:
            return  # typed on since; a newer check is on its way
        self._last_check = check
        now: dt.datetime = self.app.now()
        self.query_one("#slot-check", Static).update(slot_lines(check, now))

    def _checked_error(self, error: ValidationError) -> None:
        self.query_one("#slot-check", Static).update("")
        self._show_errors(
            {FIELD_ROWS.get(error.field or "", "time"): error.message}, only={"time", "minutes"}
        )

    # --- choosing a client and a service --------------------------------------------

    @on(ClientPicker.Picked)
    def _picked(self, event: ClientPicker.Picked) -> None:
        self._show_alert(event.client)
        self._show_errors({}, only={"client"})
        # On to the next field to fill (the service is offered already): typing
        # on in the client box would un-pick the client.
        self.query_one("#date", Input).focus()
        if self.mode == "new" and not self._service_touched:
            self._offer_usual_service(event.client.id)

    @work(thread=True, exclusive=True, group="appointment-form-service")
    def _offer_usual_service(self, client_id: int) -> None:
        try:
            service_id = usual_service(client_id)
        except PracticeError:
            return
        if service_id is not None:
            self.app.call_from_thread(self._set_service, service_id)

    def _set_service(self, service_id: int) -> None:
        if self._service_touched or service_id not in self._services:
            return
        if service_id == self._service_id:
            return
        self._service_id = service_id
        self.query_one("#service", Select).value = service_id
        self._length_changed(self._services[service_id].minutes)

    @on(Select.Changed, "#service")
    def _service_changed(self, event: Select.Changed) -> None:
        value = event.value
        if not isinstance(value, int) or value == self._service_id:
            return
        # A person picked another service: it comes with its own length.
        self._service_touched = True
        self._service_id = value
        self._show_errors({}, only={"service"})
        service = self._services.get(value)
        if service is not None:
            self._length_changed(service.minutes)
        select = event.select
        if isinstance(select, PickSelect) and select.typed_pick:
            select.typed_pick = False  # typed: they may type on to narrow it
        elif select.has_focus:
            # Picked from the open list: on to the next field.
            self.query_one("#date", Input).focus()

    # --- moving through the form ---------------------------------------------------

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id in ("note",) or (self.mode == "move" and event.input.id == "time"):
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)

    # --- saving -----------------------------------------------------------------------

    def action_save(self) -> None:
        if self._saving:
            return
        request, errors = self._read(complete=True)
        self._show_errors(errors)
        self._show_form_error("")
        if request is None:
            first = next(iter(errors), None)
            target = {
                "client": "#client-search",
                "service": "#service",
                "date": "#date",
                "time": "#time",
                "minutes": "#minutes",
            }.get(first or "")
            if target and self.query(target):
                self.query_one(target).focus()
            return
        self._saving = True
        self._save(request, False)

    @work(thread=True, exclusive=True, group="appointment-form-save")
    def _save(self, request: _Request, allow_outside_hours: bool) -> None:
        try:
            result = self._write(request, allow_outside_hours)
        except OutsideHoursError as error:
            self.app.call_from_thread(self._confirm_outside_hours, request, error.message)
        except StaleRecordError as error:
            self._changed_elsewhere(error, request)
        except PracticeError as error:
            self.app.call_from_thread(self._refused, error)
        else:
            self.app.call_from_thread(self._saved, result)

    # --- changed in another window: never a silent overwrite ------------------------

    def _changed_elsewhere(self, error: StaleRecordError, mine: _Request) -> None:
        """(worker) Read the stored appointment, then ask what to do with these edits."""
        assert self.appointment is not None
        try:
            stored = get_appointment(self.appointment.id)
        except PracticeError as failure:
            self.app.call_from_thread(self._refused, failure)
            return
        self.app.call_from_thread(self._ask_stale, error.message, mine, stored)

    def _ask_stale(self, message: str, mine: _Request, stored: AppointmentInfo) -> None:
        self._saving = False
        self._show_form_error(message)
        assert self.appointment is not None
        original = _values_of(self.appointment)
        theirs = _values_of(stored)
        typed = {
            "client": mine.client_id,
            "service": mine.service_id,
            "start": mine.start,
            "minutes": mine.minutes,
            "note": mine.note,
        }
        if self.mode == "move":  # only the time is in the form
            typed = dict(original, start=mine.start)
        labels = {
            "client": "client",
            "service": "service",
            "start": "date and time",
            "minutes": "length",
            "note": "booking note",
        }
        changed = changed_fields(original, theirs, labels)
        if stored.status != self.appointment.status:
            changed.append(f"status ({stored.status.replace('_', ' ')})")

        def answered(answer: str | None) -> None:
            if answer is None:
                return
            if answer == "discard" or theirs["client"] != original["client"]:
                self.dismiss(None)
                self.app.notify(
                    "Your edits were discarded; the appointment is as saved in the other "
                    "window." + (" Its client changed there." if answer != "discard" else ""),
                    severity="warning",
                )
                return
            merged = reapply(original, typed, theirs)
            self.appointment = stored
            self._fill_values(merged)
            self._show_form_error(
                "Reloaded: the stored appointment, with your edits put back on top. "
                "Check it, then save (ctrl+s)."
            )

        self.app.push_screen(StaleRecordDialog(message, changed), answered)

    def _fill_values(self, values: dict[str, object]) -> None:
        start = values["start"]
        assert isinstance(start, dt.datetime)
        self._fill_time(start)
        for minutes in self.query("#minutes").results(Input):
            minutes.value = str(values["minutes"])
        for note in self.query("#note").results(Input):
            note.value = visible(str(values["note"] or ""))
        service = values["service"]
        if isinstance(service, int) and service in self._services and self.query("#service"):
            self._service_id = service
            self.query_one("#service", Select).value = service

    def _write(self, request: _Request, allow_outside_hours: bool) -> AppointmentInfo:
        if self.mode == "move":
            assert self.appointment is not None
            return move_appointment(
                self.appointment.id,
                request.start,
                allow_outside_hours=allow_outside_hours,
                expected_version=self.appointment.version,
            )
        assert request.client_id is not None and request.service_id is not None
        if self.mode == "edit":
            assert self.appointment is not None
            return edit_appointment(
                self.appointment.id,
                client_id=request.client_id,
                service_id=request.service_id,
                start=request.start,
                minutes=request.minutes,
                booking_note=request.note,
                allow_outside_hours=allow_outside_hours,
                expected_version=self.appointment.version,
            )
        return book_appointment(
            request.client_id,
            request.service_id,
            request.start,
            minutes=request.minutes,
            booking_note=request.note,
            allow_outside_hours=allow_outside_hours,
        )

    def _saved(self, result: AppointmentInfo) -> None:
        self._saving = False
        self.dismiss(result)

    def _confirm_outside_hours(self, request: _Request, message: str) -> None:
        reason = message.replace(" Confirm to book it anyway.", "")
        verb = {"new": "Book", "edit": "Save", "move": "Move"}[self.mode]
        end = request.start + dt.timedelta(minutes=request.minutes)

        def answered(yes: bool | None) -> None:
            if yes:
                self._save(request, True)
            else:
                self._saving = False
                self._show_form_error(
                    f"Not saved: {reason} Pick another time, or save again and confirm."
                )

        self.app.push_screen(
            ConfirmDialog(
                f"{verb} outside working hours?",
                f"{reason}\n{slot_long(request.start, end)}",
                yes=f"{verb} anyway",
                no="Go back",
            ),
            answered,
        )

    def _refused(self, error: PracticeError) -> None:
        self._saving = False
        errors = dict(error.errors) if isinstance(error, ValidationError) and error.errors else {}
        if not errors and error.field:
            errors = {error.field: error.message}
        rows = {FIELD_ROWS.get(field, ""): message for field, message in errors.items()}
        shown = {
            row: message for row, message in rows.items() if row and self.query(f"#error-{row}")
        }
        self._show_errors(shown)
        if shown:
            self._show_form_error("Not saved; nothing was changed.")
        else:
            self._show_form_error(f"Not saved: {error.message}")
        if isinstance(error, ConflictError) and "time" in shown:
            self.query_one("#slot-check", Static).update("")
