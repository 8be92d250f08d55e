"""A client's audit trail (``h`` on the profile): read-only, newest first.

Each line says when, which record, what happened and which fields changed —
never what was written in them (``domain/audit_verify.py``). Nothing here
can change the trail; ``escape`` closes it.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from practice_tui.domain.audit_verify import AuditEntry, trail
from practice_tui.domain.errors import PracticeError
from practice_tui.ui.base import PracticeModal
from practice_tui.ui.text import plain
from practice_tui.ui.widgets.footer import KeysFooter


def trail_text(entries: tuple[AuditEntry, ...]) -> Text:
    """The rows, newest first, one per line (typed names shown literally)."""
    if not entries:
        return Text("Nothing recorded for this client since the audit trail started.", style="dim")
    out = Text()
    for entry in reversed(entries):
        out.append_text(plain(entry.line))
        out.append("\n")
    out.rstrip()
    return out


class AuditTrailDialog(PracticeModal[None]):
    """Who changed what and when for one client, read-only."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "close", "Close", show=False),
    ]

    def __init__(self, client_id: int, name: str) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_name = name

    def compose(self) -> ComposeResult:
        with Vertical():
            title = Text("Audit trail · ")
            title.append_text(plain(self.client_name))
            yield Static(title, classes="dialog-title", id="trail-title")
            yield Static(
                Text(
                    "Every change, signature, payment and export of this client's records. "
                    "practice-tui audit --verify checks it for tampering.",
                    style="dim",
                ),
                id="trail-hint",
            )
            with VerticalScroll(id="trail-body"):
                yield Static(Text("Loading…", style="dim"), id="trail-text")
            yield KeysFooter(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        try:
            entries = trail(client_id=self.client_id)
        except PracticeError as error:
            self.app.call_from_thread(self._show, Text(error.message, style="bold"))
            return
        self.app.call_from_thread(self._show, trail_text(entries))

    def _show(self, text: Text) -> None:
        self.query_one("#trail-text", Static).update(text)

    def action_close(self) -> None:
        self.dismiss(None)
