"""``?``: every key of the screen in view and the keys that work everywhere,
grouped — not only those usable this moment (a key that does nothing on the
selected row is listed too, dimmed, with "not now").

Groups: the screen's own keys; the keys of the list or field that has the
focus (body areas, a search box…); the keys that work everywhere (``1``–``6``,
``ctrl+p``, ``?``, ``escape``, ``q``, ``ctrl+q``). ``escape`` or ``?`` closes.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from practice_tui.ui.base import PracticeModal

#: The keys of the app, as people read them (``ui/app.py`` binds them).
GLOBAL_KEYS: tuple[tuple[str, str], ...] = (
    ("1", "Today"),
    ("2", "Clients (the list)"),
    ("3", "Sessions"),
    ("4", "Plans"),
    ("5", "Money"),
    ("6", "Practice"),
    ("ctrl+p", "command palette: clients, dates (“go to fri”), every action"),
    ("?", "these keys"),
    ("escape", "back, or close a dialog"),
    ("q", "quit (asks first if something is not saved)"),
    ("ctrl+q", "quit from anywhere (asks first too)"),
)

_NAMES = {
    "left": "←",
    "right": "→",
    "up": "↑",
    "down": "↓",
    "enter": "⏎",
    "slash": "/",
    "dollar_sign": "$",
    "question_mark": "?",
    "percent_sign": "%",
    "space": "space",
    "delete": "del",
}


def _bindings(node: DOMNode) -> Iterable[Binding]:
    for item in node.BINDINGS:  # type: ignore[attr-defined]
        yield item if isinstance(item, Binding) else Binding(*item)  # type: ignore[misc]


def _key_words(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    return " ".join(_NAMES.get(key.strip(), key.strip()) for key in binding.key.split(","))


def key_rows(node: DOMNode, screen: Screen | None = None) -> list[tuple[str, str, bool]]:
    """(key, what it does, usable now) for each described key of ``node``;
    two bindings of one key (archive / unarchive) make one row."""
    rows: dict[str, tuple[list[str], bool]] = {}
    for binding in _bindings(node):
        if not binding.description or binding.key in ("question_mark",):
            continue
        key = _key_words(binding)
        action = binding.action
        name, _, args = action.partition("(")
        target = screen or node
        usable = True
        check = getattr(target, "check_action", None)
        if check is not None and "." not in name:
            try:
                usable = check(name, ()) is not False
            except Exception:  # noqa: BLE001 — a check needing data not loaded yet
                usable = True
        words, was_usable = rows.get(key, ([], False))
        # The tooltip says more than the footer's word, where there is one.
        said = binding.tooltip or binding.description
        if said not in words:
            words.append(said)
        rows[key] = (words, was_usable or usable)
    return [(key, " / ".join(words), usable) for key, (words, usable) in rows.items()]


def _section(title: str, rows: Iterable[tuple[str, str, bool]]) -> Text:
    text = Text(end="")
    text.append(title, style="bold")
    for key, words, usable in rows:
        text.append("\n")
        text.append(f"  {key:>8}  ", style="bold" if usable else "dim")
        text.append(words, style="" if usable else "dim")
        if not usable:
            text.append("  (not now)", style="dim italic")
    return text


def _title(screen: Screen) -> str:
    name = type(screen).__name__.removesuffix("Screen")
    words = {
        "Today": "Today",
        "Clients": "Clients",
        "ClientProfile": "A client's profile",
        "ClientNotes": "A client's notes",
        "Sessions": "Sessions",
        "NoteEditor": "The note",
        "Plans": "Plans",
        "PlanDetails": "A plan",
        "Money": "Money",
        "Account": "A client's account",
        "PracticeSettings": "Practice",
    }
    return words.get(name, name)


class KeysDialog(PracticeModal[None]):
    """Every key of ``screen`` and the app, grouped."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", key_display="?", show=False),
    ]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self._screen = screen

    def compose(self) -> ComposeResult:
        screen = self._screen
        with Vertical():
            yield Static(Text("Keys"), classes="dialog-title")
            with VerticalScroll(id="keys-body"):
                yield Static(_section(f"{_title(screen)}", key_rows(screen)), classes="keys-group")
                focused = screen.focused
                seen: set[type] = set()
                node: DOMNode | None = focused
                while node is not None and node is not screen:
                    # Our own lists and fields (Textual's own say "Cursor up").
                    ours = type(node).__module__.startswith("practice_tui")
                    if ours and type(node) not in seen:
                        seen.add(type(node))
                        rows = key_rows(node, screen=None)
                        if rows:
                            yield Static(
                                _section("Where the cursor is", rows), classes="keys-group"
                            )
                    node = node.parent  # type: ignore[assignment]
                yield Static(
                    _section("Everywhere", ((k, w, True) for k, w in GLOBAL_KEYS)),
                    classes="keys-group",
                )
            yield Static(Text("escape or ? closes", style="dim"), id="keys-hint")

    def action_close(self) -> None:
        self.dismiss(None)
