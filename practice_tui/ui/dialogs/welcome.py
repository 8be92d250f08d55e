"""The first-run welcome: three short steps on a brand-new practice file.

1. The practice's name, the therapist's name and the time zone (pre-filled
   from the computer). 2. The working days and hours (``tue-sat``,
   ``10:00-18:00``, break ``14:00-14:30``). 3. Keep the usual services, or
   start with one of your own. Each step can be skipped (``ctrl+k``) and
   ``escape`` skips the rest; either way the file is marked set up, so the
   welcome never comes back. Everything is changeable later on the Practice
   screen (``6``).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from practice_tui.domain.errors import PracticeError, ValidationError
from practice_tui.domain.money import parse_amount
from practice_tui.domain.settings import (
    DEFAULT_SERVICES,
    check_details,
    finish_setup,
    read_day,
    read_weekdays,
    system_timezone,
)
from practice_tui.domain.types import WorkingDay
from practice_tui.ui.base import PracticeModal
from practice_tui.ui.text import plain
from practice_tui.ui.widgets.footer import KeysFooter
from practice_tui.ui.widgets.text_box import TextBox

STEPS = 3


class WelcomeDialog(PracticeModal[None]):
    """Three skippable steps that make a new file the therapist's own."""

    BINDINGS = [
        Binding("ctrl+s", "next", "Next", priority=True),
        Binding("ctrl+k", "skip_step", "Skip step", priority=True),
        Binding("escape", "skip_all", "Skip the rest"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.step = 1
        self.answers: dict[str, object] = {}

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome"):
            yield Static("", classes="dialog-title", id="welcome-title")
            yield Static("", classes="form-note", id="welcome-note")
            for step, rows in self._steps().items():
                with Vertical(id=f"welcome-step-{step}", classes="welcome-step"):
                    for key, label, value, placeholder in rows:
                        with Horizontal(classes="form-row"):
                            yield Label(label, classes="form-label")
                            yield TextBox(
                                value=value,
                                placeholder=placeholder,
                                compact=True,
                                max_length=200,
                                id=f"welcome-{key}",
                            )
            yield Static("", id="welcome-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Skip step (ctrl+k)", id="welcome-skip")
                yield Button("Next (enter)", id="welcome-next", variant="primary")
        yield KeysFooter(compact=True, show_command_palette=False)

    @staticmethod
    def _steps() -> dict[int, list[tuple[str, str, str, str]]]:
        usual = ", ".join(name for name, _, _ in DEFAULT_SERVICES)
        return {
            1: [
                ("name", "Practice name", "", "e.g. Calm Hands Massage Therapy"),
                ("therapist_name", "Your name", "", "e.g. Ana Ruiz"),
                ("timezone", "Time zone", system_timezone(), "e.g. Europe/London"),
            ],
            2: [
                ("days", "Working days", "mon-fri", "e.g. mon-fri, tue-sat, mon, wed, fri"),
                ("hours", "Hours", "09:00-17:00", "e.g. 10:00-18:00"),
                ("break", "Break", "12:30-13:30", "blank = no break"),
            ],
            3: [
                ("keep", "Keep usual services", "yes", f"yes or no ({usual})"),
                ("service_name", "Or your own", "", "if no: e.g. Medical massage 60"),
                ("service_minutes", "Its length (min)", "60", "e.g. 60"),
                ("service_price", "Its price", "", "e.g. 85.00"),
            ],
        }

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        titles = {
            1: "Welcome to practice-tui — your practice",
            2: "Your working week",
            3: "Your services",
        }
        notes = {
            1: "Three short steps; skip any of them. All of it can be changed later "
            "on the Practice screen (6).",
            2: "The days and hours you see clients; booking outside them asks to confirm.",
            3: "The usual seven: Initial assessment 90, Medical massage 60/90, Deep tissue "
            "60, Sports massage 60, Lymphatic drainage 60, Follow-up 30. Type no to "
            "start with one of your own instead.",
        }
        self.query_one("#welcome-title", Static).update(
            Text(f"{titles[self.step]}  ·  step {self.step} of {STEPS}", style="bold")
        )
        self.query_one("#welcome-note", Static).update(Text(notes[self.step]))
        for step in range(1, STEPS + 1):
            self.query_one(f"#welcome-step-{step}").display = step == self.step
        self.query_one("#welcome-error", Static).update("")
        self.query_one(f"#welcome-step-{self.step}").query(Input).first().focus()

    def _value(self, key: str) -> str:
        return self.query_one(f"#welcome-{key}", Input).value

    def _error(self, message: str, key: str | None = None) -> None:
        self.query_one("#welcome-error", Static).update(plain(message, style="bold red"))
        if key is not None:
            self.query(f"#welcome-{key}").first().focus()

    def _read_step(self) -> bool:
        """Keep this step's answers; False (with a message) when something is wrong."""
        try:
            if self.step == 1:
                values = {
                    key: self._value(key)
                    for key in ("name", "therapist_name", "timezone")
                    if self._value(key).strip()
                }
                self.answers.update(check_details(values))
            elif self.step == 2:
                days = read_weekdays(self._value("days"))
                template = read_day(0, self._value("hours"), self._value("break"))
                if template is None:
                    raise ValidationError("Type your hours, e.g. 10:00-18:00.", field="hours")
                week: list[WorkingDay | None] = [None] * 7
                for weekday in days:
                    week[weekday] = WorkingDay(
                        weekday,
                        template.start,
                        template.end,
                        template.break_start,
                        template.break_end,
                    )
                self.answers["week"] = week
            else:
                keep = self._value("keep").strip().lower()
                if keep in ("", "y", "yes"):
                    self.answers["keep_services"] = True
                elif keep in ("n", "no"):
                    name = self._value("service_name").strip() or "Medical massage 60"
                    minutes_text = self._value("service_minutes").strip()
                    if not minutes_text.isdigit() or not 5 <= int(minutes_text) <= 480:
                        raise ValidationError(
                            "The length is 5 to 480 minutes.", field="service_minutes"
                        )
                    price = parse_amount(
                        self._value("service_price") or "0",
                        field="service_price",
                        label="The price",
                    )
                    self.answers["keep_services"] = False
                    self.answers["first_service"] = (name, int(minutes_text), price)
                else:
                    raise ValidationError("Type yes or no.", field="keep")
        except ValidationError as error:
            field = error.field
            if field and field.startswith(("hours-", "break-")):
                field = field.split("-")[0]
            self._error(error.message, field if field else None)
            return False
        return True

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query_one(f"#welcome-step-{self.step}").query(Input))
        index = inputs.index(event.input)
        keeping = event.input.id == "welcome-keep" and event.value.strip().lower() in (
            "",
            "y",
            "yes",
        )
        if index + 1 < len(inputs) and not keeping:
            inputs[index + 1].focus()
        else:
            self.action_next()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "welcome-next":
            self.action_next()
        else:
            self.action_skip_step()

    def action_next(self) -> None:
        if self._read_step():
            self._advance()

    def action_skip_step(self) -> None:
        self._advance()

    def action_skip_all(self) -> None:
        self._finish()

    def _advance(self) -> None:
        if self.step < STEPS:
            self.step += 1
            self._show()
        else:
            self._finish()

    @work(thread=True, exclusive=True, group="welcome")
    def _finish(self) -> None:
        answers = dict(self.answers)
        try:
            info = finish_setup(
                name=answers.get("name"),  # type: ignore[arg-type]
                therapist_name=answers.get("therapist_name"),  # type: ignore[arg-type]
                timezone=answers.get("timezone"),  # type: ignore[arg-type]
                week=answers.get("week"),  # type: ignore[arg-type]
                keep_services=bool(answers.get("keep_services", True)),
                first_service=answers.get("first_service"),  # type: ignore[arg-type]
            )
        except PracticeError as error:
            self.app.call_from_thread(self._error, str(error))
            return

        def done() -> None:
            self.app.settings_changed(info.timezone, info.late_cancel_hours)
            self.dismiss(None)
            self.app.notify(f"{info.name} is set up. Change anything on the Practice screen (6).")
            for screen in self.app.screen_stack:
                if hasattr(screen, "reload"):
                    screen.reload()

        self.app.call_from_thread(done)
