"""The first visit to a screen does its work once: the style sheets are parsed
once, not again for every screen (``_styled_as_now`` in ui/app.py), and each
screen reads what it shows once (``back_in_view`` in ui/base.py); a theme
picked still reaches every screen, and coming back still reads afresh."""

from __future__ import annotations

import collections

import pytest
from textual.css.stylesheet import Stylesheet
from textual.worker_manager import WorkerManager

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


#: The worker that reads what each screen shows.
LOADS = {"clients": "_load_page", "sessions": "load", "money": "_load", "practice": "_load"}
KEYS = {"clients": "2", "sessions": "3", "money": "5", "practice": "6"}


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> collections.Counter[str]:
    """How many times each worker was started, by name."""
    started: collections.Counter[str] = collections.Counter()
    add_worker = WorkerManager.add_worker

    def counted(self, worker, start=True, exclusive=True):  # type: ignore[no-untyped-def]
        started[worker.name] += 1
        return add_worker(self, worker, start=start, exclusive=exclusive)

    monkeypatch.setattr(WorkerManager, "add_worker", counted)
    return started


async def test_each_screen_reads_what_it_shows_once_per_visit(demo_path, workers) -> None:
    from practice_tui.ui.dialogs.common import ConfirmDialog

    app = make_app(demo_path, clock=fixed_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        for visit in ("first", "again"):
            for mode, key in KEYS.items():
                workers.clear()
                await pilot.press(key)
                await settle(pilot)
                assert app.current_mode == mode
                assert workers[LOADS[mode]] == 1, f"{visit} visit to {mode}: {dict(workers)}"
        # A dialog closed over a screen: the screen reads afresh, once.
        for mode, key in KEYS.items():
            await pilot.press(key)
            await settle(pilot)
            app.push_screen(ConfirmDialog("Sure?"))
            await settle(pilot)
            workers.clear()
            await pilot.press("n")
            await settle(pilot)
            assert app.current_mode == mode and not isinstance(app.screen, ConfirmDialog)
            assert workers[LOADS[mode]] == 1, f"back from a dialog on {mode}: {dict(workers)}"


async def test_a_footer_left_behind_never_asks_a_screen_still_opening(demo_path) -> None:
    """Switching screens, the footer of the screen left may still hear that
    its keys changed; Textual answers some keys (``screen.copy_text``) with
    the app's current screen, which may not have its widgets yet."""
    from practice_tui.ui.widgets.footer import KeysFooter

    app = make_app(demo_path, clock=fixed_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        for mode in ("clients", "sessions", "plans", "money", "practice", "today"):
            left = app.screen
            footer = left.query_one(KeysFooter)
            app.switch_mode(mode)
            assert app.screen is not left
            footer._bindings_changed(left)  # what the signal does on its next turn
            await settle(pilot)
            assert app.current_mode == mode
            assert app.screen.query_one(KeysFooter).entries()


async def test_every_screen_answers_about_its_keys_before_its_widgets_are_there(
    demo_path,
) -> None:
    from textual.actions import parse

    from practice_tui.ui.app import PracticeApp

    app = make_app(demo_path, clock=fixed_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        for mode, make in PracticeApp.MODES.items():
            screen = make()
            assert not screen.is_mounted
            for _key, binding in screen._bindings:
                _, action, parameters = parse(binding.action)
                assert screen.check_action(action, parameters) in (True, False, None), (
                    mode,
                    binding.action,
                )
