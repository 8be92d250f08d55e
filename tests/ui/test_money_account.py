"""The Account screen at 80x24: a client's discount and fixed prices per
service from `%` (a bad amount changes nothing), every key it offers in the
footer, and the Print choices."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Static

from practice_tui.domain.clients import create_client
from practice_tui.domain.models import Appointment
from practice_tui.domain.pricing import client_pricing, price_field
from practice_tui.domain.schedule import book_appointment
from practice_tui.domain.settings import list_services
from practice_tui.ui.app import make_app
from practice_tui.ui.dialogs.money_form import MoneyForm
from practice_tui.ui.dialogs.settings_form import ChoiceDialog
from practice_tui.ui.screens.account import AccountScreen
from practice_tui.ui.widgets.footer import KeysFooter
from tests.conftest import FIXED_TODAY, fixed_clock
from tests.ui.helpers import settle


def footer_keys(app) -> str:  # type: ignore[no-untyped-def]
    """The footer's line a person sees at this width."""
    return app.screen.query_one(KeysFooter).text()


async def test_fixed_price_and_discount_from_the_account(db_path) -> None:
    services = {s.name: s for s in list_services()}
    medical, deep = services["Medical massage 60"], services["Deep tissue 60"]
    client = create_client({"first_name": "Ann", "last_name": "Lee"}, today=FIXED_TODAY).id
    app = make_app(db_path, clock=fixed_clock, preview_delay=0, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(AccountScreen(client))
        await settle(pilot)
        await pilot.press("percent_sign")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, MoneyForm)
        labels = " ".join(str(s.render()) for s in form.query(".money-form-label"))
        assert "Medical massage 60" in labels and "Deep tissue 60" in labels
        form.query_one("#field-discount", Input).value = "10"
        box = form.query_one(f"#field-{price_field(medical.id)}", Input)
        box.value = "70,5,1"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and box.value == "70,5,1"  # what was typed stays
        error = str(form.query_one(f"#error-{price_field(medical.id)}", Static).render())
        assert "price" in error.lower() and "Medical massage 60" in error
        assert client_pricing(client).discount_percent == 0  # nothing stored
        box.value = "70"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
    pricing = client_pricing(client)
    assert pricing.discount_percent == 10
    assert pricing.fixed_prices == ((medical.id, "Medical massage 60", 7000),)
    monday = dt.datetime.combine(FIXED_TODAY + dt.timedelta(days=3), dt.time(9))
    first = book_appointment(client, medical.id, monday).id
    second = book_appointment(client, deep.id, monday + dt.timedelta(hours=2)).id
    assert Appointment.get_by_id(first).fee_cents == 7000
    assert Appointment.get_by_id(second).fee_cents == deep.price_cents * 90 // 100


async def test_the_account_footer_shows_its_keys_at_80_columns(demo_path) -> None:
    from practice_tui.domain.models import PolicyFee

    fee = PolicyFee.get(PolicyFee.waived_at.is_null(True))  # the demo's late-cancel fee
    client = fee.appointment.client_id
    app = make_app(demo_path, clock=fixed_clock, preview_delay=0, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(AccountScreen(client))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccountScreen)
        text = footer_keys(app)
        for words in ("$ Pay", "f Refund", "p Print", "k Package", "i Codes", "% Prices"):
            assert words in text, text
        assert "esc Back" in text, text
        # A payment is selected: Void is offered, Waive is not; on the fee, the other way.
        assert "v Void" in text and "Waive" not in text
        for _ in range(40):
            if screen._selected("fee") is not None:  # noqa: SLF001
                break
            await pilot.press("down")
            await settle(pilot)
        assert screen._selected("fee") is not None, screen._rows  # noqa: SLF001
        text = footer_keys(app)
        assert "w Waive fee" in text and "v Void" not in text and "esc Back" in text
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        words = " ".join(str(s.render()) for s in dialog.query(Static))
        assert "statement" in words and "superbill" in words
        assert "receipt for the selected payment" not in words  # a fee is selected
