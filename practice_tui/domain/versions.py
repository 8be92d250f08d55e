"""Safe saving: a save from a form whose record changed since it was read is
refused, never a silent overwrite.

Every record a form edits carries ``version`` (bumped by a trigger on each
update, see migration 0006). The form passes the version it read as
``expected_version``; the writing service calls ``check_version`` inside its
write transaction (``BEGIN IMMEDIATE``), so nobody can change the record
between the check and the save.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from practice_tui.domain.errors import StaleRecordError
from practice_tui.domain.words import clock, weekday_day


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return f" (last saved {weekday_day(moment)} at {clock(moment)})"


def check_version(
    kind: str, row: Any, expected: int | None, *, subject: str = "", detail: str = ""
) -> None:
    """Refuse the save when ``row`` (None: not created yet, version 0) is no
    longer at the ``expected`` version; ``None`` means the caller does not check.

    ``subject`` words the record ("the practice settings were"; default "this
    KIND was"), ``detail`` says what happened there, when the caller knows."""
    if expected is None:
        return
    current = 0 if row is None else int(row.version)
    if current == expected:
        return
    changed_at = getattr(row, "updated_at", None) if row is not None else None
    what = "created" if expected == 0 else "changed"
    if row is None:
        what = "deleted"
    subject = subject or f"this {kind} was"
    detail = f" {detail.strip()}" if detail.strip() else ""
    raise StaleRecordError(
        f"Not saved: {subject} {what} in another window or program "
        f"after you opened it{_when(changed_at)}.{detail} Your edits are kept here.",
        changed_at=changed_at,
    )
