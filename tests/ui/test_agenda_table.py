"""Today's rows (``AgendaTable``): the keys that move through a long day, the
scrollbar, and how a row is drawn (each cell's own emphasis, the cursor's
colours over it)."""

from __future__ import annotations

from practice_tui.domain.schedule import book_appointment, cancel_appointment
from practice_tui.ui.widgets.agenda import AgendaTable
from tests.conftest import FIXED_NOW, FIXED_TODAY
from tests.ui.helpers import record_layouts
from tests.ui.test_today_support import at, client, rows, services, settle, start_app, today_screen


def _long_day() -> None:
    """Thirty cancelled visits at 07:00, then a booked one at 14:00 (the next
    session at the fixed clock, so the cursor starts far down the day)."""
    ann, ben = client("Ann", "Lee"), client("Ben", "Carter")
    sixty = services()["Medical massage 60"]
    for number in range(30):
        booked = book_appointment(ann, sixty, at(FIXED_TODAY, 7), allow_outside_hours=True)
        cancel_appointment(booked.id, reason=f"Unwell {number}", now=FIXED_NOW)
    book_appointment(ben, sixty, at(FIXED_TODAY, 14))


async def test_page_keys_move_the_view_a_page_and_the_cursor_with_it(db_path) -> None:
    _long_day()
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = today_screen(app).query_one(AgendaTable)
        page = table.scrollable_content_region.height
        last = table.row_count - 1
        assert table.row_count > page
        # The day opens on the next session, in view at the bottom of a
        # scrolled view, and the scrollbar's thumb is where the rows are.
        assert "Ben Carter" in rows(app)[table.cursor_row]
        assert table.scroll_y > 0
        assert table.cursor_row == table.scroll_y + page - 1
        assert table.vertical_scrollbar.position == table.scroll_y
        await pilot.press("home")
        await settle(app, pilot)
        assert (table.cursor_row, table.scroll_y) == (0, 0)
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert table.cursor_row == page
        assert table.scroll_y == min(page, table.max_scroll_y)
        await pilot.press("pageup")
        await settle(app, pilot)
        assert (table.cursor_row, table.scroll_y) == (0, 0)
        await pilot.press("end")
        await settle(app, pilot)
        assert (table.cursor_row, table.scroll_y) == (last, table.max_scroll_y)
        await pilot.press("up", "up")
        await settle(app, pilot)
        assert table.cursor_row == last - 2
        assert table.vertical_scrollbar.position == table.scroll_y


async def test_a_row_keeps_each_cells_emphasis_and_the_cursor_its_colours(db_path) -> None:
    _long_day()
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = today_screen(app).query_one(AgendaTable)
        await pilot.press("home")
        await settle(app, pilot)
        cursor = table.get_component_rich_style("agenda--cursor")

        def painted(y: int) -> list[tuple[str, object]]:
            return [(segment.text, segment.style) for segment in table.render_line(y)]

        # Row 0 is under the cursor: the cursor's colours on every cell.
        first = painted(0)
        assert "".join(text for text, _ in first).startswith("✗ 07:00–08:00 Ann Lee")
        assert all(style.bgcolor == cursor.bgcolor for _, style in first)
        assert all(style.color == cursor.color for _, style in first)
        # Row 1 is a cancelled visit: dimmed, the length ("60m", a cell with a
        # style of its own and no spans) included.
        second = painted(1)
        length = next(style for text, style in second if "60m" in text)
        assert length.dim
        assert all(style.bgcolor != cursor.bgcolor for _, style in second)
        # Every line is exactly the table's width, past the last row too.
        assert {table.render_line(y).cell_length for y in range(table.size.height)} == {
            table.size.width
        }


async def test_moving_between_days_that_fit_repaints_without_laying_out(
    db_path, monkeypatch
) -> None:
    """Thursday and Friday both fit the table (no scrollbar either way), with
    different numbers of rows: a day key repaints the lines, the screen is not
    laid out again. A day that needs a scrollbar still gets one."""
    ann, ben = client("Ann", "Lee"), client("Ben", "Carter")
    sixty = services()["Medical massage 60"]
    thursday = FIXED_TODAY.replace(day=FIXED_TODAY.day - 1)
    book_appointment(ann, sixty, at(thursday, 10))
    for hour in (9, 11, 14):
        book_appointment(ben, sixty, at(FIXED_TODAY, hour))
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        table = today_screen(app).query_one(AgendaTable)
        layouts = record_layouts(monkeypatch)
        counts = set()
        for key, who in (("left", "Ann Lee"), ("right", "Ben Carter"), ("left", "Ann Lee")):
            await pilot.press(key)
            await settle(app, pilot)
            assert any(who in line for line in rows(app))
            assert table.virtual_size.height == table.row_count
            assert not table.show_vertical_scrollbar
            counts.add(table.row_count)
        assert len(counts) == 2 and layouts == []
        # Thirty more rows on Friday: now it scrolls.
        for _ in range(30):
            booked = book_appointment(ann, sixty, at(FIXED_TODAY, 7), allow_outside_hours=True)
            cancel_appointment(booked.id, reason="Unwell", now=FIXED_NOW)
        await pilot.press("right")
        await settle(app, pilot)
        assert table.show_vertical_scrollbar and table.row_count > table.size.height
