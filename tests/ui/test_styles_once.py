"""The style sheets are parsed once, not again for every screen's first visit,
and a theme picked still reaches every screen (``_styled_as_now`` in ui/app.py)."""

from __future__ import annotations

import pytest
from textual.css.stylesheet import Stylesheet

from practice_tui.ui.app import make_app
from tests.conftest import fixed_clock
from tests.ui.helpers import settle


@pytest.fixture
def reparses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every time the app's style sheets are parsed again from their sources
    (Textual does it with new colours, and used to at each screen's first visit)."""
    seen: list[str] = []
    reparse = Stylesheet.reparse

    def counted(self: Stylesheet) -> None:
        seen.append("reparse")
        reparse(self)

    monkeypatch.setattr(Stylesheet, "reparse", counted)
    return seen


async def test_first_visits_to_every_screen_parse_no_style_sheet_again(demo_path, reparses) -> None:
    app = make_app(demo_path, clock=fixed_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert reparses == [], "the first paint parsed the style sheets again"
        for key, mode in (
            ("2", "clients"),
            ("3", "sessions"),
            ("4", "plans"),
            ("5", "money"),
            ("6", "practice"),
            ("1", "today"),
        ):
            await pilot.press(key)
            await settle(pilot)
            assert app.current_mode == mode
            assert reparses == [], f"the first visit to {mode} parsed the style sheets again"


async def test_a_theme_picked_reaches_open_screens_and_those_made_later(demo_path) -> None:
    app = make_app(demo_path, clock=fixed_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("2")  # Clients is made before the theme changes
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        before = app.screen.styles.background
        app.theme = "textual-light"
        await settle(pilot)
        after = app.screen.styles.background
        assert after != before
        for key, mode in (("2", "clients"), ("4", "plans")):
            await pilot.press(key)
            await settle(pilot)
            assert app.current_mode == mode
            assert app.screen.styles.background == after, mode
            footer_text = app.screen.query_one("KeysFooter").styles.color
            await pilot.press("1")
            await settle(pilot)
            assert app.screen.query_one("KeysFooter").styles.color == footer_text, mode
