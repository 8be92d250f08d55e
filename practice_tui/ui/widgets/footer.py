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
from textual.widgets._footer import FooterKey


class KeysFooter(Footer):
    """``Footer`` that skips rebuilding when the keys shown are unchanged, and
    only greys or lights keys when just their being usable changed."""

    _shown: tuple[Hashable, ...] | None = None

    def _keys_shown(self) -> tuple[tuple[Hashable, ...], dict[tuple[str, str], bool]]:
        """What the footer draws — each shown key, its label, action, group and
        tooltip; the palette key; the compact style — and, apart, whether each
        (key, action) is usable now."""
        keys = []
        usable: dict[tuple[str, str], bool] = {}
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not (binding.show or binding.action == "app.command_palette"):
                continue
            keys.append(
                (
                    binding.key,
                    binding.key_display,
                    binding.description,
                    binding.action,
                    binding.group.description if binding.group else None,
                    str(tooltip),
                )
            )
            usable.setdefault((binding.key, binding.action), enabled)
        return (self.compact, self.show_command_palette, tuple(keys)), usable

    def compose(self) -> ComposeResult:
        self._shown = self._keys_shown()[0] if self._bindings_ready else None
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # Born with the style it will have (the palette key is always
                # compact): Textual's key styles itself again on mount, once
                # for its own default and once more for the footer's value.
                compact = self.compact or widget.has_class("-command-palette")
                widget.set_reactive(FooterKey.compact, compact)
                widget.set_class(compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        if not self.is_attached:
            return
        shown, usable = self._keys_shown()
        if shown != self._shown:
            await self.recompose()
            return
        for footer_key in self.query(FooterKey):
            enabled = usable.get((footer_key.key, footer_key.action))
            if enabled is not None and footer_key._disabled == enabled:
                # What FooterKey's constructor sets for a key not usable now.
                footer_key._disabled = not enabled
                footer_key.set_class(not enabled, "-disabled")
