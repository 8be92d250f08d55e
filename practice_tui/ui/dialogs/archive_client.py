"""The question asked before archiving a client who still has something ahead:
every upcoming booking and active plan listed, then "Cancel them" (the plans
end, the bookings are cancelled), "Keep them" or back. The rule and the
cancelling live in ``domain/archiving.py``."""

from __future__ import annotations

from rich.text import Text

from practice_tui.domain.archiving import ArchiveCheck
from practice_tui.ui.dialogs.settings_form import ChoiceDialog
from practice_tui.ui.text import plain_line

#: Bookings listed one a line before "… and N more".
LISTED = 8


def archive_message(check: ArchiveCheck) -> Text:
    text = Text(end="")
    if check.plans:
        count = len(check.plans)
        text.append(f"Active plan{'s' if count > 1 else ''}:\n", style="bold")
        for plan in check.plans:
            text.append("  ")
            text.append_text(plain_line(plan.words, 60))
            text.append("\n")
    if check.bookings:
        count = len(check.bookings)
        text.append(f"Upcoming booking{'s' if count > 1 else ''} ({count}):\n", style="bold")
        for booking in check.bookings[:LISTED]:
            text.append("  ")
            text.append_text(plain_line(booking.words, 60))
            if booking.plan_id is not None:
                text.append("  plan", style="dim")
            text.append("\n")
        if count > LISTED:
            text.append(f"  … and {count - LISTED} more\n", style="dim")
    text.append(
        "\nCancel them: the plans end today and every upcoming booking is cancelled "
        "(reason “client archived”). Keep them: they stay booked."
    )
    return text


def archive_question(check: ArchiveCheck) -> ChoiceDialog:
    """Answers "cancel", "keep", or None (back)."""
    ahead = "bookings ahead" if check.bookings else "an active plan"
    return ChoiceDialog(
        f"Archive {check.name}? They still have {ahead}",
        archive_message(check),
        [("k", "Keep them", "keep"), ("c", "Cancel them", "cancel")],
    )
