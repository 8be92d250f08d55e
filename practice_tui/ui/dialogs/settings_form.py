"""A typed form for the Practice screen: labelled one-line fields, each with its
message right under it, saved by a domain call in a worker.

``save(values, choice)`` runs off the UI thread. A ``ValidationError`` puts each
message under its field (what was typed stays, nothing is stored). An
``AffectsBookings`` error opens ``ask(error)`` — a dialog that lists the
appointments concerned and returns a choice — and, unless it is left with
escape, saves again with that choice. Whatever ``save`` returns is the result.

A form given the ``version`` of the record it shows calls
``save(values, choice, version)``. When another window or program saved the
record since (``StaleRecordError``), nothing is overwritten: ``reload()`` reads
the stored values and version, and the person chooses to reload with their
edits put back on top, or to discard them (``StaleRecordDialog``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from practice_tui.domain.errors import PracticeError, StaleRecordError, ValidationError
from practice_tui.domain.settings import AffectsBookings
from practice_tui.domain.types import AppointmentInfo
from practice_tui.textutil import visible
from practice_tui.ui.base import PracticeModal
from practice_tui.ui.dialogs.stale_record import StaleRecordDialog, changed_fields, reapply
from practice_tui.ui.text import plain
from practice_tui.ui.widgets.footer import KeysFooter
from practice_tui.ui.widgets.text_box import TextBox


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    value: str = ""
    placeholder: str = ""
    max_length: int = 0
    #: Fields with the same ``row`` sit side by side (hours and break of a day).
    row: str = ""


def bookings_text(title: str, appointments: Sequence[AppointmentInfo], limit: int = 8) -> Text:
    """The appointments a change concerns: date, time, client — one a line."""
    text = Text(title + "\n", end="")
    for item in appointments[:limit]:
        text.append(f"  {item.start:%a %d %b %H:%M}  ")
        text.append_text(plain(item.client_name, style="bold"))
        text.append("\n")
    if len(appointments) > limit:
        text.append(f"  … and {len(appointments) - limit} more\n", style="dim")
    return text


class ChoiceDialog(PracticeModal[str | None]):
    """Ask for one of a few answers, each on a key; ``escape`` is none of them."""

    BINDINGS = [Binding("escape", "choose(None)", "Back")]

    def __init__(
        self, title: str, message: Text | str, choices: Sequence[tuple[str, str, str]]
    ) -> None:
        """``choices``: (key, button label, answer)."""
        super().__init__()
        self._title, self._message, self._choices = title, message, choices
        for key, label, answer in choices:
            self._bindings.bind(key, f"choose('{answer}')", label, show=False)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self._title), classes="dialog-title")
            message = self._message
            yield Static(
                message if isinstance(message, Text) else plain(message, keep_newlines=True)
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Back (esc)", id="choice-back")
                for index, (key, label, answer) in enumerate(self._choices):
                    yield Button(
                        f"{label} ({key})",
                        id=f"choice-{answer}",
                        variant="primary" if index == len(self._choices) - 1 else "default",
                    )

    def on_mount(self) -> None:
        self.query(Button).last().focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        answer = (event.button.id or "").removeprefix("choice-")
        self.dismiss(None if answer == "back" else answer)

    def action_choose(self, answer: str | None) -> None:
        self.dismiss(answer)


class SettingsForm(PracticeModal[object | None]):
    """A form of one-line fields; ``ctrl+s`` saves, ``escape`` leaves without saving."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FormField],
        save: Callable[..., object],
        *,
        note: str | Text = "",
        ask: Callable[[AffectsBookings], PracticeModal[str | None]] | None = None,
        form_id: str = "",
        version: int | None = None,
        reload: Callable[[], tuple[dict[str, str], int]] | None = None,
    ) -> None:
        super().__init__(id=form_id or None)
        self._title = title
        self._fields = list(fields)
        self._save = save
        self._note = note
        self._ask = ask
        #: The record's version when its values were read (None: not checked).
        self.version = version
        self._reload = reload
        self._original = {f.key: f.value for f in self._fields}

    def compose(self) -> ComposeResult:
        with Vertical(classes="settings-form"):
            yield Static(plain(self._title), classes="dialog-title")
            if self._note:
                note = self._note
                yield Static(
                    note if isinstance(note, Text) else plain(note, keep_newlines=True),
                    classes="form-note",
                )
            with VerticalScroll(classes="form-fields", can_focus=False):
                rows: dict[str, list[FormField]] = {}
                for field in self._fields:
                    rows.setdefault(field.row or field.key, []).append(field)
                for fields in rows.values():
                    with Horizontal(classes="form-row"):
                        for index, field in enumerate(fields):
                            yield Label(
                                field.label, classes="form-label" + (" -second" if index else "")
                            )
                            yield TextBox(
                                value=visible(field.value),  # control shown as symbols
                                placeholder=field.placeholder,
                                max_length=field.max_length,
                                compact=True,
                                id=f"field-{field.key}",
                            )
                    for field in fields:
                        yield Static("", classes="form-error", id=f"error-{field.key}")
            yield Static("", classes="form-error", id="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (esc)", id="form-cancel")
                yield Button("Save (ctrl+s)", id="form-save", variant="primary")
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def values(self) -> dict[str, str]:
        return {f.key: self.query_one(f"#field-{f.key}", Input).value for f in self._fields}

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.action_save()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "form-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        self._run(self.values(), None)

    def show_errors(self, errors: dict[str, str], general: str = "") -> None:
        keys = {f.key for f in self._fields}
        for field in self._fields:
            self.query_one(f"#error-{field.key}", Static).update(plain(errors.get(field.key, "")))
            self.query_one(f"#error-{field.key}", Static).set_class(field.key in errors, "-shown")
        rest = [m for k, m in errors.items() if k not in keys]
        if general:
            rest.insert(0, general)
        self.query_one("#form-error", Static).update(plain(" ".join(rest)))
        for field in self._fields:
            if field.key in errors:
                self.query_one(f"#field-{field.key}", Input).focus()
                break

    @work(thread=True, exclusive=True, group="settings-save")
    def _run(self, values: dict[str, str], choice: str | None) -> None:
        try:
            if self.version is None:
                result = self._save(values, choice)
            else:
                result = self._save(values, choice, self.version)
        except StaleRecordError as error:
            stored: tuple[dict[str, str], int] | None = None
            if self._reload is not None:
                try:
                    stored = self._reload()
                except PracticeError:
                    stored = None
            self.app.call_from_thread(self._stale, values, error, stored)
            return
        except ValidationError as error:
            errors = error.errors or {}
            self.app.call_from_thread(self.show_errors, errors, "" if errors else error.message)
            return
        except AffectsBookings as error:
            if self._ask is None:
                self.app.call_from_thread(self.show_errors, {}, error.message)
                return
            self.app.call_from_thread(self._confirm, values, error)
            return
        except PracticeError as error:
            self.app.call_from_thread(self.show_errors, {}, error.message)
            return
        self.app.call_from_thread(self.dismiss, result)

    def _confirm(self, values: dict[str, str], error: AffectsBookings) -> None:
        assert self._ask is not None

        def answered(choice: str | None) -> None:
            if choice is not None:
                self._run(values, choice)

        self.app.push_screen(self._ask(error), answered)

    # --- changed in another window: never a silent overwrite ------------------------

    def _stale(
        self,
        mine: dict[str, str],
        error: StaleRecordError,
        stored: tuple[dict[str, str], int] | None,
    ) -> None:
        self.show_errors({}, error.message)
        if stored is None:
            return
        theirs, version = stored
        original = self._original
        labels = {f.key: f.label for f in self._fields}

        def answered(answer: str | None) -> None:
            if answer is None:
                return  # back to the form as it was; saving again asks again
            self.version = version
            self._original = dict(theirs)
            if answer == "reapply":
                merged = reapply(original, dict(mine), dict(theirs))
                self._fill({key: str(value) for key, value in merged.items()})
                self.show_errors(
                    {},
                    "Reloaded: the stored settings, with your edits put back on top. "
                    "Check them, then save (ctrl+s).",
                )
            else:
                self._fill(theirs)
                self.show_errors({}, "Your edits were discarded: these are the stored settings.")

        changed = changed_fields(dict(original), dict(theirs), labels)
        self.app.push_screen(StaleRecordDialog(error.message, changed), answered)

    def _fill(self, values: dict[str, str]) -> None:
        for field in self._fields:
            if field.key in values:
                self.query_one(f"#field-{field.key}", Input).value = visible(values[field.key])
