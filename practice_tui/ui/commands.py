"""The command palette (``ctrl+p``) acts: it finds clients by name (opening
the profile), dates ("go to fri", "dec 3", "tomorrow": the domain's date
parser, opening that day on Today), and every action of the screen in view
— the keys of its footer, with the key named — plus the global ones: new
client, new booking, new plan, and the screens with their digits. (Backup
and exports are the app's system commands, ``PracticeApp.get_system_commands``.)

Each provider is a ``textual.command.Provider``; ``PracticeApp.COMMANDS``
lists them. Database reads run in a thread, never on the interface's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from practice_tui.ui.app import PracticeApp


def _app(provider: Provider) -> PracticeApp:
    return provider.app  # type: ignore[return-value]


class ClientCommands(Provider):
    """Clients by name, phone or email: ``enter`` opens the profile."""

    async def search(self, query: str) -> Hits:
        text = query.strip()
        if len(text) < 2:
            return
        app = _app(self)
        from practice_tui.domain.clients import search_clients
        from practice_tui.domain.errors import PracticeError
        from practice_tui.textutil import visible

        try:
            found = await asyncio.to_thread(search_clients, text, now=app.now(), limit=8)
        except PracticeError:
            return
        matcher = self.matcher(text)
        for client in found:
            name = visible(client.name)
            score = max(matcher.match(name), 0.5)
            label = Text("Open ") + Text(name, style="bold")
            if client.phone:
                label.append(f"  {visible(client.phone)}", style="dim")
            yield Hit(
                score,
                label,
                partial(app.open_client_profile, client.id),
                text=f"Open {name}",
                help="The client's profile",
            )


#: Words that may come before a date: "go to fri", "goto dec 3", "show tomorrow".
_DATE_PREFIXES = ("go to ", "goto ", "go ", "show ", "day ")


class DateCommands(Provider):
    """A date typed as on Today's ``g`` ("fri", "dec 3", "+2w"): open that day."""

    async def search(self, query: str) -> Hits:
        from practice_tui.domain.dates import parse_date
        from practice_tui.domain.errors import ValidationError
        from practice_tui.domain.words import full_date, relative_day

        text = query.strip().lower()
        for prefix in _DATE_PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix) :]
                break
        if not text:
            return
        app = _app(self)
        today = app.today()
        try:
            day = parse_date(text, today)
        except ValidationError:
            return
        words = full_date(day)
        if day != today:
            words += f" · {relative_day(day, today)}"
        yield Hit(
            1.0,
            Text("Go to ") + Text(words, style="bold"),
            partial(app.open_day, day),
            text=f"Go to {words}",
            help="That day on Today",
        )


def _key_words(binding: Any) -> str:
    from practice_tui.ui.dialogs.keys import _key_words as words

    return words(binding)


class ActionCommands(Provider):
    """What the screen in view can do now (its keys), and the global actions."""

    def _actions(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = _app(self)
        screen = self.screen
        found: list[tuple[str, str, Callable[[], object]]] = []
        seen: set[str] = set()
        for binding in getattr(screen, "BINDINGS", ()):
            description = getattr(binding, "description", "")
            action = getattr(binding, "action", "")
            if not description or action.startswith("app.") or description in seen:
                continue
            name = action.partition("(")[0]
            try:
                allowed = screen.check_action(name, ()) is not False
            except Exception:  # noqa: BLE001 — a check needing data not loaded yet
                allowed = False
            if not allowed:
                continue
            seen.add(description)
            title = getattr(binding, "tooltip", "") or description
            found.append(
                (
                    f"{title} ({_key_words(binding)})",
                    "On this screen",
                    partial(screen.run_action, action),
                )
            )
        found += [
            ("New booking", "Book an appointment", lambda: app.open_booking()),
            ("New client", "Add a client (Clients, n)", app.new_client),
            ("New plan", "Start a recurring plan", lambda: app.open_new_plan()),
        ]
        for key, mode, title in (
            ("1", "today", "Today"),
            ("2", "clients", "Clients"),
            ("3", "sessions", "Sessions"),
            ("4", "plans", "Plans"),
            ("5", "money", "Money"),
            ("6", "practice", "Practice"),
        ):
            found.append(
                (f"{title} ({key})", f"The {title} screen", partial(app.action_go_mode, mode))
            )
        found.append(("Keys (?)", "Every key of this screen", app.action_toggle_keys))
        found.append(("Quit (q)", "Asks first if something is not saved", app.action_quit))
        return found

    async def discover(self) -> Hits:
        for title, help_text, run in self._actions():
            yield DiscoveryHit(title, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, run in self._actions():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, text=title, help=help_text)


COMMANDS = {ClientCommands, DateCommands, ActionCommands}
