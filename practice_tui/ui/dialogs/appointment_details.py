"""The details of one appointment: client alerts and contact, service, booking
note, plan, and what was done last time.

It reads its data in a worker when opened. Its keys are the Today screen's
(edit, move, cancel, no-show, done, note, profile, reopen) and only those the
rules allow for this appointment show; pressing one closes the dialog with
that action's name, and the screen carries it out.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from practice_tui.domain.errors import PracticeError
from practice_tui.domain.packages import AppointmentMoney, appointment_money
from practice_tui.domain.today import AppointmentDetails, appointment_details
from practice_tui.domain.types import Status
from practice_tui.domain.words import full_date, span, weekday_date
from practice_tui.ui.base import PracticeModal
from practice_tui.ui.text import plain
from practice_tui.ui.widgets.agenda import STATUS_WORDS
from practice_tui.ui.widgets.footer import KeysFooter

#: The screen action each key closes the dialog with.
ACTIONS = ("edit", "move", "cancel", "no_show", "complete", "note", "profile", "reopen")


def ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _line(label: str, value: str, style: str = "") -> Text:
    text = Text(f"{label}: ", style="dim", end="")
    text.append_text(plain(value, style=style))
    return text


def details_text(details: AppointmentDetails, now: dt.datetime) -> Text:
    """Everything the therapist wants before the client walks in, literal."""
    info = details.appointment
    parts: list[Text] = []
    when = Text(
        f"{full_date(info.start)} · {span(info.start, info.end)} · ",
        end="",
    )
    when.append_text(plain(info.service_name))
    when.append(f" · {info.minutes} min · ")
    when.append(STATUS_WORDS.get(info.status, info.status), style="bold")
    parts.append(when)
    if info.status == Status.CANCELLED.value:
        cancelled = Text("Cancelled", style="bold", end="")
        if info.late_cancel:
            cancelled.append(" (late cancel)", style="bold yellow")
        cancelled.append(": ")
        cancelled.append_text(plain(info.cancel_reason))
        parts.append(cancelled)
    if info.has_alert:
        parts.append(
            Text("⚠ ", style="bold yellow")
            + plain(info.contraindications, style="bold yellow", keep_newlines=True)
        )
    if info.first_visit:
        parts.append(Text("★ First visit: intake and consent to do.", style="bold magenta"))
    elif details.visits_before:
        parts.append(Text(f"{ordinal(details.visits_before + 1)} visit", style="dim"))
    contact = [v for v in (details.phone, details.email) if v.strip()]
    if contact:
        parts.append(_line("Contact", "  ·  ".join(contact)))
    for label, value in (
        ("Complaint", details.complaint),
        ("Conditions", details.conditions),
        ("Medications", details.medications.strip(" ,")),
        ("Allergies", details.allergies),
        ("Pressure", details.pressure_preference),
        ("Referred by", details.referring_provider),
        ("Booking note", info.booking_note),
    ):
        if value.strip():
            parts.append(_line(label, value, "bold yellow" if label == "Allergies" else ""))
    if details.plan_position is not None:
        number, total = details.plan_position
        plan = f"session {number} of {total}" if total else f"session {number}"
        if info.plan_modified:
            plan += " (changed by hand)"
        parts.append(_line("Plan", plan))
    if info.note_owed:
        parts.append(Text("✎ The session note is still owed.", style="bold cyan"))
    last = details.last_session
    parts.append(Text(""))
    if last is None:
        parts.append(Text("No earlier session.", style="dim"))
    else:
        head = Text(
            f"Last session · {weekday_date(last.start)} · ",
            style="bold",
            end="",
        )
        head.append_text(plain(last.service_name, style="bold"))
        parts.append(head)
        if not last.has_note:
            parts.append(Text("  No note written yet.", style="cyan"))
        else:
            if last.pain_before is not None or last.pain_after is not None:
                before = "?" if last.pain_before is None else str(last.pain_before)
                after = "?" if last.pain_after is None else str(last.pain_after)
                parts.append(_line("  Pain", f"{before} → {after} (of 10)"))
            for label, value in (
                ("  Areas", last.areas),
                ("  Techniques", last.techniques),
                ("  Pressure", last.pressure),
                ("  Assessment", last.assessment),
                ("  Plan", last.plan_text),
                ("  Home care", last.home_care),
            ):
                if value.strip():
                    parts.append(_line(label, value))
            if not last.signed:
                parts.append(Text("  (note not signed yet)", style="dim"))
    return Text("\n", end="").join(parts)


class AppointmentDetailsDialog(PracticeModal[str | None]):
    """Read one appointment; a key closes it with the action to take."""

    BINDINGS = [
        Binding("e", "act('edit')", "Edit"),
        Binding("m", "act('move')", "Move"),
        Binding("c", "act('cancel')", "Cancel"),
        Binding("x", "act('no_show')", "No-show"),
        Binding("d", "act('complete')", "Done"),
        Binding("s", "act('note')", "Note"),
        Binding("p", "act('profile')", "Profile"),
        Binding("u", "act('reopen')", "Reopen"),
        Binding("dollar_sign", "act('take_payment')", "Pay", key_display="$"),
        Binding("f", "change_fee", "Fee"),
        Binding("b", "billing_codes", "Codes"),
        Binding("escape", "close", "Close"),
        Binding("enter", "close", "Close", show=False),
    ]

    def __init__(self, appointment_id: int) -> None:
        super().__init__()
        self.appointment_id = appointment_id
        self.details: AppointmentDetails | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Appointment"), classes="dialog-title", id="details-title")
            with VerticalScroll(id="details-body"):
                yield Static(Text("Loading…", style="dim"), id="details-text")
            yield KeysFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        now: dt.datetime = self.app.now()
        try:
            details = appointment_details(self.appointment_id, now=now)
            money = appointment_money(self.appointment_id)
        except PracticeError as error:
            self.app.call_from_thread(self._failed, error.message)
            return
        self.app.call_from_thread(self._show, details, now, money)

    def _failed(self, message: str) -> None:
        self.query_one("#details-text", Static).update(plain(message, style="bold red"))

    def _show(
        self, details: AppointmentDetails, now: dt.datetime, money: AppointmentMoney | None = None
    ) -> None:
        self.details = details
        self.money = money
        info = details.appointment
        title = plain(info.client_name, style="bold")
        if info.has_alert:
            title.append("  ⚠", style="bold yellow")
        if info.first_visit:
            title.append("  ★", style="bold magenta")
        self.query_one("#details-title", Static).update(title)
        body = details_text(details, now)
        if money is not None:
            body = Text("\n", end="").join([_line("Money", money.words()), body])
        self.query_one("#details-text", Static).update(body)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "billing_codes":
            return self.details is not None and self.details.appointment.status == "completed"
        if action == "change_fee":
            return self.details is not None and not self.details.appointment.note_signed
        if action == "act" and parameters[0] == "take_payment":
            return self.details is not None and self.details.appointment.status in (
                "booked",
                "completed",
            )
        if action == "act":
            return self.details is not None and parameters[0] in self.details.actions
        return True

    def action_act(self, action: str) -> None:
        self.dismiss(action)

    def action_change_fee(self) -> None:
        """A sliding-scale fee for this appointment only (prices and other fees stay)."""
        from practice_tui.domain.money import plain_amount
        from practice_tui.domain.payments import set_fee
        from practice_tui.ui.dialogs.money_form import Field, MoneyForm

        money = getattr(self, "money", None)
        if money is None:
            return

        def saved(result: object) -> None:
            if result is not None:
                self.app.notify("Fee changed for this appointment")
                self._load()

        self.app.push_screen(
            MoneyForm(
                "Fee for this appointment",
                [
                    Field(
                        "fee",
                        "Fee",
                        plain_amount(money.fee_cents),
                        "e.g. 85 or 85.50",
                        max_length=20,
                    )
                ],
                lambda values: set_fee(self.appointment_id, values["fee"]),
                message="A sliding-scale fee: this appointment only; prices stay as they are.",
            ),
            saved,
        )

    def action_billing_codes(self) -> None:
        """Minutes per billing code for this session (units follow the 8-minute rule)."""
        self._load_codes()

    @work(thread=True, group="details-codes")
    def _load_codes(self) -> None:
        from practice_tui.domain.billing import session_codes

        try:
            lines = session_codes(self.appointment_id)
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self._edit_codes, lines)

    def _edit_codes(self, lines: tuple) -> None:  # type: ignore[type-arg]
        from practice_tui.domain.billing import set_session_codes
        from practice_tui.ui.dialogs.money_form import Field, MoneyForm

        def words(items: tuple) -> str:  # type: ignore[type-arg]
            return ", ".join(
                f"{x.cpt}{'-' + x.modifier if x.modifier else ''} {x.minutes}" for x in items
            )

        def saved(result: object) -> None:
            if isinstance(result, tuple):
                units = " · ".join(f"{x.cpt} {x.units}u" for x in result)
                self.app.notify(f"Billing codes saved: {units or 'service default'}")

        self.app.push_screen(
            MoneyForm(
                "Minutes per billing code",
                [
                    Field(
                        "codes",
                        "Code minutes",
                        words(lines),
                        "97140-59 33, 97124 22",
                        max_length=200,
                    )
                ],
                lambda values: set_session_codes(self.appointment_id, values["codes"]),
                message="Units follow the CMS 8-minute rule. "
                "Empty: all the session's minutes under the service's first code.",
            ),
            saved,
        )

    def action_close(self) -> None:
        self.dismiss(None)
