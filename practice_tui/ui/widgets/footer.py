"""The footer of every screen and dialog: the keys that work here, drawn as
one line by one widget.

Textual's ``Footer`` builds a widget for every key (a dozen on Today) and
builds them all again whenever the keys may have changed — every focus
change, every row that offers other keys. Each of those widgets is styled,
laid out and painted on its own: on the main screens they were half of all
widgets, and the footer most of the cost of opening a screen. This footer is
one widget that draws the same line, in the same places and colours (the
theme's ``$footer-*`` colours), and only repaints when the keys change.

What it shows is read from the screen's ``active_bindings`` each time it is
drawn, as Textual's footer does: a key per action (its first binding),
grouped keys side by side before their group's label, keys not usable now
dimmed, and the command palette's key at the right edge. A click on a key
presses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class FooterEntry:
    """One key as the footer shows it."""

    key: str
    key_display: str
    description: str
    action: str
    enabled: bool
    #: The label of the group this key is shown in (drawn once, after its keys).
    group: str | None = None
    #: Shown with its group's keys packed tight (``Binding.Group(compact=True)``).
    group_compact: bool = False


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    entry: FooterEntry


class KeysFooter(Widget, can_focus=False):
    """The keys of the screen, one line at the bottom (styles in app.tcss)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "keys-footer--key",
        "keys-footer--description",
        "keys-footer--label",
        "keys-footer--edge",
    }

    def __init__(
        self,
        *,
        compact: bool = False,
        show_command_palette: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.compact = compact
        self.show_command_palette = show_command_palette
        self.set_class(compact, "-compact", update=False)
        self._drawn: tuple[tuple[FooterEntry, ...], FooterEntry | None] | None = None
        self._spans: list[_Span] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen: Screen) -> None:
        # Only the footer in view: one of a screen already left is drawn
        # afresh when its screen comes back. Textual answers a key such as
        # ``screen.copy_text`` with the app's current screen, and a screen
        # just switched to may not have its widgets yet.
        if (
            screen.app.app_focus
            and self.is_attached
            and screen is self.screen
            and screen is screen.app.screen
        ):
            if self._entries() != self._drawn:
                self.refresh()

    # --- what is shown ---------------------------------------------------------

    def entries(self) -> tuple[FooterEntry, ...]:
        """The keys shown, left to right (without the palette's key)."""
        return self._entries()[0]

    def _entries(self) -> tuple[tuple[FooterEntry, ...], FooterEntry | None]:
        active = self.screen.active_bindings
        by_action: dict[str, tuple[Binding, bool]] = {}
        for _, binding, enabled, _tooltip in active.values():
            if binding.show:
                by_action.setdefault(binding.action, (binding, enabled))
        get_key_display = self.app.get_key_display
        shown: list[FooterEntry] = []
        for group, members in groupby(by_action.values(), lambda item: item[0].group):
            members = list(members)
            grouped = group is not None and len(members) > 1
            for binding, enabled in members:
                shown.append(
                    FooterEntry(
                        binding.key,
                        get_key_display(binding),
                        "" if grouped else binding.description,
                        binding.action,
                        enabled,
                        group.description if grouped and group else None,
                        bool(grouped and group and group.compact),
                    )
                )
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _, binding, enabled, _tooltip = found
                palette = FooterEntry(
                    binding.key,
                    get_key_display(binding),
                    binding.description,
                    binding.action,
                    enabled,
                )
        return tuple(shown), palette

    def text(self) -> str:
        """The footer's line as plain text, as wide as the footer."""
        return self.render().plain

    # --- drawing ---------------------------------------------------------------

    def render(self) -> Text:
        shown, palette = self._drawn = self._entries()
        key_style = self.get_component_rich_style("keys-footer--key")
        description_style = self.get_component_rich_style("keys-footer--description")
        label_style = self.get_component_rich_style("keys-footer--label")
        edge_style = self.get_component_rich_style("keys-footer--edge")
        dim = Style(dim=True)
        compact = self.compact
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[_Span] = []

        def key(entry: FooterEntry, *, tight: bool, margin: tuple[int, int] = (0, 0)) -> None:
            line.append(" " * margin[0])
            first_character, start = len(line), line.cell_len
            if entry.description:
                pad = "" if tight else " "
                line.append(pad + entry.key_display + pad, key_style)
                description = (" " + entry.description) if tight else (entry.description + " ")
                line.append(description, description_style)
            else:
                line.append(entry.key_display, key_style)
            if not entry.enabled:
                line.stylize(dim, first_character)
            spans.append(_Span(start, line.cell_len, entry))
            line.append(" " * margin[1])

        for label, members in groupby(shown, lambda entry: (entry.group, entry.group_compact)):
            group, group_compact = label
            members = list(members)
            if group is None:
                for entry in members:
                    key(entry, tight=compact, margin=(0, 1 if compact else 0))
                continue
            # Textual's KeyGroup: the keys side by side, then the group's label.
            if group_compact:
                line.append(" ")
                for entry in members:
                    key(entry, tight=True)
                line.append(" ")
            else:
                for entry in members:
                    key(entry, tight=True, margin=(1, 1))
            line.append(group, label_style)
            line.append(" ")

        width = self.size.width
        if palette is not None and width:
            # The palette's key, docked at the right edge behind a thin rule.
            tail = Text(no_wrap=True, end="")
            tail.append("▏", edge_style)
            start = tail.cell_len
            tail.append(palette.key_display, key_style)
            tail.append(" " + palette.description, description_style)
            if not palette.enabled:
                tail.stylize(dim, 1)
            if not compact:
                tail.append(" ")
            room = max(width - tail.cell_len, 0)
            line.truncate(room, pad=True)
            spans.append(_Span(room + start, room + tail.cell_len, palette))
            line.append_text(tail)
        elif width:
            line.truncate(width, overflow="crop", pad=True)
        self._spans = spans
        return line

    def get_content_width(self, container, viewport) -> int:  # type: ignore[no-untyped-def]
        return container.width

    def get_content_height(self, container, viewport, width: int) -> int:  # type: ignore[no-untyped-def]
        return 1

    # --- the mouse -------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        for span in self._spans:
            if span.start <= event.x < span.end:
                event.stop()
                if span.entry.enabled:
                    self.app.simulate_key(span.entry.key)
                else:
                    self.app.bell()
                return
