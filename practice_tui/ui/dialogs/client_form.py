"""The intake form: new client (``n``) and edit (``e``).

Every rule lives in ``domain.clients``: the form hands over what was typed and
shows each message under the field it concerns, keeping everything typed. A
likely duplicate (same name plus date of birth, phone or email) opens a small
dialog offering the existing client's profile or saving anyway. ``ctrl+s``
saves; ``escape`` closes, asking first when something was changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from practice_tui.domain.clients import LABELS, create_client, get_client, update_client
from practice_tui.domain.errors import (
    DuplicateClientError,
    PracticeError,
    StaleRecordError,
    ValidationError,
)
from practice_tui.domain.types import ClientRecord, ClientSummary
from practice_tui.domain.vocab import PRESSURES
from practice_tui.textutil import visible
from practice_tui.ui.base import PracticeModal
from practice_tui.ui.dialogs.stale_record import StaleRecordDialog, changed_fields, reapply
from practice_tui.ui.widgets.client_picker import client_label
from practice_tui.ui.widgets.footer import KeysFooter
from practice_tui.ui.widgets.text_box import TextBox


@dataclass(frozen=True)
class FieldSpec:
    name: str
    #: "line" (one-line box), "text" (several lines), "date", "pressure" (a choice)
    kind: str = "line"
    placeholder: str = ""


SECTIONS: tuple[tuple[str, tuple[FieldSpec, ...]], ...] = (
    (
        "Who",
        (
            FieldSpec("first_name", placeholder="required"),
            FieldSpec("last_name"),
            FieldSpec("preferred_name", placeholder="what they like to be called"),
            FieldSpec("date_of_birth", "date", "1970-12-03 or 3 dec 1970"),
        ),
    ),
    (
        "Contact",
        (
            FieldSpec("phone", placeholder="e.g. 555-0142"),
            FieldSpec("email", placeholder="e.g. name@example.com"),
            FieldSpec("address"),
            FieldSpec("emergency_name", placeholder="name and relation, e.g. Sam Lee (partner)"),
            FieldSpec("emergency_phone"),
        ),
    ),
    (
        "Health",
        (
            FieldSpec("referring_provider", placeholder="e.g. Dr. A. Patel (physiotherapy)"),
            FieldSpec("complaint", placeholder="what hurts, where, for how long"),
            FieldSpec("goals", placeholder="what they want to be able to do"),
            FieldSpec("conditions", "text"),
            FieldSpec("medications", "text"),
            FieldSpec("allergies", placeholder="e.g. nut oils, latex"),
            FieldSpec(
                "contraindications",
                "text",
                "e.g. Warfarin: light pressure only. Shown as an alert everywhere.",
            ),
            FieldSpec("pressure_preference", "pressure"),
        ),
    ),
    (
        "Records",
        (
            FieldSpec("intake_date", "date", "2026-11-27, today, 3 dec"),
            FieldSpec("consent_date", "date", "date the consent form was signed"),
            FieldSpec("notes", "text"),
        ),
    ),
)
FIELD_NAMES: tuple[str, ...] = tuple(spec.name for _, specs in SECTIONS for spec in specs)


def stored_values(client: ClientRecord | None) -> dict[str, str]:
    """Each field's stored value as text, exactly as stored."""
    values: dict[str, str] = {}
    for name in FIELD_NAMES:
        value = getattr(client, name) if client is not None else None
        if isinstance(value, dt.date):
            values[name] = value.isoformat()
        else:
            values[name] = "" if value is None else str(value)
    return values


def initial_values(client: ClientRecord | None) -> dict[str, str]:
    """The form's starting text for each field: stored control characters show
    as symbols (␛), so they never reach the terminal."""
    return {
        name: visible(value, keep_newlines=True) for name, value in stored_values(client).items()
    }


class DuplicateDialog(PracticeModal[tuple[str, int | None] | None]):
    """ "This looks like a client already on file": open them, or save anyway.

    Returns ``("open", client_id)``, ``("save", None)`` or ``None`` (back to the form).
    """

    BINDINGS = [
        Binding("o", "open_existing", "Open existing"),
        Binding("c", "save_anyway", "Save anyway"),
        Binding("escape", "back", "Back to the form"),
    ]

    def __init__(self, matches: tuple[ClientSummary, ...], *, editing: bool) -> None:
        super().__init__()
        self._matches = matches
        self._editing = editing

    def compose(self) -> ComposeResult:
        many = len(self._matches) > 1
        with Vertical():
            yield Static(
                "These look like clients already on file:"
                if many
                else "This looks like a client already on file:",
                classes="dialog-title",
            )
            yield OptionList(
                *(Option(client_label(match), id=str(match.id)) for match in self._matches),
                id="duplicate-matches",
            )
            yield Static(
                Text(
                    "Same name, plus the same date of birth, phone or email. Open the "
                    "existing record to update it, or save this one as a different person.",
                    style="dim",
                )
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Back (esc)", id="back")
                yield Button("Save anyway (c)" if self._editing else "Create anyway (c)", id="save")
                yield Button("Open existing (o)", id="open", variant="primary")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def action_open_existing(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted or 0
        self.dismiss(("open", self._matches[index].id))

    def action_save_anyway(self) -> None:
        self.dismiss(("save", None))

    def action_back(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open_existing()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"open": self.action_open_existing, "save": self.action_save_anyway}.get(
            event.button.id or "", self.action_back
        )()


class ClientFormDialog(PracticeModal[ClientRecord | None]):
    """Add a client, or edit one (``client`` given). Returns the saved record."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, client: ClientRecord | None = None) -> None:
        super().__init__()
        self._client = client
        self._initial = initial_values(client)
        self._saving = False

    # --- layout ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if self._client is None:
            title = Text("New client", style="bold")
        else:
            title = Text("Edit ", style="bold")
            title.append(visible(self._client.name), style="bold")
        with Vertical(id="form-frame"):
            yield Static(title, id="form-title")
            with VerticalScroll(id="form-body", can_focus=False):
                for heading, specs in SECTIONS:
                    yield Static(heading, classes="form-section")
                    for spec in specs:
                        yield from self._row(spec)
            yield Static(
                Text("ctrl+s saves · escape closes · tab moves to the next field"),
                id="form-status",
                classes="-quiet",
            )
        yield KeysFooter()

    def _row(self, spec: FieldSpec) -> ComposeResult:
        alert = spec.name == "contraindications"
        label = ("⚠ " if alert else "") + LABELS[spec.name]
        with Horizontal(classes="form-row"):
            yield Static(label, classes="form-label" + (" -alert" if alert else ""))
            with Vertical(classes="form-field" + (" -alert" if alert else "")):
                yield self._widget(spec)
                yield Static("", id=f"e-{spec.name}", classes="field-error")

    def _widget(self, spec: FieldSpec) -> Widget:
        value = self._initial[spec.name]
        widget_id = f"f-{spec.name}"
        if spec.kind == "text":
            return TextArea(
                value,
                id=widget_id,
                compact=True,
                soft_wrap=True,
                tab_behavior="focus",
                show_line_numbers=False,
                highlight_cursor_line=False,
                placeholder=spec.placeholder,
            )
        if spec.kind == "pressure":
            options = [(p, p) for p in PRESSURES]
            if value and value not in PRESSURES:
                options.append((value, value))
            return Select(
                options,
                prompt="no preference",
                allow_blank=True,
                value=value if value else Select.NULL,
                id=widget_id,
                compact=True,
            )
        return TextBox(value, placeholder=spec.placeholder, id=widget_id, compact=True)

    def on_mount(self) -> None:
        self.query_one("#f-first_name", Input).focus()

    # --- reading the form --------------------------------------------------------

    def values(self) -> dict[str, str]:
        """What is typed in every field, as text."""
        values: dict[str, str] = {}
        for name in FIELD_NAMES:
            widget = self.query_one(f"#f-{name}")
            if isinstance(widget, TextArea):
                values[name] = widget.text
            elif isinstance(widget, Select):
                values[name] = "" if widget.value is Select.NULL else str(widget.value)
            else:
                assert isinstance(widget, Input)
                values[name] = widget.value
        return values

    @property
    def dirty(self) -> bool:
        return self.values() != self._initial

    # --- messages ------------------------------------------------------------------

    def show_errors(self, errors: dict[str, str]) -> None:
        """A message under each bad field; the first one gets the cursor."""
        for name in FIELD_NAMES:
            box = self.query_one(f"#e-{name}", Static)
            message = errors.get(name, "")
            box.update(Text(visible(message)))
            box.set_class(bool(message), "-shown")
            self.query_one(f"#f-{name}").set_class(bool(message), "-bad")
        bad = [name for name in FIELD_NAMES if name in errors]
        if bad:
            count = len(bad)
            self.set_status(
                f"Check the {count} field{'s' if count > 1 else ''} marked in red; "
                "nothing was saved."
            )
            first = self.query_one(f"#f-{bad[0]}")
            first.focus()
            self.call_after_refresh(first.scroll_visible)

    def set_status(self, message: str, *, quiet: bool = False) -> None:
        status = self.query_one("#form-status", Static)
        status.update(Text(visible(message)))
        status.set_class(quiet, "-quiet")

    def _clear_error(self, widget_id: str | None) -> None:
        if widget_id and widget_id.startswith("f-"):
            box = self.query_one(f"#e-{widget_id[2:]}", Static)
            if box.has_class("-shown"):
                box.update("")
                box.set_class(False, "-shown")
                self.query_one(f"#{widget_id}").set_class(False, "-bad")

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        self._clear_error(event.input.id)

    @on(TextArea.Changed)
    def _area_changed(self, event: TextArea.Changed) -> None:
        self._clear_error(event.text_area.id)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        self._clear_error(event.select.id)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """``enter`` in a one-line box moves on, as in a paper form."""
        event.stop()
        self.focus_next()

    # --- saving --------------------------------------------------------------------

    def action_save(self) -> None:
        self._save(allow_duplicate=False)

    def _save(self, *, allow_duplicate: bool) -> None:
        if self._saving:
            return
        self._saving = True
        self.set_status("Saving…", quiet=True)
        self._write(self._to_save(), allow_duplicate)

    def _to_save(self) -> dict[str, str]:
        """What is typed; a field left as it was shown keeps its stored value
        (stored control characters are shown as symbols, not saved as them)."""
        values = self.values()
        if self._client is None:
            return values
        stored = stored_values(self._client)
        return {
            name: stored[name] if value == self._initial[name] else value
            for name, value in values.items()
        }

    @work(thread=True, exclusive=True, group="client-form")
    def _write(self, values: dict[str, str], allow_duplicate: bool) -> None:
        now: dt.datetime = self.app.now()
        try:
            if self._client is None:
                record = create_client(
                    values, today=now.date(), allow_duplicate=allow_duplicate, now=now
                )
            else:
                record = update_client(
                    self._client.id,
                    values,
                    today=now.date(),
                    allow_duplicate=allow_duplicate,
                    now=now,
                    expected_version=self._client.version,
                )
        except StaleRecordError as error:
            self._changed_elsewhere(error, values)
        except DuplicateClientError as error:
            matches = tuple(m for m in error.conflicts if isinstance(m, ClientSummary))
            self.app.call_from_thread(self._duplicate, matches)
        except ValidationError as error:
            self.app.call_from_thread(self._refused, error.errors or {"": error.message})
        except PracticeError as error:
            self.app.call_from_thread(self._failed, str(error))
        else:
            self.app.call_from_thread(self._done, record)

    def _refused(self, errors: dict[str, str]) -> None:
        self._saving = False
        known = {name: message for name, message in errors.items() if name in FIELD_NAMES}
        self.show_errors(known)
        others = [message for name, message in errors.items() if name not in FIELD_NAMES]
        if others:
            self.set_status(" ".join(others))

    # --- changed in another window: never a silent overwrite ------------------------

    def _changed_elsewhere(self, error: StaleRecordError, mine: dict[str, str]) -> None:
        """(worker) Read the stored record, then ask what to do with these edits."""
        assert self._client is not None
        try:
            stored = get_client(self._client.id)
        except PracticeError as failure:
            self.app.call_from_thread(self._failed, str(failure))
            return
        self.app.call_from_thread(self._ask_stale, error.message, mine, stored)

    def _ask_stale(self, message: str, mine: dict[str, str], stored: ClientRecord) -> None:
        self._saving = False
        self.set_status(message)
        original = self._initial
        theirs = initial_values(stored)
        labels = {name: LABELS[name] for name in FIELD_NAMES}

        def answered(answer: str | None) -> None:
            if answer is None:
                return  # back to the form as it was; saving again asks again
            self._client = stored
            self._initial = theirs
            if answer == "reapply":
                self._fill(reapply(original, mine, theirs))
                self.set_status(
                    "Reloaded: the stored record, with your edits put back on top. "
                    "Check it, then save (ctrl+s)."
                )
            else:
                self._fill(theirs)
                self.set_status("Your edits were discarded: this is the stored record.")

        self.app.push_screen(
            StaleRecordDialog(message, changed_fields(original, theirs, labels)), answered
        )

    def _fill(self, values: dict[str, object]) -> None:
        for name in FIELD_NAMES:
            widget = self.query_one(f"#f-{name}")
            value = str(values.get(name) or "")
            if isinstance(widget, TextArea):
                widget.text = value
            elif isinstance(widget, Select):
                widget.value = value if value else Select.NULL
            else:
                assert isinstance(widget, Input)
                widget.value = value

    def _failed(self, message: str) -> None:
        self._saving = False
        self.set_status(message)

    def _duplicate(self, matches: tuple[ClientSummary, ...]) -> None:
        self._saving = False
        self.set_status("A likely duplicate: nothing was saved yet.")
        self.app.push_screen(
            DuplicateDialog(matches, editing=self._client is not None), self._duplicate_answer
        )

    def _duplicate_answer(self, answer: tuple[str, int | None] | None) -> None:
        if answer is None:
            self.set_status("ctrl+s saves · escape closes", quiet=True)
            return
        choice, client_id = answer
        if choice == "save":
            self._save(allow_duplicate=True)
        elif choice == "open" and client_id is not None:
            self.dismiss(None)
            self.app.call_later(self.app.open_client_profile, client_id)

    def _done(self, record: ClientRecord) -> None:
        self._saving = False
        verb = "Added" if self._client is None else "Saved"
        self.app.notify(f"{verb} {record.name}.")
        self.dismiss(record)

    # --- leaving --------------------------------------------------------------------

    def action_cancel(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return
        from practice_tui.ui.dialogs.common import ConfirmDialog

        self.app.push_screen(
            ConfirmDialog(
                "Discard your changes?",
                "What you typed in this form will be lost.",
                yes="Discard",
                no="Keep editing",
                danger=True,
            ),
            lambda discard: self.dismiss(None) if discard else None,
        )
