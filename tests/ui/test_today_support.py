"""Shared steps for the Today screen's Pilot tests (no tests here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from practice_tui.domain.clients import create_client
from practice_tui.domain.models import Appointment
from practice_tui.domain.settings import list_services
from practice_tui.ui.app import PracticeApp, make_app
from practice_tui.ui.screens.today import TodayScreen
from practice_tui.ui.widgets.agenda import AgendaTable
from practice_tui.ui.widgets.line import HeadLine, Line
from tests.conftest import FIXED_TODAY, fixed_clock
from tests.ui import helpers


def start_app(path: Any) -> tuple[PracticeApp, list[str]]:
    """The app at the fixed clock, with every notification's text recorded."""
    app = make_app(path, clock=fixed_clock)
    said: list[str] = []
    original = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        said.append(message)
        original(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return app, said


async def settle(app: PracticeApp, pilot: Pilot) -> None:
    """Wait until the app is idle: workers done, messages handled, screen painted."""
    await helpers.settle(pilot)


def today_screen(app: PracticeApp) -> TodayScreen:
    return next(s for s in app.screen_stack if isinstance(s, TodayScreen))


def rows(app: PracticeApp) -> list[str]:
    """Each row of the day as the person reads it (cells joined by " | ")."""
    table = today_screen(app).query_one(AgendaTable)
    return [
        " | ".join(str(cell).strip() for cell in table.row_cells(index))
        for index in range(table.row_count)
    ]


def text_of(app: PracticeApp, selector: str) -> str:
    """The text a label (a ``Static`` or a ``Line``) shows on the active screen."""
    return str(app.screen.query_one(selector, Static | Line).render())


def today_title(app: PracticeApp) -> str:
    """The left of Today's head line: the practice, or "Week overview"."""
    return today_screen(app).query_one(HeadLine).title.plain


def today_date(app: PracticeApp) -> str:
    """The right of Today's head line: the date shown and how far it is from today."""
    return today_screen(app).query_one(HeadLine).right.plain


def value_of(app: PracticeApp, selector: str) -> str:
    return app.screen.query_one(selector, Input).value


async def select_row(app: PracticeApp, pilot: Pilot, contains: str) -> None:
    """Move the cursor with the arrow keys to the first row containing ``contains``."""
    table = today_screen(app).query_one(AgendaTable)
    target = next(i for i, row in enumerate(rows(app)) if contains in row)
    await pilot.press("home")
    await helpers.settle(pilot)
    key = "down" if target > table.cursor_row else "up"
    for _ in range(abs(target - table.cursor_row)):
        await pilot.press(key)
    await helpers.settle(pilot)
    assert table.cursor_row == target


def active_keys(app: PracticeApp) -> set[str]:
    """The keys the footer offers right now."""
    return {key for key, active in app.screen.active_bindings.items() if active.binding.show}


def services() -> dict[str, int]:
    return {s.name: s.id for s in list_services()}


def client(first: str, last: str = "", **fields: str) -> int:
    return create_client({"first_name": first, "last_name": last, **fields}, today=FIXED_TODAY).id


def stored() -> list[tuple]:
    return list(Appointment.select().order_by(Appointment.id).tuples())


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))
