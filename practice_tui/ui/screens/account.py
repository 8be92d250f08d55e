"""A client's account: balance, packages, every charge and payment, receipts.

Opened with ``t`` from a client's profile or from the Money screen. Keys:
``$`` take a payment (filled with the balance owing) · ``f`` refund · ``v``
void the selected payment · ``w`` waive the selected cancellation fee ·
``p`` print: ``r`` receipt PDF for the selected payment (``ctrl+r`` a
corrected one that replaces the last receipt), ``y`` this year's statement,
``b`` this year's superbill PDF (each also a key here) · ``k`` sell a
package · ``i`` insurance codes ·
``%`` standing discount and fixed prices per service. Receipts and
superbills are written, as PDF and plain text, to a ``receipts`` folder next
to the practice file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from practice_tui.domain.billing import InsuranceInfo, client_insurance, set_client_insurance
from practice_tui.domain.errors import PracticeError
from practice_tui.domain.files import replace_private
from practice_tui.domain.money import format_amount, plain_amount
from practice_tui.domain.packages import PackageInfo, client_packages, sell_package
from practice_tui.domain.payments import (
    METHODS,
    Account,
    account,
    last_method,
    record_payment,
    record_refund,
    void_payment,
)
from practice_tui.domain.policy_fees import waive_policy_fee
from practice_tui.domain.pricing import (
    ClientPricing,
    client_pricing,
    price_field,
    save_client_pricing,
)
from practice_tui.domain.receipts import (
    issue_payment_receipt,
    issue_statement,
    receipt_filename,
    receipt_for_payment,
    receipt_pdf,
    receipt_text,
)
from practice_tui.domain.settings import get_practice, list_services
from practice_tui.domain.superbill import superbill, superbill_csv, superbill_pdf
from practice_tui.domain.types import ServiceInfo
from practice_tui.domain.words import day_month_year
from practice_tui.ui.base import PracticeScreen
from practice_tui.ui.dialogs.money_form import Field, MoneyForm
from practice_tui.ui.dialogs.payment import payment_fields
from practice_tui.ui.dialogs.settings_form import ChoiceDialog
from practice_tui.ui.text import plain
from practice_tui.ui.widgets.footer import KeysFooter


def receipts_folder(app: object) -> Path:
    return Path(app.db_path).parent / "receipts"  # type: ignore[attr-defined]


class AccountScreen(PracticeScreen):
    BINDINGS = [
        Binding("dollar_sign", "pay", "Pay", key_display="$"),
        Binding("f", "refund", "Refund"),
        Binding("v", "void", "Void"),
        Binding("w", "waive", "Waive fee"),
        Binding("p", "print", "Print"),
        Binding("k", "package", "Package"),
        Binding("i", "insurance", "Codes"),
        Binding("percent_sign", "discount", "Prices", key_display="%"),
        Binding("escape", "app.pop_screen", "Back"),
        # Also offered by p (Print), which names them; kept as direct keys.
        Binding("r", "receipt", "Receipt", show=False),
        Binding("y", "statement", "Year statement", show=False),
        Binding("b", "superbill", "Superbill", show=False),
        Binding("ctrl+r", "receipt(True)", "Corrected receipt", show=False),
    ]

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id
        self.info: Account | None = None
        self.symbol = "$"
        #: What each row is: ("payment", id) or ("fee", id) or ("charge", 0).
        self._rows: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="account-title")
        yield Static("", id="account-packages")
        yield DataTable(id="account-ledger", cursor_type="row")
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Date")
        table.add_column("What", width=30)  # so the last column shows at 80 columns
        table.add_columns("Charge", "Paid", "")
        table.focus()
        self.reload()

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="account-load")
    def _load(self) -> None:
        try:
            info = account(self.client_id)
            packages = client_packages(self.client_id)
            symbol = get_practice().currency_symbol
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self._show, info, packages, symbol)

    def _show(self, info: Account, packages: tuple[PackageInfo, ...], symbol: str) -> None:
        self.info, self.symbol = info, symbol
        title = plain(info.client_name, style="bold")
        title.append(" · account · ")
        if info.balance_cents > 0:
            title.append(f"owes {format_amount(info.balance_cents, symbol)}", style="bold yellow")
        elif info.balance_cents < 0:
            title.append(f"credit {format_amount(-info.balance_cents, symbol)}", style="green")
        else:
            title.append("paid up", style="green")
        self.query_one("#account-title", Static).update(title)
        usable = [p for p in packages if p.usable_on(self.app.today())]
        words = Text("Packages: ", style="dim", end="")
        words.append_text(plain(" · ".join(p.words for p in usable) or "none"))
        self.query_one("#account-packages", Static).update(words)
        table = self.query_one(DataTable)
        table.clear()
        entries: list[tuple[dt.date, int, tuple[Text, ...], tuple[str, int]]] = []
        for charge in info.charges:
            unpaid = (
                Text(f"owes {format_amount(charge.outstanding_cents, symbol)}", style="yellow")
                if charge.outstanding_cents
                else Text("paid", style="dim")
            )
            key = ("fee", charge.fee_id) if charge.fee_id else ("charge", 0)
            entries.append(
                (
                    charge.on,
                    0,
                    (
                        Text(day_month_year(charge.on)),
                        plain(charge.description),
                        Text(format_amount(charge.amount_cents, symbol)),
                        Text(""),
                        unpaid,
                    ),
                    key,
                )
            )
        for payment in info.payments:
            what = f"{'Refund' if payment.kind == 'refund' else 'Payment'} · {payment.method}"
            if payment.reference:
                what += f" · {payment.reference}"
            style = "strike dim" if payment.voided else ""
            amount = payment.amount_cents if payment.kind == "payment" else -payment.amount_cents
            note = (
                Text(f"void: {payment.void_reason}", style="red")
                if payment.voided
                else Text(payment.reason, style="dim")
            )
            entries.append(
                (
                    payment.received_on,
                    1,
                    (
                        Text(day_month_year(payment.received_on)),
                        plain(what, style=style),
                        Text(""),
                        Text(format_amount(amount, symbol), style=style),
                        note,
                    ),
                    ("payment", payment.id),
                )
            )
        entries.sort(key=lambda e: (e[0], e[1]), reverse=True)
        self._rows = [e[3] for e in entries]
        for _, _, cells, _ in entries:
            table.add_row(*cells)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer offers Void on a payment and Waive on a fee (the keys that work)."""
        if action == "void":
            return self._selected("payment") is not None
        if action == "waive":
            return self._selected("fee") is not None
        return True

    @on(DataTable.RowHighlighted)
    def _row_changed(self, _: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def action_print(self) -> None:
        choices = [
            ("y", "Statement", "statement"),
            ("b", "Superbill", "superbill"),
        ]
        lines = [
            "y  this year's statement (receipt for the insurer), PDF and text",
            "b  this year's superbill (CPT units, diagnoses), PDF and CSV",
        ]
        if self._selected("payment") is not None:
            choices[:0] = [("r", "Receipt", "receipt")]
            lines[:0] = [
                "r  the receipt for the selected payment (ctrl+r on the account:",
                "   a corrected receipt that replaces the last one)",
            ]
        lines.append(f"Written to {receipts_folder(self.app)}")

        def chosen(answer: str | None) -> None:
            if answer == "receipt":
                self.action_receipt()
            elif answer == "statement":
                self.action_statement()
            elif answer == "superbill":
                self.action_superbill()

        self.app.push_screen(ChoiceDialog("Print", "\n".join(lines), choices), chosen)

    def _selected(self, kind: str) -> int | None:
        table = self.query_one(DataTable)
        if not self._rows or table.cursor_row < 0:
            return None
        row_kind, row_id = self._rows[min(table.cursor_row, len(self._rows) - 1)]
        return row_id if row_kind == kind else None

    def _form(self, title: str, fields: list[Field], save, done_words, message="", **kw) -> None:  # type: ignore[no-untyped-def]
        def saved(result: object) -> None:
            if result is not None:
                self.app.notify(done_words(result))
                self.reload()

        self.app.push_screen(MoneyForm(title, fields, save, message=message, **kw), saved)

    # --- money in and out ------------------------------------------------------------

    @work(thread=True, exclusive=True, group="account-prepare")
    def _prepare(self, load, build) -> None:  # type: ignore[no-untyped-def]
        """Read what a form needs off the UI thread (``load``), then open it (``build``)."""
        try:
            data = load()
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        self.app.call_from_thread(build, data)

    def action_pay(self) -> None:
        if self.info is not None:
            self._prepare(last_method, self._pay_form)

    def _pay_form(self, method: str) -> None:
        info = self.info
        if info is None:
            return
        today = self.app.today()
        self._form(
            "Take payment",
            payment_fields(info.owed_cents, method, today),
            lambda v: record_payment(
                self.client_id,
                v["amount"],
                v["method"],
                received_on=v["date"],
                today=today,
                reference=v["reference"],
            ),
            lambda r: f"Paid {format_amount(r.amount_cents, self.symbol)} by {r.method}",
            message=f"{info.client_name} · paid oldest charges first; any extra is credit",
        )

    def action_refund(self) -> None:
        today = self.app.today()
        self._form(
            "Refund",
            [
                Field("amount", "Amount", "", "e.g. 85.50", max_length=20),
                Field("method", "Method", "cash", choices=METHODS),
                Field("date", "Date", today.isoformat(), max_length=30),
                Field("reason", "Reason", "", "why the money goes back", max_length=500),
            ],
            lambda v: record_refund(
                self.client_id,
                v["amount"],
                v["method"],
                v["reason"],
                received_on=v["date"],
                today=today,
            ),
            lambda r: f"Refunded {format_amount(r.amount_cents, self.symbol)}",
        )

    def action_void(self) -> None:
        payment_id = self._selected("payment")
        if payment_id is None:
            self.app.notify("Select a payment to void.", severity="warning")
            return
        now = self.app.now()
        self._form(
            "Void this payment?",
            [Field("reason", "Reason", "", "e.g. entered twice", max_length=500)],
            lambda v: void_payment(payment_id, v["reason"], now=now),
            lambda r: "Payment voided (kept, marked void)",
            message="A voided payment is kept and shown as void; it no longer counts.",
        )

    def action_waive(self) -> None:
        fee_id = self._selected("fee")
        if fee_id is None:
            self.app.notify("Select a cancellation or no-show fee to waive.", severity="warning")
            return
        now = self.app.now()
        self._form(
            "Waive this fee?",
            [Field("reason", "Reason", "", "e.g. emergency, first time", max_length=500)],
            lambda v: waive_policy_fee(fee_id, v["reason"], now=now) or "waived",
            lambda r: "Fee waived",
        )

    def action_discount(self) -> None:
        self._prepare(
            lambda: (client_pricing(self.client_id), list_services(include_inactive=True)),
            self._pricing_form,
        )

    def _pricing_form(self, data: tuple[ClientPricing, tuple[ServiceInfo, ...]]) -> None:
        pricing, services = data
        fixed = {service_id: cents for service_id, _, cents in pricing.fixed_prices}
        shown = [s for s in services if s.active or s.id in fixed]
        fields = [
            Field(
                "discount",
                "Discount %",
                str(pricing.discount_percent or ""),
                "e.g. 10 (on every service without a fixed price)",
                max_length=4,
            )
        ] + [
            Field(
                price_field(s.id),
                s.name,
                plain_amount(fixed[s.id]) if s.id in fixed else "",
                f"usual {plain_amount(s.price_cents)}",
                max_length=20,
            )
            for s in shown
        ]

        def save(values: dict[str, str]) -> ClientPricing:
            prices = {s.id: values[price_field(s.id)] for s in shown}
            return save_client_pricing(self.client_id, values["discount"], prices)

        def done(result: ClientPricing) -> str:
            words = f"{result.discount_percent}% discount" if result.discount_percent else ""
            if result.fixed_prices:
                count = len(result.fixed_prices)
                words += (" and " if words else "") + (
                    f"{count} fixed price{'s' if count > 1 else ''}"
                )
            return f"Pricing saved: {words or 'usual prices'} on future bookings"

        self._form(
            "Discount and fixed prices",
            fields,
            save,
            done,
            message="A fixed price replaces the usual price less the discount; blank = usual. "
            "Applies to appointments booked from now on; booked fees never change.",
            wide_labels=True,
        )

    # --- packages and codes ------------------------------------------------------------

    def action_package(self) -> None:
        self._prepare(lambda: [s for s in list_services() if s.active], self._package_form)

    def _package_form(self, services: list[ServiceInfo]) -> None:
        if not services:
            return
        names = tuple(s.name for s in services)
        by_name = {s.name: s for s in services}
        today = self.app.today()
        first = services[0]
        self._form(
            "Sell a package",
            [
                Field("service", "Service", first.name, choices=names),
                Field("sessions", "Sessions", "5", max_length=3),
                Field("price", "Price", plain_amount(first.price_cents * 5), max_length=20),
                Field("expires", "Expires", "", "optional, e.g. 2027-06-30", max_length=30),
            ],
            lambda v: sell_package(
                self.client_id,
                by_name[v["service"]].id,
                v["sessions"],
                v["price"],
                sold_on=today,
                expires=v["expires"],
            ),
            lambda r: (
                f"Sold: {r.sessions} × {r.service_name} for "
                f"{format_amount(r.price_cents, self.symbol)}"
            ),
            message="The price goes on the balance; each completed session of the "
            "service then draws from the package instead of charging.",
        )

    def action_insurance(self) -> None:
        self._prepare(lambda: client_insurance(self.client_id), self._insurance_form)

    def _insurance_form(self, info: InsuranceInfo) -> None:
        self._form(
            "Insurance codes",
            [
                Field(
                    "codes",
                    "ICD-10 codes",
                    "; ".join(f"{d.code} {d.description}" for d in info.diagnoses),
                    "e.g. M54.50 Low back pain; M79.1 Myalgia",
                    max_length=1000,
                ),
                Field("provider", "Referring", info.referring_provider, "e.g. Dr. A. Patel"),
                Field("npi", "Referrer NPI", info.referring_npi, "10 digits", max_length=10),
            ],
            lambda v: set_client_insurance(
                self.client_id, v["codes"].replace(";", "\n"), v["provider"], v["npi"]
            ),
            lambda r: f"Saved {len(r.diagnoses)} diagnosis code(s)",
        )

    # --- documents ----------------------------------------------------------------------

    def action_receipt(self, corrected: bool = False) -> None:
        payment_id = self._selected("payment")
        if payment_id is None:
            self.app.notify("Select a payment to print its receipt.", severity="warning")
            return
        self._write_receipt(payment_id, corrected, self.app.now())

    @work(thread=True, group="account-docs")
    def _write_receipt(self, payment_id: int, corrected: bool, now: dt.datetime) -> None:
        try:
            existing = receipt_for_payment(payment_id)
            if existing is not None and not corrected:
                receipt = existing
            else:
                replaces = None
                if corrected:
                    from practice_tui.domain.receipts import client_receipts

                    live = [r for r in client_receipts(self.client_id) if r.replaced_by is None]
                    replaces = live[0].id if live else None
                receipt = issue_payment_receipt(payment_id, now=now, replaces=replaces)
            path = self._save_document(receipt)
        except (PracticeError, OSError) as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.app.notify, f"Receipt {receipt.label} written to {path}")

    def _save_document(self, receipt) -> Path:  # type: ignore[no-untyped-def]
        folder = receipts_folder(self.app)
        path = receipt_pdf(receipt, folder / receipt_filename(receipt))
        replace_private(path.with_suffix(".txt"), receipt_text(receipt))  # owner-only
        return path

    def action_statement(self) -> None:
        self._write_statement(self.app.now())

    @work(thread=True, group="account-docs")
    def _write_statement(self, now: dt.datetime) -> None:
        year = now.date().year
        try:
            receipt = issue_statement(
                self.client_id, dt.date(year, 1, 1), dt.date(year, 12, 31), now=now
            )
            path = self._save_document(receipt)
        except (PracticeError, OSError) as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.app.notify, f"Statement {receipt.label} written to {path}")

    def action_superbill(self) -> None:
        self._write_superbill(self.app.today())

    @work(thread=True, group="account-docs")
    def _write_superbill(self, today: dt.date) -> None:
        try:
            bill = superbill(self.client_id, dt.date(today.year, 1, 1), today)
            folder = receipts_folder(self.app)
            path = superbill_pdf(bill, folder / f"superbill-{self.client_id}-{today.year}.pdf")
            replace_private(path.with_suffix(".csv"), superbill_csv(bill))  # owner-only
        except (PracticeError, OSError) as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        self.app.call_from_thread(
            self.app.notify, f"Superbill ({len(bill.lines)} lines) written to {path}"
        )
