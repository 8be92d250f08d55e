"""The session note of one appointment: write it in two minutes, sign it, amend it.

A draft opens as a form with the client's previous note beside it; a signed
note opens read-only with its amendments under it. The keys:

- ``ctrl+s`` saves a draft at any time (a refused save keeps everything typed
  and puts each message next to its field);
- ``ctrl+d`` copies areas, techniques, pressure, home care and plan forward
  from the previous note, when those fields are still empty;
- ``ctrl+l`` signs and locks after a confirmation (the appointment becomes
  completed); from then on only ``a`` (amend) is offered;
- ``escape`` leaves a text field, and outside one leaves the note, asking
  first when there are unsaved changes (``q`` asks too before quitting).

The form is never reloaded behind the therapist's back: coming back to this
screen refreshes the header (a contraindication edited meanwhile shows at
once) but keeps what is typed.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.events import DescendantBlur, Resize, ScreenResume
from textual.timer import Timer
from textual.widgets import Input, SelectionList, Static, TextArea

from practice_tui.domain.errors import PracticeError, StaleRecordError, ValidationError
from practice_tui.domain.note_fields import (
    NoteFields,
    check_note,
    copy_forward,
    missing_before_signing,
    note_is_blank,
)
from practice_tui.domain.notes import NoteInfo, NotePage, open_note
from practice_tui.domain.outcomes import NoteGoal, check_scores, note_goals, save_note_with_scores
from practice_tui.domain.words import moment_long, slot_long, weekday_date
from practice_tui.ui.base import PracticeScreen
from practice_tui.ui.dialogs.amendment import AmendmentDialog
from practice_tui.ui.dialogs.common import ConfirmDialog
from practice_tui.ui.dialogs.stale_record import StaleRecordDialog
from practice_tui.ui.dialogs.unsaved_note import UnsavedNoteDialog
from practice_tui.ui.text import plain
from practice_tui.ui.widgets.body_areas import BodyAreas
from practice_tui.ui.widgets.footer import KeysFooter
from practice_tui.ui.widgets.note_form import NoteForm
from practice_tui.ui.widgets.note_pickers import PressurePicker
from practice_tui.ui.widgets.note_view import (
    amendments_view,
    goal_scores_view,
    note_table,
    previous_summary,
)

#: Below this width the pickers stack and the previous note narrows.
NARROW = 100


class NoteEditorScreen(PracticeScreen):
    #: The note is read before its form shows: keys typed meanwhile wait for it.
    WAITS_FOR_DATA = True
    #: The form focuses its first field when it is built; coming back to the
    #: note (a dialog closed, a screen above left) keeps the focus where it
    #: was — out of the fields after ``escape``, so ``h``, ``a`` and ``escape``
    #: act on the note — instead of Textual putting it in the first field.
    AUTO_FOCUS = ""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save draft", priority=True),
        Binding("ctrl+l", "sign", "Sign & lock", priority=True),
        Binding("ctrl+d", "copy_forward", "Copy previous", priority=True),
        Binding("a", "amend", "Amend"),
        Binding("h", "history", "Client's notes"),
        Binding("escape", "back", "Back"),
        Binding("q", "quit_checked", "Quit", show=False),
    ]

    def __init__(self, appointment_id: int) -> None:
        super().__init__()
        self.appointment_id = appointment_id
        self.page: NotePage | None = None
        #: The form as last loaded or saved; "unsaved changes" means different from it.
        self._baseline: dict[str, Any] | None = None
        #: What to do once a save asked for on the way out succeeds.
        self._after_save: Callable[[], object] | None = None
        self._rebuilding = asyncio.Lock()
        #: The client's functional goals as this note asks them (outcomes).
        self.goals: tuple[NoteGoal, ...] = ()
        self._autosave_timer: Timer | None = None
        #: The form in the body, once mounted (``form``).
        self._form: NoteForm | None = None

    # --- building ----------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("Note", id="note-title")
        yield Static("Loading…", id="note-status")
        alert = Static("", id="note-alert")
        alert.display = False
        yield alert
        yield Container(id="note-body")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.set_class(self.app.size.width < NARROW, "-narrow")
        self.load(rebuild=True)

    def on_resize(self, event: Resize) -> None:
        narrow = event.size.width < NARROW
        self.set_class(narrow, "-narrow")
        for form in self.query(NoteForm):
            form.set_class(narrow, "-narrow")

    def on_screen_resume(self, event: ScreenResume) -> None:
        if self.page is not None:
            # Refresh the header and a read-only note; a form keeps what is typed.
            self.load(rebuild=self.page.note.signed)

    @work(thread=True, exclusive=True, group="note-load")
    def load(self, rebuild: bool) -> None:
        try:
            page = open_note(self.appointment_id, self.app.now())
            goals = note_goals(self.appointment_id)
        except PracticeError as error:
            self.app.call_from_thread(self._load_failed, error)
            return
        self.app.call_from_thread(self._show, page, rebuild, goals)

    def _closed_meanwhile(self) -> bool:
        """The note was closed (or the app is quitting) while it was read: what
        was read has nowhere to go."""
        return not self.is_attached or not self.query("#note-title")

    async def _load_failed(self, error: PracticeError) -> None:
        if self._closed_meanwhile():
            return
        self.query_one("#note-status", Static).update(Text(error.message))
        body = self.query_one("#note-body")
        await body.remove_children()
        await body.mount(Static(Text(error.message), id="note-message"))
        self.notify(error.message, severity="error")
        self.ready_for_keys()

    async def _show(self, page: NotePage, rebuild: bool, goals: tuple[NoteGoal, ...]) -> None:
        if self._closed_meanwhile():
            return
        was_signed = self.page is not None and self.page.note.signed
        if was_signed and not page.note.signed:
            return  # read before the signing committed: a signed note never unsigns
        if page.note.signed and not was_signed and self.dirty:
            # Signed in another editor while this one has unsaved text: keep it on
            # screen (saving it will be refused) rather than drop it silently.
            self.notify(
                "This note was signed in another window. What you typed here is kept on "
                "screen but can no longer be saved into it: copy what is needed, then "
                "add it as an amendment.",
                severity="warning",
                timeout=30,
            )
            return
        current = self.page.note.updated_at if self.page else None
        if current and page.note.updated_at and page.note.updated_at < current:
            return  # read before the latest save
        if (
            not rebuild
            and self.dirty
            and self.page is not None
            and page.note.version != self.page.note.version
        ):
            # Saved in another editor meanwhile: this form keeps its edits and the
            # version they were made on; saving them asks what to do.
            return
        self.page = page
        # A form being rebuilt (a reload after "changed elsewhere") counts as
        # shown: building it again from this read would drop the edits put back.
        shown = self._rebuilding.locked() or bool(self.query("#note-main, #note-reader"))
        if rebuild or not shown:
            self.goals = goals
        self._show_header(page.note)
        if rebuild or page.note.signed != was_signed or not shown:
            await self._rebuild(page)
        self.refresh_bindings()

    def _show_header(self, note: NoteInfo) -> None:
        title = Text.assemble(
            "Note · ",
            plain(note.client_name),
            " · ",
            plain(note.service_name),
            f" · {slot_long(note.start, note.end)}",
        )
        self.query_one("#note-title", Static).update(title)
        self._show_status()
        alert = self.query_one("#note-alert", Static)
        alert.display = note.has_alert
        if note.has_alert:
            alert.update(Text.assemble("⚠ ", plain(note.contraindications, keep_newlines=True)))

    def _show_status(self) -> None:
        if self.page is None:
            return
        note = self.page.note
        status = self.query_one("#note-status", Static)
        status.set_class(note.signed, "-signed")
        if note.signed and note.signed_at is not None:
            text = Text(
                f"✔ Signed {moment_long(note.signed_at)} · locked: press a to add an amendment"
            )
        elif self.page.blocked:
            text = Text("No note can be written for this appointment.")
        elif note.exists and note.updated_at is not None:
            text = Text(
                f"Draft · saved {moment_long(note.updated_at)} · owed until signed (ctrl+l)"
            )
        else:
            text = Text("New note · nothing saved yet")
        if self.dirty:
            text.append("  ● unsaved changes (ctrl+s)", style="bold yellow")
        # Each key typed asks again; a line that did not change is not
        # redrawn (a redrawn line lays the whole editor out again).
        if text != status.content:
            status.update(text)

    def _changed(self) -> None:
        """Any field changed: say whether there is something to save."""
        if self._baseline is not None:
            self._show_status()

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(SelectionList.SelectedChanged)
    @on(BodyAreas.Changed)
    @on(PressurePicker.Changed)
    def _field_changed(self) -> None:
        self._changed()
        self._schedule_autosave()

    # --- keeping a draft by itself -------------------------------------------------

    def _schedule_autosave(self) -> None:
        """At most every ``autosave_delay`` seconds while typing."""
        delay = getattr(self.app, "autosave_delay", None)
        if delay is None or self._autosave_timer is not None or not self.dirty:
            return
        self._autosave_timer = self.set_timer(max(delay, 0.01), self._autosave)

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        if getattr(self.app, "autosave_delay", None) is not None and isinstance(
            event.widget, (Input, TextArea)
        ):
            self._autosave()

    def _autosave(self) -> None:
        """Keep what is typed as a draft, quietly; never while a question is open
        (signing, leaving) or a save is under way, never a form with an error."""
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
            self._autosave_timer = None
        form = self.form
        if form is None or not self.dirty or self.app.screen is not self:
            return
        if any(w.group == "note-write" and w.is_running for w in self.workers):
            self._schedule_autosave()
            return
        raw = self._to_save(form.raw())
        scores = form.scores()
        try:
            check_note(raw)
            check_scores(self.goals, scores)
        except ValidationError:
            return  # the field already says what is wrong; saved once it is right
        self._write(raw, scores, sign=False, shown=self._typed(form), quiet=True)

    async def _rebuild(self, page: NotePage) -> None:
        async with self._rebuilding:
            await self._rebuild_body(page)
        # Keys typed while the note was read reach its first field.
        self.ready_for_keys()

    async def _rebuild_body(self, page: NotePage) -> None:
        body = self.query_one("#note-body")
        self._form = None
        await body.remove_children()
        if page.blocked:
            self._baseline = None
            parts = [Static(Text(page.blocked), id="note-message")]
            if page.note.exists:
                parts.append(self._reader(page.note, self.goals))
            await body.mount(*parts)
            return
        if page.note.signed:
            self._baseline = None
            await body.mount(self._reader(page.note, self.goals))
            self.query_one("#note-reader").focus()
            return
        form = self._form = NoteForm(page.note.content, goals=self.goals, id="note-form")
        form.set_class(self.has_class("-narrow"), "-narrow")
        previous = VerticalScroll(
            Static("Previous note", id="previous-title"),
            Static(
                previous_summary(page.previous)
                if page.previous
                else Text("No earlier note for this client.", style="dim"),
                id="previous-body",
            ),
            Static(
                "ctrl+d copies its areas, techniques, pressure, home care and plan "
                "into this note while those are empty."
                if page.previous
                else "",
                id="previous-hint",
            ),
            id="note-previous",
        )
        previous.can_focus = False
        await body.mount(Horizontal(form, previous, id="note-main"))
        self._baseline = self._typed(form)
        self._show_status()
        form.query_one("#pain_before").focus()

    @staticmethod
    def _typed(form: NoteForm) -> dict[str, Any]:
        """Everything typed, goal scores included: what "unsaved changes" compares."""
        return {**form.raw(), "goal scores": form.scores()}

    @staticmethod
    def _reader(note: NoteInfo, goals: tuple[NoteGoal, ...] = ()) -> VerticalScroll:
        scored = [goal for goal in goals if goal.score is not None]
        return VerticalScroll(
            Static(note_table(note.content), id="note-content"),
            Static(goal_scores_view(scored), id="note-goals"),
            Static(f"Amendments ({len(note.amendments)})", classes="section"),
            Static(amendments_view(note.amendments), id="note-amendments"),
            id="note-reader",
        )

    # --- state ---------------------------------------------------------------------------

    @property
    def form(self) -> NoteForm | None:
        """The note's form while it is in the body (none for a signed note, a
        blocked appointment, or while the body is rebuilt). Kept rather than
        looked up: every key's check of what can be done asks for it, and a
        search of the editor's sixty widgets for it took a tenth of its opening."""
        form = self._form
        return form if form is not None and form.is_attached else None

    @property
    def editable(self) -> bool:
        return self.page is not None and not self.page.note.signed and self.form is not None

    @property
    def dirty(self) -> bool:
        form = self.form
        if not self.editable or form is None:
            return False
        try:
            return self._typed(form) != self._baseline
        except NoMatches:  # the form is being rebuilt
            return False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save", "sign"):
            return self.editable
        if action == "copy_forward":
            return self.editable and self.page is not None and self.page.previous is not None
        if action == "amend":
            return self.page is not None and self.page.note.signed
        if action == "history":
            return self.page is not None
        return True

    # --- saving and signing --------------------------------------------------------------

    def _to_save(self, raw: dict[str, Any]) -> dict[str, Any]:
        """What is typed; a text left as it was shown keeps its stored value
        (stored control characters are shown as symbols, not saved as them)."""
        if self.page is None or self._baseline is None:
            return raw
        content = self.page.note.content
        kept = dict(raw)
        for name, value in raw.items():
            stored = getattr(content, name, None)
            if isinstance(stored, str) and value == self._baseline.get(name):
                kept[name] = stored
        return kept

    def action_save(self) -> None:
        form = self.form
        if not self.editable or form is None:
            return
        form.clear_errors()
        shown = form.raw()
        self._write(self._to_save(shown), form.scores(), sign=False, shown=self._typed(form))

    def action_sign(self) -> None:
        form = self.form
        if not self.editable or form is None:
            return
        shown = self._typed(form)
        raw = self._to_save(form.raw())
        scores = form.scores()
        form.clear_errors()
        try:
            fields = check_note(raw)
            check_scores(self.goals, scores)
        except ValidationError as error:
            self._refused(error)
            return
        if note_is_blank(fields):
            self.notify(
                "The note is empty: write what was done before signing it.", severity="warning"
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(raw, scores, sign=True, shown=shown)

        locked = (
            "A signed note cannot be changed, only amended (with the date and time "
            "of each amendment). The appointment will be marked completed."
        )
        missing = missing_before_signing(fields)
        if missing:
            words = ", ".join(missing[:-1]) + (" or " if len(missing) > 1 else "") + missing[-1]
            title = f"Sign with no {words}?"
            message = f"This note records no {words}: sign it anyway only if none applies. "
            message += locked
        else:
            title, message = "Sign and lock this note?", locked
        self.app.push_screen(
            ConfirmDialog(title, message, yes="Sign", no="Not yet"),
            answered,
        )

    @work(thread=True, exclusive=True, group="note-write")
    def _write(
        self,
        raw: dict[str, Any],
        scores: dict[int, str],
        sign: bool,
        shown: dict[str, Any] | None = None,
        quiet: bool = False,
    ) -> None:
        now = self.app.now()
        version = self.page.note.version if self.page is not None else None
        try:
            note = save_note_with_scores(
                self.appointment_id, raw, scores, sign=sign, now=now, expected_version=version
            )
            goals = note_goals(self.appointment_id)
        except StaleRecordError as error:
            self._changed_elsewhere(error, raw)
            return
        except PracticeError as error:
            self.app.call_from_thread(self._refused, error)
            return
        typed = {**raw, "goal scores": scores} if shown is None else shown
        self.app.call_from_thread(self._written, note, typed, goals, quiet)

    # --- changed in another window: never a silent overwrite ------------------------

    def _changed_elsewhere(self, error: StaleRecordError, mine: dict[str, Any]) -> None:
        """(worker) Read the stored note, then ask what to do with these edits."""
        try:
            page = open_note(self.appointment_id, self.app.now())
        except PracticeError as failure:
            self.app.call_from_thread(self._refused, failure)
            return
        self.app.call_from_thread(self._ask_stale, error.message, mine, page)

    def _ask_stale(self, message: str, mine: dict[str, Any], page: NotePage) -> None:
        self._after_save = None
        self.notify(message, severity="warning", timeout=20)
        fields = [f.name for f in dataclasses.fields(NoteFields)]
        try:
            original = check_note(
                {k: v for k, v in (self._baseline or {}).items() if k != "goal scores"}
            )
        except ValidationError:
            original = NoteFields()
        typed = check_note(mine)
        stored = page.note.content
        changed = [
            name.replace("_", " ")
            for name in fields
            if getattr(stored, name) != getattr(original, name)
        ]
        if page.note.signed:
            changed.append("signed")

        async def answered(answer: str | None) -> None:
            if answer is None:
                return
            if page.note.signed:
                self.page = page
                self._show_header(page.note)
                await self._rebuild(page)
                self.refresh_bindings()
                self.notify(
                    "The note was signed in the other window; add what you need as an "
                    "amendment (a).",
                    severity="warning",
                )
                return
            content = stored
            if answer == "reapply":
                content = dataclasses.replace(
                    stored,
                    **{
                        name: getattr(typed, name)
                        for name in fields
                        if getattr(typed, name) != getattr(original, name)
                    },
                )
            reloaded = NotePage(
                dataclasses.replace(page.note, content=content), page.previous, page.blocked
            )
            self.page = page
            await self._rebuild(reloaded)
            self.page = page
            if answer == "reapply":
                self._baseline = {}  # what is shown is not saved yet
                self.notify(
                    "Reloaded: the stored note, with your edits put back on top. "
                    "Check it, then save (ctrl+s)."
                )
            self._show_header(page.note)

        self.app.push_screen(StaleRecordDialog(message, changed), answered)

    async def _written(
        self,
        note: NoteInfo,
        typed: dict[str, Any],
        goals: tuple[NoteGoal, ...],
        quiet: bool = False,
    ) -> None:
        previous = self.page.previous if self.page else None
        if quiet and (self.page is None or self.page.note.signed or note.signed):
            return
        if quiet:
            self.page = NotePage(note, previous, self.page.blocked if self.page else "")
            self._baseline = typed
            self._show_header(note)
            return
        if note.signed:
            self.page = NotePage(note, previous)
            self.goals = goals
            self._show_header(note)
            await self._rebuild(self.page)
            self.refresh_bindings()
            self.notify("Note signed and locked.")
        else:
            self.page = NotePage(note, previous, self.page.blocked if self.page else "")
            self._baseline = typed
            self._show_header(note)
            self.notify("Draft saved.")
        then, self._after_save = self._after_save, None
        if then is not None:
            then()

    def _refused(self, error: PracticeError) -> None:
        self._after_save = None
        form = self.form
        errors = error.errors if isinstance(error, ValidationError) else {}
        first = form.show_errors(errors) if form is not None and errors else None
        if first is not None:
            first.focus()
            first.scroll_visible()
            count = len(errors)
            where = "the marked field" if count == 1 else f"the {count} marked fields"
            self.notify(f"Not saved: {error.message} (see {where})", severity="error")
        elif error.message.startswith("Not saved"):  # a full disk, a read-only file
            self.notify(error.message, severity="error", timeout=20)
        else:
            self.notify(f"Not saved: {error.message}", severity="error")

    # --- copy forward -----------------------------------------------------------------------

    def action_copy_forward(self) -> None:
        form = self.form
        if not self.editable or form is None or self.page is None:
            return
        previous = self.page.previous
        if previous is None:
            self.notify("There is no earlier note for this client to copy.", severity="warning")
            return
        try:
            copied = copy_forward(form.copy_targets(), previous.content)
        except PracticeError as error:
            self.notify(error.message, severity="warning")
            return
        form.fill_copied(copied)
        self.notify(
            f"Copied from {weekday_date(previous.start)}: areas, techniques, pressure, home care "
            "and plan. Adjust what changed today."
        )

    # --- amendments ---------------------------------------------------------------------------

    def action_amend(self) -> None:
        if self.page is None or not self.page.note.signed:
            return
        previous = self.page.previous

        async def added(note: NoteInfo | None) -> None:
            if note is None:
                return
            self.page = NotePage(note, previous)
            self._show_header(note)
            await self._rebuild(self.page)
            self.notify("Amendment added.")

        self.app.push_screen(AmendmentDialog(self.page.note), added)

    # --- the client's other notes ---------------------------------------------------------------

    def action_history(self) -> None:
        """The client's notes: back to them when they are open below (asking first
        about unsaved changes), else over the note, which stays open with what is typed."""
        if self.page is not None:
            self.app.open_client_notes(self.page.note.client_id)

    # --- leaving ---------------------------------------------------------------------------

    def action_back(self) -> None:
        if isinstance(self.focused, (Input, TextArea)):
            # Escape leaves the text field first; single-letter keys then act.
            self.set_focus(None)
            return
        super().action_back()

    def action_quit_checked(self) -> None:
        self._leave(self.app.exit, "quit")

    def leave(self, then: Callable[[], object], going: str | None = None) -> None:
        self._leave(then, going or "leave the note")

    def _leave(self, then: Callable[[], object], verb: str) -> None:
        if not self.dirty:
            then()
            return

        def answered(answer: str | None) -> None:
            if answer == "discard":
                then()
            elif answer == "save":
                self._after_save = then
                self.action_save()

        self.app.push_screen(UnsavedNoteDialog(verb), answered)
