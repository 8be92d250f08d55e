"""How a plan repeats: weekly on chosen weekdays every N weeks, monthly on the
Nth weekday, monthly on a day of the month, or an RRULE typed by hand.

Only shows and collects choices; the form turns them into a rule through the
domain (``plans.read_plan_form``) and shows any message it gets back. Until a
person touches the weekdays, they follow the first date ("first date Thu 3
Dec" ticks Thursday, "first Thu of the month").
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Label, Select

from practice_tui.domain.recurrence import SHORT_DAYS, Repeat
from practice_tui.ui.widgets.text_box import TextBox

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


class WeekdayToggles(Widget, can_focus=True):
    """The seven weekdays as one field: ``←``/``→`` move, ``space`` ticks or
    unticks. ``tab`` passes all seven in one step. A ticked day shows ``[✓]``,
    an unticked one ``[ ]``, so it reads without colour too."""

    BINDINGS = [
        Binding("left", "move(-1)", "Previous day", show=False),
        Binding("right", "move(1)", "Next day", show=False),
        Binding("space", "toggle", "Tick day", show=False),
        Binding("x", "toggle", "Tick day", show=False),
    ]

    CELL = 8

    class Changed(Message):
        """The ticked days changed (by a person, or by following the first date)."""

        def __init__(self, toggles: WeekdayToggles) -> None:
            super().__init__()
            self.toggles = toggles

        @property
        def control(self) -> WeekdayToggles:
            return self.toggles

    cursor: reactive[int] = reactive(0)

    def __init__(self, days: tuple[int, ...] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._days = set(days)
        if days:
            self.cursor = min(days)

    @property
    def value(self) -> tuple[int, ...]:
        return tuple(sorted(self._days))

    def set_days(self, days: tuple[int, ...]) -> None:
        """Tick exactly ``days`` (no message: the caller knows)."""
        self._days = set(days)
        if days:
            self.cursor = min(days)
        self.refresh()

    def render(self) -> Text:
        text = Text(end="", no_wrap=True)
        for index, name in enumerate(SHORT_DAYS):
            cell = f"[{'✓' if index in self._days else ' '}] {name}".ljust(self.CELL)
            style = "bold" if index in self._days else ""
            if self.has_focus and index == self.cursor:
                style += " reverse"
            text.append(cell, style=style.strip())
        return text

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.CELL * 7

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % 7

    def action_toggle(self) -> None:
        self._days ^= {self.cursor}
        self.refresh()
        self.post_message(self.Changed(self))

    def on_click(self, event: events.Click) -> None:
        index = event.x // self.CELL
        if 0 <= index < 7:
            self.cursor = index
            self.action_toggle()


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
                yield TextBox(
                    str(r.interval if r.kind == "weekly" else 1),
                    compact=True,
                    max_length=4,
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
                yield TextBox(
                    str(r.interval if r.kind == "monthly_weekday" else 1),
                    compact=True,
                    max_length=4,
                    id="repeat-months-weekday",
                    classes="number",
                )
                yield Label("month(s)", classes="word")
            with Horizontal(id="group-monthly_day", classes="group"):
                yield Label("on day", classes="word")
                yield TextBox(
                    "last" if r.day == -1 else str(r.day),
                    compact=True,
                    placeholder="e.g. 15",
                    max_length=4,
                    id="repeat-day",
                )
                yield Label("every", classes="word")
                yield TextBox(
                    str(r.interval if r.kind == "monthly_day" else 1),
                    compact=True,
                    max_length=4,
                    id="repeat-months-day",
                    classes="number",
                )
                yield Label("month(s)", classes="word")
            with Horizontal(id="group-rule", classes="group"):
                yield TextBox(
                    r.text,
                    compact=True,
                    placeholder="e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
                    max_length=200,
                    id="repeat-rule",
                )
        with Horizontal(id="weekdays-row"):
            yield Label("", classes="form-label")
            yield WeekdayToggles(tuple(r.weekdays), id="repeat-weekdays")

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
            "weekdays": self.query_one(WeekdayToggles).value,
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
        with self.prevent(Select.Changed, Input.Changed):
            self.query_one(WeekdayToggles).set_days((day.weekday(),))
            self.query_one("#repeat-weekday", Select).value = day.weekday()
            self.query_one("#repeat-nth", Select).value = nth_of_month(day)
            self.query_one("#repeat-day", Input).value = str(day.day)

    @on(Select.Changed)
    @on(Input.Changed)
    @on(WeekdayToggles.Changed)
    def _changed(self, event: Select.Changed | Input.Changed | WeekdayToggles.Changed) -> None:
        event.stop()
        name = event.control.id or ""
        # Only a person's own change (the field has focus) stops the following;
        # fields also report their first value when they appear.
        chosen = name in ("repeat-day", "repeat-weekdays", "repeat-nth", "repeat-weekday")
        if chosen and event.control.has_focus_within:
            self._touched = True
        if name == "repeat-kind":
            self._show_kind(self.kind)
        self.post_message(self.Changed(self))
