"""Small typed modal dialogs shared by every screen: confirm, and ask for text.

Titles and messages given as ``str`` are shown literally, control characters
made visible, so a client's name can be part of them. ``ConfirmDialog``
returns ``True``/``False``; ``PromptDialog`` returns the text or ``None`` when
left with escape. A prompt may be given a ``check`` that
returns an error message: the dialog then stays open, keeps what was typed
and shows the message under the box.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from practice_tui.ui.base import PracticeModal
from practice_tui.ui.text import plain
from practice_tui.ui.widgets.field_error import FieldError
from practice_tui.ui.widgets.text_box import TextBox


class ConfirmDialog(PracticeModal[bool]):
    """Ask yes or no. ``y``/``enter`` confirm, ``n``/``escape`` decline."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "Cancel"),
    ]

    def __init__(
        self,
        title: str,
        message: str | Text = "",
        *,
        yes: str = "Yes",
        no: str = "No",
        danger: bool = False,
    ) -> None:
        super().__init__()
        self._title = title
        self._message = message
        self._yes, self._no = yes, no
        self._danger = danger

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self._title), classes="dialog-title")
            if self._message:
                message = self._message
                yield Static(
                    message if isinstance(message, Text) else plain(message, keep_newlines=True)
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self._no} (n)", id="no")
                yield Button(
                    f"{self._yes} (y)", id="yes", variant="error" if self._danger else "primary"
                )

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class PromptDialog(PracticeModal[str | None]):
    """Ask for one line of text (a cancellation reason, a date to go to)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        *,
        message: str | Text = "",
        value: str = "",
        placeholder: str = "",
        check: Callable[[str], str | None] | None = None,
        max_length: int = 0,
        ok: str = "OK",
        back: str = "Cancel",
    ) -> None:
        super().__init__()
        self._ok, self._back = ok, back
        self._title = title
        self._message = message
        self._value = value
        self._placeholder = placeholder
        self._check = check
        self._max_length = max_length

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self._title), classes="dialog-title")
            if self._message:
                message = self._message
                yield Static(
                    message if isinstance(message, Text) else plain(message, keep_newlines=True)
                )
            yield TextBox(
                value=self._value,
                placeholder=self._placeholder,
                max_length=self._max_length,
                id="prompt-input",
            )
            yield FieldError(classes="dialog-error", id="prompt-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self._back} (esc)", id="cancel")
                yield Button(f"{self._ok} (enter)", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def show_error(self, message: str) -> None:
        """Show a message under the box; what was typed stays."""
        self.query_one("#prompt-error", FieldError).show(message)

    def _submit(self) -> None:
        value = self.query_one(Input).value
        if self._check is not None:
            problem = self._check(value)
            if problem:
                self.show_error(problem)
                return
        self.dismiss(value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
