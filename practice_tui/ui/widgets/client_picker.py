"""Pick a client by typing part of a name, phone or email.

Used by every form that needs a client (booking, new plan). Searching runs in
a worker thread; the list shows at most a few matches, each with its alert
mark. ``↓`` moves from the box into the list, ``enter`` picks; the widget then
posts ``ClientPicker.Picked`` and remembers ``client``.

A caller who is not on file yet: the last entry of the list is "+ New client"
(``enter`` in the box when nothing matches goes straight to it). It asks for
the first name, last name and phone — filled from what was typed — creates
the client, and picks them, so the booking carries on.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from practice_tui.domain.clients import search_clients
from practice_tui.domain.types import ClientSummary
from practice_tui.domain.words import day_month_year
from practice_tui.ui.text import plain, plain_line
from practice_tui.ui.widgets.text_box import TextBox

if TYPE_CHECKING:
    from textual import getters

    from practice_tui.ui.app import PracticeApp


def client_label(client: ClientSummary) -> Text:
    """One line naming a client: name, phone, alert — all literal."""
    label = plain(client.name, style="bold")
    if client.phone:
        label.append("  ")
        label.append_text(plain(client.phone))
    if client.date_of_birth:
        label.append(f"  born {day_month_year(client.date_of_birth)}", style="dim")
    if client.has_alert:
        label.append("  ⚠ ", style="bold yellow")
        label.append_text(plain_line(client.contraindications, 40, style="yellow"))
    if client.archived:
        label.append("  (archived)", style="dim")
    return label


def guess_name_and_phone(typed: str) -> tuple[str, str, str]:
    """What was typed in the search box, as (first name, last name, phone):
    "Jane Doe" → ("Jane", "Doe", ""); "555-0142" → ("", "", "555-0142")."""
    text = " ".join(typed.split())
    if text and sum(ch.isdigit() for ch in text) >= len(text.replace(" ", "")) / 2:
        return "", "", text
    first, _, last = text.partition(" ")
    return first, last, ""


class ClientPicker(Vertical):
    """A search box with the matching clients under it."""

    BINDINGS = [Binding("down", "to_list", "Matches", show=False)]

    if TYPE_CHECKING:
        app = getters.app(PracticeApp)

    class Picked(Message):
        """A client was chosen."""

        def __init__(self, picker: ClientPicker, client: ClientSummary) -> None:
            super().__init__()
            self.picker = picker
            self.client = client

        @property
        def control(self) -> ClientPicker:
            return self.picker

    client: reactive[ClientSummary | None] = reactive(None, init=False)

    def __init__(
        self,
        client: ClientSummary | None = None,
        *,
        limit: int = 8,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._initial = client
        self._limit = limit
        self._matches: tuple[ClientSummary, ...] = ()

    def compose(self) -> ComposeResult:
        yield TextBox(
            value=self._initial.name if self._initial else "",
            placeholder="Type part of a name, phone or email",
            id="client-search",
        )
        yield OptionList(id="client-matches")

    def on_mount(self) -> None:
        if self._initial is not None:
            self.set_reactive(ClientPicker.client, self._initial)

    @property
    def input(self) -> Input:
        return self.query_one("#client-search", Input)

    def focus(self, scroll_visible: bool = True) -> ClientPicker:
        self.input.focus(scroll_visible)
        return self

    @on(Input.Changed, "#client-search")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.client is not None:
            if event.value == self.client.name:
                return  # the box shows the chosen client (also its first value)
            self.client = None
        text = event.value.strip()
        if not text:
            self._show(())
            return
        self._search(text)

    @work(thread=True, exclusive=True, group="client-picker")
    def _search(self, text: str) -> None:
        now: dt.datetime = self.app.now()
        matches = search_clients(text, now=now, limit=self._limit)
        self.app.call_from_thread(self._show, matches)

    def _show(self, matches: tuple[ClientSummary, ...]) -> None:
        self._matches = matches
        options = self.query_one(OptionList)
        options.clear_options()
        typed = self.input.value.strip()
        if matches:
            options.add_options(Option(client_label(c), id=str(c.id)) for c in matches)
        elif typed:
            options.add_option(Option(Text("No client matches", style="dim"), disabled=True))
        if typed:
            label = Text("+ New client: ", style="bold green") + plain(typed) + Text(" …")
            options.add_option(Option(label, id="new"))
        if options.option_count:
            options.highlighted = 0 if matches else options.option_count - 1
        self.set_class(bool(typed) and self.client is None, "-open")

    def on_key(self, event: events.Key) -> None:
        """In the list of matches, letters go on typing in the search box (the
        list follows what is typed) and ``backspace`` takes the last one back;
        the cursor stays in the list, so ``enter`` picks the highlighted match."""
        options = self.query_one(OptionList)
        if not options.has_focus:
            return
        box = self.input
        if event.key == "backspace":
            box.value = box.value[:-1]
        elif event.character is not None and event.is_printable and event.character != " ":
            box.value += event.character
        else:
            return
        box.cursor_position = len(box.value)
        event.stop()
        event.prevent_default()

    def action_to_list(self) -> None:
        options = self.query_one(OptionList)
        if self.has_class("-open") and options.option_count:
            options.focus()

    @on(Input.Submitted, "#client-search")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.client is None and len(self._matches) >= 1:
            event.stop()
            self._choose(self._matches[0])
        elif self.client is None and event.value.strip() and not self._searching():
            event.stop()
            self.new_client()

    def _searching(self) -> bool:
        return any(w.group == "client-picker" and w.is_running for w in self.workers)

    @on(OptionList.OptionSelected, "#client-matches")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == "new":
            self.new_client()
            return
        for client in self._matches:
            if str(client.id) == event.option.id:
                self._choose(client)
                return

    def new_client(self) -> None:
        """Ask for the new client's first name, last name and phone (filled from
        what was typed), create them, and pick them."""
        from practice_tui.domain.clients import create_client
        from practice_tui.ui.dialogs.money_form import Field, MoneyForm

        first, last, phone = guess_name_and_phone(self.input.value)
        today = self.app.today()
        now = self.app.now()

        def save(values: dict[str, str]) -> ClientSummary:
            record = create_client(
                {
                    "first_name": values["first_name"],
                    "last_name": values["last_name"],
                    "phone": values["phone"],
                },
                today=today,
                now=now,
            )
            return ClientSummary(
                id=record.id,
                name=record.name,
                phone=record.phone,
                email=record.email,
                date_of_birth=record.date_of_birth,
                contraindications=record.contraindications,
                archived=record.archived,
            )

        def created(client: ClientSummary | None) -> None:
            if client is not None:
                self._choose(client)
            else:
                self.input.focus()

        self.app.push_screen(
            MoneyForm(
                "New client",
                [
                    Field("first_name", "First name", first, "required", max_length=100),
                    Field("last_name", "Last name", last, "e.g. Lee", max_length=100),
                    Field("phone", "Phone", phone, "e.g. 555-0142", max_length=40),
                ],
                save,
                message="The rest of the record (health history, precautions) "
                "can be filled in from the profile.",
                ok="Create",
                # The first field still empty (the names typed are filled in).
                focus="phone" if first and last else ("last_name" if first else "first_name"),
            ),
            created,
        )

    def _choose(self, client: ClientSummary) -> None:
        self.client = client
        self.input.value = client.name
        self.input.cursor_position = len(client.name)
        self.set_class(False, "-open")
        self.input.focus()
        self.post_message(self.Picked(self, client))
