"""4 Plans: recurring treatment plans."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static


class PlansScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("Plans", id="plans-title")
        yield Footer()
