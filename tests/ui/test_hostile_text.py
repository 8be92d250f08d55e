"""Stored hostile text never reaches the terminal as control.

Another program wrote escape sequences, a bell, NUL and a right-to-left
override into names, notes and settings. Every screen and dialog is opened
and the bytes the app writes to the terminal are captured (the headless
driver is made to take the real output path): none of the hostile sequences
may be among them. Editable fields show the characters as visible symbols.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest
from textual.drivers.headless_driver import HeadlessDriver
from textual.widgets import Input, TextArea

from practice_tui.domain.db import close_database, open_database
from practice_tui.domain.errors import ValidationError
from practice_tui.domain.notes import add_amendment, save_draft, sign_note
from practice_tui.ui.app import make_app
from tests.conftest import FIXED_NOW, FIXED_TODAY, fixed_clock
from tests.domain.notes_helpers import at, book, make_client

OSC_TITLE = "\x1b]0;pwned\x07"
CSI_CLEAR = "\x1b[2J"
COLOUR = "\x1b[31;1;4m"
HOSTILE = f"Eve{OSC_TITLE}{CSI_CLEAR}{COLOUR}red\x07bell\u202eevil\x00nul"
#: Sequences Textual itself writes that end in BEL (pointer shape, clipboard).
_TEXTUAL_OSC = re.compile(r"\x1b\](?:22|52);[^\x07\x1b]*\x07")


def bad_bytes(output: str) -> list[str]:
    output = _TEXTUAL_OSC.sub("", output)
    found = [s for s in (OSC_TITLE, "\x1b]0;", CSI_CLEAR, COLOUR) if s in output]
    found += [repr(c) for c in ("\x07", "\u202e", "\x00") if c in output]
    return found


@pytest.fixture
def captured(monkeypatch) -> list[str]:
    """Everything written to the (headless) terminal, through the real output path."""
    written: list[str] = []
    monkeypatch.setattr(HeadlessDriver, "is_headless", property(lambda self: False))
    monkeypatch.setattr(HeadlessDriver, "write", lambda self, data: written.append(data))
    return written


def _poison(path: Path, client_id: int, appointment_id: int, plan_note: bool = True) -> None:
    """What another program could write into the file."""
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE client SET first_name = ?, last_name = ?, preferred_name = '', allergies = ?,"
        " contraindications = ?, notes = ?, phone = ?, address = ? WHERE id = ?",
        (HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE, client_id),
    )
    conn.execute("UPDATE appointment SET booking_note = ? WHERE id = ?", (HOSTILE, appointment_id))
    conn.execute("UPDATE service SET name = ? WHERE id = 1", (f"Svc{HOSTILE}",))
    conn.execute("UPDATE practice SET name = ?", (f"Practice{HOSTILE}",))
    conn.commit()
    conn.close()


@pytest.fixture
def hostile(db_path: Path) -> dict[str, int]:
    client = make_client()
    draft = book(client, at(0, 9))
    signed = book(client, at(7, 9))
    upcoming = book(client, at(-3, 10))
    save_draft(draft, {"subjective": "draft s", "objective": "draft o"}, now=FIXED_NOW)
    sign_note(signed, {"subjective": "signed s"}, now=FIXED_NOW - dt.timedelta(days=7))
    note_id = (
        sqlite3.connect(db_path)
        .execute("SELECT id FROM session_note WHERE appointment_id = ?", (signed,))
        .fetchone()[0]
    )
    add_amendment(note_id, "amendment text", "reason", now=FIXED_NOW)
    from practice_tui.domain import plans
    from practice_tui.domain.settings import list_services

    plans.create_plan(
        plans.PlanDraft(
            client_id=client,
            service_id=list_services()[0].id,
            first_start=dt.datetime(2026, 12, 1, 14, 0),
            rule="FREQ=WEEKLY",
            count=4,
        ),
        now=FIXED_NOW,
        allow_outside_hours=True,
    )
    close_database()
    _poison(db_path, client, upcoming)
    conn = sqlite3.connect(db_path)
    conn.execute(
        "UPDATE session_note SET subjective = ?, objective = ? WHERE appointment_id = ?",
        (HOSTILE, HOSTILE, draft),
    )
    conn.execute("UPDATE plan SET note = ?", (HOSTILE,))
    conn.commit()
    conn.close()
    open_database(db_path)
    return {"client": client, "draft": draft, "signed": signed, "upcoming": upcoming}


async def _settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_every_screen_and_dialog_keeps_hostile_text_off_the_terminal(
    db_path: Path, hostile: dict[str, int], captured: list[str]
) -> None:
    from practice_tui.domain.appointments import get_appointment
    from practice_tui.domain.clients import get_client
    from practice_tui.ui.dialogs.appointment import AppointmentForm
    from practice_tui.ui.dialogs.appointment_details import AppointmentDetailsDialog
    from practice_tui.ui.dialogs.client_form import ClientFormDialog
    from practice_tui.ui.dialogs.plan_new import NewPlanDialog
    from practice_tui.ui.screens.plan_details import PlanDetailsScreen

    # The real output path: a zero-second timer divides by zero there (Textual).
    app = make_app(db_path, clock=fixed_clock, preview_delay=0.01)
    visited: list[str] = []
    async with app.run_test(size=(110, 40)) as pilot:

        async def look(name: str) -> None:
            await _settle(app, pilot)
            visited.append(name)
            assert not bad_bytes("".join(captured)), (name, bad_bytes("".join(captured)))

        await look("today")
        await pilot.press("w")
        await look("week")
        for key, name in (("2", "clients"), ("3", "sessions"), ("4", "plans")):
            await pilot.press(key)
            await look(name)
        await pilot.press("1")
        await look("today again")

        app.open_client_profile(hostile["client"])
        await look("profile")
        app.open_client_notes(hostile["client"])
        await look("client notes")
        app.open_note_editor(hostile["draft"])
        await look("draft note editor")
        editor = app.screen
        subjective = editor.query_one("#subjective", TextArea).text
        assert "␛]0;pwned␇" in subjective and "⟨U+202E⟩" in subjective
        app.open_note_editor(hostile["signed"])
        await look("signed note")

        app.push_screen(ClientFormDialog(get_client(hostile["client"])))
        await look("client form")
        first = app.screen.query_one("#f-first_name", Input).value
        assert first.startswith("Eve␛]0;pwned␇␛[2J") and "\x1b" not in first
        app.pop_screen()

        info = get_appointment(hostile["upcoming"])
        app.push_screen(AppointmentForm("edit", appointment=info))
        await look("appointment edit")
        note = app.screen.query_one("#note", Input).value
        assert "␇" in note and "\x07" not in note
        app.pop_screen()
        app.push_screen(AppointmentDetailsDialog(hostile["upcoming"]))
        await look("appointment details")
        app.pop_screen()

        plan_id = sqlite3.connect(db_path).execute("SELECT id FROM plan").fetchone()[0]
        app.push_screen(PlanDetailsScreen(plan_id))
        await look("plan details")
        app.pop_screen()
        app.push_screen(NewPlanDialog())
        await look("new plan")
        app.pop_screen()
        app.open_booking(client_id=hostile["client"])
        await look("booking")

    output = "".join(captured)
    assert "pwned" in output or "Eve" in output  # the text itself is shown, as symbols
    assert not bad_bytes(output)
    assert len(visited) == 16


def test_names_refuse_control_characters_at_input(db_path: Path) -> None:
    from practice_tui.domain.clients import create_client

    for name in ("Eve\x1b]0;x\x07", "Eve\u202eevil", "Eve\x00"):
        with pytest.raises(ValidationError, match="control or text-direction") as caught:
            create_client({"first_name": name}, today=FIXED_TODAY)
        assert caught.value.field == "first_name"


async def test_the_guard_strips_what_slips_into_any_widget(captured: list[str], tmp_path) -> None:
    """A widget that shows raw text (a pasted value in an Input) still writes no control."""
    from textual.app import App
    from textual.widgets import Static

    from practice_tui.ui.terminal_guard import install

    install()

    class Raw(App[None]):
        def compose(self):
            yield Input(HOSTILE)
            yield TextArea(HOSTILE)
            yield Static(HOSTILE, markup=False)

    async with Raw().run_test() as pilot:
        await pilot.pause()
    output = "".join(captured)
    assert "Eve" in output and "evil" in output
    assert not bad_bytes(output)


MARKUP = "[bold red]Ann[/]"


@pytest.fixture
def hostile_money(db_path: Path, hostile: dict[str, int]) -> dict[str, int]:
    """The hostile client with money and outcomes too, then markup and control
    characters written into names, goals, payments and settings by another program."""
    from practice_tui.domain.billing import set_client_insurance
    from practice_tui.domain.outcomes import GoalRow, save_goals
    from practice_tui.domain.packages import sell_package
    from practice_tui.domain.payments import record_payment
    from practice_tui.domain.policy_fees import set_fee_policy
    from practice_tui.domain.schedule import mark_completed

    client = hostile["client"]
    mark_completed(hostile["draft"], now=FIXED_NOW)
    record_payment(
        client, "20", "card", received_on=FIXED_TODAY, today=FIXED_TODAY, reference=MARKUP
    )
    sell_package(client, 1, "3", "200", sold_on=FIXED_TODAY)
    save_goals(client, [GoalRow(None, "Lift my grandchild", "4")], now=FIXED_NOW)
    set_client_insurance(client, "M54.50 Low back pain", "Dr. X", "")
    set_fee_policy("fixed", "40")
    close_database()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "UPDATE client SET first_name = ?, preferred_name = '', diagnosis_codes = ? WHERE id = ?",
        (f"{MARKUP}{HOSTILE}", f"M54.50 {MARKUP}{HOSTILE}", client),
    )
    conn.execute("UPDATE goal SET activity = ?", (f"{MARKUP}{HOSTILE}",))
    conn.execute("UPDATE service SET name = ? WHERE id = 1", (f"{MARKUP}Svc{HOSTILE}",))
    conn.execute(
        "UPDATE practice SET name = ?, therapist_name = ?, address = ?",
        (f"{MARKUP}{HOSTILE}", f"{MARKUP}{HOSTILE}", HOSTILE),
    )
    conn.commit()
    conn.close()
    open_database(db_path)
    return hostile


async def test_money_practice_and_outcomes_keep_markup_literal_and_control_visible(
    db_path: Path, hostile_money: dict[str, int], captured: list[str]
) -> None:
    from textual.widgets import DataTable, Static

    from practice_tui.ui.dialogs.goals import GoalsDialog
    from practice_tui.ui.dialogs.money_form import MoneyForm
    from practice_tui.ui.dialogs.progress_report import ExportRecordDialog, ProgressReportDialog
    from practice_tui.ui.dialogs.settings_form import ChoiceDialog, SettingsForm
    from practice_tui.ui.screens.account import AccountScreen
    from practice_tui.ui.screens.client_profile import ClientProfileScreen
    from practice_tui.ui.screens.money import MoneyScreen
    from practice_tui.ui.screens.practice import PracticeSettingsScreen

    client = hostile_money["client"]
    app = make_app(db_path, clock=fixed_clock, preview_delay=0.01, welcome=False)
    visited: list[str] = []
    async with app.run_test(size=(110, 40)) as pilot:

        async def look(name: str, kind: type, *shown: str) -> None:
            """The screen is ``kind``; no control went out; ``shown`` is on screen as
            typed (markup literal, control characters as symbols)."""
            await _settle(app, pilot)
            await _settle(app, pilot)
            visited.append(name)
            assert isinstance(app.screen, kind), (name, app.screen)
            output = "".join(captured)
            assert not bad_bytes(output), (name, bad_bytes(output))
            screen = app.screen
            texts = " ".join(
                [str(w.render()) for w in screen.query(Static) if w.display]
                + [w.value for w in screen.query(Input)]
                + [
                    str(cell)
                    for table in screen.query(DataTable)
                    for row in range(table.row_count)
                    for cell in table.get_row_at(row)
                ]
            )
            for words in shown:
                assert words in texts, (name, words)

        app.open_client_profile(client)
        await look("profile", ClientProfileScreen, MARKUP, "␛]0;pwned␇")
        await pilot.press("g")
        await look("goals", GoalsDialog, MARKUP, "␛]0;pwned␇")
        await pilot.press("escape")
        await pilot.press("p")
        await look("progress report", ProgressReportDialog, MARKUP)
        await pilot.press("escape")
        app.push_screen(ExportRecordDialog(client, f"{MARKUP}{HOSTILE}"))
        await look("export record", ExportRecordDialog, MARKUP)
        await pilot.press("escape")
        await _settle(app, pilot)

        app.push_screen(AccountScreen(client))
        await look("account", AccountScreen, MARKUP, "␛]0;pwned␇")
        await pilot.press("dollar_sign")
        await look("take payment", MoneyForm, MARKUP)
        await pilot.press("escape")
        await pilot.press("percent_sign")
        await look("prices", MoneyForm, MARKUP)
        await pilot.press("escape")
        await pilot.press("i")
        await look("insurance codes", MoneyForm, MARKUP, "␛]0;pwned␇")
        await pilot.press("escape")
        await pilot.press("k")
        await look("sell a package", MoneyForm)
        await pilot.press("escape")
        await pilot.press("p")
        await look("print", ChoiceDialog)
        await pilot.press("escape")
        await pilot.press("escape")

        await pilot.press("5")
        await look("money", MoneyScreen, MARKUP)
        await pilot.press("6")
        await look("practice", PracticeSettingsScreen, MARKUP, "␛]0;pwned␇")
        for section in ("hours", "time-off", "services", "policies"):
            await pilot.press("down")
            await look(f"practice {section}", PracticeSettingsScreen)
        await pilot.press("up", "enter")
        await look("practice services", PracticeSettingsScreen, f"{MARKUP}Svc")
        await pilot.press("e")
        await look("service form", SettingsForm, f"{MARKUP}SvcEve␛]0;pwned␇")
        await pilot.press("escape")
        await pilot.press("escape", "up", "up", "up", "enter", "e")  # back to Practice
        await look("details form", SettingsForm, f"{MARKUP}Eve␛]0;pwned␇")
        assert "\x1b" not in app.screen.query_one("#field-name", Input).value

    assert len(visited) == 19
