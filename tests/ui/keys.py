"""Typing as a person does, for Pilot tests: fast, and counted.

``type_fast`` puts keys in the app's queue one after the other without waiting
for the app in between, as a fast typist's keys arrive while a form is still
opening. ``KeyCount`` drives a path with ``pilot.press`` and counts the keys
pressed (typed text is counted apart), so a change that adds keys to a daily
path is noticed.
"""

from __future__ import annotations

import asyncio
import unicodedata

from textual import events
from textual.app import App
from textual.keys import _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot

from tests.ui.helpers import settle


def _key_event(key: str) -> events.Key:
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(key))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def type_fast(app: App, *keys: str) -> None:
    """Queue ``keys`` at once (no wait between them); ``settle`` afterwards."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        event = _key_event(key)
        event.set_sender(app)
        driver.send_message(event)


async def open_and_type(app: App, opener: str, opens: type, *keys: str) -> None:
    """Press ``opener``, and the moment the screen it opens is on top (before it
    has read what it shows), queue ``keys``: a fast typist's first letters."""
    type_fast(app, opener)
    for _ in range(10_000):
        if isinstance(app.screen, opens):
            break
        await asyncio.sleep(0)
    else:
        raise AssertionError(f"{opener!r} never opened {opens.__name__}")
    type_fast(app, *keys)


class KeyCount:
    """Press keys through Pilot and count them: ``keys`` the presses, ``typed`` the characters."""

    def __init__(self, pilot: Pilot) -> None:
        self.pilot = pilot
        self.keys = 0
        self.typed = 0

    async def press(self, *keys: str) -> None:
        """Keys that act (arrows, letters outside fields, enter, ctrl+s…): each counts one."""
        for key in keys:
            self.keys += 1
            await self.pilot.press(key)
            await settle(self.pilot)

    async def type(self, text: str) -> None:
        """Text typed into a field: counted as characters, not keys."""
        self.typed += len(text)
        await self.pilot.press(*text)
        await settle(self.pilot)
