"""The preview machinery the four plan dialogs share (new, change, skip, end).

A preview is asked again ``app.preview_delay`` seconds after the last change
(people type in bursts; tests set the delay to zero). Each request carries a
generation number, so an answer that comes back after a newer request is
dropped. ``_busy`` stops a second save while one is running; ``_failed`` ends
the busy state and shows the error in the dialog's error line (``ERROR_ID``),
marking the fields it names.

A dialog that edits a saved plan keeps the plan's ``version`` as read and
saves with it; when another window or program changed the plan since
(``StaleRecordError``), nothing is written and ``_changed_elsewhere`` asks
whether to reload the plan (keeping what was typed, for a new preview) or to
discard the edit.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import work
from textual.timer import Timer
from textual.widgets import Static

from practice_tui.domain.errors import PracticeError, StaleRecordError
from practice_tui.domain.plans import PlanSummary, get_plan
from practice_tui.ui.base import PracticeModal
from practice_tui.ui.dialogs.plan_form import error_text
from practice_tui.ui.dialogs.stale_record import StaleRecordDialog

ResultT = TypeVar("ResultT")


class PlanPreviewDialog(PracticeModal[ResultT]):
    #: The id of the Static that shows what went wrong.
    ERROR_ID = "plan-error"

    def __init__(self) -> None:
        super().__init__()
        self._generation = 0
        self._timer: Timer | None = None
        self._busy = False
        #: The plan's version when read (None: a new plan, nothing to check).
        self.version: int | None = None

    # --- the preview ----------------------------------------------------------

    def schedule_preview(self) -> None:
        """Ask for a new preview once the person has paused."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.app.after_preview_delay(self, self.refresh_preview)

    def refresh_preview(self) -> None:
        """Ask for the preview now (subclasses compute it for ``_next_generation()``)."""

    def _next_generation(self) -> int:
        self._generation += 1
        return self._generation

    def _stale(self, generation: int) -> bool:
        """True when a newer preview was asked for since ``generation``."""
        return generation != self._generation

    # --- errors and the busy state ----------------------------------------------

    #: Field name → the selector of the widgets that show it (a dialog with fields sets it).
    FIELD_WIDGETS: ClassVar[dict[str, str]] = {}

    def _mark_fields(self, fields: set[str]) -> None:
        """Mark the named fields as wrong, and no others. A widget's class is
        changed only when its mark does: each change restyles the widget and
        all it holds, and this runs at every key typed in the form."""
        bad = {
            widget
            for field in fields
            if (selector := self.FIELD_WIDGETS.get(field))
            for widget in self.query(selector)
        }
        for widget in self.query(".-bad"):
            if widget not in bad:
                widget.remove_class("-bad")
        for widget in bad:
            widget.add_class("-bad")

    def _failed(self, error: PracticeError) -> None:
        self._busy = False
        errors = getattr(error, "errors", None) or {}
        self._mark_fields(set(errors) or ({error.field} if error.field else set()))
        self.query_one(f"#{self.ERROR_ID}", Static).update(error_text(error))

    # --- changed in another window: never a silent overwrite ------------------------

    def _changed_elsewhere(self, error: StaleRecordError) -> None:
        self._failed(error)

        def answered(answer: str | None) -> None:
            if answer == "reapply":
                self.reload_plan()
            elif answer == "discard":
                self.dismiss(True)  # type: ignore[arg-type]  # the list reloads

        self.app.push_screen(StaleRecordDialog(error.message), answered)

    def reload_plan(self) -> None:
        """Read the plan again (a new version), keep what was typed, preview again."""

    @work(thread=True, exclusive=True, group="plan-reload")
    def _read_plan_again(self, plan_id: int) -> None:
        """``reload_plan`` for a dialog that holds the plan's summary."""
        try:
            details = get_plan(plan_id, now=self.app.now())
        except PracticeError as error:
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self._plan_read_again, details.summary)

    def _plan_read_again(self, plan: PlanSummary) -> None:
        """The stored plan, read again: saves now check its version."""
        self.version = plan.version
        self._reloaded()

    def _reloaded(self) -> None:
        self.query_one(f"#{self.ERROR_ID}", Static).update(
            "Reloaded: the plan as it is stored now, with what you typed kept. "
            "Check the preview, then save again."
        )
        self.refresh_preview()
