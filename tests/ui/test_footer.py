"""The footer shows exactly the keys that work here — which keys, in which
order, which are usable now — in one line, and a click on a key presses it."""

from __future__ import annotations

from rich.text import Text

from practice_tui.ui.app import make_app
from practice_tui.ui.dialogs.appointment import AppointmentForm
from practice_tui.ui.screens.today import TodayScreen
from practice_tui.ui.widgets.footer import KeysFooter
from tests.conftest import fixed_clock
from tests.ui.helpers import settle


def _footer_matches_the_bindings(screen) -> None:
    footer = screen.query_one(KeysFooter)
    shown = [(entry.key, entry.action, entry.enabled) for entry in footer.entries()]
    wanted: dict[str, tuple[str, str, bool]] = {}
    for _, binding, enabled, _tooltip in screen.active_bindings.values():
        if binding.show:
            wanted.setdefault(binding.action, (binding.key, binding.action, enabled))
    assert shown == list(wanted.values())
    # Each key is drawn, dimmed when not usable now.
    drawn: Text = footer.render()
    for entry in footer.entries():
        at = drawn.plain.find(entry.key_display)
        assert at >= 0, entry
        dim = any(span.style.dim for span in drawn.spans if span.start <= at < span.end)
        assert dim is not entry.enabled, entry


async def test_the_footer_follows_the_selected_row_and_the_view(demo_path) -> None:
    app = make_app(demo_path, clock=fixed_clock, preview_delay=0, welcome=False)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        seen = set()
        for key in ["down"] * 12 + ["w", "right", "w"]:
            await pilot.press(key)
            await settle(pilot)
            _footer_matches_the_bindings(screen)
            seen.add(screen.query_one(KeysFooter).entries())
        # Rows differ in what can be done (a free gap, a booked and a completed
        # session) and the week view has keys of its own.
        assert len(seen) > 2


async def test_the_line_fits_the_width_and_keeps_the_palette_key_at_the_edge(
    demo_path,
) -> None:
    app = make_app(demo_path, clock=fixed_clock, preview_delay=0, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")  # Sessions: a footer with the palette's key
        await settle(pilot)
        line = app.screen.query_one(KeysFooter).text()
        assert len(line) == 80
        assert line.rstrip().endswith("^p palette")
        assert line.startswith(" ⏎ Open note ")


async def test_a_click_on_a_key_presses_it(demo_path) -> None:
    app = make_app(demo_path, clock=fixed_clock, preview_delay=0, welcome=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        footer = app.screen.query_one(KeysFooter)
        line = footer.text()
        x = line.index("n New")
        await pilot.click(KeysFooter, offset=(x, 0))
        await settle(pilot)
        assert isinstance(app.screen, AppointmentForm)
