"""The fields of a session note, in the order a therapist fills them.

Pain first (two numbers), then pressure, the areas and techniques picked from
lists, S/O/A/P as free text, home care picked plus notes, the next visit. The
form only holds what is typed: ``raw()`` hands it to the domain as it is
(pain as text), and ``show_errors`` puts the domain's messages next to their
fields. Nothing here decides what is valid, except that pain is checked as it
is typed, with the same domain rule, so "7/10" is flagged at once.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import HorizontalGroup, VerticalGroup, VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Label, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from practice_tui.domain.errors import ValidationError
from practice_tui.domain.note_fields import MAX_NEXT_VISIT, MAX_TECHNIQUE, NoteFields, parse_pain
from practice_tui.domain.outcomes import NoteGoal, parse_score
from practice_tui.domain.vocab import HOME_CARE, TECHNIQUES, format_areas
from practice_tui.textutil import visible
from practice_tui.ui.text import plain
from practice_tui.ui.typeahead import CheckList
from practice_tui.ui.widgets.body_areas import BodyAreas
from practice_tui.ui.widgets.note_pickers import PressurePicker
from practice_tui.ui.widgets.text_box import TextBox

SOAP: tuple[tuple[str, str], ...] = (
    ("subjective", "S · Subjective: what the client reports"),
    ("objective", "O · Objective: what you found"),
    ("assessment", "A · Assessment"),
    ("plan_text", "P · Plan"),
)
#: Field → the widget that takes focus when the field is refused.
FOCUS_TARGET = {
    "pain_before": "#pain_before",
    "pain_after": "#pain_after",
    "pressure": "#pressure",
    "areas": "#areas",
    "techniques": "#technique-new",
    "subjective": "#subjective",
    "objective": "#objective",
    "assessment": "#assessment",
    "plan_text": "#plan_text",
    "home_care": "#home_care",
    "home_care_notes": "#home_care_notes",
    "next_visit": "#next_visit",
}
FIELD_ORDER = tuple(FOCUS_TARGET)


def _error(field: str) -> Static:
    error = Static("", id=f"err-{field}", classes="field-error")
    error.display = False
    return error


def _pain_text(value: int | None) -> str:
    return "" if value is None else str(value)


class NoteForm(VerticalScroll, can_focus=False):
    """Every field of one note, scrolling when the terminal is short.

    Not a stop of its own for ``tab``: the focus goes to its fields, and the
    form scrolls to show the focused one. (A focused container is also
    restyled whole, with every field in it, each time it gains or loses it.)"""

    def __init__(
        self, content: NoteFields, *, goals: tuple[NoteGoal, ...] = (), id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._content = content
        self._goals = goals

    def compose(self) -> ComposeResult:
        content = self._content
        with HorizontalGroup(classes="row", id="pain-row"):
            with VerticalGroup(classes="field pain"):
                yield Label("Pain before")
                yield TextBox(
                    _pain_text(content.pain_before),
                    placeholder="0–10",
                    id="pain_before",
                    max_length=12,
                )
            with VerticalGroup(classes="field pain"):
                yield Label("Pain after")
                yield TextBox(
                    _pain_text(content.pain_after),
                    placeholder="0–10",
                    id="pain_after",
                    max_length=12,
                )
        # Pain messages take the whole width: they are long and the fields are narrow.
        yield _error("pain_before")
        yield _error("pain_after")
        if self._goals:
            yield from self._goal_fields()
        with HorizontalGroup(classes="row", id="pressure-row"):
            yield Label("Pressure", id="pressure-label")
            yield PressurePicker(content.pressure, id="pressure")
            yield Static("←/→ or l m f d", id="pressure-hint")
        yield _error("pressure")
        with HorizontalGroup(classes="row", id="pick-row"):
            with VerticalGroup(classes="field", id="areas-field"):
                yield Label(self._areas_label(content.areas), id="areas-label")
                yield BodyAreas(content.areas, id="areas")
                yield _error("areas")
            with VerticalGroup(classes="field", id="techniques-field"):
                yield Label("Techniques (space picks)")
                yield CheckList(*self._technique_options(content.techniques), id="techniques")
                yield TextBox(
                    placeholder="another technique + enter",
                    id="technique-new",
                    max_length=MAX_TECHNIQUE + 20,
                )
                yield _error("techniques")
        for field, label in SOAP:
            with VerticalGroup(classes="field"):
                yield Label(label)
                yield TextArea(visible(getattr(content, field), keep_newlines=True), id=field)
                yield _error(field)
        with HorizontalGroup(classes="row", id="care-row"):
            with VerticalGroup(classes="field"):
                yield Label("Home care (space picks)")
                yield CheckList(
                    *(
                        Selection(plain(name), name, name in content.home_care)
                        for name in HOME_CARE
                    ),
                    id="home_care",
                )
                yield _error("home_care")
            with VerticalGroup(classes="field"):
                yield Label("Home-care advice, in words")
                yield TextArea(
                    visible(content.home_care_notes, keep_newlines=True), id="home_care_notes"
                )
                yield _error("home_care_notes")
                yield Label("Recommended next visit")
                yield TextBox(
                    visible(content.next_visit),
                    placeholder="e.g. 1 week, 2 weeks, as planned",
                    id="next_visit",
                    max_length=MAX_NEXT_VISIT + 50,
                )
                yield _error("next_visit")

    def _goal_fields(self) -> ComposeResult:
        """The client's functional goals, each scored like pain (blank = not asked)."""
        yield Label("Functional goals: 0 = unable … 10 = as before (blank = not asked)")
        for goal in self._goals:
            with HorizontalGroup(classes="row goal-row"):
                yield TextBox(
                    _pain_text(goal.score),
                    placeholder="0–10",
                    id=f"goal-{goal.goal_id}",
                    classes="goal-score",
                    max_length=12,
                )
                text = plain(goal.activity)
                if goal.previous is not None:
                    text.append(f"  last {goal.previous}", style="dim")
                yield Static(text, classes="goal-activity")
            yield _error(f"goal-{goal.goal_id}")

    def on_mount(self) -> None:
        self.query_one("#pain_before", Input).focus()

    # --- what was typed -------------------------------------------------------------

    @staticmethod
    def _areas_label(areas: tuple[str, ...] | list[str]) -> Text:
        label = Text("Areas treated (space · ←/→ side)")
        if areas:
            label = Text.assemble("Areas: ", plain(format_areas(tuple(areas)), style="bold"))
        return label

    @staticmethod
    def _technique_options(picked: tuple[str, ...]) -> list[Selection[str]]:
        options = [Selection(plain(name), name, name in picked) for name in TECHNIQUES]
        options += [Selection(plain(name), name, True) for name in picked if name not in TECHNIQUES]
        return options

    @staticmethod
    def _picked(selection: SelectionList[str]) -> list[str]:
        chosen = set(selection.selected)
        return [option.value for option in selection.options if option.value in chosen]  # type: ignore[attr-defined]

    def raw(self) -> dict[str, Any]:
        """Everything as typed, for ``domain.notes`` to check."""
        return {
            "pain_before": self.query_one("#pain_before", Input).value,
            "pain_after": self.query_one("#pain_after", Input).value,
            "areas": list(self.query_one("#areas", BodyAreas).value),
            "techniques": self._picked(self.query_one("#techniques", SelectionList)),
            "pressure": self.query_one("#pressure", PressurePicker).value,
            "subjective": self.query_one("#subjective", TextArea).text,
            "objective": self.query_one("#objective", TextArea).text,
            "assessment": self.query_one("#assessment", TextArea).text,
            "plan_text": self.query_one("#plan_text", TextArea).text,
            "home_care": self._picked(self.query_one("#home_care", SelectionList)),
            "home_care_notes": self.query_one("#home_care_notes", TextArea).text,
            "next_visit": self.query_one("#next_visit", Input).value,
        }

    def scores(self) -> dict[int, str]:
        """The goal scores as typed, by goal id (blank = not asked)."""
        return {
            goal.goal_id: self.query_one(f"#goal-{goal.goal_id}", Input).value
            for goal in self._goals
        }

    def copy_targets(self) -> NoteFields:
        """The fields copy forward would fill, as typed (for the emptiness check)."""
        raw = self.raw()
        return NoteFields(
            areas=tuple(raw["areas"]),
            techniques=tuple(raw["techniques"]),
            pressure=raw["pressure"],
            home_care=tuple(raw["home_care"]),
            home_care_notes=raw["home_care_notes"].strip(),
            plan_text=raw["plan_text"].strip(),
        )

    def fill_copied(self, fields: NoteFields) -> None:
        """Put copied-forward values into their fields, for the therapist to adjust."""
        self.query_one("#areas", BodyAreas).value = fields.areas
        techniques = self.query_one("#techniques", SelectionList)
        techniques.clear_options()
        techniques.add_options(self._technique_options(fields.techniques))
        self.query_one("#pressure", PressurePicker).value = fields.pressure
        home_care = self.query_one("#home_care", SelectionList)
        home_care.deselect_all()
        for name in fields.home_care:
            home_care.select(name)
        self.query_one("#home_care_notes", TextArea).text = visible(
            fields.home_care_notes, keep_newlines=True
        )
        self.query_one("#plan_text", TextArea).text = visible(fields.plan_text, keep_newlines=True)

    # --- messages next to the fields -----------------------------------------------------

    def _fields(self) -> tuple[str, ...]:
        goals = tuple(f"goal-{goal.goal_id}" for goal in self._goals)
        return FIELD_ORDER[:2] + goals + FIELD_ORDER[2:]

    def clear_errors(self) -> None:
        for field in self._fields():
            self._set_error(field, "")

    def _set_error(self, field: str, message: str) -> None:
        error = self.query_one(f"#err-{field}", Static)
        error.update(Text(message))
        error.display = bool(message)
        target = self.query_one(FOCUS_TARGET.get(field, f"#{field}"))
        target.set_class(bool(message), "-invalid")

    def show_errors(self, errors: dict[str, str]) -> Widget | None:
        """Show each message under its field; return the first refused field's widget."""
        first: Widget | None = None
        for field in self._fields():
            if field in errors:
                self._set_error(field, errors[field])
                if first is None:
                    first = self.query_one(FOCUS_TARGET.get(field, f"#{field}"))
        return first

    # --- live help ---------------------------------------------------------------------

    @on(Input.Changed, "#pain_before, #pain_after")
    def _pain_typed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        label = "Pain before" if field == "pain_before" else "Pain after"
        try:
            parse_pain(event.value, label)
        except ValidationError as error:
            self._set_error(field, error.message)
        else:
            self._set_error(field, "")

    @on(Input.Changed, ".goal-score")
    def _score_typed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        goal = next(g for g in self._goals if f"goal-{g.goal_id}" == field)
        try:
            parse_score(event.value, f"“{goal.activity}”")
        except ValidationError as error:
            self._set_error(field, error.message)
        else:
            self._set_error(field, "")

    @on(Input.Submitted, ".goal-score")
    def _next_after_score(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.focus_next()

    @on(BodyAreas.Changed)
    def _areas_changed(self, event: BodyAreas.Changed) -> None:
        self.query_one("#areas-label", Label).update(self._areas_label(event.value))
        self._set_error("areas", "")

    @on(Input.Submitted, "#technique-new")
    def _add_technique(self, event: Input.Submitted) -> None:
        event.stop()
        name = " ".join(event.value.split())
        if not name:
            return
        if len(name) > MAX_TECHNIQUE:
            self._set_error(
                "techniques", f"A technique name is at most {MAX_TECHNIQUE} characters."
            )
            return
        techniques = self.query_one("#techniques", SelectionList)
        for option in techniques.options:
            value = option.value  # type: ignore[attr-defined]
            if value.casefold() == name.casefold():
                techniques.select(value)
                break
        else:
            techniques.add_option(Selection(plain(name), name, True))
        event.input.value = ""
        self._set_error("techniques", "")

    @on(Input.Submitted, "#pain_before, #pain_after, #next_visit")
    def _next_field(self, event: Input.Submitted) -> None:
        """``enter`` in a one-line field moves on, as in a paper form."""
        event.stop()
        self.screen.focus_next()
