"""Wide (CJK, emoji), combining and right-to-left (Arabic, Hebrew) names keep
table columns in line: on Today, in the Clients list and in the Money screen's
"who owes" table at 80x24, every row is exactly the table's width and the
column after the name starts at the same cell in every row. No row carries a
character a terminal could use to reorder or join across cells (bidi
controls, a zero-width joiner: shown as visible symbols instead)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from rich.cells import cell_len
from textual.widgets import DataTable

from practice_tui.domain.clients import create_client
from practice_tui.domain.db import close_database, open_database
from practice_tui.domain.schedule import book_appointment, mark_completed
from practice_tui.domain.settings import list_services
from practice_tui.ui.app import make_app
from practice_tui.ui.widgets.agenda import AgendaTable
from tests.conftest import FIXED_NOW, FIXED_TODAY, fixed_clock
from tests.ui.helpers import settle

NAMES = (
    ("王小明", "陳"),  # CJK: two cells a character
    ("محمد", "العلي"),  # Arabic, right to left
    ("שרה", "כהן"),  # Hebrew, right to left
    ("Zoe\u0308", "Ångström 😀"),  # combining diaeresis, an emoji
    ("Family", "PLACEHOLDER"),  # a joined emoji sequence, written by another program
)
FAMILY = "👩\u200d👩\u200d👧 Lee"
#: What may never reach a table cell: bidi controls and the zero-width joiner.
REORDERING = {"\u200d", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), "\u2066", "\u2067"}
PHONE = "555 0100"
TIMES = (dt.time(9), dt.time(10, 15), dt.time(11, 30), dt.time(13, 30), dt.time(14, 45))


def lines(table: DataTable | AgendaTable) -> list[tuple[str, int]]:
    """Each painted line of the table: its text and its width in cells."""
    out = []
    for y in range(table.size.height):
        strip = table.render_line(y)
        out.append(("".join(segment.text for segment in strip), strip.cell_length))
    return out


def assert_in_line(table: DataTable | AgendaTable, marker: str, rows: int) -> None:
    """``marker`` (the column after the name) starts at the same cell on every row."""
    painted = lines(table)
    starts = {cell_len(text[: text.index(marker)]) for text, _ in painted if marker in text}
    found = sum(marker in text for text, _ in painted)
    assert found == rows, (marker, [text for text, _ in painted])
    assert len(starts) == 1, (marker, starts, [text for text, _ in painted])
    assert {width for _, width in painted} == {table.size.width}
    for text, _ in painted:
        assert not REORDERING & set(text), repr(text)


def practice(db_path: Path) -> None:
    medical = next(s for s in list_services() if s.name == "Medical massage 60")
    ids = [
        create_client(
            {"first_name": first, "last_name": last, "phone": PHONE}, today=FIXED_TODAY
        ).id
        for first, last in NAMES
    ]
    yesterday = FIXED_TODAY - dt.timedelta(days=1)
    for client, time in zip(ids, TIMES, strict=True):
        past = book_appointment(client, medical.id, dt.datetime.combine(yesterday, time))
        mark_completed(past.id, now=FIXED_NOW)  # each owes one fee
        book_appointment(client, medical.id, dt.datetime.combine(FIXED_TODAY, time))
    close_database()
    conn = sqlite3.connect(db_path)  # another program: a name no form would take
    conn.execute("UPDATE client SET last_name = ? WHERE id = ?", (FAMILY, ids[-1]))
    conn.commit()
    conn.close()
    open_database(db_path)


async def test_today_clients_and_money_tables_stay_in_line(db_path: Path) -> None:
    practice(db_path)
    app = make_app(db_path, clock=fixed_clock, preview_delay=0, welcome=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        today = app.screen.query_one(AgendaTable)
        assert_in_line(today, "Medical massag", len(NAMES))
        await pilot.press("2")
        await settle(pilot)
        clients = app.screen.query_one("#clients-table", DataTable)
        assert_in_line(clients, PHONE, len(NAMES))
        await pilot.press("5")
        await settle(pilot)
        owing = app.screen.query_one("#money-owing", DataTable)
        assert_in_line(owing, "$85.00", len(NAMES))
        painted = " ".join(text for text, _ in lines(owing))
        assert "王小明" in painted and "שרה" in painted and "⟨U+200D⟩" in painted
