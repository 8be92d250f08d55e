"""Make a progress report, or export a client's whole record, from the profile.

The report dialog opens with the range since the last report (or the first
visit) up to today and the folder next to the practice file; it says, as the
dates change, how many signed sessions the report will use and how many
without a signed note it leaves out. The therapist writes the summary and
the recommendation; ``ctrl+s`` makes both files. A refused field keeps
everything typed and shows its message under it. Each dialog returns ``True``
once something was written, ``None`` when left with escape.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, HorizontalGroup, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea
from textual.worker import Worker, WorkerState

from practice_tui.domain.dates import parse_date
from practice_tui.domain.documents.progress import (
    ReportMade,
    make_progress_report,
    range_counts,
    report_defaults,
)
from practice_tui.domain.documents.record import export_record_files
from practice_tui.domain.errors import PracticeError, ValidationError
from practice_tui.domain.words import long_date
from practice_tui.ui.base import PracticeModal
from practice_tui.ui.text import plain
from practice_tui.ui.widgets.text_box import TextBox


def _error(name: str) -> Static:
    error = Static("", classes="dialog-error", id=f"err-{name}")
    error.display = False
    return error


class _FormDialog(PracticeModal[bool | None]):
    """Messages under fields, escape to leave."""

    def show_error(self, name: str, message: str) -> None:
        error = self.query_one(f"#err-{name}", Static)
        error.update(Text(message))
        error.display = bool(message)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ProgressReportDialog(_FormDialog):
    BINDINGS = [
        Binding("ctrl+s", "save", "Make report", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, client_id: int, client_name: str) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_name = client_name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                Text.assemble(("Progress report · ", "bold"), plain(self.client_name, "bold")),
                classes="dialog-title",
            )
            yield Static("", id="report-last", classes="dialog-hint")
            with HorizontalGroup():
                yield Label("From", classes="inline-label")
                yield TextBox(id="report-start", placeholder="e.g. 2026-09-01")
                yield Label("to", classes="inline-label")
                yield TextBox(id="report-end", placeholder="today")
            yield _error("start")
            yield _error("end")
            yield Static(Text("Reading…", style="dim"), id="report-counts")
            yield Label("Summary (required): how the client has progressed, in your words")
            yield TextArea(id="report-summary")
            yield _error("summary")
            yield Label("Recommendation (optional)")
            yield TextArea(id="report-recommendation")
            yield _error("recommendation")
            with HorizontalGroup():
                yield Label("PDF and Markdown go in", classes="inline-label")
                yield TextBox(id="report-folder")
            yield _error("folder")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Make report (ctrl+s)", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#report-summary", TextArea).focus()
        self._defaults()

    @work(thread=True, group="report-defaults")
    def _defaults(self) -> None:
        try:
            defaults = report_defaults(
                self.client_id,
                self.app.db_path,
                self.app.now(),
            )
        except PracticeError as error:
            self.app.call_from_thread(self.show_error, "start", error.message)
            return

        def fill() -> None:
            self.query_one("#report-start", Input).value = defaults.start.isoformat()
            self.query_one("#report-end", Input).value = defaults.end.isoformat()
            self.query_one("#report-folder", Input).value = str(defaults.folder)
            last = (
                f"Follows the last report, which ended {long_date(defaults.last_report)}."
                if defaults.last_report
                else "The first report for this client: from the first visit."
            )
            self.query_one("#report-last", Static).update(Text(last))

        self.app.call_from_thread(fill)

    def _range(self) -> tuple[dt.date, dt.date] | None:
        today = self.app.today()
        dates = []
        for name in ("start", "end"):
            text = self.query_one(f"#report-{name}", Input).value
            try:
                dates.append(parse_date(text or "today", today))
            except ValidationError as error:
                self.show_error(name, error.message)
                return None
            self.show_error(name, "")
        if dates[1] < dates[0]:
            self.show_error("end", "The report ends before it starts.")
            return None
        return dates[0], dates[1]

    @on(Input.Changed, "#report-start, #report-end")
    def _dates_changed(self) -> None:
        dates = self._range()
        if dates is not None:
            self._count(*dates)

    @work(thread=True, exclusive=True, group="report-counts")
    def _count(self, start: dt.date, end: dt.date) -> None:
        try:
            signed, unsigned = range_counts(self.client_id, start, end, self.app.now())
        except PracticeError:
            return
        text = Text(f"{signed} session{'s' if signed != 1 else ''} with a signed note")
        if unsigned:
            text.append(
                f" · {unsigned} without a signed note left out (drafts or notes owed)",
                style="bold yellow",
            )
        else:
            text.append(" · no drafts left out", style="dim")
        self.app.call_from_thread(self.query_one("#report-counts", Static).update, text)

    def action_save(self) -> None:
        for name in ("start", "end", "summary", "recommendation", "folder"):
            self.show_error(name, "")
        dates = self._range()
        if dates is None:
            return
        folder = self.query_one("#report-folder", Input).value.strip()
        if not folder:
            self.show_error("folder", "Say where to save the report.")
            return
        self._make(
            dates,
            self.query_one("#report-summary", TextArea).text,
            self.query_one("#report-recommendation", TextArea).text,
            Path(folder).expanduser(),
        )

    @work(thread=True, exclusive=True, group="report-make")
    def _make(
        self, dates: tuple[dt.date, dt.date], summary: str, recommendation: str, folder: Path
    ) -> ReportMade | None:
        try:
            made = make_progress_report(
                self.client_id,
                dates[0],
                dates[1],
                summary,
                recommendation,
                folder,
                now=self.app.now(),
            )
        except PracticeError as error:
            self.app.call_from_thread(self._refused, error)
            return None
        return made

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Close once the report is made (after the worker ends, so it is never cut short)."""
        made = event.worker.result
        if event.state == WorkerState.SUCCESS and isinstance(made, ReportMade):
            self.app.notify(f"Progress report saved:\n{made.pdf}\n{made.markdown}")
            self.dismiss(True)

    def _refused(self, error: PracticeError) -> None:
        field = error.field if error.field else "summary"
        errors = error.errors if isinstance(error, ValidationError) and error.errors else {}
        for name, message in (errors or {field: error.message}).items():
            self.show_error(
                name
                if name in ("start", "end", "summary", "recommendation", "folder")
                else "summary",
                message,
            )
        target = {
            "summary": "#report-summary",
            "recommendation": "#report-recommendation",
            "folder": "#report-folder",
            "start": "#report-start",
            "end": "#report-end",
        }
        first = next(iter(errors), field)
        self.query_one(target.get(first, "#report-summary")).focus()


class ExportRecordDialog(_FormDialog):
    """The client's whole record as PDF (to read or print) and JSON (to move)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Export", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, client_id: int, client_name: str) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_name = client_name

    def compose(self) -> ComposeResult:
        folder = Path(self.app.db_path).expanduser().resolve().parent / "reports"
        with Vertical():
            yield Static(
                Text.assemble(
                    ("Export the whole record · ", "bold"), plain(self.client_name, "bold")
                ),
                classes="dialog-title",
            )
            yield Static(
                "Profile, health history, every appointment, every signed note with its "
                "amendments, plans, functional goals and reports: a PDF to read or print, "
                "and a JSON file that re-creates the client in another practice file "
                "(practice-tui import client FILE.json).",
                classes="dialog-hint",
            )
            yield Label("Saved in the folder")
            yield TextBox(str(folder), id="export-folder")
            yield _error("folder")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Export PDF and JSON (ctrl+s)", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#export-folder", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        self.show_error("folder", "")
        folder = self.query_one("#export-folder", Input).value.strip()
        if not folder:
            self.show_error("folder", "Say where to save the record.")
            return
        self._export(Path(folder).expanduser())

    @work(thread=True, exclusive=True, group="record-export")
    def _export(self, folder: Path) -> tuple[Path, Path] | None:
        try:
            pdf, json_path = export_record_files(
                self.client_id,
                folder,
                now=self.app.now(),
            )
        except PracticeError as error:
            self.app.call_from_thread(self.show_error, "folder", error.message)
            return None
        return pdf, json_path

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        written = event.worker.result
        if event.state == WorkerState.SUCCESS and isinstance(written, tuple):
            pdf, json_path = written
            self.app.notify(f"Record exported:\n{pdf}\n{json_path}")
            self.dismiss(True)
