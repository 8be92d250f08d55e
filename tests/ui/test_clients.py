"""The Clients screen, the intake form and the profile, driven from the keyboard."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.widgets import DataTable, Input, Static

from practice_tui.domain.clients import (
    count_clients,
    create_client,
    get_client,
    search_clients,
    set_archived,
)
from practice_tui.domain.models import Client
from practice_tui.domain.schedule import book_appointment
from practice_tui.domain.settings import list_services
from practice_tui.ui.app import PracticeApp, make_app
from practice_tui.ui.dialogs.client_form import ClientFormDialog, DuplicateDialog
from practice_tui.ui.dialogs.common import ConfirmDialog
from practice_tui.ui.screens.client_profile import ClientProfileScreen
from practice_tui.ui.screens.clients import ClientsScreen
from tests.conftest import FIXED_NOW, FIXED_TODAY, fixed_clock
from tests.ui import helpers


async def settle(app: PracticeApp, pilot) -> None:
    """Wait until the app is idle: workers done, messages handled, screen painted."""
    await helpers.settle(pilot)


async def open_clients(app: PracticeApp, pilot) -> ClientsScreen:
    await settle(app, pilot)
    await pilot.press("2")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, ClientsScreen)
    return screen


def table_names(screen: ClientsScreen) -> list[str]:
    table = screen.query_one("#clients-table", DataTable)
    return [table.get_row_at(row)[0].plain for row in range(table.row_count)]


def shown_text(widget: Static) -> str:
    content = widget.render()
    return content.plain if isinstance(content, Text) else str(content)


def footer_actions(app: PracticeApp) -> dict[str, str]:
    """Key → action of every binding the footer shows right now."""
    return {
        key: active.binding.action
        for key, active in app.screen.active_bindings.items()
        if active.binding.show and active.enabled
    }


def add(first: str, last: str = "", **fields: object) -> int:
    return create_client(
        {"first_name": first, "last_name": last, **fields}, today=FIXED_TODAY, now=FIXED_NOW
    ).id


async def type_into(pilot, field: str, text: str) -> None:
    """Replace a form field's text, typing it key by key when a person could."""
    widget = pilot.app.screen.query_one(f"#f-{field}")
    widget.focus()
    if isinstance(widget, Input):
        widget.value = ""
    else:
        widget.text = ""  # type: ignore[attr-defined]
    await helpers.settle(pilot)
    if len(text) <= 60 and text.isprintable():
        await pilot.press(*text)
    elif isinstance(widget, Input):
        widget.value = text
    else:
        widget.text = text  # type: ignore[attr-defined]
    await helpers.settle(pilot)


# --- the whole journey ---------------------------------------------------------------


async def test_create_find_edit_archive_unarchive(db_path) -> None:
    add("Olive", "Older", phone="555-7000")
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_clients(app, pilot)
        assert table_names(screen) == ["Olive Older"]

        # n: a new client with a contraindication
        await pilot.press("n")
        await helpers.settle(pilot)
        assert isinstance(app.screen, ClientFormDialog)
        await type_into(pilot, "first_name", "Daniel")
        await type_into(pilot, "last_name", "Okoye")
        await type_into(pilot, "phone", "555-0142")
        await type_into(pilot, "date_of_birth", "1972-03-04")
        await type_into(pilot, "contraindications", "Warfarin: light pressure only")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        assert table_names(screen) == ["Daniel Okoye", "Olive Older"]
        (daniel,) = search_clients("okoye", now=FIXED_NOW)
        assert daniel.contraindications == "Warfarin: light pressure only"
        # The cursor sits on the client just added.
        assert screen.selected is not None and screen.selected.id == daniel.id

        # / and part of the phone number
        await pilot.press("slash")
        assert screen.focused is screen.search_box
        await pilot.press(*"0142")
        await settle(app, pilot)
        assert table_names(screen) == ["Daniel Okoye"]
        assert "1 client matching “0142”" in shown_text(screen.query_one("#clients-title", Static))
        await pilot.press("enter")  # from the box to the list
        assert screen.focused is screen.table
        await pilot.press("enter")  # open the profile
        await settle(app, pilot)
        profile = app.screen
        assert isinstance(profile, ClientProfileScreen)
        alert = profile.query_one("#profile-alert", Static)
        assert alert.display and "Warfarin: light pressure only" in shown_text(alert)

        # e from the profile: edit
        await pilot.press("e")
        await helpers.settle(pilot)
        assert isinstance(app.screen, ClientFormDialog)
        await type_into(pilot, "last_name", "Okoye-Smith")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is profile
        assert "Daniel Okoye-Smith" in shown_text(profile.query_one("#profile-name", Static))
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert table_names(screen) == ["Daniel Okoye-Smith"]

        # a: archive (asks first); the client leaves the list
        await pilot.press("escape")  # clear the search
        await settle(app, pilot)
        assert screen.query_text == ""
        await pilot.press("down")
        await settle(app, pilot)
        assert screen.selected is not None and screen.selected.name == "Olive Older"
        await pilot.press("a")
        await helpers.settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # changed my mind: nothing happens
        await settle(app, pilot)
        assert not get_client(screen.selected.id).archived
        await pilot.press("a")
        await helpers.settle(pilot)  # archiving looks for bookings ahead first
        await pilot.press("y")
        await settle(app, pilot)
        assert table_names(screen) == ["Daniel Okoye-Smith"]
        older = search_clients("older", now=FIXED_NOW, include_archived=True)[0]
        assert older.archived

        # A: archived clients shown again; a: unarchive
        await pilot.press("A")
        await settle(app, pilot)
        assert table_names(screen) == ["Daniel Okoye-Smith", "Olive Older (archived)"]
        assert "archived shown" in shown_text(screen.query_one("#clients-title", Static))
        await pilot.press("down")
        await settle(app, pilot)
        assert screen.selected is not None and screen.selected.archived
        assert footer_actions(app)["a"] == "archive(False)"
        await pilot.press("a", "y")
        await settle(app, pilot)
        assert not get_client(older.id).archived
        await pilot.press("A")
        await settle(app, pilot)
        assert table_names(screen) == ["Daniel Okoye-Smith", "Olive Older"]


async def test_search_box_keys(db_path) -> None:
    for first, last in (("María", "García"), ("Mario", "Rossi"), ("Ben", "Carter")):
        add(first, last)
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_clients(app, pilot)
        assert screen.focused is screen.table
        await pilot.press("slash", *"mar gar")
        await settle(app, pilot)
        assert table_names(screen) == ["María García"]
        # Letters typed in the box are text, not keys: "n" did not open a form.
        assert app.screen is screen
        await pilot.press("escape")
        assert screen.focused is screen.table
        assert screen.query_text == "mar gar"
        await pilot.press("slash", "end", "backspace", "backspace", "backspace", "backspace")
        await settle(app, pilot)
        assert table_names(screen) == ["María García", "Mario Rossi"]
        await pilot.press("down")
        assert screen.focused is screen.table
        assert screen.check_action("clear_search", ())
        await pilot.press("escape")
        await settle(app, pilot)
        assert table_names(screen) == ["Ben Carter", "María García", "Mario Rossi"]
        assert not screen.check_action("clear_search", ())
        await pilot.press("slash")
        assert footer_actions(app)["down"] == "screen.to_list"
        assert footer_actions(app)["escape"] == "leave_search"
        assert "slash" not in footer_actions(app)
        await pilot.press("escape")
        await pilot.press("slash", *"zzz")
        await settle(app, pilot)
        assert table_names(screen) == ["No client matches “zzz”."]
        assert screen.selected is None
        assert "e" not in footer_actions(app)


async def test_order_toggle_and_paging(db_path) -> None:
    added = dt.datetime(2026, 1, 1, 9, 0)
    for index in range(230):
        create_client(
            {"first_name": f"Client{index:03d}", "last_name": "Many"}, today=FIXED_TODAY, now=added
        )
    recent = create_client(
        {"first_name": "Zed", "last_name": "Visited"}, today=FIXED_TODAY, now=added
    ).id
    service = list_services()[0]
    book_appointment(recent, service.id, dt.datetime(2026, 11, 26, 10, 0), allow_outside_hours=True)
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_clients(app, pilot)
        table = screen.table
        assert table.row_count == 100
        assert "231 clients" in shown_text(screen.query_one("#clients-title", Static))
        assert table_names(screen)[0] == "Client000 Many"
        assert footer_actions(app)["o"] == "order('recent')"
        await pilot.press("o")
        await settle(app, pilot)
        assert table_names(screen)[0] == "Zed Visited"
        assert "recent activity first" in shown_text(screen.query_one("#clients-title", Static))
        assert footer_actions(app)["o"] == "order('name')"
        await pilot.press("o")
        await settle(app, pilot)
        # Walking down the list fetches the next pages.
        await pilot.press("end")
        await settle(app, pilot)
        await pilot.press("end")
        await settle(app, pilot)
        assert table.row_count == 231
        assert table_names(screen)[-1] == "Zed Visited"
        assert len(set(table_names(screen))) == 231


# --- the form ---------------------------------------------------------------------


async def test_refused_input_is_explained_next_to_each_field_and_kept(db_path) -> None:
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_clients(app, pilot)
        await pilot.press("n")
        await helpers.settle(pilot)
        form = app.screen
        assert isinstance(form, ClientFormDialog)
        await type_into(pilot, "date_of_birth", "2026-02-30")
        await type_into(pilot, "email", "ann@")
        await type_into(pilot, "phone", "12")
        await type_into(pilot, "notes", "x" * 20001)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form
        errors = {
            name: shown_text(form.query_one(f"#e-{name}", Static))
            for name in ("first_name", "date_of_birth", "email", "phone", "notes", "last_name")
        }
        assert errors["first_name"] == "A first name is required."
        assert "no day 30" in errors["date_of_birth"]
        assert "email" in errors["email"]
        assert "phone number" in errors["phone"]
        assert "too long" in errors["notes"]
        assert errors["last_name"] == ""
        assert form.query_one("#e-email", Static).display
        assert not form.query_one("#e-last_name", Static).display
        assert "Check the 5 fields" in shown_text(form.query_one("#form-status", Static))
        assert form.focused is form.query_one("#f-first_name")
        assert form.values()["email"] == "ann@"
        assert count_clients(True) == 0
        # Fixing a field clears its message; the form then saves.
        await type_into(pilot, "first_name", "Ann")
        assert shown_text(form.query_one("#e-first_name", Static)) == ""
        await type_into(pilot, "date_of_birth", "1980-02-28")
        await type_into(pilot, "email", "ann@example.com")
        await type_into(pilot, "phone", "555-0101")
        await type_into(pilot, "notes", "fine")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ClientsScreen)
        (ann,) = search_clients("ann", now=FIXED_NOW)
        record = get_client(ann.id)
        assert record.date_of_birth == dt.date(1980, 2, 28)
        assert record.created_at == FIXED_NOW


async def test_escape_asks_before_throwing_away_changes(db_path) -> None:
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_clients(app, pilot)
        await pilot.press("n")
        await helpers.settle(pilot)
        await pilot.press("escape")  # nothing typed: closes at once
        await helpers.settle(pilot)
        assert app.screen is screen
        await pilot.press("n")
        await helpers.settle(pilot)
        await pilot.press(*"Ann")
        await pilot.press("escape")
        await helpers.settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # keep editing
        await helpers.settle(pilot)
        form = app.screen
        assert isinstance(form, ClientFormDialog)
        assert form.values()["first_name"] == "Ann"
        await pilot.press("escape", "y")
        await settle(app, pilot)
        assert app.screen is screen
        assert count_clients(True) == 0


async def test_duplicate_warning_offers_the_existing_client_or_create_anyway(db_path) -> None:
    existing = add("María", "García", phone="555-0142", date_of_birth="1980-05-05")
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_clients(app, pilot)

        async def fill_form() -> None:
            await pilot.press("n")
            await helpers.settle(pilot)
            await type_into(pilot, "first_name", "Maria")
            await type_into(pilot, "last_name", "Garcia")
            await type_into(pilot, "phone", "5550142")
            await pilot.press("ctrl+s")
            await settle(app, pilot)

        await fill_form()
        dialog = app.screen
        assert isinstance(dialog, DuplicateDialog)
        assert count_clients() == 1
        await pilot.press("escape")  # back to the form, still filled in
        await helpers.settle(pilot)
        form = app.screen
        assert isinstance(form, ClientFormDialog) and form.values()["last_name"] == "Garcia"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        await pilot.press("o")  # open the existing client instead
        await settle(app, pilot)
        profile = app.screen
        assert isinstance(profile, ClientProfileScreen) and profile.client_id == existing
        assert count_clients() == 1
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen

        await fill_form()
        assert isinstance(app.screen, DuplicateDialog)
        await pilot.press("c")  # a different person after all
        await settle(app, pilot)
        assert app.screen is screen
        assert count_clients() == 2
        assert sorted(table_names(screen)) == ["Maria Garcia", "María García"]


# --- deleting ------------------------------------------------------------------------


async def test_delete_only_for_a_client_without_history(db_path) -> None:
    kept = add("Aaron", "Appointments")
    add("Typo", "Mistake")
    service = list_services()[0]
    book_appointment(kept, service.id, dt.datetime(2026, 12, 1, 10, 0), allow_outside_hours=True)
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_clients(app, pilot)
        assert screen.selected is not None and screen.selected.id == kept
        assert "delete" not in footer_actions(app)
        await pilot.press("delete")
        await settle(app, pilot)
        assert app.screen is screen  # no confirmation: it cannot be deleted
        messages = [n.message for n in app._notifications]
        assert any("clinical records are kept" in m and "Archive" in m for m in messages)
        assert count_clients() == 2

        await pilot.press("down")
        await settle(app, pilot)
        assert footer_actions(app)["delete"] == "delete_client"
        await pilot.press("delete")
        await helpers.settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert table_names(screen) == ["Aaron Appointments"]
        assert count_clients(True) == 1


# --- the profile's keys --------------------------------------------------------------


async def test_profile_keys_reach_booking_plans_and_notes(db_path, monkeypatch) -> None:
    client = add("Ben", "Carter", contraindications="Osteoporosis: no heavy pressure")
    app = make_app(db_path, clock=fixed_clock)
    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(
        app, "open_booking", lambda client_id=None, start=None: calls.append(("book", client_id))
    )
    monkeypatch.setattr(
        app, "open_new_plan", lambda client_id=None: calls.append(("plan", client_id))
    )
    monkeypatch.setattr(app, "open_client_notes", lambda cid: calls.append(("notes", cid)))
    async with app.run_test(size=(100, 30)) as pilot:
        await open_clients(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        profile = app.screen
        assert isinstance(profile, ClientProfileScreen)
        await pilot.press("b", "r", "s")
        await helpers.settle(pilot)
        assert calls == [("book", client), ("plan", client), ("notes", client)]
        # An archived client cannot be booked: those keys leave the footer.
        await pilot.press("a")
        await helpers.settle(pilot)  # archiving looks for bookings ahead first
        await pilot.press("y")
        await settle(app, pilot)
        assert get_client(client).archived
        assert profile.query_one("#profile-archived", Static).display
        keys = footer_actions(app)
        assert "b" not in keys and "r" not in keys and keys["a"] == "archive(False)"
        await pilot.press("a", "y")
        await settle(app, pilot)
        assert not get_client(client).archived


async def test_profile_of_a_client_removed_meanwhile_goes_back(db_path) -> None:
    client = add("Gone", "Soon")
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_clients(app, pilot)
        app.open_client_profile(client + 100)
        await settle(app, pilot)
        assert app.screen is screen
        assert any("no longer exists" in n.message for n in app._notifications)


# --- typed text is data --------------------------------------------------------------


async def test_markup_and_control_characters_show_literally(db_path) -> None:
    ann = add("[bold]Ann[/]", "Lee", phone="555-0101", contraindications="[red]none[/] \x1b[2J")
    eve = add("Eve", "Evil")
    # Names refuse control characters when typed; another program may still store one.
    Client.update(first_name="Eve\x1b[31m").where(Client.id == eve).execute()
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_clients(app, pilot)
        names = table_names(screen)
        assert names == ["Eve␛[31m Evil", "[bold]Ann[/] Lee"]
        await pilot.press("down", "enter")
        await settle(app, pilot)
        profile = app.screen
        assert isinstance(profile, ClientProfileScreen) and profile.client_id == ann
        assert shown_text(profile.query_one("#profile-name", Static)).startswith("[bold]Ann[/] Lee")
        assert "[red]none[/] ␛[2J" in shown_text(profile.query_one("#profile-alert", Static))
        await pilot.press("e")
        await helpers.settle(pilot)
        form = app.screen
        assert isinstance(form, ClientFormDialog)
        assert form.values()["first_name"] == "[bold]Ann[/]"
        assert "[bold]Ann[/] Lee" in shown_text(form.query_one("#form-title", Static))
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert get_client(ann).first_name == "[bold]Ann[/]"
        assert get_client(ann).contraindications == "[red]none[/] \x1b[2J"


async def test_archived_client_found_again_with_the_archived_toggle(db_path) -> None:
    client = add("Archie", "Old")
    set_archived(client, True)
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_clients(app, pilot)
        assert table_names(screen) == ["No clients yet: press n to add the first one."]
        await pilot.press("A")
        await settle(app, pilot)
        assert table_names(screen) == ["Archie Old (archived)"]


async def test_the_form_is_laid_out_at_one_width_as_it_opens(db_path, monkeypatch) -> None:
    """The client form is taller than the screen: its scrollbar's room is kept
    from the start, so no field in view is laid out at a second width when
    the scrollbar appears (over a hundred widgets laid out again)."""
    from textual.widget import Widget

    widths: dict[str, set[int]] = {}
    size_updated = Widget._size_updated

    def record(self, size, virtual_size, container_size, layout=True):  # type: ignore[no-untyped-def]
        in_form = any(node.id == "form-body" for node in self.ancestors)
        if in_form and size.width:
            widths.setdefault(f"{type(self).__name__} {id(self)}", set()).add(size.width)
        return size_updated(self, size, virtual_size, container_size, layout)

    monkeypatch.setattr(Widget, "_size_updated", record)
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_clients(app, pilot)
        await pilot.press("n")
        await helpers.settle(pilot)
        assert isinstance(app.screen, ClientFormDialog)
        assert app.screen.query_one("#form-body").show_vertical_scrollbar
    assert len(widths) >= 20
    assert all(len(seen) == 1 for seen in widths.values()), widths
