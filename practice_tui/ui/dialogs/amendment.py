"""Add an amendment to a signed note: what is added or corrected, and why.

The dialog saves through ``add_amendment`` itself, so a refused amendment
(empty text or reason, too long) keeps the dialog open with everything typed
and the message next to the field. It returns the updated note, or ``None``
when left with escape.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea

from practice_tui.domain.errors import PracticeError, ValidationError
from practice_tui.domain.notes import MAX_REASON, NoteInfo, add_amendment
from practice_tui.domain.words import moment_long
from practice_tui.ui.base import PracticeModal
from practice_tui.ui.text import plain
from practice_tui.ui.widgets.field_error import FieldError
from practice_tui.ui.widgets.text_box import TextBox


class AmendmentDialog(PracticeModal[NoteInfo | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Add amendment", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, note: NoteInfo) -> None:
        super().__init__()
        self.note = note

    def compose(self) -> ComposeResult:
        note = self.note
        with Vertical():
            yield Static(
                Text.assemble(
                    ("Amend the signed note · ", "bold"),
                    plain(note.client_name, style="bold"),
                    (f" · {moment_long(note.start)}", "bold"),
                ),
                classes="dialog-title",
            )
            yield Static(
                "Added under the signed note with the date and time; final once added.",
                classes="dialog-hint",
            )
            yield Label("What is added or corrected")
            yield TextArea(id="amend-text")
            yield self._error("text")
            yield Label("Reason")
            yield TextBox(
                id="amend-reason",
                placeholder="e.g. pain after was mis-typed",
                max_length=MAX_REASON + 50,
            )
            yield self._error("reason")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Add amendment (ctrl+s)", id="save", variant="primary")

    @staticmethod
    def _error(name: str) -> FieldError:
        return FieldError(classes="dialog-error", id=f"err-{name}")

    def _show_error(self, name: str, message: str) -> None:
        self.query_one(f"#err-{name}", FieldError).show(message)

    def on_mount(self) -> None:
        self.query_one("#amend-text", TextArea).focus()

    @on(Input.Submitted, "#amend-reason")
    def _reason_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        text = self.query_one("#amend-text", TextArea).text
        reason = self.query_one("#amend-reason", Input).value
        for name in ("text", "reason"):
            self._show_error(name, "")
        self._save(text, reason)

    @work(thread=True, exclusive=True, group="amendment")
    def _save(self, text: str, reason: str) -> None:
        try:
            note = add_amendment(self.note.id or 0, text, reason, now=self.app.now())
        except PracticeError as error:
            self.app.call_from_thread(self._refused, error)
            return
        self.app.call_from_thread(self.dismiss, note)

    def _refused(self, error: PracticeError) -> None:
        errors = error.errors if isinstance(error, ValidationError) else {}
        shown = False
        for name, message in errors.items():
            if name in ("text", "reason"):
                self._show_error(name, message)
                shown = True
        if not shown:
            self._show_error("reason", error.message)
        first = next(iter(errors), "text")
        self.query_one("#amend-text" if first == "text" else "#amend-reason").focus()
