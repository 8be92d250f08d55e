"""Taking money from any screen: "take payment" filled with what is owed.

``take_payment(app, appointment_id, done)`` reads what the appointment still
owes in a worker, then opens the form with the amount, the method last used
(cash on a new file), today's date and an empty reference. ``enter`` takes it:
from Today, ``$`` then ``enter`` is a full payment in two keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from practice_tui.domain.errors import PracticeError
from practice_tui.domain.money import format_amount, plain_amount
from practice_tui.domain.payments import (
    METHODS,
    PaymentInfo,
    PaymentSuggestion,
    payment_suggestion,
    record_payment,
)
from practice_tui.ui.dialogs.money_form import Field, MoneyForm
from practice_tui.ui.text import plain


def symbol() -> str:
    from practice_tui.domain.settings import get_practice

    return get_practice().currency_symbol


def payment_fields(amount_cents: int, method: str, today: dt.date) -> list[Field]:
    return [
        Field(
            "amount",
            "Amount",
            plain_amount(amount_cents) if amount_cents else "",
            "e.g. 85 or 85.50",
            max_length=20,
        ),
        Field("method", "Method", method, choices=METHODS),
        Field("date", "Date", today.isoformat(), "e.g. 2026-12-03, today, fri", max_length=30),
        Field("reference", "Reference", "", "optional, e.g. cheque no., card auth", max_length=100),
    ]


def take_payment(
    app: Any, appointment_id: int, done: Callable[[PaymentInfo], None] | None = None
) -> None:
    """Open "take payment" for one appointment (its client, what it owes)."""

    def load() -> None:
        try:
            suggestion = payment_suggestion(appointment_id)
            sign = symbol()
        except PracticeError as error:
            if hasattr(app, "screen_not_coming"):
                app.call_from_thread(app.screen_not_coming)
            app.call_from_thread(app.notify, str(error), severity="error")
            return
        app.call_from_thread(_open, app, suggestion, sign, done)

    # Keys typed while the amount is read wait for the dialog (no key lost).
    if hasattr(app, "expect_screen"):
        app.expect_screen()
    app.run_worker(load, thread=True, group="take-payment", exit_on_error=False)


def _open(
    app: Any,
    suggestion: PaymentSuggestion,
    sign: str,
    done: Callable[[PaymentInfo], None] | None,
) -> None:
    today = app.today()
    message = plain(suggestion.client_name, style="bold")
    message.append_text(plain(f" · {suggestion.description}"))
    message.append(f"\nFee {format_amount(suggestion.fee_cents, sign)}")
    if suggestion.from_package:
        message.append(" · paid from a package", style="green")
    balance = suggestion.balance_cents
    if balance > 0:
        message.append(f" · balance owing {format_amount(balance, sign)}", style="yellow")
    elif balance < 0:
        message.append(f" · credit {format_amount(-balance, sign)}", style="green")

    def save(values: dict[str, str]) -> PaymentInfo:
        return record_payment(
            suggestion.client_id,
            values["amount"],
            values["method"],
            received_on=values["date"],
            today=today,
            reference=values["reference"],
            appointment_ids=(suggestion.appointment_id,),
        )

    def saved(result: PaymentInfo | None) -> None:
        if result is None:
            return
        app.notify(
            f"Paid {format_amount(result.amount_cents, sign)} by {result.method}: "
            f"{suggestion.client_name}"
        )
        if done is not None:
            done(result)

    app.push_screen(
        MoneyForm(
            "Take payment",
            payment_fields(suggestion.amount_cents, suggestion.method, today),
            save,
            message=message,
            ok="Take payment",
        ),
        saved,
    )
