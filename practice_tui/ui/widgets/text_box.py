"""``TextBox``: the one-line box every form and search uses.

Textual's ``Input`` sets its scrolling width at every key typed, and that asks
for a layout of the whole screen: in the client form (over a hundred widgets)
most of a keystroke's time, and the same on every screen with a search box. A
one-line box shows no scroll bar, and its own width never depends on what is
typed, so here that width is kept without a layout. It still scrolls to keep
the cursor in view, and a box whose width is ``auto`` is still laid out again
as it grows (Textual's ``Input`` does that itself).
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class TextBox(Input):
    """Textual's ``Input`` without a layout of the screen at every key."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
