"""6 Practice: the practice's own settings, in five sections.

Sections (``↑``/``↓`` on the left, ``enter``/``tab`` into a section,
``escape`` back): Practice (details, currency, time zone) · Hours · Time off
· Services · Policies. ``e`` edits the section (or the selected service), ``n``
adds time off or a service, ``r`` retires a service or brings it back,
``delete`` removes time off or an unused service. Every form shows its
messages under the field; the rules are in ``domain/settings.py`` and
``domain/availability.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import ContentSwitcher, DataTable, OptionList, Static
from textual.widgets.option_list import Option

from practice_tui.domain.availability import (
    UNAVAILABLE,
    add_time_off,
    delete_time_off,
    read_time_off_form,
    upcoming_time_off,
)
from practice_tui.domain.errors import PracticeError
from practice_tui.domain.money import format_amount, plain_amount
from practice_tui.domain.settings import (
    DETAIL_FIELDS,
    POLICY_LIMITS,
    WEEKDAYS,
    AffectsBookings,
    delete_service,
    get_practice,
    list_services,
    read_week,
    save_service_form,
    set_service_active,
    set_week,
    update_practice,
)
from practice_tui.domain.types import PracticeInfo, ServiceInfo, TimeOffInfo
from practice_tui.ui.base import PracticeScreen
from practice_tui.ui.dialogs.common import ConfirmDialog
from practice_tui.ui.dialogs.settings_form import (
    ChoiceDialog,
    FormField,
    SettingsForm,
    bookings_text,
)
from practice_tui.ui.text import plain, plain_line
from practice_tui.ui.widgets.footer import KeysFooter

SECTIONS = (
    ("details", "Practice"),
    ("hours", "Hours"),
    ("time-off", "Time off"),
    ("services", "Services"),
    ("policies", "Policies"),
)

DETAIL_PLACEHOLDERS = {
    "credentials": "e.g. RMT, LMT",
    "npi": "10 digits (optional)",
    "tax_id": "optional",
    "address": "street, town, postcode",
    "currency_code": "e.g. USD, EUR, CAD",
    "currency_symbol": "e.g. $, €, £",
    "timezone": "e.g. Europe/London",
}

POLICY_WORDS = {
    "buffer_minutes": "min between sessions",
    "late_cancel_hours": "h before the start",
    "plan_horizon_weeks": "weeks booked ahead (open-ended plans)",
    "default_minutes": "min for a new booking",
    "curtain_minutes": "idle min before the screen hides (0: only ctrl+o)",
}


@dataclass(frozen=True)
class PracticeData:
    practice: PracticeInfo
    services: tuple[ServiceInfo, ...]
    time_off: tuple[TimeOffInfo, ...]


def label_words(label: str) -> str:
    """ "The NPI" → "NPI", "The time zone" → "Time zone"."""
    label = label.removeprefix("The ")
    return label[:1].upper() + label[1:]


def hours_words(info: PracticeInfo, weekday: int) -> tuple[str, str]:
    day = info.hours_on(weekday)
    if day is None:
        return "off", ""
    brk = ""
    if day.break_start and day.break_end:
        brk = f"{day.break_start:%H:%M}–{day.break_end:%H:%M}"
    return f"{day.start:%H:%M}–{day.end:%H:%M}", brk


def detail_values(info: PracticeInfo) -> dict[str, str]:
    """The details form's fields as read from ``info``."""
    return {key: PracticeSettingsScreen._detail(info, key) for key in DETAIL_FIELDS}


def hours_values(info: PracticeInfo) -> dict[str, str]:
    """The hours form's fields as read from ``info``."""
    values: dict[str, str] = {}
    for weekday in range(7):
        hours, brk = hours_words(info, weekday)
        values[f"hours-{weekday}"] = "" if hours == "off" else hours
        values[f"break-{weekday}"] = brk
    return values


def policy_values(info: PracticeInfo, fee_words: str) -> dict[str, str]:
    """The policies form's fields as read from ``info`` and the fee policy."""
    values = {key: str(getattr(info, key)) for key in POLICY_LIMITS}
    values["policy_fee"] = fee_words or "none"
    return values


def _stored_settings(values_of):  # type: ignore[no-untyped-def]
    """(worker) A form's ``reload``: the stored settings' values and version."""

    def reload() -> tuple[dict[str, str], int]:
        info = get_practice()
        return values_of(info), info.version

    return reload


def _stored_policies() -> tuple[dict[str, str], int]:
    from practice_tui.domain.policy_fees import fee_policy, fee_policy_words

    info = get_practice()
    return policy_values(info, fee_policy_words(fee_policy())), info.version


class PracticeSettingsScreen(PracticeScreen):
    """The practice's details, hours, time off, services and policies."""

    BINDINGS = [
        Binding("e", "edit", "Edit"),
        Binding("n", "add", "Add"),
        Binding("r", "retire", "Retire/bring back"),
        Binding("delete", "delete", "Delete", key_display="del"),
        Binding("escape", "sections", "Sections", show=False),
    ]

    section: reactive[str] = reactive("details", init=False, bindings=True)

    def __init__(self) -> None:
        super().__init__()
        self.data: PracticeData | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("Practice", style="bold"), id="practice-title")
        with Horizontal(id="practice-body"):
            yield OptionList(
                *[Option(label, id=key) for key, label in SECTIONS], id="practice-sections"
            )
            with ContentSwitcher(initial="details", id="practice-panels"):
                for key, _ in SECTIONS:
                    table: DataTable[Text] = DataTable(
                        id=key, cursor_type="row", zebra_stripes=False
                    )
                    yield table
        yield Static("", id="practice-hint")
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._columns()
        self.query_one(OptionList).focus()
        self.query_one(OptionList).highlighted = 0
        self.reload()

    def on_screen_resume(self) -> None:
        if self.back_in_view():
            self.reload()

    def _columns(self) -> None:
        heads = {
            "details": ("", ""),
            "hours": ("Day", "Hours", "Break"),
            "time-off": ("When", "Label"),
            "services": ("Service", "Length", "Price", "Codes", ""),
            "policies": ("Policy", "Value"),
        }
        for key, columns in heads.items():
            table = self.query_one(f"#{key}", DataTable)
            table.show_header = key not in ("details",)
            for column in columns:
                table.add_column(column)

    # --- loading ---------------------------------------------------------------------

    def _today(self) -> dt.date:
        return self.app.today()

    def _now(self) -> dt.datetime:
        return self.app.now()

    def reload(self) -> None:
        self._load(self._today())

    @work(thread=True, exclusive=True, group="practice-load")
    def _load(self, today: dt.date) -> None:
        try:
            data = PracticeData(
                get_practice(), list_services(include_inactive=True), upcoming_time_off(today)
            )
            from practice_tui.domain.policy_fees import fee_policy, fee_policy_words

            self._fee_words = fee_policy_words(fee_policy())
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self._show, data)

    def _show(self, data: PracticeData) -> None:
        self.data = data
        info = data.practice
        self.app.settings_changed(info.timezone, info.late_cancel_hours, info.curtain_minutes)
        title = Text("Practice", style="bold", end="")
        title.append(" · ")
        title.append_text(plain(info.name))
        self.query_one("#practice-title", Static).update(title)
        self._fill(
            "details",
            [
                (
                    f"detail-{key}",
                    (
                        Text(label_words(label), style="dim"),
                        plain_line(self._detail(info, key) or "—", 50),
                    ),
                )
                for key, (label, _) in DETAIL_FIELDS.items()
            ],
        )
        self._fill(
            "hours",
            [
                (f"day-{weekday}", (Text(name), *(Text(w) for w in hours_words(info, weekday))))
                for weekday, name in enumerate(WEEKDAYS)
            ],
        )
        self._fill(
            "time-off",
            [(f"off-{b.id}", (Text(b.when), plain(b.label))) for b in data.time_off]
            or [
                (
                    "off-none",
                    (
                        Text("No time off ahead — n adds a day, days or hours off", style="dim"),
                        Text(""),
                    ),
                )
            ],
        )
        rows = []
        for service in data.services:
            style = "" if service.active else "dim"
            state = "retired" if not service.active else ""
            rows.append(
                (
                    f"service-{service.id}",
                    (
                        plain(service.name, style=style),
                        Text(f"{service.minutes} min", style=style),
                        Text(format_amount(service.price_cents, info.currency_symbol), style=style),
                        Text(service.cpt_codes, style=style),
                        Text(state, style="italic dim"),
                    ),
                )
            )
        self._fill("services", rows)
        self._fill(
            "policies",
            [
                (
                    f"policy-{key}",
                    (
                        Text(label_words(label)),
                        Text(f"{getattr(info, key)} {POLICY_WORDS[key]}"),
                    ),
                )
                for key, (label, *_rest) in POLICY_LIMITS.items()
            ]
            + [
                (
                    "policy-fee",
                    (
                        Text("Late-cancel / no-show fee"),
                        Text(getattr(self, "_fee_words", "") or "none"),
                    ),
                )
            ],
        )
        self._hint()
        self.refresh_bindings()

    @staticmethod
    def _detail(info: PracticeInfo, key: str) -> str:
        value = str(getattr(info, key))
        return ", ".join(line.strip() for line in value.splitlines() if line.strip())

    def _fill(self, key: str, rows: list[tuple[str, tuple[Text, ...]]]) -> None:
        table = self.query_one(f"#{key}", DataTable)
        row = table.cursor_row
        table.clear()
        for row_key, cells in rows:
            table.add_row(*cells, key=row_key)
        if rows:
            table.move_cursor(row=min(row, len(rows) - 1))

    def _hint(self) -> None:
        hints = {
            "details": "e edit the practice and therapist details, currency and time zone",
            "hours": "e edit the week's hours (blank = day off)",
            "time-off": "n add time off · del remove the selected one",
            "services": "n add · e edit · r retire/bring back · del delete (never used only)",
            "policies": "e edit the policies",
        }
        self.query_one("#practice-hint", Static).update(Text(hints[self.section], style="dim"))

    # --- sections ----------------------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#practice-sections")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.section = event.option.id

    @on(OptionList.OptionSelected, "#practice-sections")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one(f"#{self.section}", DataTable).focus()

    def watch_section(self, section: str) -> None:
        self.query_one(ContentSwitcher).current = section
        if self.data is not None:
            self._hint()

    def action_sections(self) -> None:
        self.query_one(OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add":
            return self.section in ("time-off", "services")
        if action == "edit":
            return self.section != "time-off"
        if action == "retire":
            return self.section == "services"
        if action == "delete":
            return self.section in ("time-off", "services")
        return True

    def _selected_key(self) -> str | None:
        table = self.query_one(f"#{self.section}", DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _service(self) -> ServiceInfo | None:
        key = self._selected_key()
        if self.data is None or key is None or not key.startswith("service-"):
            return None
        wanted = int(key.removeprefix("service-"))
        return next((s for s in self.data.services if s.id == wanted), None)

    def _after(self, message: str) -> object:
        def done(result: object) -> None:
            if result is not None:
                self.app.notify(message if isinstance(message, str) else str(result))
                self.reload()

        return done

    # --- actions ---------------------------------------------------------------------

    def action_edit(self) -> None:
        if self.data is None:
            return
        if self.section == "details":
            self._edit_details()
        elif self.section == "hours":
            self._edit_hours()
        elif self.section == "services":
            service = self._service()
            if service is not None:
                self._service_form(service)
        elif self.section == "policies":
            self._edit_policies()

    def action_add(self) -> None:
        if self.section == "services":
            self._service_form(None)
        elif self.section == "time-off":
            self._time_off_form()

    def _edit_details(self) -> None:
        assert self.data is not None
        info = self.data.practice
        fields = [
            FormField(
                key,
                label_words(label),
                self._detail(info, key),
                DETAIL_PLACEHOLDERS.get(key, ""),
                limit,
            )
            for key, (label, limit) in DETAIL_FIELDS.items()
        ]
        note = Text(
            "Changing the time zone keeps every appointment at its wall-clock time "
            "(a 10:00 session stays at 10:00); the app's clock follows the new zone.",
            style="yellow",
        )

        def save(values: dict[str, str], choice: str | None, version: int) -> object:
            return update_practice(expected_version=version, **values)

        self.app.push_screen(
            SettingsForm(
                "Practice and therapist",
                fields,
                save,
                note=note,
                form_id="details-form",
                version=info.version,
                reload=_stored_settings(detail_values),
            ),
            self._after("Practice details saved"),  # type: ignore[arg-type]
        )

    def _edit_hours(self) -> None:
        assert self.data is not None
        info = self.data.practice
        fields = []
        for weekday, name in enumerate(WEEKDAYS):
            hours, brk = hours_words(info, weekday)
            fields.append(
                FormField(
                    f"hours-{weekday}",
                    name,
                    "" if hours == "off" else hours,
                    "off",
                    20,
                    row=str(weekday),
                )
            )
            fields.append(FormField(f"break-{weekday}", "break", brk, "none", 20, row=str(weekday)))
        now = self._now()

        def save(values: dict[str, str], choice: str | None, version: int) -> object:
            week = read_week([(values[f"hours-{d}"], values[f"break-{d}"]) for d in range(7)])
            return set_week(week, now=now, confirm=choice == "save", expected_version=version)

        def ask(error: AffectsBookings) -> ChoiceDialog:
            message = bookings_text(
                "These booked appointments would fall outside the new hours. They stay "
                "booked as they are (nothing is moved or cancelled):",
                error.conflicts,
            )
            return ChoiceDialog("Save the new hours?", message, [("y", "Save the hours", "save")])

        self.app.push_screen(
            SettingsForm(
                "Working hours",
                fields,
                save,
                note="Hours as 10:00-18:00, a break as 14:00-14:30; blank hours = a day off.",
                ask=ask,
                form_id="hours-form",
                version=info.version,
                reload=_stored_settings(hours_values),
            ),
            self._after("Working hours saved"),  # type: ignore[arg-type]
        )

    def _time_off_form(self) -> None:
        today, now = self._today(), self._now()
        fields = [
            FormField("first_day", "First day", "", "e.g. 2026-12-07, mon, dec 7", 40),
            FormField("last_day", "Last day", "", "blank = one day", 40),
            FormField("hours", "Hours", "", "blank = whole days, e.g. 14:00-16:00", 20),
            FormField("label", "Label", "", "e.g. Holiday, Course, Sick", 100),
        ]

        def save(values: dict[str, str], choice: str | None) -> object:
            first, last, start, end, label = read_time_off_form(values, today)
            return add_time_off(
                first,
                last,
                start,
                end,
                label,
                now=now,
                cancel_booked=choice == "cancel",
                keep_booked=choice == "keep",
            )

        def ask(error: AffectsBookings) -> ChoiceDialog:
            message = bookings_text(
                f"Booked in this time off — cancel them with the reason “{UNAVAILABLE}”, "
                "or keep them booked?",
                error.conflicts,
            )
            return ChoiceDialog(
                "Appointments in this time off",
                message,
                [("k", "Keep them", "keep"), ("c", "Cancel them", "cancel")],
            )

        def done(result: object) -> None:
            if isinstance(result, tuple):
                block, cancelled = result
                words = f"Time off added: {block.label}, {block.when}"
                if cancelled:
                    words += f"; {len(cancelled)} appointment(s) cancelled ({UNAVAILABLE})"
                self.app.notify(words)
                self.reload()

        self.app.push_screen(
            SettingsForm("Add time off", fields, save, ask=ask, form_id="time-off-form"), done
        )

    def _service_form(self, service: ServiceInfo | None) -> None:
        fields = [
            FormField("name", "Name", service.name if service else "", "e.g. Hot stone 75", 100),
            FormField(
                "minutes", "Length (minutes)", str(service.minutes) if service else "60", "", 3
            ),
            FormField(
                "price",
                "Price",
                plain_amount(service.price_cents) if service else "",
                "e.g. 85.00",
                15,
            ),
            FormField(
                "cpt_codes",
                "Billing codes",
                service.cpt_codes if service else "",
                "optional, e.g. 97124, 97140-59",
                200,
            ),
        ]
        service_id = service.id if service else None
        note = "A new price applies to new bookings only; booked appointments keep their fee."

        def save(values: dict[str, str], choice: str | None) -> object:
            return save_service_form(service_id, values)

        self.app.push_screen(
            SettingsForm(
                "Edit service" if service else "New service",
                fields,
                save,
                note=note if service else "",
                form_id="service-form",
            ),
            self._after("Service saved"),  # type: ignore[arg-type]
        )

    def _edit_policies(self) -> None:
        assert self.data is not None
        info = self.data.practice
        fields = [
            FormField(
                key,
                f"{label_words(label)} ({unit})",
                str(getattr(info, key)),
                f"{low}–{high}",
                4,
            )
            for key, (label, low, high, unit) in POLICY_LIMITS.items()
        ] + [
            FormField(
                "policy_fee",
                "Late-cancel / no-show fee",
                getattr(self, "_fee_words", "") or "none",
                "e.g. none, 40 (fixed) or 50% (of the fee)",
                12,
            )
        ]

        def save(values: dict[str, str], choice: str | None, version: int) -> object:
            from practice_tui.domain.policy_fees import save_policies

            values = dict(values)
            fee = values.pop("policy_fee", "none")
            return save_policies(values, fee, expected_version=version)

        self.app.push_screen(
            SettingsForm(
                "Policies",
                fields,
                save,
                form_id="policies-form",
                version=info.version,
                reload=_stored_policies,
            ),
            self._after("Policies saved"),  # type: ignore[arg-type]
        )

    def action_retire(self) -> None:
        service = self._service()
        if service is None:
            return
        self._write(
            lambda: set_service_active(service.id, not service.active),
            f"{'Brought back' if not service.active else 'Retired'}: {service.name}",
        )

    def action_delete(self) -> None:
        key = self._selected_key()
        if key is None or self.data is None:
            return
        if self.section == "time-off" and key.startswith("off-") and key != "off-none":
            block = next(b for b in self.data.time_off if f"off-{b.id}" == key)
            question = ConfirmDialog(
                "Remove this time off?",
                f"{block.when} · {block.label}\nAppointments it cancelled stay cancelled.",
                yes="Remove",
                no="Keep",
            )
            self.app.push_screen(
                question,
                lambda yes: (
                    yes
                    and self._write(  # type: ignore[func-returns-value]
                        lambda: delete_time_off(block.id), "Time off removed"
                    )
                ),
            )
        elif self.section == "services":
            service = self._service()
            if service is None:
                return
            if service.in_use:
                self.app.notify(
                    f"{service.name} has appointments or plans; it is kept for their "
                    "history. Press r to retire it instead.",
                    severity="warning",
                )
                return
            self.app.push_screen(
                ConfirmDialog(
                    f"Delete {service.name}?", "It was never used.", yes="Delete", danger=True
                ),
                lambda yes: (
                    yes
                    and self._write(  # type: ignore[func-returns-value]
                        lambda: delete_service(service.id), f"Deleted: {service.name}"
                    )
                ),
            )

    @work(thread=True, group="practice-write")
    def _write(self, call, message: str) -> None:  # type: ignore[no-untyped-def]
        try:
            call()
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.app.notify, message)
        self.app.call_from_thread(self.reload)
