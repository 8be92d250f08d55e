"""``TextBox``: a one-line box that types and scrolls as Textual's ``Input``,
without laying out the whole screen at every key."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

import practice_tui.ui
from practice_tui.ui.widgets.text_box import TextBox
from tests.ui.helpers import settle

#: Typed, then moved about and deleted in, in steps: more than the box's
#: width, so it scrolls both ways.
STEPS = [
    list("abcdefghijklmnopqrstuvwxyz"),
    ["home"],
    ["right", "right"],
    ["end"],
    ["backspace"] * 20,
    list("xyz"),
    ["home"],
    ["delete"] * 4,
    ["end"],
]


class BoxApp(App[None]):
    CSS = "Input { width: 20; }"

    def __init__(self, box: type[Input]) -> None:
        super().__init__()
        self.box = box

    def compose(self) -> ComposeResult:
        with Vertical():
            for number in range(30):
                yield Static(f"line {number}")
            yield self.box(id="box", compact=True)


async def what_typing_shows(box: type[Input], monkeypatch: pytest.MonkeyPatch):
    """After each step: the text, the cursor, the scroll and the line on
    screen; and how many times the screen was laid out while typing."""
    layouts = 0
    lay_out = Screen._refresh_layout

    def counted(self, *args, **kwargs):
        nonlocal layouts
        layouts += 1
        return lay_out(self, *args, **kwargs)

    app = BoxApp(box)
    seen = []
    async with app.run_test(size=(40, 40)) as pilot:
        widget = app.query_one("#box", Input)
        widget.focus()
        await settle(pilot)
        monkeypatch.setattr(Screen, "_refresh_layout", counted)
        for keys in STEPS:
            await pilot.press(*keys)
            await settle(pilot)
            line = widget.render_lines(widget.region.reset_offset)[0].text
            seen.append((widget.value, widget.cursor_position, widget.scroll_x, line))
    return seen, layouts


async def test_a_text_box_types_and_scrolls_as_an_input_without_laying_out_the_screen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown, layouts = await what_typing_shows(TextBox, monkeypatch)
    as_input, input_layouts = await what_typing_shows(Input, monkeypatch)
    assert shown == as_input
    assert max(scroll for *_, scroll, _ in shown) > 0  # it did scroll
    assert shown[-1][0] == "efxyz"
    assert layouts == 0
    assert input_layouts >= len(STEPS)  # what TextBox saves


def test_every_one_line_box_in_the_app_is_a_text_box() -> None:
    """No screen or dialog builds a plain ``Input``."""
    root = Path(practice_tui.ui.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Input"
            ):
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    assert found == []
