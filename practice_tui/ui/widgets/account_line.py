"""One line of a client's money for the profile: balance and package sessions left.

It loads itself in a worker when mounted and on ``reload()``; ``t`` on the
profile opens the full account.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.widgets import Static

from practice_tui.domain.errors import PracticeError
from practice_tui.domain.money import format_amount
from practice_tui.ui.text import plain


class AccountLine(Static):
    def __init__(self, client_id: int, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.client_id = client_id

    def on_mount(self) -> None:
        self.reload()

    @work(thread=True, exclusive=True, group="account-line")
    def reload(self) -> None:
        from practice_tui.domain.packages import client_packages
        from practice_tui.domain.payments import account
        from practice_tui.domain.settings import get_practice

        try:
            info = account(self.client_id)
            packages = client_packages(self.client_id)
            symbol = get_practice().currency_symbol
        except PracticeError:
            return
        today = self.app.today()
        text = Text("Account: ", style="bold", end="")
        if info.balance_cents > 0:
            text.append(f"owes {format_amount(info.balance_cents, symbol)}", style="bold yellow")
        elif info.balance_cents < 0:
            text.append(f"credit {format_amount(-info.balance_cents, symbol)}", style="green")
        else:
            text.append("paid up", style="green")
        for package in packages:
            if package.usable_on(today):
                text.append(" · package ")
                text.append_text(plain(package.words))
        text.append("  (t account)", style="dim")
        self.app.call_from_thread(self.update, text)
