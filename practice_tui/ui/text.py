"""Text a person typed, made safe for widgets.

Textual parses markup in strings handed to labels, table cells and
notifications. Everything that came from a person goes through ``plain`` (a
``rich.text.Text``, never parsed) with control characters made visible.
"""

from __future__ import annotations

from rich.rule import Rule
from rich.text import Text

from practice_tui.textutil import one_line, visible


def plain(text: str, style: str = "", *, keep_newlines: bool = False) -> Text:
    """``text`` shown exactly as typed: ``[bold]Ann[/]`` stays ``[bold]Ann[/]``."""
    return Text(visible(text, keep_newlines=keep_newlines), style=style, end="")


def plain_line(text: str, width: int | None = None, style: str = "") -> Text:
    """The first line of ``text``, literal, cut to ``width``."""
    return Text(one_line(text, width), style=style, end="")


def join(*parts: Text | str, sep: str = "") -> Text:
    """Join literal pieces; bare strings here are the program's own words, still literal."""
    result = Text(end="")
    for index, part in enumerate(parts):
        if index and sep:
            result.append(sep)
        result.append(part if isinstance(part, Text) else Text(part))
    return result


def section(title: str) -> Rule:
    """A section's title, our own words, as a rule across the width:
    ``── upcoming ────``."""
    return Rule(Text(f" {title} ", style="bold"), align="left", style="bright_black")
