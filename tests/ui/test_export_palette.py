"""The command palette's data out: export calendar, export CSV, back up now —
each asks for a path, writes in a worker and says where the file went."""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest
from textual.widgets import Input

from practice_tui.ui.app import make_app
from practice_tui.ui.dialogs.common import PromptDialog
from tests.conftest import fixed_clock


async def _settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def _messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_the_palette_offers_the_three_commands(demo_path: Path) -> None:
    app = make_app(demo_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Export calendar…", "Export CSV…", "Back up now"} <= set(titles)


@pytest.mark.parametrize("kind", ["calendar", "csv", "backup"])
async def test_each_asks_for_a_path_and_writes_there(
    demo_path: Path, tmp_path: Path, kind: str
) -> None:
    target = tmp_path / {"calendar": "cal.ics", "csv": "csv", "backup": "copy.db"}[kind]
    app = make_app(demo_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        app._export(kind)
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        box = app.screen.query_one(Input)
        assert box.value  # a sensible default is filled in
        box.value = str(target)
        await pilot.press("enter")
        await _settle(app, pilot)
        assert not isinstance(app.screen, PromptDialog)
        assert any(str(target) in m for m in _messages(app)), _messages(app)
    if kind == "calendar":
        assert icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    elif kind == "csv":
        assert (target / "clients.csv").exists()
    else:
        assert target.stat().st_size > 0


async def test_a_backup_over_an_existing_file_is_refused_in_the_dialog(
    demo_path: Path, tmp_path: Path
) -> None:
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"keep me")
    app = make_app(demo_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        app._export("backup")
        await pilot.pause()
        app.screen.query_one(Input).value = str(taken)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        error = str(app.screen.query_one("#prompt-error").render())
        assert "already exists" in error
        assert app.screen.query_one(Input).value == str(taken)
    assert taken.read_bytes() == b"keep me"


async def test_a_calendar_file_that_cannot_be_written_shows_a_warning(
    demo_path: Path, tmp_path: Path
) -> None:
    from practice_tui.domain.exchange import sync
    from practice_tui.domain.settings import update_practice

    target = tmp_path / "phone.ics"
    sync.keep_calendar_updated(target)
    target.unlink()
    target.mkdir()  # the file cannot be replaced now
    app = make_app(demo_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await _settle(app, pilot)
        app.run_worker(lambda: update_practice(buffer_minutes=10), thread=True)
        await _settle(app, pilot)
        warnings = [m for m in _messages(app) if "could not be written" in m]
        assert len(warnings) == 1 and str(target) in warnings[0]
    assert sync.last_error
