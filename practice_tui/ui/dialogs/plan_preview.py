"""The preview machinery the four plan dialogs share (new, change, skip, end).

A preview is asked again ``app.preview_delay`` seconds after the last change
(people type in bursts; tests set the delay to zero). Each request carries a
generation number, so an answer that comes back after a newer request is
dropped. ``_busy`` stops a second save while one is running; ``_failed`` ends
the busy state and shows the error in the dialog's error line (``ERROR_ID``),
marking the fields it names.
"""

from __future__ import annotations

from typing import TypeVar

from textual.timer import Timer
from textual.widgets import Static

from practice_tui.domain.errors import PracticeError
from practice_tui.ui.base import PracticeModal
from practice_tui.ui.dialogs.plan_form import error_text

ResultT = TypeVar("ResultT")


class PlanPreviewDialog(PracticeModal[ResultT]):
    #: The id of the Static that shows what went wrong.
    ERROR_ID = "plan-error"

    def __init__(self) -> None:
        super().__init__()
        self._generation = 0
        self._timer: Timer | None = None
        self._busy = False

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

    def _mark_fields(self, fields: set[str]) -> None:
        """Mark the named fields as wrong (a dialog with fields overrides this)."""

    def _failed(self, error: PracticeError) -> None:
        self._busy = False
        errors = getattr(error, "errors", None) or {}
        self._mark_fields(set(errors) or ({error.field} if error.field else set()))
        self.query_one(f"#{self.ERROR_ID}", Static).update(error_text(error))
