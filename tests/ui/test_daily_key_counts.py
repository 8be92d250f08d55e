"""The keys the daily paths cost, counted, so a change that adds keys is
noticed: chart a follow-up (≤ 12 keys plus the typed text), book the client
again a week later (≤ 4, in test_rebook.py), take a payment from Today."""

from __future__ import annotations

from pathlib import Path

from practice_tui.domain.models import Payment, SessionNote
from practice_tui.domain.notes import sign_note
from practice_tui.domain.schedule import book_appointment, mark_completed
from practice_tui.ui.dialogs.money_form import MoneyForm
from practice_tui.ui.screens.note_editor import NoteEditorScreen
from practice_tui.ui.screens.today import TodayScreen
from practice_tui.ui.widgets.agenda import AgendaTable
from tests.conftest import FIXED_NOW, FIXED_TODAY
from tests.domain.notes_helpers import at, book, make_client
from tests.ui.keys import KeyCount
from tests.ui.test_today_support import rows, services, settle, start_app, today_screen


async def _arrows_to(app, keys: KeyCount, contains: str) -> None:
    table = today_screen(app).query_one(AgendaTable)
    target = next(i for i, row in enumerate(rows(app)) if contains in row)
    while table.cursor_row != target:
        await keys.press("down" if target > table.cursor_row else "up")


async def test_chart_a_follow_up_in_at_most_twelve_keys(db_path: Path) -> None:
    maya = make_client()
    last_week = book(maya, at(7, 9))
    mark_completed(last_week, now=FIXED_NOW)
    sign_note(
        last_week,
        {
            "pain_before": 6,
            "pain_after": 4,
            "areas": ["lower back/lumbar:both"],
            "techniques": ["myofascial release"],
            "pressure": "firm",
            "plan_text": "weekly",
        },
        now=FIXED_NOW,
    )
    today = book(maya, at(0, 9))
    app, _ = start_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        keys = KeyCount(pilot)
        await _arrows_to(app, keys, "Maya Thompson")
        await keys.press("s")
        assert isinstance(app.screen, NoteEditorScreen)
        await keys.type("5")  # pain before
        await keys.press("tab")
        await keys.type("3")  # pain after
        await keys.press("ctrl+d")  # copy the previous note forward
        await keys.press("tab", "tab")  # pressure, then the areas
        await keys.type("hi")  # hips …
        await keys.press("space")  # … both sides
        await keys.press("ctrl+l", "y")  # sign and lock
        note = SessionNote.get(SessionNote.appointment == today)
        assert note.signed_at is not None
        assert (note.pain_before, note.pain_after) == (5, 3)
        assert note.areas == ["lower back/lumbar:both", "hips:both"]
        assert note.techniques == ["myofascial release"]
        assert keys.keys <= 12, keys.keys
        assert keys.typed == 4


async def test_take_a_payment_from_today_in_three_keys(db_path: Path) -> None:
    maya = make_client()
    done = book_appointment(maya, services()["Medical massage 60"], at(0, 9))
    mark_completed(done.id, now=FIXED_NOW)
    app, said = start_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        keys = KeyCount(pilot)
        await _arrows_to(app, keys, "Maya Thompson")
        await keys.press("dollar_sign")
        assert isinstance(app.screen, MoneyForm)
        await keys.press("enter")  # the amount owed is filled in
        assert isinstance(app.screen, TodayScreen)
        assert Payment.select().count() == 1
        assert keys.keys <= 3, keys.keys
    assert FIXED_TODAY == at(0, 9).date()
