"""The shared client picker and dialogs."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Input, Static

import practice_tui.ui
from practice_tui.domain.clients import create_client
from practice_tui.domain.types import ClientSummary
from practice_tui.ui.dialogs.common import ConfirmDialog, PromptDialog
from practice_tui.ui.widgets.client_picker import ClientPicker
from tests.conftest import FIXED_NOW, FIXED_TODAY
from tests.ui.helpers import settle

#: The app's one stylesheet, so a widget looks and behaves here as in the app
#: (the picker's list, for one, is hidden until there is something to pick).
APP_CSS = Path(practice_tui.ui.__file__).parent / "app.tcss"


class PickerApp(App[None]):
    CSS_PATH = APP_CSS

    def __init__(self) -> None:
        super().__init__()
        self.picked: list[ClientSummary] = []

    def now(self):
        return FIXED_NOW

    def compose(self) -> ComposeResult:
        yield ClientPicker(id="picker")

    def on_client_picker_picked(self, event: ClientPicker.Picked) -> None:
        self.picked.append(event.client)


async def test_picker_finds_by_partial_phone_and_picks_with_enter(db_path) -> None:
    create_client(
        {"first_name": "María", "last_name": "García", "phone": "555-0142"}, today=FIXED_TODAY
    )
    create_client(
        {"first_name": "[bold]Ann[/]", "last_name": "Lee", "phone": "555-7777"}, today=FIXED_TODAY
    )
    app = PickerApp()
    async with app.run_test() as pilot:
        app.query_one(ClientPicker).focus()
        await pilot.press(*"0142")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert [c.name for c in app.picked] == ["María García"]
        picker = app.query_one(ClientPicker)
        assert picker.client is not None and picker.client.name == "María García"
        # Typing again forgets the choice until a client is picked again.
        picker.input.value = "[bold"
        await settle(pilot)
        assert picker.client is None
        await pilot.press("enter")
        await settle(pilot)
        assert app.picked[-1].name == "[bold]Ann[/] Lee"
        assert app.query_one(Input).value == "[bold]Ann[/] Lee"


class DialogApp(App[None]):
    CSS_PATH = APP_CSS

    def compose(self) -> ComposeResult:
        yield Static("")


async def test_prompt_keeps_text_and_shows_the_error_until_valid() -> None:
    app = DialogApp()
    results: list[str | None] = []
    async with app.run_test() as pilot:
        app.push_screen(
            PromptDialog("Reason", check=lambda v: None if v.strip() else "Give a reason."),
            results.append,
        )
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        error = app.screen.query_one("#prompt-error", Static)
        assert "Give a reason." in str(error.render())
        await pilot.press(*"sick")
        await pilot.press("enter")
        await settle(pilot)
    assert results == ["sick"]


async def test_confirm_answers_with_keys() -> None:
    app = DialogApp()
    results: list[bool] = []
    async with app.run_test() as pilot:
        app.push_screen(ConfirmDialog("Archive?"), results.append)
        await settle(pilot)
        await pilot.press("n")
        app.push_screen(ConfirmDialog("Archive?"), results.append)
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert results == [False, True]


class PrefilledApp(PickerApp):
    def __init__(self, client: ClientSummary) -> None:
        super().__init__()
        self.initial = client

    def compose(self) -> ComposeResult:
        yield ClientPicker(self.initial, id="picker")


async def test_picker_keeps_a_client_given_at_creation(db_path) -> None:
    from practice_tui.domain.clients import search_clients

    create_client({"first_name": "María", "last_name": "García"}, today=FIXED_TODAY)
    (maria,) = search_clients("maria", now=FIXED_NOW)
    app = PrefilledApp(maria)
    async with app.run_test() as pilot:
        await settle(pilot)
        picker = app.query_one(ClientPicker)
        assert picker.client == maria
        assert picker.input.value == "María García"
        assert not picker.has_class("-open")
