"""Small pickers of the note editor.

``PressurePicker`` is one line: ``←``/``→`` step through "not recorded",
light, medium, firm, deep; ``l``/``m``/``f``/``d`` jump straight to one;
``backspace`` clears it. Picking is one key, not open-a-menu-then-choose.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from practice_tui.domain.vocab import PRESSURES

_CHOICES: tuple[str, ...] = ("", *PRESSURES)


class PressurePicker(Widget, can_focus=True):
    """Pick the pressure used (or leave it blank: not recorded)."""

    BINDINGS = [
        Binding("left", "step(-1)", "Lighter", key_display="←"),
        Binding("right", "step(1)", "Firmer", key_display="→"),
        Binding("l", "pick('light')", "Light", show=False),
        Binding("m", "pick('medium')", "Medium", show=False),
        Binding("f", "pick('firm')", "Firm", show=False),
        Binding("d", "pick('deep')", "Deep", show=False),
        Binding("backspace,delete,x", "pick('')", "Clear", show=False),
    ]

    value: reactive[str] = reactive("", init=False)

    class Changed(Message):
        def __init__(self, picker: PressurePicker, value: str) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> PressurePicker:
            return self.picker

    def __init__(self, value: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(PressurePicker.value, value if value in _CHOICES else "")

    def render(self) -> Text:
        text = Text(end="", no_wrap=True)
        for index, choice in enumerate(_CHOICES):
            if index:
                text.append(" ")
            label = choice or "—"
            style = "bold reverse green" if choice == self.value else "dim"
            text.append(label, style=style)
        return text

    def watch_value(self, value: str) -> None:
        self.post_message(self.Changed(self, value))

    def action_step(self, delta: int) -> None:
        index = _CHOICES.index(self.value) if self.value in _CHOICES else 0
        self.value = _CHOICES[max(0, min(len(_CHOICES) - 1, index + delta))]

    def action_pick(self, value: str) -> None:
        self.value = value

    def on_click(self, event: Click) -> None:
        """A click on a word picks it."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        x, position = offset.x, 0
        for choice in _CHOICES:
            width = len(choice or "—")
            if position <= x < position + width:
                self.value = choice
                return
            position += width + 1
