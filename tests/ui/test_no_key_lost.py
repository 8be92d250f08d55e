"""No key lost: keys typed right after the key that opens a form or a screen
reach it, in order, whatever the form still has to read before it shows."""

from __future__ import annotations

from textual.widgets import Input

from practice_tui.domain.clients import create_client
from practice_tui.domain.today import day_view
from practice_tui.ui.app import make_app
from practice_tui.ui.dialogs.appointment import AppointmentForm
from practice_tui.ui.dialogs.client_form import ClientFormDialog
from practice_tui.ui.screens.note_editor import NoteEditorScreen
from tests.conftest import FIXED_NOW, FIXED_TODAY, fixed_clock
from tests.ui.helpers import settle
from tests.ui.keys import open_and_type, type_fast
from tests.ui.test_today_support import select_row, start_app, today_date


async def test_new_client_form_gets_the_first_letters(db_path) -> None:
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await open_and_type(app, "n", ClientFormDialog, "A", "n", "n")
        await settle(pilot)
        assert isinstance(app.screen, ClientFormDialog)
        assert app.screen.query_one("#f-first_name", Input).value == "Ann"


async def test_new_booking_gets_the_first_letters(db_path) -> None:
    create_client({"first_name": "Ann", "last_name": "Lee"}, today=FIXED_TODAY)
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_and_type(app, "n", AppointmentForm, "A", "n", "n")
        await settle(pilot)
        assert isinstance(app.screen, AppointmentForm)
        assert app.screen.query_one("#client-search", Input).value == "Ann"


async def test_note_editor_gets_the_first_digits(demo_path) -> None:
    (owed,) = [a for a in day_view(FIXED_TODAY, now=FIXED_NOW).appointments if a.note_owed][:1]
    app, _ = start_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await select_row(app, pilot, owed.client_name)
        await open_and_type(app, "s", NoteEditorScreen, "6", "tab", "3")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditorScreen)
        assert app.screen.query_one("#pain_before", Input).value == "6"
        assert app.screen.query_one("#pain_after", Input).value == "3"


async def test_keys_after_a_mode_key_reach_the_new_screen(db_path) -> None:
    """`2` then `/` at once: the Clients search box gets the typed letters."""
    create_client({"first_name": "Ann", "last_name": "Lee"}, today=FIXED_TODAY)
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        from practice_tui.ui.screens.clients import ClientsScreen

        await open_and_type(app, "2", ClientsScreen, "slash", "A", "n")
        await settle(pilot)
        assert app.screen.query_one("#clients-search", Input).value == "An"


async def test_keys_typed_before_the_opening_key_is_handled_follow_it(db_path) -> None:
    """`n` and the first letters arrive together (a busy moment): the letters
    wait for the form `n` opens instead of going to the list below."""
    create_client({"first_name": "Ann", "last_name": "Lee"}, today=FIXED_TODAY)
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        type_fast(app, "n", "A", "n", "n")
        await settle(pilot)
        assert isinstance(app.screen, AppointmentForm)
        assert app.screen.query_one("#client-search", Input).value == "Ann"


async def test_take_a_payment_typed_at_once(db_path) -> None:
    """`$` reads what is owed before its dialog opens; `enter` typed at once
    takes the payment, never opening the details of the row below."""
    from practice_tui.domain.models import Payment
    from practice_tui.domain.schedule import book_appointment, mark_completed
    from practice_tui.domain.settings import list_services

    ann = create_client({"first_name": "Ann", "last_name": "Lee"}, today=FIXED_TODAY).id
    sixty = next(s.id for s in list_services() if s.name == "Medical massage 60")
    done = book_appointment(ann, sixty, FIXED_NOW.replace(hour=9, minute=0))
    mark_completed(done.id, now=FIXED_NOW)
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await select_row(app, pilot, "Ann Lee")
        type_fast(app, "dollar_sign", "enter")
        await settle(pilot)
        assert Payment.select().count() == 1
        assert app.screen is app.screen_stack[0]


async def test_the_palette_gets_the_letters_typed_at_once(db_path) -> None:
    from textual.command import CommandPalette

    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        type_fast(app, "ctrl+p", "t", "o", "d")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).value == "tod"


async def test_keys_wait_for_an_expected_dialog_and_a_safety_net_lets_them_go(db_path) -> None:
    """Keys typed while a dialog is being read wait for it; if it never comes
    and nobody says so, the app's timer (``KEY_HOLD_LIMIT``, which tests set
    out of the way) lets them go. The timer is fired here by hand."""
    app = make_app(db_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert today_date(app).startswith("Friday 27 November 2026")
        app.expect_screen()
        type_fast(app, "right")
        await settle(pilot)
        assert today_date(app).startswith("Friday 27 November 2026"), "the key waits"
        app.screen_not_coming()
        await settle(pilot)
        assert today_date(app).startswith("Saturday 28 November 2026"), "then goes on"

        app.expect_screen()
        type_fast(app, "right")
        await settle(pilot)
        timer = app._hold_timer
        assert timer is not None and timer._interval == app.KEY_HOLD_LIMIT
        assert today_date(app).startswith("Saturday 28 November 2026")
        app._release_anyway()  # what the timer does when it fires
        await settle(pilot)
        assert today_date(app).startswith("Sunday 29 November 2026"), "let go by the net"
