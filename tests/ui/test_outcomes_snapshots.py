"""Pictures of a chronic-pain client's profile: the pain chart beside its words,
the functional goals with their change, at 80x24 and 120x35 (fixed clock)."""

from __future__ import annotations

from practice_tui.domain.models import ProgressReport
from practice_tui.ui.app import make_app
from tests.conftest import fixed_clock
from tests.ui.test_clients_snapshots import open_profile


def _client() -> int:
    """The demo's chronic-pain client with a progress report (found, not assumed)."""
    return ProgressReport.select().first().client_id


def test_profile_with_chart_and_goals_at_80x24(snap_compare, demo_path) -> None:
    app = make_app(demo_path, clock=fixed_clock, preview_delay=0)
    assert snap_compare(app, terminal_size=(80, 24), run_before=open_profile(_client()))


def test_profile_with_chart_and_goals_at_120x35(snap_compare, demo_path) -> None:
    app = make_app(demo_path, clock=fixed_clock, preview_delay=0)
    assert snap_compare(app, terminal_size=(120, 35), run_before=open_profile(_client()))
