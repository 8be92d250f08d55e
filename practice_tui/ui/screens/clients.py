"""2 Clients: find anyone in a few keystrokes; add, edit, archive.

The list is read one page at a time in a worker thread (the filter runs in
SQL), so typing in the search box stays instant with thousands of clients;
the next page is fetched when the cursor or the scroll reaches the end.
Keys follow DESIGN.md: ``/`` search (``enter``/``↓`` to the list, ``escape``
out of the box), ``A`` archived shown/hidden, ``o`` name or recent order,
``n`` new, ``enter`` profile, ``e`` edit, ``a`` archive/unarchive. ``delete``
removes a client entered by mistake and is offered only for a client with no
appointments, notes or plans; for anyone else the key explains why not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Static
from textual.worker import get_current_worker

from practice_tui.domain.archiving import ArchiveCheck, archive_check, archive_client
from practice_tui.domain.clients import (
    count_clients,
    delete_client,
    get_client,
    has_history,
    search_clients,
    set_archived,
)
from practice_tui.domain.errors import PracticeError
from practice_tui.domain.types import ClientRecord, ClientSummary
from practice_tui.domain.words import clock, near_day
from practice_tui.textutil import visible
from practice_tui.ui.base import PracticeScreen
from practice_tui.ui.text import plain, plain_line
from practice_tui.ui.widgets.footer import KeysFooter
from practice_tui.ui.widgets.text_box import TextBox

PAGE_SIZE = 100
#: Load the next page when the cursor comes this close to the end.
PAGE_AHEAD = 10

ORDER_WORDS = {"name": "by name", "recent": "recent activity first"}


def visit_text(when: dt.datetime | None, today: dt.date, *, with_time: bool) -> str:
    if when is None:
        return "—"
    text = near_day(when.date(), today)
    return f"{text} {clock(when)}" if with_time else text


class ClientTable(DataTable[Any]):
    """The client list; ``enter`` opens the highlighted client's profile and
    ``home``/``end`` go to the first/last client (not the first/last column)."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Profile"),
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]


class SearchBox(TextBox):
    """The search box; ``↓`` (like ``enter``) goes down to the list."""

    BINDINGS = [Binding("down", "screen.to_list", "To list", key_display="↓")]


class ClientsScreen(PracticeScreen):
    """The client list with its search box."""

    BINDINGS = [
        Binding("slash", "focus_search", "Search", key_display="/"),
        Binding("n", "new_client", "New"),
        Binding("e", "edit_client", "Edit"),
        Binding("a", "archive(True)", "Archive"),
        Binding("a", "archive(False)", "Unarchive"),
        Binding("delete", "delete_client", "Delete"),
        Binding("delete", "explain_no_delete", "Delete", show=False),
        Binding("A", "show_archived(True)", "Archived", tooltip="Show archived clients too"),
        Binding("A", "show_archived(False)", "Archived", tooltip="Hide archived clients"),
        Binding("o", "order('recent')", "Sort", tooltip="Recent activity first"),
        Binding("o", "order('name')", "Sort", tooltip="By name"),
        Binding("escape", "leave_search", "Leave search"),
        # Not in the footer (no room at 80 columns); the title says a filter is on.
        Binding("escape", "clear_search", "Clear search", show=False),
    ]

    query_text: reactive[str] = reactive("", init=False)
    include_archived: reactive[bool] = reactive(False, init=False)
    order: reactive[str] = reactive("name", init=False)
    #: The highlighted client (None on an empty list).
    selected: reactive[ClientSummary | None] = reactive(None, init=False)
    #: Whether the highlighted client may be deleted (no history); None until known.
    deletable: reactive[bool | None] = reactive(None, init=False)

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[ClientSummary] = []
        self._total = 0
        self._generation = 0
        self._loading_more = False
        #: Client to put the cursor on when the next load arrives.
        self._keep_id: int | None = None
        self._alert_room = 1

    # --- layout ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="clients-title")
        yield SearchBox(
            placeholder="/ to search: part of a name, phone or email",
            id="clients-search",
            compact=True,
        )
        yield ClientTable(id="clients-table", cursor_type="row", zebra_stripes=True)
        # Compact, without the palette hint: every key of this screen fits in 80 columns.
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.table.add_column("Name", key="name")
        self.table.add_column("Phone", key="phone")
        self.table.add_column("Last visit", key="last")
        self.table.add_column("Next visit", key="next")
        self.table.add_column("Alert", key="alert")
        self.table.focus()
        self.watch(self.table, "scroll_y", self._scrolled, init=False)
        self.reload()

    @property
    def table(self) -> ClientTable:
        return self.query_one("#clients-table", ClientTable)

    @property
    def search_box(self) -> Input:
        return self.query_one("#clients-search", Input)

    def on_screen_resume(self) -> None:
        """Come back to fresh data after a dialog, another screen or mode."""
        if not self.back_in_view():
            return
        if self._keep_id is None and self.selected is not None:
            self._keep_id = self.selected.id
        self.reload()

    # --- loading ---------------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        # Until the first page arrives, no "next page" may be asked for the old list.
        self._loading_more = True
        self._load_page(self._generation, self.query_text, self.include_archived, self.order, 0)

    @work(thread=True, exclusive=True, group="clients-list")
    def _load_page(
        self, generation: int, text: str, archived: bool, order: str, offset: int
    ) -> None:
        now: dt.datetime = self.app.now()
        try:
            page = search_clients(
                text,
                now=now,
                include_archived=archived,
                order=order,
                limit=PAGE_SIZE,
                offset=offset,
            )
            total = count_clients(archived, query=text) if offset == 0 else None
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        if get_current_worker().is_cancelled:
            return
        self.app.call_from_thread(self._show_page, generation, offset, page, total)

    def _show_page(
        self,
        generation: int,
        offset: int,
        page: tuple[ClientSummary, ...],
        total: int | None,
    ) -> None:
        if generation != self._generation:
            return  # an older search answered late
        self._loading_more = False
        if offset == 0:
            self._rows = list(page)
            self._total = total or 0
            self._render_rows()
        elif offset == len(self._rows):
            self._rows.extend(page)
            for client in page:
                self.table.add_row(*self._cells(client), key=str(client.id))
        self._update_title()

    def _load_more(self) -> None:
        if self._loading_more or len(self._rows) >= self._total or not self._rows:
            return
        self._loading_more = True
        self._load_page(
            self._generation,
            self.query_text,
            self.include_archived,
            self.order,
            len(self._rows),
        )

    def _scrolled(self, scroll_y: float) -> None:
        if scroll_y >= self.table.max_scroll_y - 2:
            self._load_more()

    # --- showing ---------------------------------------------------------------

    def _measure_alert_room(self) -> None:
        """What is left of the table's width for the alert column's text."""
        names = max((len(c.name) + (11 if c.archived else 0) for c in self._rows), default=10)
        phones = max((len(c.phone) for c in self._rows), default=5)
        used = min(max(names, 4), 37) + min(max(phones, 5), 16) + 11 + 17 + 2 * 5 + 2
        self._alert_room = max(self.table.size.width - used, 1)

    def _cells(self, client: ClientSummary) -> tuple[Text, ...]:
        today = self.app.today()
        name = plain_line(client.name, 26, style="dim" if client.archived else "")
        if client.archived:
            name.append(" (archived)", style="dim italic")
        alert = Text("", end="")
        if client.has_alert:
            alert.append("⚠", style="bold red")
            width = self._alert_room - 2
            if width >= 4:
                alert.append(" ")
                alert.append_text(plain_line(client.contraindications, width, style="red"))
        return (
            name,
            plain_line(client.phone, 16),
            Text(visit_text(client.last_visit, today, with_time=False)),
            Text(visit_text(client.next_visit, today, with_time=True)),
            alert,
        )

    def _render_rows(self) -> None:
        table = self.table
        keep = self._keep_id
        self._keep_id = None
        table.clear()
        self._measure_alert_room()
        for client in self._rows:
            table.add_row(*self._cells(client), key=str(client.id))
        if not self._rows:
            if self.query_text.strip():
                message = plain(f"No client matches “{self.query_text.strip()}”.")
            else:
                message = Text("No clients yet: press n to add the first one.")
            message.stylize("dim")
            table.add_row(message, "", "", "", "", key="empty")
            self.selected = None
            return
        index = 0
        if keep is not None:
            for row, client in enumerate(self._rows):
                if client.id == keep:
                    index = row
                    break
        table.move_cursor(row=index, animate=False)
        self._highlight(index)

    def _update_title(self) -> None:
        count = f"{self._total} client" + ("" if self._total == 1 else "s")
        title = Text.assemble(("Clients", "bold"), f" · {count}")
        if self.query_text.strip():
            title.append(" matching ")
            title.append_text(plain_line(f"“{self.query_text.strip()}”", 30))
        title.append(f" · {ORDER_WORDS[self.order]}")
        title.append(" · archived shown" if self.include_archived else " · archived hidden")
        if len(self._rows) < self._total:
            title.append(f" · first {len(self._rows)} loaded", style="dim")
        self.query_one("#clients-title", Static).update(title)

    def on_resize(self) -> None:
        if self._rows:
            self._keep_id = self.selected.id if self.selected else None
            self._render_rows()

    # --- the highlighted client -------------------------------------------------

    @on(DataTable.RowHighlighted, "#clients-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._highlight(event.cursor_row)
        if event.cursor_row >= len(self._rows) - PAGE_AHEAD:
            self._load_more()

    def _highlight(self, index: int) -> None:
        client = self._rows[index] if 0 <= index < len(self._rows) else None
        if client != self.selected:
            self.selected = client

    def watch_selected(self, client: ClientSummary | None) -> None:
        self.deletable = None
        if client is not None:
            self._check_history(client.id)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, group="clients-history")
    def _check_history(self, client_id: int) -> None:
        try:
            history = has_history(client_id)
        except PracticeError:
            return
        self.app.call_from_thread(self._history_known, client_id, history)

    def _history_known(self, client_id: int, history: bool) -> None:
        if self.selected is not None and self.selected.id == client_id:
            self.deletable = not history

    def watch_deletable(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#clients-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_profile()

    # --- keys --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Asked about its keys before its widgets are there too (a footer of
        # the screen just left): the focus says where it is, without a query.
        focused = self.focused
        in_search = focused is not None and focused.id == "clients-search"
        client = self.selected
        if action in ("edit_client", "open_profile"):
            return client is not None
        if action == "archive":
            return client is not None and client.archived != parameters[0]
        if action == "delete_client":
            return client is not None and self.deletable is True
        if action == "explain_no_delete":
            return client is not None and self.deletable is not True
        if action == "show_archived":
            return self.include_archived != parameters[0]
        if action == "order":
            return self.order != parameters[0]
        if action in ("leave_search", "to_list"):
            return in_search
        if action == "focus_search":
            return not in_search
        if action == "clear_search":
            return not in_search and bool(self.query_text.strip())
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def action_focus_search(self) -> None:
        self.search_box.focus()

    def action_leave_search(self) -> None:
        self.table.focus()

    def action_to_list(self) -> None:
        self.table.focus()

    def action_clear_search(self) -> None:
        self.search_box.value = ""

    @on(Input.Changed, "#clients-search")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_text = event.value

    @on(Input.Submitted, "#clients-search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def watch_query_text(self) -> None:
        self.reload()
        self.refresh_bindings()

    def watch_include_archived(self) -> None:
        if self.selected is not None:
            self._keep_id = self.selected.id
        self.reload()
        self.refresh_bindings()

    def watch_order(self) -> None:
        self.reload()
        self.refresh_bindings()

    def action_show_archived(self, show: bool) -> None:
        self.include_archived = show

    def action_order(self, order: str) -> None:
        self.order = order

    def action_open_profile(self) -> None:
        if self.selected is not None:
            self.app.open_client_profile(self.selected.id)

    def action_new_client(self) -> None:
        from practice_tui.ui.dialogs.client_form import ClientFormDialog

        self.app.push_screen(ClientFormDialog(), self._saved)

    def action_edit_client(self) -> None:
        if self.selected is not None:
            self._open_editor(self.selected.id)

    @work(thread=True, exclusive=True, group="clients-edit")
    def _open_editor(self, client_id: int) -> None:
        try:
            record = get_client(client_id)
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            self.app.call_from_thread(self.reload)
            return
        self.app.call_from_thread(self._push_editor, record)

    def _push_editor(self, record: ClientRecord) -> None:
        from practice_tui.ui.dialogs.client_form import ClientFormDialog

        self.app.push_screen(ClientFormDialog(record), self._saved)

    def _saved(self, record: ClientRecord | None) -> None:
        if record is not None:
            self._keep_id = record.id
            self.reload()

    def action_archive(self, archive: bool) -> None:
        client = self.selected
        if client is None:
            return
        if archive:
            # Upcoming bookings and active plans are listed first (archive_client.py).
            self._check_archive(client)
        else:
            self._ask_archive(client, archive, None)

    @work(thread=True, group="clients-write")
    def _check_archive(self, client: ClientSummary) -> None:
        now: dt.datetime = self.app.now()
        try:
            check = archive_check(client.id, now=now)
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self._ask_archive, client, True, check)

    def _ask_archive(
        self, client: ClientSummary, archive: bool, check: ArchiveCheck | None
    ) -> None:
        from practice_tui.ui.dialogs.archive_client import archive_question
        from practice_tui.ui.dialogs.common import ConfirmDialog

        if check is not None and check.anything_ahead:
            self.app.push_screen(
                archive_question(check),
                lambda answer: (
                    self._archive(client, True, answer == "cancel")
                    if answer in ("cancel", "keep")
                    else None
                ),
            )
            return
        if archive:
            title = f"Archive {visible(client.name)}?"
            message = (
                "The client is hidden from lists and booking; every appointment, note "
                "and plan is kept. Press A to show archived clients again."
            )
        else:
            title = f"Bring back {visible(client.name)}?"
            message = "The client shows in lists again and can be booked."
        self.app.push_screen(
            ConfirmDialog(title, message, yes="Archive" if archive else "Unarchive"),
            lambda yes: self._archive(client, archive) if yes else None,
        )

    @work(thread=True, group="clients-write")
    def _archive(self, client: ClientSummary, archive: bool, cancel: bool = False) -> None:
        now: dt.datetime = self.app.now()
        if archive:
            done = f"{client.name} archived" + (
                "; upcoming bookings cancelled, plans ended." if cancel else "."
            )
            self._write(lambda: archive_client(client.id, now=now, cancel_ahead=cancel), done)
            return
        self._write(
            lambda: set_archived(client.id, archive, now=now),
            f"{client.name} is back in the list.",
        )

    def action_delete_client(self) -> None:
        from practice_tui.ui.dialogs.common import ConfirmDialog

        client = self.selected
        if client is None:
            return
        self.app.push_screen(
            ConfirmDialog(
                f"Delete {visible(client.name)}?",
                "This client has no appointments, notes or plans. Deleting removes the "
                "record for good; it cannot be undone.",
                yes="Delete",
                danger=True,
            ),
            lambda yes: self._delete(client) if yes else None,
        )

    @work(thread=True, group="clients-write")
    def _delete(self, client: ClientSummary) -> None:
        self._write(lambda: delete_client(client.id), f"{client.name} deleted.")

    def action_explain_no_delete(self) -> None:
        client = self.selected
        if client is None:
            return
        if self.deletable is None:
            self.notify("Checking this client's history… try again in a moment.")
            return
        self.notify(
            f"{client.name} has appointments, notes or a plan on file, and clinical "
            "records are kept. Archive the client instead (a).",
            title="Cannot delete",
            severity="warning",
        )

    def _write(self, change: Callable[[], object], done: str) -> None:
        """Run a write in this worker thread; report the outcome on the UI thread."""
        try:
            change()
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
        else:
            self.app.call_from_thread(self.app.notify, done)
        self.app.call_from_thread(self.reload)
