"""Asked when a save is refused because the record changed elsewhere.

Another window or program saved the same client, appointment or note after
this form read it. Nothing is overwritten; the person chooses: ``r`` reloads
the stored record and puts their own edits back on top (to review, then save
again), ``d`` discards their edits and shows the stored record, ``escape``
(or ``k``) goes back to the form as it was. Returns ``"reapply"``,
``"discard"`` or ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from practice_tui.ui.base import PracticeModal
from practice_tui.ui.text import plain


class StaleRecordDialog(PracticeModal[str | None]):
    BINDINGS = [
        Binding("r", "answer('reapply')", "Reload and re-apply"),
        Binding("d", "answer('discard')", "Discard my edits"),
        Binding("escape,k", "answer(None)", "Keep editing"),
    ]

    def __init__(self, message: str, changed: Sequence[str] = ()) -> None:
        super().__init__()
        self._message = message
        self._changed = tuple(changed)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Changed in another window", classes="dialog-title")
            yield Static(plain(self._message))
            if self._changed:
                yield Static(
                    Text.assemble("Changed there: ", plain(", ".join(self._changed)), "."),
                    id="stale-changed",
                )
            yield Static(
                "Reload to see the stored record with your edits put back on top, "
                "then check and save again; or discard your edits."
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep editing (esc)", id="keep")
                yield Button("Discard my edits (d)", id="discard", variant="error")
                yield Button("Reload and re-apply my edits (r)", id="reapply", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#reapply", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "keep" else event.button.id)

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)


def changed_fields(
    original: dict[str, object], stored: dict[str, object], labels: dict[str, str]
) -> list[str]:
    """The labels of the fields another window changed (stored ≠ what was read)."""
    return [labels.get(name, name) for name in original if original[name] != stored.get(name)]


def reapply(
    original: dict[str, object], mine: dict[str, object], stored: dict[str, object]
) -> dict[str, object]:
    """The stored values with the fields the person changed put back on top."""
    merged = dict(stored)
    for name, value in mine.items():
        if original.get(name) != value:
            merged[name] = value
    return merged
