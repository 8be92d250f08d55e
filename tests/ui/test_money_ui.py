"""Taking a payment from Today in few keys; a bad amount changes nothing; the
Money screen shows takings, who owes and the chart."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Static

from practice_tui.domain.clients import create_client
from practice_tui.domain.models import Payment
from practice_tui.domain.payments import account
from practice_tui.domain.schedule import book_appointment, mark_completed
from practice_tui.domain.settings import list_services
from practice_tui.ui.app import make_app
from practice_tui.ui.dialogs.money_form import MoneyForm
from practice_tui.ui.widgets.agenda import AgendaTable
from tests.conftest import FIXED_NOW, FIXED_TODAY, fixed_clock


def _completed_visit() -> tuple[int, int]:
    service = next(s for s in list_services() if s.name == "Medical massage 60")
    client = create_client({"first_name": "Ann", "last_name": "Lee"}, today=FIXED_TODAY).id
    visit = book_appointment(client, service.id, dt.datetime.combine(FIXED_TODAY, dt.time(9)))
    mark_completed(visit.id, now=FIXED_NOW)
    return client, service.price_cents


async def _settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_full_payment_from_today_in_two_keystrokes(db_path) -> None:
    client, fee = _completed_visit()
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        table = app.screen.query_one(AgendaTable)
        assert table.unpaid  # the completed, unpaid visit carries the mark
        keys = ["dollar_sign", "enter"]
        await pilot.press(keys[0])
        await _settle(app, pilot)
        assert isinstance(app.screen, MoneyForm)
        assert app.screen.query_one("#field-amount", Input).value == f"{fee // 100}.00"
        await pilot.press(keys[1])
        await _settle(app, pilot)
        assert not isinstance(app.screen, MoneyForm)
        assert len(keys) <= 4
        assert account(client).balance_cents == 0
        assert Payment.get().method == "cash"
        assert not app.screen.query_one(AgendaTable).unpaid


async def test_a_bad_amount_gets_a_message_and_changes_nothing(db_path) -> None:
    client, fee = _completed_visit()
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("dollar_sign")
        await _settle(app, pilot)
        amount = app.screen.query_one("#field-amount", Input)
        amount.value = "85,50,1"
        await pilot.press("enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, MoneyForm)
        error = str(app.screen.query_one("#error-amount", Static).render())
        assert "must be a number" in error
        assert app.screen.query_one("#field-amount", Input).value == "85,50,1"
        assert Payment.select().count() == 0
        assert account(client).balance_cents == fee


async def test_money_screen_and_an_account_sell_a_package_and_print_a_receipt(db_path) -> None:
    from practice_tui.domain.packages import client_packages
    from practice_tui.ui.screens.account import AccountScreen
    from practice_tui.ui.screens.money import MoneyScreen

    client, fee = _completed_visit()
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("5")
        await _settle(app, pilot)
        assert isinstance(app.screen, MoneyScreen)
        assert "Ann Lee" in str(app.screen.query_one("#money-owing").get_row_at(0)[0])
        chart = str(app.screen.query_one("#money-chart", Static).render())
        assert chart.count("\n") == 11  # twelve months
        await pilot.press("t")
        await _settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("k")
        await _settle(app, pilot)
        assert isinstance(app.screen, MoneyForm)
        await pilot.press("ctrl+s")
        await _settle(app, pilot)
        assert len(client_packages(client)) == 1
        await pilot.press("dollar_sign")
        await _settle(app, pilot)
        await pilot.press("enter")
        await _settle(app, pilot)
        assert account(client).balance_cents == 0
        await pilot.press("r")  # the newest row is the payment
        await _settle(app, pilot)
        assert (db_path.parent / "receipts" / "receipt-00001.pdf").exists()


async def test_a_no_show_fee_is_charged_only_after_a_confirm(db_path) -> None:
    from practice_tui.domain.policy_fees import set_fee_policy
    from practice_tui.ui.dialogs.common import ConfirmDialog

    set_fee_policy("fixed", "40")
    service = next(s for s in list_services() if s.name == "Medical massage 60")
    client = create_client({"first_name": "Ben", "last_name": "Carter"}, today=FIXED_TODAY).id
    book_appointment(client, service.id, dt.datetime.combine(FIXED_TODAY, dt.time(9)))
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("x")
        await _settle(app, pilot)
        await pilot.press("y")  # yes, a no-show
        await _settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert account(client).balance_cents == 0  # nothing charged before the confirm
        await pilot.press("y")  # charge it
        await _settle(app, pilot)
        assert account(client).balance_cents == 4000


async def test_details_show_the_money_and_change_the_fee(db_path) -> None:
    from practice_tui.domain.packages import sell_package
    from practice_tui.ui.dialogs.appointment_details import AppointmentDetailsDialog

    service = next(s for s in list_services() if s.name == "Medical massage 60")
    client = create_client({"first_name": "Ann", "last_name": "Lee"}, today=FIXED_TODAY).id
    sell_package(client, service.id, "5", "400", sold_on=FIXED_TODAY)
    book_appointment(client, service.id, dt.datetime.combine(FIXED_TODAY, dt.time(15)))
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        await pilot.press("enter")
        await _settle(app, pilot)
        assert isinstance(app.screen, AppointmentDetailsDialog)
        text = str(app.screen.query_one("#details-text", Static).render())
        assert "package: 5 of 5 left" in text
        await pilot.press("f")
        await _settle(app, pilot)
        app.screen.query_one("#field-fee", Input).value = "-5"
        await pilot.press("enter")
        await _settle(app, pilot)
        assert "negative" in str(app.screen.query_one("#error-fee", Static).render())
        app.screen.query_one("#field-fee", Input).value = "60"
        await pilot.press("enter")
        await _settle(app, pilot)
        text = str(app.screen.query_one("#details-text", Static).render())
        assert "Fee $60.00" in text


async def test_the_profile_shows_the_balance_and_package_and_opens_the_account(db_path) -> None:
    from practice_tui.domain.packages import sell_package
    from practice_tui.ui.screens.account import AccountScreen
    from practice_tui.ui.widgets.account_line import AccountLine

    client, fee = _completed_visit()
    service = next(s for s in list_services() if s.name == "Medical massage 60")
    sell_package(client, service.id, "5", "400", sold_on=FIXED_TODAY)
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(app, pilot)
        app.open_client_profile(client)
        await _settle(app, pilot)
        line = str(app.screen.query_one(AccountLine).render())
        assert "owes $485.00" in line and "5 of 5 left" in line
        await pilot.press("t")
        await _settle(app, pilot)
        assert isinstance(app.screen, AccountScreen)
