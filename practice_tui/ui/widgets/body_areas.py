"""Pick the body areas treated, with their side, in a few keystrokes.

One line per body region. Typing the first letters of a region goes to it
(``hi`` hips, ``j`` or ``tmj`` jaw/TMJ: ``ui/typeahead.py``). On a region:
``space`` (or ``enter``) picks it for both sides or unpicks it; ``←`` and
``→`` switch the left and the right side on or off; ``b`` sets both; ``x``
clears the region. So "right hip" is ``hi`` then ``→``; "neck, both sides"
is ``space``. Midline regions (abdomen, head/scalp) have no side: any of
those keys picks them. (``l`` no longer stands for left: it starts "lower
back"; ``r`` still means right, as no region starts with it.)

The value is the stored form, ``"region:side"`` in body-region order, the
same as ``domain.notes.normalize_areas`` produces.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from practice_tui.domain.vocab import BODY_REGIONS, SIDED, format_areas, split_area
from practice_tui.ui.typeahead import TypeAhead, bound_keys, typed_letter

_NAME_WIDTH = max(len(name) for name, _ in BODY_REGIONS)


class BodyAreas(OptionList):
    """The body-region list with a side for each picked region."""

    BINDINGS = [
        Binding("space", "toggle", "Pick area"),
        Binding("left", "side('left')", "Left", key_display="←"),
        Binding("right,r", "side('right')", "Right", key_display="→"),
        Binding("b", "side('both')", "Both sides"),
        Binding("x,delete,backspace", "clear", "Unpick", show=False),
    ]

    class Changed(Message):
        """The picked areas changed."""

        def __init__(self, body_areas: BodyAreas, value: tuple[str, ...]) -> None:
            super().__init__()
            self.body_areas = body_areas
            self.value = value

        @property
        def control(self) -> BodyAreas:
            return self.body_areas

    def __init__(
        self,
        value: Iterable[str] = (),
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        #: Region → picked sides ({"left"}, {"right"}, both, or {""} for midline).
        self._sides: dict[str, set[str]] = {}
        self._load(value)
        super().__init__(*self._options(), id=id, classes=classes)
        self._typeahead = TypeAhead()

    # --- the value ---------------------------------------------------------------

    def _load(self, value: Iterable[str]) -> None:
        self._sides = {}
        for item in value:
            region, side = split_area(item)
            sides = self._sides.setdefault(region, set())
            if region not in SIDED:
                sides.add("")
            elif side == "both":
                sides.update(("left", "right"))
            elif side:
                sides.add(side)

    @property
    def value(self) -> tuple[str, ...]:
        result = []
        for region, _sided in BODY_REGIONS:
            sides = self._sides.get(region)
            if not sides:
                continue
            if region not in SIDED:
                result.append(f"{region}:")
            elif sides == {"left", "right"}:
                result.append(f"{region}:both")
            else:
                result.append(f"{region}:{next(iter(sides))}")
        return tuple(result)

    @value.setter
    def value(self, value: Iterable[str]) -> None:
        self._load(value)
        for index, (region, _sided) in enumerate(BODY_REGIONS):
            self.replace_option_prompt_at_index(index, self._prompt(region))
        self.post_message(self.Changed(self, self.value))

    @property
    def summary(self) -> str:
        """The picked areas in words: "neck L/R, hips R"."""
        return format_areas(self.value)

    # --- drawing -----------------------------------------------------------------

    def _prompt(self, region: str) -> Text:
        sides = self._sides.get(region, set())
        picked = bool(sides)
        text = Text(end="", no_wrap=True)
        text.append("✓ " if picked else "· ", style="bold green" if picked else "dim")
        text.append(region.ljust(_NAME_WIDTH), style="bold" if picked else "")
        if region in SIDED:
            text.append(" ")
            text.append("L", style="bold reverse green" if "left" in sides else "dim")
            text.append(" ")
            text.append("R", style="bold reverse green" if "right" in sides else "dim")
        return text

    def _options(self) -> list[Option]:
        return [Option(self._prompt(region), id=region) for region, _ in BODY_REGIONS]

    def _update(self, region: str, sides: set[str]) -> None:
        if sides:
            self._sides[region] = sides
        else:
            self._sides.pop(region, None)
        index = self.get_option_index(region)
        self.replace_option_prompt_at_index(index, self._prompt(region))
        self.post_message(self.Changed(self, self.value))

    def _current(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None else None

    # --- keys ----------------------------------------------------------------------

    async def _on_key(self, event: events.Key) -> None:
        """A letter goes to the region it starts (type-ahead)."""
        letter = typed_letter(event, bound_keys(self))
        if letter is None:
            self._typeahead.reset()
            return
        names = [region for region, _ in BODY_REGIONS]
        index = self._typeahead.find(names, letter, self.highlighted)
        if index is not None:
            event.stop()
            event.prevent_default()
            self.highlighted = index

    def action_select(self) -> None:
        """``enter`` and a mouse click pick or unpick, like ``space``."""
        self.action_toggle()

    def action_toggle(self) -> None:
        region = self._current()
        if region is None:
            return
        if self._sides.get(region):
            self._update(region, set())
        else:
            self._update(region, {"left", "right"} if region in SIDED else {""})

    def action_side(self, side: str) -> None:
        region = self._current()
        if region is None:
            return
        sides = set(self._sides.get(region, set()))
        if region not in SIDED:
            self._update(region, set() if sides else {""})
        elif side == "both":
            self._update(region, {"left", "right"})
        else:
            sides ^= {side}
            self._update(region, sides)

    def action_clear(self) -> None:
        region = self._current()
        if region is not None:
            self._update(region, set())
