"""One small form dialog for every money entry: take a payment, refund, void,
sell a package, change a fee, insurance codes, receipts.

Each field is a one-line box (or a choice); ``enter`` in any box or
``ctrl+s`` saves, ``escape`` closes. Saving runs the given domain call in a
worker; a ``ValidationError`` puts each message next to its field, keeps what
was typed, and nothing is stored. The dialog returns what the call returned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Select, Static

from practice_tui.domain.errors import PracticeError, ValidationError
from practice_tui.textutil import visible
from practice_tui.ui.base import PracticeModal
from practice_tui.ui.text import plain
from practice_tui.ui.widgets.field_error import FieldError
from practice_tui.ui.widgets.text_box import TextBox


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    value: str = ""
    placeholder: str = ""
    #: A fixed list of choices (shown as a Select) instead of a text box.
    choices: tuple[str, ...] = ()
    max_length: int = 200


class MoneyForm(PracticeModal[Any]):
    """A titled form; ``save(values)`` runs in a worker and its result is returned."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        save: Callable[[dict[str, str]], Any],
        *,
        message: str | Text = "",
        ok: str = "Save",
        wide_labels: bool = False,
        focus: str | None = None,
    ) -> None:
        super().__init__(classes="-wide-labels" if wide_labels else None)
        self._title = title
        self._fields = tuple(fields)
        self._save = save
        self._message = message
        self._ok = ok
        #: The field the cursor starts in (None: the first).
        self._focus = focus
        self._saving = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self._title), classes="dialog-title")
            if self._message:
                message = self._message
                yield Static(
                    message if isinstance(message, Text) else plain(message, keep_newlines=True),
                    classes="money-form-message",
                )
            with VerticalScroll(classes="money-form-fields", can_focus=False):
                yield from self._field_rows()
            yield FieldError(classes="money-form-error", id="error-form")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close (esc)", id="close")
                yield Button(f"{self._ok} (enter)", id="save", variant="primary")

    def _field_rows(self) -> ComposeResult:
        for field in self._fields:
            with Horizontal(classes="money-form-row"):
                yield Static(plain(field.label), classes="money-form-label")
                if field.choices:
                    yield Select(
                        [(choice, choice) for choice in field.choices],
                        value=field.value if field.value in field.choices else field.choices[0],
                        allow_blank=False,
                        compact=True,
                        id=f"field-{field.name}",
                    )
                else:
                    yield TextBox(
                        value=visible(field.value),  # stored text: control shown as symbols
                        placeholder=field.placeholder,
                        max_length=field.max_length,
                        compact=True,
                        id=f"field-{field.name}",
                    )
            yield FieldError(classes="money-form-error", id=f"error-{field.name}")

    def on_mount(self) -> None:
        first = self.query_one(f"#field-{self._focus or self._fields[0].name}")
        first.focus()
        if isinstance(first, Input):
            first.select_all()

    def values(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for field in self._fields:
            widget = self.query_one(f"#field-{field.name}")
            if isinstance(widget, Select):
                found[field.name] = str(widget.value)
            else:
                found[field.name] = widget.value  # type: ignore[attr-defined]
        return found

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        if self._saving:
            return
        self._saving = True
        for error in self.query(FieldError):
            error.show("")
        self._run(self.values())

    @work(thread=True, group="money-form")
    def _run(self, values: dict[str, str]) -> None:
        try:
            result = self._save(values)
        except ValidationError as error:
            self.app.call_from_thread(self._show_errors, error)
            return
        except PracticeError as error:
            self.app.call_from_thread(self._show_errors, error)
            return
        self.app.call_from_thread(self.dismiss, result)

    def _show_errors(self, error: PracticeError) -> None:
        self._saving = False
        errors = getattr(error, "errors", {}) or {}
        names = {field.name for field in self._fields}
        shown = False
        for name, message in errors.items():
            if name in names:
                self.query_one(f"#error-{name}", FieldError).show(message)
                shown = True
        if not shown:
            self.query_one("#error-form", FieldError).show(str(error))
        first = next((n for n in errors if n in names), None)
        if first:
            self.query_one(f"#field-{first}").focus()
