"""Keys that can be found: ``?`` lists every key of the screen and the global
ones, grouped; the footer behind a dialog hides; ``2`` from a profile goes to
the Clients list; ``/`` on a profile goes back to the Clients search."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from practice_tui.ui.dialogs.keys import KeysDialog
from practice_tui.ui.screens.client_profile import ClientProfileScreen
from practice_tui.ui.screens.clients import ClientsScreen
from practice_tui.ui.screens.today import TodayScreen
from practice_tui.ui.widgets.footer import KeysFooter
from tests.ui.test_today_support import client, settle, start_app


def _shown(app) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(".keys-group"))


async def test_question_mark_lists_every_key_grouped(demo_path: Path) -> None:
    app, _ = start_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, KeysDialog)
        text = _shown(app)
        for words in ("Today", "Book this client again", "New", "Cancel", "No-show", "Everywhere"):
            assert words in text, words
        for key, words in (("1", "Today"), ("2", "Clients"), ("6", "Practice"), ("q", "quit")):
            assert any(line.split()[:1] == [key] and words in line for line in text.splitlines()), (
                key
            )
        # A key that does nothing on the selected row is listed all the same.
        assert "(not now)" in text
        # The footer of the screen behind is hidden.
        behind = app.screen_stack[-2]
        assert behind.query_one(KeysFooter).visible is False
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert app.screen.query_one(KeysFooter).styles.visibility != "hidden"


async def test_two_from_a_profile_goes_to_the_list_and_slash_to_the_search(
    db_path: Path,
) -> None:
    ann = client("Ann", "Lee")
    app, _ = start_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        app.open_client_profile(ann)
        await settle(app, pilot)
        assert isinstance(app.screen, ClientProfileScreen)
        await pilot.press("1", "2")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientsScreen)
        app.open_client_profile(ann)
        await settle(app, pilot)
        await pilot.press("slash", "b", "e", "n")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientsScreen)
        assert app.screen.query_one("#clients-search", Input).value == "ben"
