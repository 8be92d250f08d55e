"""Type-ahead: in a list picked from, typing the first letters jumps to the match.

``h`` goes to the first entry starting with h after the cursor (``h`` again:
the next one), ``ha`` narrows to "hamstrings"; letters that start a later
word count too ("tmj" finds "jaw/TMJ"). What was typed is forgotten as soon
as another key acts (an arrow, ``space``) or when it matches nothing (the last
letter then starts afresh) — never after a length of time, so the same keys
always land on the same entry.

``TypeAhead`` is the buffer a list keeps; ``CheckList`` (techniques, home
care) and ``PickSelect`` (services) use it, and so does the body-area picker.
A letter a list binds to an action of its own is not taken for type-ahead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.strip import Strip
from textual.widgets import Select, SelectionList
from textual.widgets._toggle_button import ToggleButton

_WORDS = re.compile(r"[\s/,()\-+]+")


def match_index(labels: Sequence[str], typed: str, start: int = 0) -> int | None:
    """The first of ``labels`` (from ``start`` on, wrapping round) that begins
    with ``typed``, else one with a word that does; None when none does."""
    if not labels or not typed:
        return None
    typed = typed.casefold()
    count = len(labels)
    order = [(start + step) % count for step in range(count)]
    for index in order:
        if labels[index].casefold().startswith(typed):
            return index
    for index in order:
        if any(word.startswith(typed) for word in _WORDS.split(labels[index].casefold())):
            return index
    return None


class TypeAhead:
    """What has been typed into one list so far."""

    def __init__(self) -> None:
        self.typed = ""

    def reset(self) -> None:
        self.typed = ""

    def find(self, labels: Sequence[str], character: str, current: int | None) -> int | None:
        """Where ``character`` typed next takes the cursor (None: nowhere)."""
        here = current or 0
        if self.typed:
            # Still narrowing: the entry under the cursor stays while it matches.
            index = match_index(labels, self.typed + character, here)
            if index is not None:
                self.typed += character
                return index
        # A fresh letter: the next entry after the cursor that starts with it.
        index = match_index(labels, character, here + 1 if current is not None else 0)
        self.typed = character if index is not None else ""
        return index


def typed_letter(event: events.Key, bound: set[str]) -> str | None:
    """The letter or digit a key typed, unless it is bound (or a space)."""
    character = event.character
    if character is None or not event.is_printable or character == " ":
        return None
    if event.key in bound or character in bound:
        return None
    return character


def bound_keys(widget: object) -> set[str]:
    """The keys a widget's own bindings use (``"left,l"`` gives both)."""
    keys: set[str] = set()
    for binding in getattr(widget, "BINDINGS", ()):
        key = binding.key if hasattr(binding, "key") else binding[0]
        keys.update(part.strip() for part in key.split(","))
    return keys


def _label(prompt: object) -> str:
    if isinstance(prompt, Text):
        return prompt.plain
    return str(prompt)


class CheckList(SelectionList[str]):
    """A list of things to tick (techniques, home care): ``space`` ticks, a
    ticked entry shows ✓ and an unticked one a blank — readable without
    colour — and typing the first letters jumps to an entry."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._typeahead = TypeAhead()

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        _, scroll_y = self.scroll_offset
        try:
            selection = self.get_option_at_index(scroll_y + y)
        except Exception:  # noqa: BLE001 — a line below the last entry
            return strip
        mark = "✓" if selection.value in self._selected else " "
        segments[1] = Segment(mark, segments[1].style, segments[1].control)
        return Strip(segments, strip.cell_length)

    async def _on_key(self, event: events.Key) -> None:
        letter = typed_letter(event, bound_keys(self))
        if letter is None:
            self._typeahead.reset()
            return
        labels = [_label(self.get_option_at_index(i).prompt) for i in range(self.option_count)]
        index = self._typeahead.find(labels, letter, self.highlighted)
        if index is not None:
            event.stop()
            event.prevent_default()
            self.highlighted = index


class PickSelect(Select[int]):
    """A drop-down whose entries can be picked, closed, by typing their first
    letters (the open list searches as Textual's does)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._typeahead = TypeAhead()
        self.typed_pick = False

    async def _on_key(self, event: events.Key) -> None:
        if self.expanded:
            return
        letter = typed_letter(event, set())
        if letter is None:
            self._typeahead.reset()
            return
        options = [(_label(prompt), value) for prompt, value in self._options]
        choices = [(label, value) for label, value in options if value is not Select.NULL]
        current = next((i for i, (_, v) in enumerate(choices) if v == self.value), None)
        index = self._typeahead.find([label for label, _ in choices], letter, current)
        event.stop()
        event.prevent_default()
        if index is not None:
            #: The value was typed (the person may type on): the form keeps the focus here.
            self.typed_pick = True
            self.value = choices[index][1]
