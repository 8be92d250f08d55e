"""Sessions: notes owed, the note editor, signing, amendments, a client's history."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widgets import DataTable, Input, OptionList, Static, TextArea

from practice_tui.domain import notes
from practice_tui.domain.models import Appointment, Client, NoteAmendment, SessionNote
from practice_tui.ui.app import PracticeApp, make_app
from practice_tui.ui.dialogs.amendment import AmendmentDialog
from practice_tui.ui.dialogs.common import ConfirmDialog
from practice_tui.ui.dialogs.unsaved_note import UnsavedNoteDialog
from practice_tui.ui.screens.client_notes import ClientNotesScreen
from practice_tui.ui.screens.note_editor import NoteEditorScreen
from practice_tui.ui.widgets.body_areas import BodyAreas
from practice_tui.ui.widgets.note_form import NoteForm
from practice_tui.ui.widgets.note_pickers import PressurePicker
from practice_tui.ui.widgets.pain_chart import PainChart
from tests.conftest import FIXED_NOW, fixed_clock
from tests.domain.notes_helpers import at, book, make_client
from tests.ui import helpers


async def settle(app: PracticeApp, pilot) -> None:
    """Wait until the app is idle: workers done, messages handled, screen painted."""
    await helpers.settle(pilot)


async def open_editor(app: PracticeApp, pilot, appointment_id: int) -> NoteEditorScreen:
    app.open_note_editor(appointment_id)
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, NoteEditorScreen)
    return screen


def text_of(widget: Static) -> str:
    """What the widget shows on screen, line by line."""
    width, height = widget.region.size  # padding and border included
    lines = widget.render_lines(Region(0, 0, width, height))
    return "\n".join(line.text.rstrip() for line in lines)


def flat(widget: Static) -> str:
    """What the widget shows, with line breaks and runs of blanks as one space."""
    return " ".join(text_of(widget).split())


def screen_text(app: PracticeApp) -> str:
    """Everything the statics and options of the screen show, as plain text."""
    parts = [text_of(w) for w in app.screen.query(Static)]
    for listing in app.screen.query(OptionList):
        parts += [str(o.prompt) for o in listing.options]
    return "\n".join(parts)


def stored(appointment_id: int) -> SessionNote | None:
    return SessionNote.get_or_none(SessionNote.appointment == appointment_id)


# --- the Sessions list ---------------------------------------------------------------------


async def test_sessions_lists_notes_owed_first_then_recent(db_path: Path) -> None:
    maya = make_client()
    ben = make_client("Ben", "Carter", contraindications="Warfarin")
    old = book(maya, at(6, 10))
    draft = book(ben, at(3, 14))
    signed = book(maya, at(2, 9))
    notes.save_draft(draft, {"pain_before": "5"}, now=FIXED_NOW)
    notes.sign_note(signed, {"pain_before": "6", "pain_after": "3"}, now=FIXED_NOW)
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(app, pilot)
        assert "2 notes owed" in text_of(app.screen.query_one("#sessions-title", Static))
        listing = app.screen.query_one(OptionList)
        rows = [(o.id, str(o.prompt)) for o in listing.options]
        ids = [row_id for row_id, _ in rows if row_id]
        assert ids == [f"owed-{old}", f"owed-{draft}", f"note-{signed}"]
        prompts = dict(rows)
        assert "no note" in prompts[f"owed-{old}"]
        assert "draft" in prompts[f"owed-{draft}"] and "⚠" in prompts[f"owed-{draft}"]
        assert "6 → 3" in prompts[f"note-{signed}"] and "signed" in prompts[f"note-{signed}"]
        # The cursor starts on the oldest note owed; enter opens it.
        assert listing.highlighted_option.id == f"owed-{old}"
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, NoteEditorScreen)
        assert app.screen.appointment_id == draft
        assert app.screen.query_one("#pain_before", Input).value == "5"
        # Back on Sessions, the list is read again.
        await pilot.press("escape", "escape")
        await settle(app, pilot)
        assert app.current_mode == "sessions" and not isinstance(app.screen, NoteEditorScreen)


async def test_sessions_h_and_p_reach_the_client(db_path: Path, monkeypatch) -> None:
    maya = make_client()
    book(maya, at(1, 10))
    app = make_app(db_path, clock=fixed_clock)
    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(app, "open_client_profile", lambda cid: calls.append(("profile", cid)))
    monkeypatch.setattr(app, "open_client_notes", lambda cid: calls.append(("notes", cid)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(app, pilot)
        await pilot.press("h", "p")
        await helpers.settle(pilot)
    assert calls == [("notes", maya), ("profile", maya)]


# --- writing, saving, signing ----------------------------------------------------------------


async def test_write_save_and_sign_a_note(db_path: Path) -> None:
    maya = make_client(contraindications="DVT left calf: no massage of the left lower leg")
    appointment = book(maya, at(0, 9))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        assert "DVT left calf" in text_of(editor.query_one("#note-alert", Static))
        assert app.focused is editor.query_one("#pain_before", Input)
        await pilot.press("6", "tab", "3", "tab", "f", "tab")
        # Areas: neck both sides (space), down to upper trapezius, right side only.
        assert isinstance(app.focused, BodyAreas)
        await pilot.press("space", "down", "right")
        await pilot.press("tab", "space")  # techniques: the first one (Swedish)
        editor.query_one("#subjective", TextArea).text = "Stiff after gardening."
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        row = stored(appointment)
        assert row is not None and row.signed_at is None
        assert (row.pain_before, row.pain_after, row.pressure) == (6, 3, "firm")
        assert row.areas == ["neck:both", "upper trapezius:right"]
        assert row.techniques == ["Swedish"]
        assert row.subjective == "Stiff after gardening."
        assert "Draft · saved" in text_of(editor.query_one("#note-status", Static))
        assert not editor.dirty

        await pilot.press("ctrl+l")
        await helpers.settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        row = stored(appointment)
        assert row.signed_at == FIXED_NOW
        assert Appointment.get_by_id(appointment).status == "completed"
        assert "Signed" in text_of(editor.query_one("#note-status", Static))
        assert not editor.query(NoteForm)  # read-only now
        content = text_of(editor.query_one("#note-content", Static))
        assert "neck L/R, upper trapezius R" in content and "6 → 3" in content


async def test_sign_can_be_declined_and_nothing_is_signed(db_path: Path) -> None:
    appointment = book(make_client(), at(0, 9))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        await pilot.press("4", "ctrl+l")
        await helpers.settle(pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert app.screen is editor
        assert stored(appointment) is None
        assert editor.query_one("#pain_before", Input).value == "4"


async def test_a_refused_save_keeps_everything_typed(db_path: Path) -> None:
    appointment = book(make_client(), at(0, 9))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        await pilot.press(*"7/10", "tab", *"7.5")
        await helpers.settle(pilot)
        # Flagged next to each field as it is typed.
        assert "just the number (7)" in flat(editor.query_one("#err-pain_before", Static))
        assert "no decimals" in flat(editor.query_one("#err-pain_after", Static))
        editor.query_one("#objective", TextArea).text = "Tight [b]QL[/b]"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert stored(appointment) is None
        assert editor.query_one("#pain_before", Input).value == "7/10"
        assert editor.query_one("#pain_after", Input).value == "7.5"
        assert editor.query_one("#objective", TextArea).text == "Tight [b]QL[/b]"
        assert editor.query_one("#err-pain_before", Static).display
        assert app.focused is editor.query_one("#pain_before", Input)
        # Signing is refused the same way, without asking to confirm.
        await pilot.press("ctrl+l")
        await helpers.settle(pilot)
        assert app.screen is editor
        # Fixed, it saves; blank pain after means "not asked".
        editor.query_one("#pain_before", Input).value = "7"
        editor.query_one("#pain_after", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        row = stored(appointment)
        assert row.pain_before == 7 and row.pain_after is None
        assert row.objective == "Tight [b]QL[/b]"
        assert not editor.query_one("#err-pain_before", Static).display


async def test_editing_a_saved_draft(db_path: Path) -> None:
    appointment = book(make_client(), at(1, 9))
    notes.save_draft(
        appointment,
        {"pain_before": "5", "areas": ["hips:left"], "pressure": "medium", "plan_text": "weekly"},
        now=FIXED_NOW,
    )
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        form = editor.query_one(NoteForm)
        assert form.raw()["areas"] == ["hips:left"]
        assert editor.query_one("#pressure", PressurePicker).value == "medium"
        assert editor.query_one("#plan_text", TextArea).text == "weekly"
        areas = editor.query_one("#areas", BodyAreas)
        areas.focus()
        areas.highlighted = areas.get_option_index("hips")
        await pilot.press("r")  # now both sides
        editor.query_one("#pain_after", Input).value = "2"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        row = stored(appointment)
        assert row.areas == ["hips:both"] and row.pain_after == 2 and row.signed_at is None


async def test_new_techniques_can_be_added(db_path: Path) -> None:
    appointment = book(make_client(), at(0, 9))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        editor.query_one("#technique-new", Input).focus()
        await pilot.press(*"cupping", "enter", *"Deep Tissue", "enter")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert stored(appointment).techniques == ["deep tissue", "cupping"]


# --- copy forward -------------------------------------------------------------------------


async def test_ctrl_d_copies_the_previous_note_forward(db_path: Path) -> None:
    maya = make_client()
    last_week = book(maya, at(7, 9))
    today = book(maya, at(0, 9))
    notes.sign_note(
        last_week,
        {
            "pain_before": "7",
            "pain_after": "4",
            "areas": ["lower back/lumbar:both", "sacrum and glutes:right"],
            "techniques": ["trigger point therapy", "cupping"],
            "pressure": "firm",
            "subjective": "last week",
            "home_care": ["heat", "stretching"],
            "home_care_notes": "Cat-cow 10x daily",
            "plan_text": "Weekly for 4 weeks",
        },
        now=FIXED_NOW,
    )
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, today)
        previous = text_of(editor.query_one("#previous-body", Static))
        assert "7 → 4" in previous and "lower back/lumbar L/R" in previous
        await pilot.press("5", "ctrl+d")
        await helpers.settle(pilot)
        raw = editor.query_one(NoteForm).raw()
        assert raw["pain_before"] == "5"  # today's pain is kept
        assert raw["areas"] == ["lower back/lumbar:both", "sacrum and glutes:right"]
        assert raw["techniques"] == ["trigger point therapy", "cupping"]
        assert raw["pressure"] == "firm"
        assert raw["home_care"] == ["stretching", "heat"]
        assert raw["home_care_notes"] == "Cat-cow 10x daily"
        assert raw["plan_text"] == "Weekly for 4 weeks"
        assert raw["subjective"] == ""  # S/O/A belong to today
        assert editor.dirty
        # A second ctrl+d does not overwrite what is now there.
        editor.query_one("#plan_text", TextArea).text = "Fortnightly"
        await pilot.press("ctrl+d")
        await helpers.settle(pilot)
        assert editor.query_one("#plan_text", TextArea).text == "Fortnightly"
        # Change pain and one area, then sign: the walk-through of issue 5.
        areas = editor.query_one("#areas", BodyAreas)
        areas.focus()
        areas.highlighted = areas.get_option_index("sacrum and glutes")
        await pilot.press("x")
        await pilot.press("ctrl+l")
        await helpers.settle(pilot)
        await pilot.press("y")
        await settle(app, pilot)
        row = stored(today)
        assert row.signed_at is not None and row.areas == ["lower back/lumbar:both"]
        assert row.pain_before == 5 and row.plan_text == "Fortnightly"


async def test_copy_forward_is_not_offered_without_a_previous_note(db_path: Path) -> None:
    appointment = book(make_client(), at(0, 9))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        assert editor.check_action("copy_forward", ()) is False
        assert "No earlier note" in text_of(editor.query_one("#previous-body", Static))


# --- leaving ---------------------------------------------------------------------------------


async def test_leaving_with_unsaved_changes_asks_first(db_path: Path) -> None:
    appointment = book(make_client(), at(0, 9))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        assert "unsaved" not in text_of(editor.query_one("#note-status", Static))
        await pilot.press("8")
        await helpers.settle(pilot)
        assert "unsaved changes" in text_of(editor.query_one("#note-status", Static))
        # escape first leaves the text field (so "8" was typed, not a mode switch) ...
        await pilot.press("escape")
        assert app.screen is editor and app.focused is None
        # ... then asks before leaving the note.
        await pilot.press("escape")
        await helpers.settle(pilot)
        assert isinstance(app.screen, UnsavedNoteDialog)
        await pilot.press("escape")  # keep editing
        await helpers.settle(pilot)
        assert app.screen is editor
        assert editor.query_one("#pain_before", Input).value == "8"
        await pilot.press("escape")
        await helpers.settle(pilot)
        await pilot.press("s")  # save the draft and leave
        await settle(app, pilot)
        assert app.screen is not editor
        assert stored(appointment).pain_before == 8
        # Open again, change, discard.
        editor = await open_editor(app, pilot, appointment)
        editor.query_one("#pain_before", Input).value = "2"
        editor.set_focus(None)
        await pilot.press("escape")
        await helpers.settle(pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert app.screen is not editor
        assert stored(appointment).pain_before == 8


async def test_q_asks_before_quitting_with_unsaved_changes(db_path: Path) -> None:
    appointment = book(make_client(), at(0, 9))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        await pilot.press("3", "escape", "q")
        await helpers.settle(pilot)
        assert isinstance(app.screen, UnsavedNoteDialog)
        await pilot.press("k")
        await helpers.settle(pilot)
        assert app.screen is editor and app.is_running


async def test_leaving_an_unchanged_note_does_not_ask(db_path: Path) -> None:
    appointment = book(make_client(), at(0, 9))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        await pilot.press("escape", "escape")
        await helpers.settle(pilot)
        assert app.screen is not editor and not isinstance(app.screen, UnsavedNoteDialog)
    assert stored(appointment) is None


# --- a signed note ---------------------------------------------------------------------------


async def test_a_signed_note_is_read_only_and_refuses_edits(db_path: Path) -> None:
    appointment = book(make_client(), at(1, 9))
    notes.sign_note(appointment, {"pain_before": "6", "subjective": "as signed"}, now=FIXED_NOW)
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        assert not editor.query(Input) and not editor.query(TextArea)
        assert editor.check_action("save", ()) is False
        assert editor.check_action("sign", ()) is False
        assert editor.check_action("copy_forward", ()) is False
        assert editor.check_action("amend", ()) is True
        await pilot.press("ctrl+s", "ctrl+l", "ctrl+d", "x", "space", "enter", "backspace")
        await settle(app, pilot)
        assert app.screen is editor and not app.screen.query(NoteForm)
    row = stored(appointment)
    assert row.pain_before == 6 and row.subjective == "as signed"


async def test_amend_a_signed_note(db_path: Path) -> None:
    appointment = book(make_client(), at(1, 9))
    signed = notes.sign_note(appointment, {"pain_before": "6"}, now=FIXED_NOW)
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        await pilot.press("a")
        await helpers.settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AmendmentDialog)
        await pilot.press(*"Pain after was 3.")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        # The reason is required: the dialog stays, keeps the text, says so.
        assert app.screen is dialog
        assert "reason" in text_of(dialog.query_one("#err-reason", Static)).lower()
        assert dialog.query_one("#amend-text", TextArea).text == "Pain after was 3."
        assert NoteAmendment.select().count() == 0
        await pilot.press(*"[red]typo[/]", "enter")
        await settle(app, pilot)
        assert app.screen is editor
        amendments = text_of(editor.query_one("#note-amendments", Static))
        assert "Fri 27 Nov 2026 11:20" in amendments
        assert "[red]typo[/]" in amendments and "Pain after was 3." in amendments
    saved = NoteAmendment.get(NoteAmendment.note == signed.id)
    assert (saved.text, saved.reason, saved.created_at) == (
        "Pain after was 3.",
        "[red]typo[/]",
        FIXED_NOW,
    )
    assert stored(appointment).pain_before == 6


# --- a client's history ----------------------------------------------------------------------


async def test_h_in_a_note_shows_the_client_notes_and_back(db_path: Path) -> None:
    maya = make_client()
    earlier = book(maya, at(8, 9))
    appointment = book(maya, at(1, 9))
    notes.sign_note(earlier, {"pain_before": "7"}, now=FIXED_NOW)
    notes.sign_note(appointment, {"pain_before": "6"}, now=FIXED_NOW)
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        await pilot.press("h")
        await settle(app, pilot)
        history = app.screen
        assert isinstance(history, ClientNotesScreen) and history.client_id == maya
        # The note already open (the newest) is returned to, not opened again ...
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is editor
        await pilot.press("h")
        await settle(app, pilot)
        history = app.screen
        # ... another one opens over the history.
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, NoteEditorScreen) and app.screen is not editor
        # From a note opened in the history, h goes back to that history.
        await pilot.press("h")
        await settle(app, pilot)
        assert app.screen is history


async def test_client_notes_newest_first_with_trend_and_reading_one(db_path: Path) -> None:
    maya = make_client(contraindications="Osteoporosis: no heavy pressure")
    visits = [book(maya, at(days, 9)) for days in (21, 14, 7)]
    for appointment, (before, after) in zip(visits, [(7, 4), (6, 4), (5, 2)], strict=True):
        notes.sign_note(
            appointment, {"pain_before": str(before), "pain_after": str(after)}, now=FIXED_NOW
        )
    draft = book(maya, at(0, 9))
    notes.save_draft(draft, {"pain_before": "4"}, now=FIXED_NOW)
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_client_notes(maya)
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ClientNotesScreen)
        assert "Osteoporosis" in text_of(screen.query_one("#client-notes-alert", Static))
        assert "4 notes" in text_of(screen.query_one("#client-notes-trend", Static))
        chart = screen.query_one(PainChart).render().plain
        assert "first 7 → now 4/10 before" in chart and "−3 since first visit" in chart
        table = screen.query_one(DataTable)
        keys = [row.key.value for row in table.ordered_rows]
        assert keys == [str(draft), *(str(v) for v in reversed(visits))]
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, NoteEditorScreen)
        assert app.screen.appointment_id == visits[-1]
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen


# --- literal rendering -------------------------------------------------------------------------


async def test_names_and_text_are_shown_literally(db_path: Path) -> None:
    ann = make_client("[bold]Ann[/]", "Lee", contraindications="[red]no[/red] deep work")
    # Names refuse control characters when typed; another program may still store one.
    Client.update(last_name="Lee\x1b[31m").where(Client.id == ann).execute()
    appointment = book(ann, at(1, 9))
    notes.sign_note(
        appointment,
        {"pain_before": "3", "subjective": "[i]sore[/i]\x07", "techniques": ["[u]x[/u]"]},
        now=FIXED_NOW,
    )
    owed = book(ann, at(0, 9))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3")
        await settle(app, pilot)
        shown = screen_text(app)
        assert "[bold]Ann[/] Lee␛[31m" in shown
        editor = await open_editor(app, pilot, appointment)
        shown = screen_text(app)
        assert "[bold]Ann[/] Lee␛[31m" in shown
        assert "[red]no[/red] deep work" in shown
        assert "[i]sore[/i]␇" in shown and "[u]x[/u]" in shown
        await pilot.press("escape")
        editor = await open_editor(app, pilot, owed)
        assert "[i]sore[/i]␇" in text_of(editor.query_one("#previous-body", Static))


# --- small terminals -------------------------------------------------------------------------


async def test_editor_at_80x24_keeps_pain_and_keys_reachable(db_path: Path) -> None:
    maya = make_client(contraindications="Warfarin (anticoagulant): light pressure only")
    previous = book(maya, at(7, 9))
    notes.sign_note(previous, {"pain_before": "6", "areas": ["neck:both"]}, now=FIXED_NOW)
    appointment = book(maya, at(0, 9))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        assert editor.has_class("-narrow")
        for field in ("#pain_before", "#pain_after"):
            region = editor.query_one(field).region
            assert region.height > 0 and region.bottom <= 23 and region.right <= 80
        keys = {b.key for _, b, enabled, _ in app.active_bindings.values() if enabled}
        assert {"ctrl+s", "ctrl+l", "ctrl+d", "escape"} <= keys
        # The last field scrolls into view.
        editor.query_one("#next_visit", Input).focus()
        await helpers.settle(pilot)
        assert editor.query_one("#next_visit").region.bottom <= 23


async def test_a_note_for_a_session_not_yet_given_cannot_be_written(db_path: Path) -> None:
    later = book(make_client(), FIXED_NOW.replace(hour=15, minute=0))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, later)
        assert "not started yet" in flat(editor.query_one("#note-message", Static))
        assert not editor.query(NoteForm)
        assert editor.check_action("save", ()) is False
        await pilot.press("ctrl+s", "escape")
        await settle(app, pilot)
        assert app.screen is not editor
    assert stored(later) is None


async def test_the_form_is_laid_out_at_one_width_as_it_opens(db_path: Path, monkeypatch) -> None:
    """The form is taller than the screen: its scrollbar's room is kept from
    the start, so no row in view is laid out (and drawn) at a second width
    when the scrollbar appears."""
    from textual.widget import Widget

    widths: dict[str, set[int]] = {}
    size_updated = Widget._size_updated

    def record(self, size, virtual_size, container_size, layout=True):  # type: ignore[no-untyped-def]
        if self.id in ("note-form", "pain-row", "pick-row", "areas-label") and size.width:
            widths.setdefault(self.id, set()).add(size.width)
        return size_updated(self, size, virtual_size, container_size, layout)

    monkeypatch.setattr(Widget, "_size_updated", record)
    appointment = book(make_client(), at(0, 9))
    app = make_app(db_path, clock=fixed_clock)
    async with app.run_test(size=(100, 30)) as pilot:
        editor = await open_editor(app, pilot, appointment)
        assert editor.query_one(NoteForm).show_vertical_scrollbar
    assert sorted(widths) == ["areas-label", "note-form", "pain-row", "pick-row"]
    assert all(len(seen) == 1 for seen in widths.values()), widths
