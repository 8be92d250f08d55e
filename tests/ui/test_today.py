"""The Today screen through the keyboard: reading the day, moving through days
and weeks, the footer, and the actions on the selected appointment.

The clock is fixed at Friday 27 Nov 2026 11:20 (``fixed_clock``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import astuple

from textual.widgets import Input, Static

from practice_tui.domain.appointments import get_appointment
from practice_tui.domain.models import Client
from practice_tui.domain.schedule import book_appointment, cancel_appointment, mark_completed
from practice_tui.ui.app import make_app
from practice_tui.ui.dialogs.appointment import AppointmentForm
from practice_tui.ui.dialogs.appointment_details import AppointmentDetailsDialog
from practice_tui.ui.dialogs.common import ConfirmDialog, PromptDialog
from practice_tui.ui.dialogs.goto import GoToDateDialog
from practice_tui.ui.screens.today import TodayScreen
from practice_tui.ui.widgets.agenda import AgendaTable
from practice_tui.ui.widgets.week import WeekGrid
from tests.conftest import FIXED_NOW, FIXED_TODAY
from tests.ui.test_today_support import (
    active_keys,
    at,
    client,
    rows,
    select_row,
    services,
    settle,
    start_app,
    stored,
    text_of,
    today_date,
    today_screen,
    today_title,
)

APPOINTMENT_KEYS = {"e", "m", "c", "x", "d", "s", "p", "u"}


# --- reading the day ---------------------------------------------------------------


async def test_the_busy_demo_day_reads_at_a_glance(demo_path) -> None:
    app, _ = start_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "Riverside Medical Massage · Today" in today_title(app)
        assert today_date(app) == "Friday 27 November 2026"
        summary = text_of(app, "#today-summary")
        assert summary.startswith("4 booked · 2 done · 0 cancelled · ")
        assert "free left" in summary and "notes owed" in summary
        lines = rows(app)
        assert lines[0].startswith("✓ 09:00–10:00 | Maya Kowalski")
        daniel = next(line for line in lines if "Daniel Carter" in line)
        assert "⚠" in daniel and "Warfarin (anticoagulant)" in daniel and "completed" in daniel
        first = next(line for line in lines if "Ahmed O'Brien" in line)
        assert "★" in first and "new client" in first and "90m" in first
        # 11:20: the next session is Sofia's at 11:30, marked and selected.
        assert next(line for line in lines if "Sofia García" in line).startswith("▶ 11:30")
        assert today_screen(app).appointment.client_name == "Sofia García"
        # 12:00–12:15 is the buffer after Sofia's session: only 12:15–12:30 is free.
        assert any(line.startswith("12:15–12:30 | free · 15 min") for line in lines)
        assert any("lunch break" in line for line in lines)
        legend = text_of(app, "#today-legend")
        for word in ("⚠ precaution", "★ first visit", "✎ note owed", "▶ next"):
            assert word in legend


async def test_the_session_on_now_is_marked(db_path) -> None:
    ann = client("Ann", "Lee")
    book_appointment(ann, services()["Medical massage 60"], at(FIXED_TODAY, 10, 45))
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        now_row = next(line for line in rows(app) if "Ann Lee" in line)
        assert now_row.startswith("● 10:45–11:45") and "| now |" in now_row
        assert "1 booked · 0 done · 0 cancelled · 4h free left" in text_of(app, "#today-summary")


async def test_an_empty_working_day_says_so_and_offers_n(db_path) -> None:
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "No appointments on Friday 27 November 2026. Press n to book one." in text_of(
            app, "#today-empty"
        )
        assert [line.split(" | ")[0] for line in rows(app)] == [
            "09:00–12:30",
            "12:30–13:30",
            "13:30–17:00",
        ]
        assert "n" in active_keys(app)
        await pilot.press("right", "right")  # Sunday: a day off
        await settle(app, pilot)
        assert "Sunday is not a working day" in text_of(app, "#today-empty")
        assert rows(app) == []
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, AppointmentForm)


async def test_cancelled_and_no_show_stay_visible_and_muted(db_path) -> None:
    ann, ben = client("Ann", "Lee"), client("Ben", "Carter")
    sixty = services()["Medical massage 60"]
    gone = book_appointment(ann, sixty, at(FIXED_TODAY, 14))
    cancel_appointment(gone.id, "Car trouble", now=FIXED_NOW)
    book_appointment(ben, sixty, at(FIXED_TODAY, 14))
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        cancelled = next(line for line in rows(app) if "Ann Lee" in line)
        assert cancelled.startswith("✗ 14:00–15:00")
        assert "cancelled" in cancelled and "late cancel · Car trouble" in cancelled
        table = today_screen(app).query_one(AgendaTable)
        cells = table.row_cells(next(i for i, line in enumerate(rows(app)) if "Ann Lee" in line))
        assert "dim" in str(cells[1].style)


# --- moving through days and weeks ------------------------------------------------


async def test_arrows_and_t_move_through_days(demo_path) -> None:
    app, _ = start_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = today_screen(app)
        assert "t" not in active_keys(app)  # already on today
        await pilot.press("right", "right")
        await settle(app, pilot)
        assert screen.day == dt.date(2026, 11, 29)
        assert today_date(app) == "Sunday 29 November 2026 · in 2 days"
        assert "t" in active_keys(app)
        await pilot.press("left", "left", "left")
        await settle(app, pilot)
        assert today_date(app) == "Thursday 26 November 2026 · yesterday"
        await pilot.press("t")
        await settle(app, pilot)
        assert screen.day == FIXED_TODAY


async def test_each_day_builds_the_table_once_sized_for_its_scrollbar(db_path, monkeypatch) -> None:
    """Friday's rows overflow the table (a scrollbar); Thursday's do not, and
    its "no appointments" line takes room above the table. Each key builds the
    table once, its columns fitting beside the scrollbar."""
    ann = client("Ann", "Lee")
    for _ in range(24):
        booked = book_appointment(ann, services()["Medical massage 60"], at(FIXED_TODAY, 9))
        cancel_appointment(booked.id, reason="Unwell", now=FIXED_NOW)
    builds: list[dt.date | None] = []
    rebuild = AgendaTable._rebuild

    def counted(table: AgendaTable, keep: object) -> None:
        builds.append(table.agenda.view.day if table.agenda else None)
        rebuild(table, keep)  # type: ignore[arg-type]

    monkeypatch.setattr(AgendaTable, "_rebuild", counted)
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        table = today_screen(app).query_one(AgendaTable)

        def fits(scrolls: bool) -> None:
            assert table.show_vertical_scrollbar is scrolls
            assert (table.row_count > table.size.height) is scrolls
            # One cell is left for the scrollbar, shown or not.
            columns = sum(astuple(table.widths))
            assert (
                columns
                == table.size.width - 1
                == table.scrollable_content_region.width - (0 if scrolls else 1)
            )

        fits(scrolls=True)
        thursday = FIXED_TODAY - dt.timedelta(days=1)
        for key, day, scrolls in (
            ("left", thursday, False),
            ("right", FIXED_TODAY, True),
            ("left", thursday, False),
        ):
            builds.clear()
            await pilot.press(key)
            await settle(app, pilot)
            assert builds == [day]
            fits(scrolls)


async def test_the_notes_owed_are_counted_again_only_after_a_write_or_a_minute(
    db_path, monkeypatch
) -> None:
    """Counting the notes owed reads every appointment ever kept, so moving
    through days and weeks reuses the count, until something is saved or the
    minute turns (a booked session is owed from its end)."""
    from practice_tui.domain import today as today_domain

    ann = client("Ann", "Lee")
    massage = services()["Medical massage 60"]
    thursday = FIXED_TODAY - dt.timedelta(days=1)
    book_appointment(ann, massage, at(thursday, 10))  # over, no note: owed
    book_appointment(ann, massage, at(FIXED_TODAY, 10, 21))  # ends 11:21, a minute from now
    counts: list[dt.datetime] = []
    count = today_domain.notes_owed_count

    def counting(now: dt.datetime) -> int:
        counts.append(now)
        return count(now)

    monkeypatch.setattr(today_domain, "notes_owed_count", counting)
    clock = [FIXED_NOW]
    app = make_app(db_path, clock=lambda: clock[0])
    async with app.run_test(size=(100, 30)) as pilot:

        async def press(*keys: str) -> str:
            await pilot.press(*keys)
            await settle(app, pilot)
            return text_of(app, "#today-summary")

        await settle(app, pilot)
        assert text_of(app, "#today-summary").endswith("· 1 notes owed")
        # The first move counts again: the plans' top-up wrote after the first paint.
        assert (await press("right")).endswith("· 1 notes owed")
        counted = len(counts)
        assert (await press("w")).endswith("· 1 notes owed")
        assert (await press("w", "left", "right")).endswith("· 1 notes owed")
        assert len(counts) == counted
        # Saved (here by the domain, as another screen of the app would).
        book_appointment(ann, massage, at(thursday, 14))
        assert (await press("left")).endswith("· 2 notes owed")
        assert (await press("w")).endswith("· 2 notes owed")
        assert len(counts) == counted + 1
        # 11:21: the session booked at 10:21 is over, and owed.
        clock[0] = FIXED_NOW + dt.timedelta(minutes=1)
        assert (await press("w")).endswith("· 3 notes owed")
        assert len(counts) == counted + 2


async def test_go_to_a_typed_date_and_a_bad_one_keeps_the_dialog(demo_path) -> None:
    app, _ = start_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("g")
        await settle(app, pilot)
        assert isinstance(app.screen, GoToDateDialog)
        await pilot.press(*"feb 30", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, GoToDateDialog)
        assert "February" in text_of(app, "#prompt-error") and "no day 30" in text_of(
            app, "#prompt-error"
        )
        assert app.screen.query_one(Input).value == "feb 30"
        app.screen.query_one(Input).value = "next tue"
        await pilot.press("enter")
        await settle(app, pilot)
        assert today_screen(app).day == dt.date(2026, 12, 1)
        for typed, day in (("dec 3", dt.date(2026, 12, 3)), ("tomorrow", dt.date(2026, 11, 28))):
            await pilot.press("g", *typed, "enter")
            await settle(app, pilot)
            assert today_screen(app).day == day
        await pilot.press("g", *"2026-12-03", "escape")
        await settle(app, pilot)
        assert today_screen(app).day == dt.date(2026, 11, 28)  # escape leaves it


async def test_week_overview_pages_by_week_and_opens_a_day(demo_path) -> None:
    app, _ = start_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = today_screen(app)
        await pilot.press("w")
        await settle(app, pilot)
        grid = screen.query_one(WeekGrid)
        assert screen.week_mode and grid.display
        assert grid.overview.first_day == dt.date(2026, 11, 23)
        assert "Week 48 · 23–29 November 2026 · this week" in today_date(app)
        assert not (APPOINTMENT_KEYS & active_keys(app))
        assert [len(d.appointments) for d in grid.overview.days][4] == 6
        await pilot.press("right")
        await settle(app, pilot)
        assert grid.overview.first_day == dt.date(2026, 11, 30)
        assert screen.day == dt.date(2026, 12, 4)
        await pilot.press("up", "up")
        await settle(app, pilot)
        assert grid.selected == dt.date(2026, 12, 2)
        await pilot.press("enter")
        await settle(app, pilot)
        assert not screen.week_mode
        assert screen.day == dt.date(2026, 12, 2)
        assert today_date(app).startswith("Wednesday 2 December 2026")
        await pilot.press("w", "left", "w")
        await settle(app, pilot)
        assert screen.day == dt.date(2026, 11, 25) and not screen.week_mode


async def test_the_mouse_works_too(demo_path) -> None:
    app, _ = start_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = today_screen(app)
        # A first click on a row selects it, a second opens it.
        target = next(i for i, line in enumerate(rows(app)) if "Ben Hassan" in line)
        for _ in range(2):
            await pilot.click(AgendaTable, offset=(20, 1 + target))
            await settle(app, pilot)
        assert isinstance(app.screen, AppointmentDetailsDialog)
        assert "Ben Hassan" in text_of(app, "#details-title")
        await pilot.press("escape", "w")
        await settle(app, pilot)
        # In the week: a click picks a day's column, a second click opens it.
        for _ in range(2):
            await pilot.click(WeekGrid, offset=(1 + 2 * 14 + 3, 4))
            await settle(app, pilot)
        assert not screen.week_mode and screen.day == dt.date(2026, 11, 25)


async def test_question_mark_lists_every_key(demo_path) -> None:
    app, _ = start_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        from practice_tui.ui.dialogs.keys import KeysDialog

        assert isinstance(app.screen, KeysDialog)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)


# --- the footer offers only what applies ----------------------------------------


async def test_footer_keys_follow_the_selected_row(db_path) -> None:
    ann, ben = client("Ann", "Lee"), client("Ben", "Carter")
    sixty = services()["Medical massage 60"]
    done = book_appointment(ann, sixty, at(FIXED_TODAY, 9))
    mark_completed(done.id, now=FIXED_NOW)
    book_appointment(ben, sixty, at(FIXED_TODAY, 10, 15))  # started, still booked
    book_appointment(ben, sixty, at(FIXED_TODAY, 15))  # later today
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, "15:00–16:00")
        assert {"e", "m", "c", "p", "enter", "n"} <= active_keys(app)
        assert not {"x", "d", "s", "u"} & active_keys(app)
        await select_row(app, pilot, "10:15–11:15")
        assert {"e", "m", "c", "x", "d", "s", "p"} <= active_keys(app)
        assert "u" not in active_keys(app)
        await select_row(app, pilot, "09:00–10:00")  # completed
        assert {"s", "p", "u"} <= active_keys(app)
        assert not {"e", "m", "c", "x", "d"} & active_keys(app)
        await select_row(app, pilot, "free")
        assert not APPOINTMENT_KEYS & active_keys(app)
        assert {"n", "enter"} <= active_keys(app)


# --- details ------------------------------------------------------------------------


async def test_enter_shows_details_and_its_keys_act(demo_path) -> None:
    app, _ = start_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, "Daniel Carter")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AppointmentDetailsDialog)
        body = text_of(app, "#details-text")
        assert "Warfarin (anticoagulant): light pressure only, no deep friction" in body
        assert "Deep tissue 60 · 60 min · completed" in body
        assert "Contact: 555-" in body and "Last session · " in body
        assert "e" not in active_keys(app) and "s" in active_keys(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        await select_row(app, pilot, "Ben Hassan")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("m")
        await settle(app, pilot)
        assert isinstance(app.screen, AppointmentForm) and app.screen.mode == "move"
        assert app.screen.appointment.client_name == "Ben Hassan"


async def test_enter_on_a_free_gap_books_there(demo_path) -> None:
    app, _ = start_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, "free")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AppointmentForm) and app.screen.mode == "new"


# --- cancel, no-show, done, reopen, note, profile -------------------------------------


async def test_cancel_asks_a_reason_and_flags_a_late_cancel(demo_path) -> None:
    app, said = start_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, "Ahmed O'Brien")
        appointment_id = today_screen(app).appointment.id
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, PromptDialog)
        assert "Late cancel" in " ".join(str(s.render()) for s in app.screen.query(Static))
        before = stored()
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PromptDialog)  # no reason: stays open
        assert "Give a reason" in text_of(app, "#prompt-error")
        assert stored() == before
        await pilot.press(*"Flu", "enter")
        await settle(app, pilot)
        # The demo practice charges a late-cancel fee: it is offered, and declined here.
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(app, pilot)
        cancelled = get_appointment(appointment_id)
        assert (cancelled.status, cancelled.cancel_reason, cancelled.late_cancel) == (
            "cancelled",
            "Flu",
            True,
        )
        assert any(m.startswith("Cancelled (late cancel): Ahmed O'Brien") for m in said)
        line = next(line for line in rows(app) if "Ahmed O'Brien" in line)
        assert "cancelled" in line and "late cancel · Flu" in line
        assert "1 cancelled" in text_of(app, "#today-summary")
        # The cursor stays on it, and now offers to reopen it.
        assert today_screen(app).appointment.id == appointment_id
        assert "u" in active_keys(app) and "c" not in active_keys(app)
        await pilot.press("u", "y")
        await settle(app, pilot)
        assert get_appointment(appointment_id).status == "booked"


async def test_escape_on_the_reason_cancels_nothing(demo_path) -> None:
    app, _ = start_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, "Ben Hassan")
        before = stored()
        await pilot.press("c", *"typo", "escape")
        await settle(app, pilot)
        assert stored() == before


async def test_no_show_after_confirming(db_path) -> None:
    ann = client("Ann", "Lee")
    first = book_appointment(ann, services()["Medical massage 60"], at(FIXED_TODAY, 9))
    app, said = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, "Ann Lee")
        assert {"x", "d", "s"} <= active_keys(app)
        await pilot.press("x")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(app, pilot)
        assert get_appointment(first.id).status == "booked"
        await pilot.press("x", "y")
        await settle(app, pilot)
        assert get_appointment(first.id).status == "no_show"
        assert "Marked no-show: Ann Lee, Fri 27 Nov 09:00–10:00" in said
        line = next(line for line in rows(app) if "Ann Lee" in line)
        assert line.startswith("– 09:00–10:00") and "no-show" in line


async def test_done_then_offer_to_write_the_note(db_path, monkeypatch) -> None:
    ann = client("Ann", "Lee")
    first = book_appointment(ann, services()["Medical massage 60"], at(FIXED_TODAY, 9))
    second = book_appointment(ann, services()["Follow-up 30"], at(FIXED_TODAY, 10, 15))
    app, _ = start_app(db_path)
    opened: list[int] = []
    monkeypatch.setattr(app, "open_note_editor", opened.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, "09:00")
        await pilot.press("d")
        await settle(app, pilot)
        assert get_appointment(first.id).status == "completed"
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert opened == [first.id]
        await select_row(app, pilot, "10:15")
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("n")  # later
        await settle(app, pilot)
        assert opened == [first.id]
        assert get_appointment(second.id).status == "completed"
        line = next(line for line in rows(app) if "10:15" in line)
        assert line.startswith("✓") and "✎" in line  # the note is owed


async def test_s_opens_the_note_and_p_the_profile(demo_path, monkeypatch) -> None:
    app, _ = start_app(demo_path)
    notes: list[int] = []
    profiles: list[int] = []
    monkeypatch.setattr(app, "open_note_editor", notes.append)
    monkeypatch.setattr(app, "open_client_profile", profiles.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, "Maya Kowalski")
        item = today_screen(app).appointment
        await pilot.press("s", "p")
        await settle(app, pilot)
        assert notes == [item.id] and profiles == [item.client_id]
        await select_row(app, pilot, "Ben Hassan")  # not started: no note yet
        await pilot.press("s")
        await settle(app, pilot)
        assert notes == [item.id]


async def test_a_change_refused_by_the_rules_is_a_message_not_a_crash(db_path) -> None:
    ann = client("Ann", "Lee")
    first = book_appointment(ann, services()["Medical massage 60"], at(FIXED_TODAY, 14))
    app, said = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await select_row(app, pilot, "Ann Lee")
        # Meanwhile, elsewhere (the command line, the Sessions screen), it is closed.
        mark_completed(first.id, now=at(FIXED_TODAY, 15))
        await pilot.press("c", *"Sick", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert any("Only booked appointments can be cancelled" in m for m in said)
        assert get_appointment(first.id).status == "completed"
        assert "completed" in next(line for line in rows(app) if "Ann Lee" in line)


async def test_a_change_made_elsewhere_shows_on_return(db_path) -> None:
    ann = client("Ann", "Lee")
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        book_appointment(ann, services()["Medical massage 60"], at(FIXED_TODAY, 14))
        await pilot.press("1")
        await settle(app, pilot)
        assert any("Ann Lee" in line for line in rows(app))


# --- typed text is data ------------------------------------------------------------------


async def test_names_and_reasons_are_shown_literally(db_path) -> None:
    markup = client("[bold]Ann[/]", "Lee", contraindications="[red]no[/] deep work")
    control = client("Eve", "Day")
    # A typed name refuses control characters; another program can still store one.
    Client.update(first_name="Eve\x1b[31m").where(Client.id == control).execute()
    sixty = services()["Medical massage 60"]
    gone = book_appointment(markup, sixty, at(FIXED_TODAY, 14), booking_note="[b]x[/b]")
    cancel_appointment(gone.id, "[link=x]why[/link]\x07", now=FIXED_NOW)
    book_appointment(markup, sixty, at(FIXED_TODAY, 15, 15), booking_note="[i]park[/i]")
    book_appointment(control, sixty, at(FIXED_TODAY, 9, 0))
    app, _ = start_app(db_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        lines = rows(app)
        assert any("[bold]Ann[/] Lee" in line and "[link=x]why[/link]␇" in line for line in lines)
        assert any("[red]no[/] deep work" in line and "[i]park[/i]" in line for line in lines)
        assert any("Eve␛[31m Day" in line for line in lines)
        assert not any("\x1b" in line for line in lines)
        await select_row(app, pilot, "[i]park[/i]")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "[bold]Ann[/] Lee" in text_of(app, "#details-title")
        assert "[red]no[/] deep work" in text_of(app, "#details-text")
        assert "Booking note: [i]park[/i]" in text_of(app, "#details-text")
        # Nothing in a name acted as a key or markup: still the same dialog.
        assert isinstance(app.screen, AppointmentDetailsDialog)


async def test_a_read_overtaken_by_a_later_one_is_not_shown(db_path) -> None:
    """Two reads of the day in flight (a dialog closing, then a change saved):
    the first may land last, and what it read is older than what is shown."""
    from practice_tui.domain.today import day_agenda

    ann = client("Ann", "Lee")
    first = book_appointment(ann, services()["Medical massage 60"], at(FIXED_TODAY, 9))
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = today_screen(app)
        screen.reload()  # the first read, answered below only after the second
        overtaken = screen._asked
        before = day_agenda(FIXED_TODAY, now=FIXED_NOW)
        cancel_appointment(first.id, reason="ill", now=FIXED_NOW)
        screen.reload()
        await settle(app, pilot)
        assert any("cancelled" in line for line in rows(app) if "Ann Lee" in line)
        screen._show_day(before, frozenset(), overtaken)  # the first read lands last
        await settle(app, pilot)
        assert any("cancelled" in line for line in rows(app) if "Ann Lee" in line)
