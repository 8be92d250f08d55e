"""The footer rebuilds its keys only when they change, and keeps showing
exactly what Textual's footer would: which keys, and which are usable now."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from practice_tui.ui.app import make_app
from practice_tui.ui.widgets.footer import KeysFooter
from tests.conftest import fixed_clock
from tests.ui.helpers import settle


def _footer_matches_the_bindings(screen) -> None:
    footer = screen.query_one(KeysFooter)
    shown = {(key.key, key.action): not key._disabled for key in footer.query(FooterKey)}
    wanted = {}
    for _, binding, enabled, _tooltip in screen.active_bindings.values():
        if binding.show:
            wanted.setdefault((binding.key, binding.action), enabled)
    assert shown == wanted
    for key in footer.query(FooterKey):
        assert key.has_class("-disabled") == key._disabled


async def test_moving_between_rows_rebuilds_the_keys_only_when_they_change(demo_path) -> None:
    app = make_app(demo_path, clock=fixed_clock, preview_delay=0, welcome=False)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        screen = app.screen
        footer = screen.query_one(KeysFooter)
        before = list(footer.query(FooterKey))
        kept = rebuilt = 0
        for key in ["down"] * 12 + ["w", "right", "w"]:
            await pilot.press(key)
            await settle(pilot)
            _footer_matches_the_bindings(screen)
            now = list(footer.query(FooterKey))
            if [(k.key, k.action) for k in now] == [(k.key, k.action) for k in before]:
                assert now == before  # the same keys: the same widgets, not rebuilt
                kept += 1
            else:
                rebuilt += 1
            before = now
        # Rows differ in what can be done (a free gap, a booked and a completed
        # session) and the week view has keys of its own: both cases happened.
        assert kept and rebuilt
