"""Go to a date typed as a person would: ``2026-12-03``, ``tomorrow``, ``fri``,
``next tue``, ``dec 3``.

A date that cannot be read keeps the dialog open with the text as typed and
the reason under the box (``PromptDialog(check=...)``), so a slip is fixed
rather than retyped.
"""

from __future__ import annotations

import datetime as dt

from practice_tui.domain.dates import DATE_HELP, parse_date
from practice_tui.domain.errors import ValidationError
from practice_tui.ui.dialogs.common import PromptDialog


def read_date(text: str, today: dt.date) -> tuple[dt.date | None, str | None]:
    """The date typed, or the reason it cannot be read."""
    try:
        return parse_date(text, today), None
    except ValidationError as error:
        return None, error.message


class GoToDateDialog(PromptDialog):
    """Ask for a date; dismisses with the text, which ``read_date`` turns into a date."""

    def __init__(self, today: dt.date) -> None:
        super().__init__(
            "Go to a date",
            message=DATE_HELP,
            placeholder="e.g. 2026-12-03, tomorrow, fri, next tue, dec 3",
            check=lambda text: read_date(text, today)[1],
            max_length=40,
        )
