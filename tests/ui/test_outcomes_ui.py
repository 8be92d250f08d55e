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
