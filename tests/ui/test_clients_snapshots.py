"""Pictures of the Clients screens on the demo practice at the fixed date."""

from __future__ import annotations

from practice_tui.domain.clients import search_clients
from practice_tui.domain.profile import client_profile
from practice_tui.ui.app import make_app
from tests.conftest import FIXED_NOW, fixed_clock
from tests.ui.helpers import settle


def precaution_client_with_history() -> int:
    """The demo client on warfarin with the longest pain history (found, not assumed)."""
    candidates = [
        c
        for c in search_clients("", now=FIXED_NOW, limit=500)
        if c.contraindications.startswith("Warfarin")
    ]
    assert candidates, "the demo has a client on warfarin"
    best = max(candidates, key=lambda c: (client_profile(c.id, FIXED_NOW).trend.sessions, -c.id))
    assert client_profile(best.id, FIXED_NOW).trend.sessions >= 3
    return best.id


def open_profile(client_id: int):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        pilot.app.open_client_profile(client_id)
        await settle(pilot)

    return run_before


def test_profile_with_alert_and_pain_trend(snap_compare, demo_path) -> None:
    client_id = precaution_client_with_history()
    app = make_app(demo_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=(100, 30), run_before=open_profile(client_id))


def test_profile_at_80x24(snap_compare, demo_path) -> None:
    client_id = precaution_client_with_history()
    app = make_app(demo_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_profile(client_id))


def test_client_list_at_80x24(snap_compare, demo_path) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)

    app = make_app(demo_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_client_form_with_refused_input(snap_compare, demo_path) -> None:
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = pilot.app.screen
        form.query_one("#f-last_name").value = "[bold]Lee[/]"
        form.query_one("#f-date_of_birth").value = "2026-02-30"
        form.query_one("#f-email").value = "ann@"
        await pilot.press("ctrl+s")
        await settle(pilot)

    app = make_app(demo_path, clock=fixed_clock)
    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)
