"""Type-ahead in every list picked from: body areas, techniques, home care,
services — typing the first letters jumps to the match; ticked entries show ✓
(readable without colour)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select

from practice_tui.domain.vocab import HOME_CARE, REGION_NAMES, TECHNIQUES
from practice_tui.ui.app import make_app
from practice_tui.ui.typeahead import CheckList, TypeAhead, match_index
from practice_tui.ui.widgets.body_areas import BodyAreas
from tests.conftest import fixed_clock
from tests.domain.notes_helpers import at, book, make_client
from tests.ui.helpers import settle
from tests.ui.test_sessions import open_editor
from tests.ui.test_today_support import services, start_app


def test_match_prefers_the_start_then_a_word() -> None:
    names = list(REGION_NAMES)
    assert names[match_index(names, "hi")] == "hips"
    assert names[match_index(names, "ha")] == "hamstrings"
    assert names[match_index(names, "tmj")] == "jaw/TMJ"
    assert names[match_index(names, "lum")] == "lower back/lumbar"
    assert match_index(names, "zz") is None


def test_the_same_letter_again_goes_to_the_next_match() -> None:
    names = list(REGION_NAMES)
    typed = TypeAhead()
    first = typed.find(names, "h", 0)
    assert names[first] == "hips"
    typed.reset()  # another key acted in between
    second = typed.find(names, "h", first)
    assert names[second] == "hamstrings"


def test_a_letter_that_matches_nothing_starts_afresh() -> None:
    names = list(REGION_NAMES)
    typed = TypeAhead()
    index = typed.find(names, "n", 5)
    assert names[index] == "neck"
    # "nf" matches nothing: "f" alone goes to feet.
    assert names[typed.find(names, "f", index)] == "feet"


async def test_areas_techniques_and_home_care_jump_to_what_is_typed(db_path: Path) -> None:
    appointment = book(make_client(), at(0, 9))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        areas = editor.query_one("#areas", BodyAreas)
        areas.focus()
        await pilot.press("h", "i", "space")
        await settle(pilot)
        assert areas.value == ("hips:both",)
        await pilot.press("j", "right")  # jaw/TMJ, right side only
        await settle(pilot)
        assert areas.value == ("hips:both", "jaw/TMJ:right")
        techniques = editor.query_one("#techniques", CheckList)
        techniques.focus()
        await pilot.press("m", "space")
        await settle(pilot)
        assert techniques.selected == ["myofascial release"]
        assert TECHNIQUES.index("myofascial release") == techniques.highlighted
        home_care = editor.query_one("#home_care", CheckList)
        home_care.focus()
        await pilot.press("h", "e", "space")
        await settle(pilot)
        assert home_care.selected == ["heat"]
        # Ticked shows ✓, unticked a blank: readable without colour.
        lines = [
            home_care.render_line(y).text for y in range(len(HOME_CARE)) if home_care.render_line(y)
        ]
        heat = next(line for line in lines if "heat" in line)
        cold = next(line for line in lines if "cold" in line)
        assert "✓" in heat and "✓" not in cold
        assert "X" not in heat and "X" not in cold


async def test_services_jump_to_what_is_typed(db_path: Path) -> None:
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        service = app.screen.query_one("#service", Select)
        service.focus()
        await settle(pilot)
        await pilot.press("s", "p")
        await settle(pilot)
        assert service.value == services()["Sports massage 60"]
        assert app.screen.query_one("#minutes").value == "60"


async def test_letters_in_the_client_matches_go_on_typing_the_search(db_path: Path) -> None:
    from practice_tui.ui.widgets.client_picker import ClientPicker
    from tests.ui.test_today_support import client

    client("Ann", "Lee")
    client("Anna", "Brown")
    app, _ = start_app(db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("a", "n")
        await settle(pilot)
        await pilot.press("down")  # into the list of matches
        await settle(pilot)
        picker = app.screen.query_one(ClientPicker)
        await pilot.press("n", "a")  # typed in the list: on in the box
        await settle(pilot)
        assert picker.input.value == "anna"
        await pilot.press("enter")
        await settle(pilot)
        assert picker.client is not None and picker.client.name == "Anna Brown"
