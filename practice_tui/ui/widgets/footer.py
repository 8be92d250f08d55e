"""The footer of every screen and dialog: Textual's ``Footer``, rebuilt only
when the keys it shows change.

Textual's footer builds a widget for each key again whenever the screen's
bindings may have changed — on every change of focus, even when the keys are
the same (moving between the fields of a form, opening a screen). That is
most of the cost of opening a screen and of a focus change. This one remembers
what it shows and rebuilds only when that differs; what it shows is Textual's
own footer, unchanged.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """``Footer`` that skips rebuilding when the keys shown are unchanged."""

    def _keys_shown(self) -> tuple[Hashable, ...]:
        """What the footer draws: each shown key, its label, action, whether it
        is usable now and its tooltip; the palette key; the compact style."""
        keys = tuple(
            (
                binding.key,
                binding.key_display,
                binding.description,
                binding.action,
                binding.group.description if binding.group else None,
                enabled,
                str(tooltip),
            )
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.action == "app.command_palette"
        )
        return (self.compact, self.show_command_palette, keys)

    def compose(self) -> ComposeResult:
        self._shown = self._keys_shown() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        if not self.is_attached or getattr(self, "_shown", None) == self._keys_shown():
            return
        await self.recompose()
