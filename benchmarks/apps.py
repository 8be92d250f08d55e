"""The two programs ``feel.py`` starts in a real terminal, the same way.

``python benchmarks/apps.py practice FILE`` runs practice-tui on FILE with the
clock at the benchmark's "now" (Friday 27 November 2026, 11:20), built with
``make_app`` exactly as ``practice-tui --db FILE`` does.
``python benchmarks/apps.py bare`` runs a bare Textual app: a title, an empty
table and a footer, whose ``right`` key changes a label (the baseline of a
key-to-repaint) and that shows ``09:00`` on its first paint.
"""

from __future__ import annotations

import datetime as dt
import sys

NOW = dt.datetime(2026, 11, 27, 11, 20)


def practice(path: str) -> None:
    from practice_tui.ui.app import make_app

    make_app(path, clock=lambda: NOW).run()


def bare() -> None:
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import DataTable, Footer, Static

    class Bare(App[None]):
        BINDINGS = [Binding("right", "next", "Next", priority=True), ("q", "quit", "Quit")]

        def __init__(self) -> None:
            super().__init__()
            self.day = 0

        def compose(self) -> ComposeResult:
            yield Static("Bare Textual app", id="title")
            yield Static("09:00 day 0", id="day")
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            self.query_one(DataTable).add_columns("Time", "Client", "Service")

        def action_next(self) -> None:
            self.day += 1
            self.query_one("#day", Static).update(f"09:00 day {self.day}")

    Bare().run()


if __name__ == "__main__":
    if sys.argv[1:2] == ["practice"]:
        practice(sys.argv[2])
    elif sys.argv[1:2] == ["bare"]:
        bare()
    else:
        sys.exit("usage: apps.py practice FILE | apps.py bare")
