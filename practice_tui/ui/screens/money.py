"""5 Money: today's takings, who owes what (oldest first), income by month for
the last 12 months as a bar chart, and totals by method and by service.

``↑``/``↓`` pick a client who owes, ``enter`` opens their profile; ``t``
opens their account (payments, packages, receipts). The figures reload each
time the screen is shown, so a payment taken anywhere shows at once.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from practice_tui.domain.errors import PracticeError
from practice_tui.domain.income import MoneyOverview, money_overview
from practice_tui.domain.money import format_amount
from practice_tui.domain.settings import get_practice
from practice_tui.domain.words import day_month_year
from practice_tui.ui.base import PracticeScreen
from practice_tui.ui.text import plain
from practice_tui.ui.widgets.footer import KeysFooter

BAR_WIDTH = 14


def bar_chart(overview: MoneyOverview, symbol: str) -> Text:
    """One line per month: ``Dec 25 ██████▍     $4,210``; eighth blocks for the tail."""
    months = overview.year.by_month
    top = max((m.cents for m in months), default=0)
    text = Text(end="")
    for index, month in enumerate(months):
        if index:
            text.append("\n")
        eighths = month.cents * BAR_WIDTH * 8 // top if top > 0 and month.cents > 0 else 0
        full, part = divmod(eighths, 8)
        bar = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
        text.append(f"{month.month:%b %y} ", style="dim")
        text.append(bar.ljust(BAR_WIDTH + 1), style="green")
        text.append(format_amount(month.cents, symbol).rjust(10))
    return text


class MoneyScreen(PracticeScreen):
    BINDINGS = [
        Binding("enter", "open_client", "Profile", key_display="⏎"),
        Binding("t", "open_account", "Account"),
        Binding("question_mark", "app.toggle_keys", "Keys", key_display="?"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._owing_ids: list[int] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Money", style="bold"), id="money-title")
        yield Static("", id="money-takings")
        with Horizontal(id="money-body"):
            with Vertical(id="money-left"):
                yield Static(Text("Who owes (oldest first)", style="bold"))
                yield DataTable(id="money-owing", cursor_type="row", zebra_stripes=False)
                yield Static("", id="money-totals")
            with Vertical(id="money-right"):
                yield Static(Text("Income by month", style="bold"))
                yield Static("", id="money-chart")
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#money-owing", DataTable)
        table.add_columns("Client", "Owes", "Since")
        table.focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.back_in_view():
            self.reload()

    def reload(self) -> None:
        self._load(self.app.today())

    @work(thread=True, exclusive=True, group="money-load")
    def _load(self, today) -> None:  # type: ignore[no-untyped-def]
        try:
            overview = money_overview(today)
            symbol = get_practice().currency_symbol
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self._show, overview, symbol)

    def _show(self, overview: MoneyOverview, symbol: str) -> None:
        takings = Text(
            f"Today's takings: {format_amount(overview.takings_cents, symbol)}",
            style="bold",
            end="",
        )
        if overview.takings_by_method:
            takings.append(
                "  ("
                + " · ".join(
                    f"{m} {format_amount(c, symbol)}" for m, c in overview.takings_by_method
                )
                + ")",
                style="dim",
            )
        owed = sum(o.owed_cents for o in overview.owing)
        takings.append(f"   Owed to you: {format_amount(owed, symbol)}", style="yellow")
        self.query_one("#money-takings", Static).update(takings)
        table = self.query_one("#money-owing", DataTable)
        keep = table.cursor_row
        table.clear()
        self._owing_ids = []
        for item in overview.owing:
            table.add_row(
                plain(item.client_name),
                Text(format_amount(item.owed_cents, symbol), justify="right"),
                Text(day_month_year(item.oldest), style="dim"),
            )
            self._owing_ids.append(item.client_id)
        if self._owing_ids:
            table.move_cursor(row=min(keep, len(self._owing_ids) - 1))
        year = overview.year
        totals = Text(
            f"Last 12 months: {format_amount(year.net_cents, symbol)} received", style="bold"
        )
        totals.append("\nBy method: ", style="dim")
        totals.append(
            " · ".join(f"{m} {format_amount(c, symbol)}" for m, c in year.by_method) or "none"
        )
        totals.append("\nBy service: ", style="dim")
        totals.append_text(
            plain(
                " · ".join(f"{s} {format_amount(c, symbol)}" for s, _, c in year.by_service[:4])
                or "none"
            )
        )
        self.query_one("#money-totals", Static).update(totals)
        self.query_one("#money-chart", Static).update(bar_chart(overview, symbol))
        self.refresh_bindings()

    def _client_id(self) -> int | None:
        table = self.query_one("#money-owing", DataTable)
        if not self._owing_ids or table.cursor_row < 0:
            return None
        return self._owing_ids[min(table.cursor_row, len(self._owing_ids) - 1)]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_client", "open_account"):
            return bool(self._owing_ids)
        return True

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_client()

    def action_open_client(self) -> None:
        client_id = self._client_id()
        if client_id is not None:
            self.app.open_client_profile(client_id)

    def action_open_account(self) -> None:
        client_id = self._client_id()
        if client_id is not None:
            self.app.open_client_account(client_id)
