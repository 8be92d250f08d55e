"""The message under a form field (or under a whole form): hidden while there
is nothing to say, literal when there is (``plain``: markup shown as typed,
control characters as symbols). Every form shows its refusals with it, so a
bad value reads the same everywhere and what was typed stays in the field."""

from __future__ import annotations

from textual.widgets import Static

from practice_tui.ui.text import plain


class FieldError(Static):
    def __init__(self, *, id: str | None = None, classes: str = "") -> None:
        super().__init__("", id=id, classes=classes)
        self.display = False

    def show(self, message: str) -> None:
        """Say ``message`` (an empty one hides the line)."""
        self.update(plain(message))
        self.display = bool(message)

    @property
    def message(self) -> str:
        return str(self.render()) if self.display else ""
