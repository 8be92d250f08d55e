"""A client's profile: what matters before a session, in the order it matters.

First the name and contact line, then the contraindication/precaution as a
red band that cannot be missed, then the complaint and health history, the
pain trend, the visits ahead, past sessions (newest first) and active plans;
the rest of the intake record comes last. Everything is read in one service
call (``client_profile``) in a worker, again whenever the screen comes back
into view, so an edit made anywhere shows at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static
from textual.worker import get_current_worker

from practice_tui.domain.archiving import ArchiveCheck, archive_check, archive_client
from practice_tui.domain.clients import set_archived
from practice_tui.domain.errors import NotFound, PracticeError
from practice_tui.domain.outcomes import ClientOutcomes, client_outcomes
from practice_tui.domain.profile import ClientProfile, client_profile
from practice_tui.domain.types import ClientRecord
from practice_tui.domain.words import (
    clock,
    day_month_year,
    near_day,
    span,
    weekday_date,
    weekday_day,
)
from practice_tui.textutil import visible
from practice_tui.ui.base import PracticeScreen
from practice_tui.ui.text import plain, section
from practice_tui.ui.widgets.account_line import AccountLine
from practice_tui.ui.widgets.footer import KeysFooter
from practice_tui.ui.widgets.goals_view import SCALE, render_goals
from practice_tui.ui.widgets.pain_chart import PainChart
from practice_tui.ui.widgets.past_sessions import PastSessions


def labelled(label: str, value: str, *, style: str = "") -> Text:
    """``Label: value`` with the value literal; empty values are left out by callers."""
    text = Text(f"{label}: ", style="bold")
    text.append_text(plain(value, style=style, keep_newlines=True))
    return text


class ClientProfileScreen(PracticeScreen):
    """One client, everything a therapist checks before a session."""

    BINDINGS = [
        # First in the footer: at 80 columns the last keys are cut off.
        Binding("question_mark", "app.toggle_keys", "Keys", key_display="?"),
        Binding("e", "edit", "Edit"),
        Binding("b", "book", "Book"),
        Binding("r", "new_plan", "Plan"),
        Binding("s", "notes", "Notes"),
        Binding("g", "goals", "Goals"),
        Binding("p", "report", "Report"),
        Binding("t", "app.open_client_account_of_screen", "Account"),
        Binding("a", "archive(True)", "Archive"),
        Binding("a", "archive(False)", "Unarchive"),
        Binding("escape", "back", "Back"),
        # Letters typed as if searching start with "/": back to the Clients search.
        Binding("slash", "app.go_to_client_search", "Search", key_display="/"),
        Binding("h", "trail", "Trail"),
    ]

    profile: reactive[ClientProfile | None] = reactive(None, init=False)
    #: Functional goals, the pain series and reports made (read with the profile).
    outcomes: reactive[ClientOutcomes | None] = reactive(None, init=False)

    def __init__(self, client_id: int) -> None:
        super().__init__()
        self.client_id = client_id

    def compose(self) -> ComposeResult:
        with Horizontal(id="profile-head"):
            yield Static(Text("Loading…", style="dim"), id="profile-name")
            yield Static(id="profile-visits")
        yield Static(id="profile-alert")
        yield Static(id="profile-archived")
        with VerticalScroll(id="profile-body"):
            yield Static(id="profile-health")
            yield AccountLine(self.client_id, id="profile-money")
            yield Static(section("pain before → after"), id="trend-title")
            yield PainChart(id="profile-chart")
            yield Static(section(f"functional goals ({SCALE})"), id="goals-title")
            yield Static(id="profile-goals")
            yield Static(id="profile-upcoming")
            yield PastSessions(id="profile-sessions")
            yield Static(id="profile-plans")
            yield Static(id="profile-record")
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#profile-body").focus()

    def on_screen_resume(self) -> None:
        self.load()
        self.query_one(AccountLine).reload()

    def on_resize(self) -> None:
        self._show_outcomes()  # the goal lines fit the width
        self._show_head()  # a long name gives way to the phone

    def _show_head(self) -> None:
        profile = self.profile
        if profile is None:
            return
        now: dt.datetime = self.app.now()
        visits = self._visits_line(profile, now)
        self.query_one("#profile-visits", Static).update(visits)
        # The head's width, less its padding, the visits and a space between.
        room = self.app.size.width - 2 - visits.cell_len - 1
        self.query_one("#profile-name", Static).update(self._name_line(profile, room))

    # --- loading ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="client-profile")
    def load(self) -> None:
        now: dt.datetime = self.app.now()
        try:
            profile = client_profile(self.client_id, now)
            outcomes = client_outcomes(self.client_id)
        except NotFound as error:
            self.app.call_from_thread(self._gone, str(error))
            return
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, profile, outcomes)

    def _loaded(self, profile: ClientProfile, outcomes: ClientOutcomes) -> None:
        self.profile = profile
        self.outcomes = outcomes

    def watch_outcomes(self) -> None:
        self._show_outcomes()

    def _show_outcomes(self) -> None:
        """The pain chart and the functional goals (they change without the profile)."""
        profile, outcomes = self.profile, self.outcomes
        if profile is None or outcomes is None:
            return
        self.query_one("#profile-chart", PainChart).show(outcomes.pain, profile.trend)
        width = self.query_one("#profile-body").content_size.width or self.app.size.width - 4
        goals = render_goals(outcomes.goals, width)
        if outcomes.last_report_end is not None:
            count = "1 progress report" if outcomes.reports == 1 else f"{outcomes.reports} reports"
            goals.append(
                f"\n{count} made, the last up to {day_month_year(outcomes.last_report_end)}"
                " · p makes the next",
                style="dim",
            )
        self.query_one("#profile-goals", Static).update(goals)

    def _gone(self, message: str) -> None:
        self.app.notify(message, severity="warning")
        if self.app.screen is self:
            self.app.pop_screen()

    def watch_profile(self, profile: ClientProfile | None) -> None:
        if profile is None:
            return
        client = profile.client
        self._show_head()
        alert = self.query_one("#profile-alert", Static)
        if client.has_alert:
            band = Text("⚠ PRECAUTION  ", style="bold", end="")
            band.append_text(plain(client.contraindications.strip(), keep_newlines=True))
            alert.update(band)
        alert.set_class(client.has_alert, "-shown")
        archived = self.query_one("#profile-archived", Static)
        if client.archived:
            archived.update(
                Text("Archived: hidden from lists and booking, history kept. a unarchives.")
            )
        archived.set_class(client.archived, "-shown")
        self.query_one("#profile-health", Static).update(self._health(client))
        self._show_outcomes()
        self.query_one("#profile-upcoming", Static).update(self._upcoming(profile))
        self.query_one(PastSessions).show(profile.sessions, profile.sessions_total)
        self.query_one("#profile-plans", Static).update(self._plans(profile))
        self.query_one("#profile-record", Static).update(self._record(client))
        self.sub_title = client.name
        self.refresh_bindings()

    # --- the parts ---------------------------------------------------------------

    @staticmethod
    def _name_line(profile: ClientProfile, room: int = 200) -> Text:
        """Name, age and phone in ``room`` cells: a long name ends with "…" so
        the age and phone always show."""
        client = profile.client
        line = plain(client.name, style="bold")
        if client.preferred_name and client.preferred_name.strip() != client.first_name.strip():
            line.append(" (", style="dim")
            line.append_text(plain(f"{client.first_name} {client.last_name}".strip(), "dim"))
            line.append(")", style="dim")
        tail = Text()
        if profile.age is not None:
            tail.append(f" · {profile.age}")
        if client.phone:
            tail.append(" · ☎ ")
            tail.append_text(plain(client.phone))
        name_room = max(room - tail.cell_len, 10)
        if line.cell_len > name_room:
            line.truncate(name_room, overflow="ellipsis")
        return line + tail

    @staticmethod
    def _visits_line(profile: ClientProfile, now: dt.datetime) -> Text:
        today = now.date()
        last = near_day(profile.last_visit.date(), today) if profile.last_visit else "none"
        if profile.next_visit:
            next_ = f"{near_day(profile.next_visit.date(), today)} {clock(profile.next_visit)}"
        else:
            next_ = "none booked"
        return Text(f"last {last} · next {next_}")

    @staticmethod
    def _health(client: ClientRecord) -> RenderableType:
        lines: list[RenderableType] = []
        if client.complaint.strip():
            lines.append(labelled("Complaint", client.complaint.strip()))
        if client.goals.strip():
            lines.append(labelled("Goal", client.goals.strip()))
        if client.referring_provider.strip():
            lines.append(labelled("Referred by", client.referring_provider.strip()))
        if client.conditions.strip():
            lines.append(labelled("Conditions", client.conditions.strip()))
        if client.medications.strip():
            lines.append(labelled("Medications", client.medications.strip()))
        if client.allergies.strip():
            lines.append(labelled("Allergies", client.allergies.strip(), style="bold yellow"))
        if client.pressure_preference:
            lines.append(labelled("Pressure", client.pressure_preference))
        if not lines:
            lines.append(Text("No health history on file yet: e adds it.", style="dim"))
        return Group(*lines)

    @staticmethod
    def _upcoming(profile: ClientProfile) -> RenderableType:
        parts: list[RenderableType] = [section("upcoming")]
        if not profile.upcoming:
            parts.append(Text("Nothing booked: b books a visit.", style="dim"))
        for visit in profile.upcoming:
            start = visit.start
            line = Text(f"{weekday_date(start)}  ")
            line.append(f"{span(start, visit.end)}  ")
            line.append_text(plain(visit.service))
            if visit.plan_id is not None:
                line.append("  plan", style="dim")
            parts.append(line)
        more = profile.upcoming_total - len(profile.upcoming)
        if more > 0:
            parts.append(Text(f"… and {more} more", style="dim"))
        return Group(*parts)

    @staticmethod
    def _plans(profile: ClientProfile) -> RenderableType:
        parts: list[RenderableType] = [section("plans")]
        if not profile.plans:
            parts.append(Text("No active plan: r starts one.", style="dim"))
        for plan in profile.plans:
            line = Text()
            line.append_text(plain(plan.service, style="bold"))
            line.append("  ")
            line.append(plan.description)
            if plan.next_start:
                start = plan.next_start
                line.append(f"  next {weekday_day(start)}", style="dim")
            parts.append(line)
        return Group(*parts)

    @staticmethod
    def _record(client: ClientRecord) -> RenderableType:
        parts: list[RenderableType] = [section("contact and record")]
        fields = (
            ("Email", client.email),
            ("Address", client.address),
            (
                "Emergency",
                "  ".join(p for p in (client.emergency_name, client.emergency_phone) if p),
            ),
            (
                "Born",
                day_month_year(client.date_of_birth) if client.date_of_birth else "",
            ),
            ("Intake", day_month_year(client.intake_date) if client.intake_date else ""),
            ("Consent", day_month_year(client.consent_date) if client.consent_date else "none"),
        )
        for label, value in fields:
            if value.strip():
                parts.append(labelled(label, value.strip()))
        if client.notes.strip():
            parts.append(labelled("Notes", client.notes.strip()))
        return Group(*parts)

    # --- keys --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        profile = self.profile
        if (
            action in ("edit", "book", "new_plan", "notes", "archive", "goals", "report")
            and profile is None
        ):
            return False
        if profile is not None:
            if action == "archive":
                return profile.client.archived != parameters[0]
            if action in ("book", "new_plan"):
                return not profile.client.archived
        return True

    def action_book(self) -> None:
        self.app.open_booking(client_id=self.client_id)

    def action_new_plan(self) -> None:
        self.app.open_new_plan(client_id=self.client_id)

    def action_notes(self) -> None:
        self.app.open_client_notes(self.client_id)

    def action_goals(self) -> None:
        from practice_tui.ui.dialogs.goals import GoalsDialog

        if self.outcomes is None or self.profile is None:
            return
        self.app.push_screen(
            GoalsDialog(self.client_id, self.profile.client.name, self.outcomes.goals),
            lambda saved: self.load() if saved else None,
        )

    def action_report(self) -> None:
        from practice_tui.ui.dialogs.progress_report import ProgressReportDialog

        if self.profile is not None:
            self.app.push_screen(
                ProgressReportDialog(self.client_id, self.profile.client.name),
                lambda made: self.load() if made else None,
            )

    def action_trail(self) -> None:
        """``h``: the client's audit trail, read-only."""
        from practice_tui.ui.dialogs.audit_trail import AuditTrailDialog

        if self.profile is not None:
            self.app.push_screen(AuditTrailDialog(self.client_id, self.profile.client.name))

    def action_export(self) -> None:
        from practice_tui.ui.dialogs.progress_report import ExportRecordDialog

        if self.profile is not None:
            self.app.push_screen(ExportRecordDialog(self.client_id, self.profile.client.name))

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The profile's entries in the command palette (``ctrl+p``)."""
        if self.profile is None:
            return
        name = visible(self.profile.client.name)
        yield SystemCommand(
            "Progress report",
            f"Make a progress report for {name} (PDF and Markdown)",
            self.action_report,
        )
        yield SystemCommand(
            "Export client record", f"{name}'s whole record as PDF and JSON", self.action_export
        )
        yield SystemCommand("Functional goals", f"Set {name}'s goals", self.action_goals)

    def action_edit(self) -> None:
        from practice_tui.ui.dialogs.client_form import ClientFormDialog

        if self.profile is not None:
            self.app.push_screen(ClientFormDialog(self.profile.client))

    def action_archive(self, archive: bool) -> None:
        if self.profile is None:
            return
        if archive:
            # Upcoming bookings and active plans are listed first (archive_client.py).
            self._check_archive()
        else:
            self._ask_archive(archive, None)

    @work(thread=True, group="client-profile-write")
    def _check_archive(self) -> None:
        now: dt.datetime = self.app.now()
        try:
            check = archive_check(self.client_id, now=now)
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self._ask_archive, True, check)

    def _ask_archive(self, archive: bool, check: ArchiveCheck | None) -> None:
        from practice_tui.ui.dialogs.archive_client import archive_question
        from practice_tui.ui.dialogs.common import ConfirmDialog

        if self.profile is None:
            return
        if check is not None and check.anything_ahead:
            self.app.push_screen(
                archive_question(check),
                lambda answer: (
                    self._archive(True, answer == "cancel")
                    if answer in ("cancel", "keep")
                    else None
                ),
            )
            return
        name = visible(self.profile.client.name)
        if archive:
            dialog = ConfirmDialog(
                f"Archive {name}?",
                "The client is hidden from lists and booking; every appointment, note and "
                "plan is kept. Show archived clients with A on the Clients screen.",
                yes="Archive",
            )
        else:
            dialog = ConfirmDialog(
                f"Bring back {name}?",
                "The client shows in lists again and can be booked.",
                yes="Unarchive",
            )
        self.app.push_screen(dialog, lambda yes: self._archive(archive) if yes else None)

    @work(thread=True, group="client-profile-write")
    def _archive(self, archive: bool, cancel: bool = False) -> None:
        now: dt.datetime = self.app.now()
        try:
            if archive:
                record = archive_client(self.client_id, now=now, cancel_ahead=cancel)
            else:
                record = set_archived(self.client_id, archive, now=now)
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            return
        done = "archived" if archive else "is back in the client list"
        if archive and cancel:
            done += "; upcoming bookings cancelled, plans ended"
        self.app.call_from_thread(self.app.notify, f"{record.name} {done}.")
        self.app.call_from_thread(self.load)
