"""``Line`` and ``HeadLine``: one-line labels whose new text repaints the line
without laying out the screen again (Today changes them at every ←/→)."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from practice_tui.ui.widgets.line import HeadLine, Line
from tests.ui.helpers import record_layouts, settle


class Labels(App[None]):
    CSS = "HeadLine, Line { padding: 0 1; }"

    def compose(self) -> ComposeResult:
        yield HeadLine(Text("Riverside Medical Massage · Today"))
        yield Line(Text("4 booked"))


def painted(widget: HeadLine | Line) -> str:
    """The line's content as drawn (without its padding)."""
    return "".join(segment.text for segment in widget.render_line(0))


async def test_new_text_repaints_the_line_and_lays_out_nothing(monkeypatch) -> None:
    app = Labels()
    async with app.run_test(size=(60, 5)) as pilot:
        await settle(pilot)
        layouts = record_layouts(monkeypatch)
        head, line = app.query_one(HeadLine), app.query_one(Line)
        for date in ("Thursday 26 November 2026 · yesterday", "Friday 27 November 2026"):
            head.show(Text("Riverside Medical Massage · Today"), Text(date))
            line.show(Text(f"{len(date)} booked · 2 done"))
            await settle(pilot)
            assert painted(head).rstrip().endswith(date)
            assert f"{len(date)} booked · 2 done" in painted(line)
        assert layouts == []


async def test_the_right_words_stay_whole_and_the_title_gives_way() -> None:
    app = Labels()
    async with app.run_test(size=(60, 5)) as pilot:
        head = app.query_one(HeadLine)
        head.show(Text("Riverside Medical Massage · Today"), Text("Friday 27 November 2026"))
        await settle(pilot)
        wide = painted(head)
        # The line's content: 58 cells between the padding.
        assert wide == "Riverside Medical Massage · Today" + " " * 2 + "Friday 27 November 2026"
        await pilot.resize_terminal(45, 5)
        await settle(pilot)
        narrow = painted(head)
        assert narrow == "Riverside Medical… " + " " + "Friday 27 November 2026"
        assert len(narrow) == 43
