"""The profile's pain chart and goals, the goals dialog, the progress report and
the record export — all from the keyboard, on the demo practice."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static, TextArea

from practice_tui.domain.models import ProgressReport
from practice_tui.domain.outcomes import client_outcomes
from practice_tui.ui.app import PracticeApp, make_app
from practice_tui.ui.dialogs.goals import GoalsDialog
from practice_tui.ui.dialogs.progress_report import ExportRecordDialog, ProgressReportDialog
from practice_tui.ui.screens.client_profile import ClientProfileScreen
from practice_tui.ui.widgets.pain_chart import PainChart
from tests.conftest import fixed_clock


async def settle(app: PracticeApp, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


def report_client() -> int:
    return ProgressReport.select().first().client_id


async def open_profile(app: PracticeApp, pilot, client_id: int) -> ClientProfileScreen:
    await settle(app, pilot)
    app.open_client_profile(client_id)
    await settle(app, pilot)
    assert isinstance(app.screen, ClientProfileScreen)
    return app.screen


async def test_profile_shows_the_pain_chart_and_goals(demo_path: Path) -> None:
    client_id = report_client()
    app = make_app(demo_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(80, 24)) as pilot:
        profile = await open_profile(app, pilot, client_id)
        chart = profile.query_one(PainChart).render().plain
        assert "10 ┤" in chart and "since first visit" in chart
        goals = shown(profile.query_one("#profile-goals", Static))
        assert "Lift my grandchild" in goals and "since 14 Sep" in goals


async def test_the_parts_keep_their_width_when_the_profile_fills_up(
    demo_path: Path, monkeypatch
) -> None:
    """The profile is read in a worker and fills the scrolling body: the room of
    its scrollbar is kept from the start, so the chart and the sessions are
    laid out and drawn for one width, not again when the scrollbar appears."""
    import asyncio
    import threading

    from practice_tui.ui.screens import client_profile as profile_module
    from practice_tui.ui.widgets.past_sessions import PastSessions
    from tests.ui.helpers import settle_app

    read = profile_module.client_profile
    may_answer = threading.Event()

    def slow_read(*args, **kwargs):  # type: ignore[no-untyped-def]
        may_answer.wait(timeout=30)
        return read(*args, **kwargs)

    monkeypatch.setattr(profile_module, "client_profile", slow_read)
    client_id = report_client()
    app = make_app(demo_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.open_client_profile(client_id)
        # Not ``settle``: it would wait for the read held back above. Until the
        # screen is laid out (a minute at most, far beyond any machine).
        for _ in range(12_000):
            await asyncio.sleep(0.005)
            profile = app.screen
            if isinstance(profile, ClientProfileScreen) and profile.query(PastSessions):
                body = profile.query_one("#profile-body")
                if body.size.width and profile.query_one(PainChart).size.width:
                    break
        assert isinstance(profile, ClientProfileScreen) and profile.profile is None
        before = (profile.query_one(PainChart).size.width, body.scrollable_content_region.width)
        assert not body.show_vertical_scrollbar
        may_answer.set()
        await settle_app(app, thorough=True)
        assert profile.profile is not None and body.show_vertical_scrollbar
        after = (profile.query_one(PainChart).size.width, body.scrollable_content_region.width)
        assert before == after
        assert profile.query_one(PastSessions).size.width == after[1]


async def test_showing_the_same_outcomes_again_draws_nothing_again() -> None:
    """The profile shows its outcomes on every resize: the chart is only laid
    out and drawn again when what it shows has changed."""
    import datetime as dt

    from textual.app import App, ComposeResult

    from practice_tui.domain.outcomes import PainPoint
    from practice_tui.domain.profile import PainTrend
    from tests.ui.helpers import settle_app

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield PainChart()

    day = dt.date(2026, 9, 1)
    points = [PainPoint(day, 7, 4), PainPoint(day + dt.timedelta(weeks=1), 6, 3)]
    trend = PainTrend((7, 6), (4, 3), 2, day, 7, 6, 3)
    app = Host()
    async with app.run_test(size=(80, 12)):
        chart = app.query_one(PainChart)
        refreshed: list[bool] = []
        refresh = chart.refresh
        chart.refresh = lambda *a, **k: refreshed.append(k.get("layout", False)) or refresh(*a, **k)  # type: ignore[method-assign]
        chart.show(points, trend)
        assert refreshed == [True]
        await settle_app(app, thorough=True)
        refreshed.clear()
        chart.show(list(points), trend)
        assert refreshed == []
        chart.show(points[:1], trend)
        assert refreshed == [True]


async def test_goals_dialog_refuses_a_bad_score_and_saves_a_good_one(demo_path: Path) -> None:
    client_id = report_client()
    before = client_outcomes(client_id)
    app = make_app(demo_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(app, pilot, client_id)
        await pilot.press("g")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, GoalsDialog)
        dialog.query_one("#activity-3", Input).value = "Carry the shopping"
        dialog.query_one("#score-3", Input).value = "7.5"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog
        assert "no decimals" in shown(dialog.query_one("#err-3", Static))
        assert client_outcomes(client_id) == before
        dialog.query_one("#score-3", Input).value = "4"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientProfileScreen)
        goals = app.screen.query_one("#profile-goals", Static)
        assert "Carry the shopping" in str(goals.render())
    goal = client_outcomes(client_id).goals[-1]
    assert (goal.activity, [s.score for s in goal.scores]) == ("Carry the shopping", [4])


async def test_progress_report_from_the_profile(demo_path: Path, tmp_path: Path) -> None:
    client_id = report_client()
    reports = ProgressReport.select().count()
    folder = tmp_path / "out"
    app = make_app(demo_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_profile(app, pilot, client_id)
        await pilot.press("p")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ProgressReportDialog)
        assert dialog.query_one("#report-start", Input).value == "2026-09-16"
        assert "with a signed note" in shown(dialog.query_one("#report-counts", Static))
        dialog.query_one("#report-folder", Input).value = str(folder)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is dialog
        assert "summary" in shown(dialog.query_one("#err-summary", Static))
        assert ProgressReport.select().count() == reports and not folder.exists()
        dialog.query_one("#report-summary", TextArea).text = "Pain eased.\nLifts again."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientProfileScreen)
    assert ProgressReport.select().count() == reports + 1
    assert sorted(p.suffix for p in folder.iterdir()) == [".md", ".pdf"]


async def test_record_export_from_the_palette(demo_path: Path, tmp_path: Path) -> None:
    client_id = report_client()
    folder = tmp_path / "records"
    app = make_app(demo_path, clock=fixed_clock, preview_delay=0)
    async with app.run_test(size=(80, 24)) as pilot:
        profile = await open_profile(app, pilot, client_id)
        titles = [command.title for command in app.get_system_commands(profile)]
        assert {"Progress report", "Export client record", "Functional goals"} <= set(titles)
        export = next(
            c for c in app.get_system_commands(profile) if c.title == "Export client record"
        )
        export.callback()
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ExportRecordDialog)
        dialog.query_one("#export-folder", Input).value = str(folder)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientProfileScreen)
    assert sorted(p.suffix for p in folder.iterdir()) == [".json", ".pdf"]


def shown(widget: Static) -> str:
    """What the widget holds, whether or not it has been laid out yet."""
    return str(widget.render())
