"""Ask before leaving a note with changes that are not saved.

Three answers, because "discard" must never be what a stray key does:
``s`` saves a draft and leaves, ``d`` leaves without saving, ``escape`` (or
``k``) goes back to the note. Returns ``"save"``, ``"discard"`` or ``None``.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from practice_tui.ui.base import PracticeModal


class UnsavedNoteDialog(PracticeModal[str | None]):
    BINDINGS = [
        Binding("s", "answer('save')", "Save draft"),
        Binding("d", "answer('discard')", "Discard"),
        Binding("escape,k", "answer(None)", "Keep editing"),
    ]

    def __init__(self, leaving_to: str = "leave the note") -> None:
        super().__init__()
        self._leaving_to = leaving_to

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("This note has changes that are not saved", classes="dialog-title")
            yield Static(f"Save them as a draft before you {self._leaving_to}?")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep editing (esc)", id="keep")
                yield Button("Discard (d)", id="discard", variant="error")
                yield Button("Save draft (s)", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "keep" else event.button.id)

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)
