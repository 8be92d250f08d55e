"""The cancellation/no-show fee, charged only after the therapist confirms it.

After a late cancel or a no-show, ``offer_policy_fee`` asks (in a worker)
what the practice's policy asks for; when that is more than nothing, a
confirm names the amount, and only "Charge it" puts it on the balance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text

from practice_tui.domain.errors import PracticeError
from practice_tui.domain.money import format_amount
from practice_tui.domain.policy_fees import charge_policy_fee, policy_fee_due
from practice_tui.domain.types import AppointmentInfo
from practice_tui.ui.dialogs.common import ConfirmDialog
from practice_tui.ui.text import plain


def offer_policy_fee(app: Any, item: AppointmentInfo, after: Callable[[], None]) -> None:
    def load() -> None:
        from practice_tui.domain.settings import get_practice

        try:
            due = policy_fee_due(item.id)
            symbol = get_practice().currency_symbol
        except PracticeError:
            return
        if due > 0:
            app.call_from_thread(ask, due, symbol)

    def ask(due: int, symbol: str) -> None:
        kind = "no-show" if item.status == "no_show" else "late-cancel"
        message = plain(item.client_name, style="bold")
        message.append(
            Text(
                f"\nThe practice's {kind} fee is {format_amount(due, symbol)}. "
                "It goes on the client's balance (it can be waived later)."
            )
        )

        def answered(yes: bool | None) -> None:
            if yes:
                app.run_worker(charge, thread=True, group="policy-fee", exit_on_error=False)

        app.push_screen(
            ConfirmDialog(f"Charge the {kind} fee?", message, yes="Charge it", no="No fee"),
            answered,
        )

    def charge() -> None:
        try:
            charge_policy_fee(item.id, now=app.now())
        except PracticeError as error:
            app.call_from_thread(app.notify, str(error), severity="error")
            return
        app.call_from_thread(app.notify, f"Fee charged to {item.client_name}")
        app.call_from_thread(after)

    app.run_worker(load, thread=True, group="policy-fee", exit_on_error=False)
