"""How a plan repeats: weekly on chosen weekdays every N weeks, monthly on the
Nth weekday, monthly on a day of the month, or an RRULE typed by hand.

Only shows and collects choices; the form turns them into a rule through the
domain (``plans.read_plan_form``) and shows any message it gets back. Until a
person touches the weekdays, they follow the first date ("first date Thu 3
Dec" ticks Thursday, "first Thu of the month").
"""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Label, Select

from practice_tui.domain.recurrence import SHORT_DAYS, Repeat

KIND_OPTIONS: list[tuple[str, str]] = [
    ("Weekly", "weekly"),
    ("Monthly, a weekday", "monthly_weekday"),
    ("Monthly, a day", "monthly_day"),
    ("Typed rule (RRULE)", "rule"),
]
NTH_OPTIONS: list[tuple[str, int]] = [
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("last", -1),
]
WEEKDAY_OPTIONS: list[tuple[str, int]] = [
    (name, index)
    for index, name in enumerate(
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    )
]


class DayToggle(Checkbox):
    """A weekday to tick: shows ✓ when on, so it reads without colour too."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802
        return "✓" if self.value else " "


def nth_of_month(day: dt.date) -> int:
    """1 for the first Thursday of a month … 5 for a fifth; -1 is never guessed."""
    return (day.day - 1) // 7 + 1


class RepeatFields(Vertical):
    """The repeat choices of the plan forms, two compact lines."""

    class Changed(Message):
        """Any choice changed."""

        def __init__(self, fields: RepeatFields) -> None:
            super().__init__()
            self.fields = fields

        @property
        def control(self) -> RepeatFields:
            return self.fields

    def __init__(self, repeat: Repeat | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial = repeat or Repeat()
        self._touched = repeat is not None

    def compose(self) -> ComposeResult:
        r = self._initial
        with Horizontal():
            yield Label("Repeat", classes="form-label")
            yield Select(
                KIND_OPTIONS, value=r.kind, allow_blank=False, compact=True, id="repeat-kind"
            )
            with Horizontal(id="group-weekly", classes="group"):
                yield Label("every", classes="word")
                yield Input(
                    str(r.interval if r.kind == "weekly" else 1),
                    compact=True,
                    restrict=r"\d{0,2}",
                    id="repeat-weeks",
                    classes="number",
                )
                yield Label("week(s) on:", classes="word")
            with Horizontal(id="group-monthly_weekday", classes="group"):
                yield Label("the", classes="word")
                yield Select(
                    NTH_OPTIONS, value=r.nth, allow_blank=False, compact=True, id="repeat-nth"
                )
                yield Select(
                    WEEKDAY_OPTIONS,
                    value=r.weekday,
                    allow_blank=False,
                    compact=True,
                    id="repeat-weekday",
                )
                yield Label("every", classes="word")
                yield Input(
                    str(r.interval if r.kind == "monthly_weekday" else 1),
                    compact=True,
                    restrict=r"\d{0,2}",
                    id="repeat-months-weekday",
                    classes="number",
                )
                yield Label("month(s)", classes="word")
            with Horizontal(id="group-monthly_day", classes="group"):
                yield Label("on day", classes="word")
                yield Input(
                    "last" if r.day == -1 else str(r.day),
                    compact=True,
                    placeholder="15",
                    max_length=4,
                    id="repeat-day",
                )
                yield Label("every", classes="word")
                yield Input(
                    str(r.interval if r.kind == "monthly_day" else 1),
                    compact=True,
                    restrict=r"\d{0,2}",
                    id="repeat-months-day",
                    classes="number",
                )
                yield Label("month(s)", classes="word")
            with Horizontal(id="group-rule", classes="group"):
                yield Input(
                    r.text,
                    compact=True,
                    placeholder="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
                    max_length=200,
                    id="repeat-rule",
                )
        with Horizontal(id="weekdays-row"):
            yield Label("", classes="form-label")
            for index, name in enumerate(SHORT_DAYS):
                yield DayToggle(
                    name,
                    value=index in r.weekdays,
                    compact=True,
                    id=f"repeat-day-{index}",
                )

    def on_mount(self) -> None:
        self._show_kind(self._initial.kind)

    def _show_kind(self, kind: str) -> None:
        for _, name in KIND_OPTIONS:
            self.set_class(name == kind, f"-{name}")

    @property
    def kind(self) -> str:
        value = self.query_one("#repeat-kind", Select).value
        return str(value) if value is not Select.NULL else "weekly"

    def values(self) -> dict[str, object]:
        """The choices as the domain's forms take them (text where typed)."""
        kind = self.kind
        interval = {
            "weekly": "#repeat-weeks",
            "monthly_weekday": "#repeat-months-weekday",
            "monthly_day": "#repeat-months-day",
        }.get(kind)
        nth = self.query_one("#repeat-nth", Select).value
        weekday = self.query_one("#repeat-weekday", Select).value
        return {
            "kind": kind,
            "weekdays": tuple(
                index
                for index in range(7)
                if self.query_one(f"#repeat-day-{index}", Checkbox).value
            ),
            "interval": self.query_one(interval, Input).value if interval else "1",
            "nth": int(nth) if nth is not Select.NULL else 1,  # type: ignore[arg-type]
            "weekday": int(weekday) if weekday is not Select.NULL else 0,  # type: ignore[arg-type]
            "day": self.query_one("#repeat-day", Input).value,
            "rule_text": self.query_one("#repeat-rule", Input).value,
        }

    def follow_first_date(self, day: dt.date) -> None:
        """Until the person picks weekdays themselves, follow the first date."""
        if self._touched:
            return
        with self.prevent(Checkbox.Changed, Select.Changed, Input.Changed):
            for index in range(7):
                self.query_one(f"#repeat-day-{index}", Checkbox).value = index == day.weekday()
            self.query_one("#repeat-weekday", Select).value = day.weekday()
            self.query_one("#repeat-nth", Select).value = nth_of_month(day)
            self.query_one("#repeat-day", Input).value = str(day.day)

    @on(Select.Changed)
    @on(Input.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Select.Changed | Input.Changed | Checkbox.Changed) -> None:
        event.stop()
        name = event.control.id or ""
        # Only a person's own change (the field has focus) stops the following;
        # fields also report their first value when they appear.
        chosen = name.startswith("repeat-day") or name in ("repeat-nth", "repeat-weekday")
        if chosen and event.control.has_focus_within:
            self._touched = True
        if name == "repeat-kind":
            self._show_kind(self.kind)
        self.post_message(self.Changed(self))
