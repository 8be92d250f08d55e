"""1 Today: the day's appointments in time order, with free gaps and alerts.

The day view (default) lists appointments, free gaps and the lunch break;
``w`` switches to a 7-day overview. The screen keeps two pieces of state, the
day shown and the mode, in reactives; every change reloads from the domain
in a worker, and so does coming back to the screen (``on_screen_resume``),
so a change made anywhere shows here at once.

Keys (see DESIGN.md): ``←``/``→`` day (a week in the overview), ``t`` today,
``g`` go to, ``w`` week, ``↑``/``↓`` select, ``enter`` details (on a free
gap: book there), ``n`` new (for the selected appointment's client), ``r``
book that client again (a week later, or the note's next visit), ``e``
edit, ``m`` move, ``c`` cancel, ``x`` no-show, ``d`` completed, ``s``
session note, ``p`` profile. Where the issue is silent: ``u`` reopens a
cancelled, missed or completed appointment (a slip of the key is undone
without retyping), and in the overview ``↑``/``↓`` pick
the day that ``enter`` opens. The footer shows only the keys that apply to
the selected row.
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
from textual.widgets import Static

from practice_tui.domain.db import commits
from practice_tui.domain.errors import PracticeError
from practice_tui.domain.payments import unpaid_appointments
from practice_tui.domain.schedule import (
    allowed_actions,
    cancel_appointment,
    is_late_cancel,
    mark_completed,
    mark_no_show,
    reopen_appointment,
)
from practice_tui.domain.today import DayAgenda, WeekOverview, day_agenda, week_overview, week_start
from practice_tui.domain.types import AppointmentInfo, Gap
from practice_tui.domain.words import days_span, full_date, length, relative_day, slot_short
from practice_tui.textutil import visible
from practice_tui.ui.base import PracticeScreen
from practice_tui.ui.dialogs.common import ConfirmDialog, PromptDialog
from practice_tui.ui.dialogs.goto import GoToDateDialog, read_date
from practice_tui.ui.text import plain
from practice_tui.ui.widgets.agenda import AgendaTable, Item, legend
from practice_tui.ui.widgets.footer import KeysFooter
from practice_tui.ui.widgets.line import HeadLine, Line
from practice_tui.ui.widgets.week import WeekGrid

DAY = Binding.Group("day", compact=True)
WEEK = Binding.Group("week", compact=True)
PICK = Binding.Group("day", compact=True)

#: Actions on the appointment under the cursor; each is offered only when
#: ``allowed_actions`` (the domain's rules) includes its name.
APPOINTMENT_ACTIONS = frozenset(
    ("edit", "move", "cancel", "no_show", "complete", "note", "profile", "reopen")
)


def when_short(item: AppointmentInfo) -> str:
    return slot_short(item.start, item.end)


def minutes_words(minutes: int) -> str:
    return "no free time" if minutes <= 0 else f"{length(minutes)} free"


class TodayScreen(PracticeScreen):
    """The start screen: the day, or the week, at a glance."""

    # In the order the footer shows them: at 80 columns it keeps the first
    # ones, so "?" (which lists them all) comes first, then what is done to
    # the selected row, then moving through days.
    BINDINGS = [
        Binding("question_mark", "app.toggle_keys", "Keys", key_display="?"),
        Binding("enter", "details", "Open", key_display="⏎"),
        Binding("enter", "open_day", "Open day", key_display="⏎"),
        Binding("n", "new", "New"),
        Binding("r", "rebook", "Rebook", tooltip="Book this client again, a week later"),
        Binding("e", "edit", "Edit"),
        Binding("m", "move", "Move"),
        Binding("c", "cancel", "Cancel"),
        Binding("x", "no_show", "No-show"),
        Binding("d", "complete", "Done"),
        Binding("s", "note", "Note"),
        Binding("p", "profile", "Profile"),
        Binding("u", "reopen", "Reopen"),
        Binding("dollar_sign", "take_payment", "Pay", key_display="$"),
        Binding("left", "previous_day", "Day", key_display="←", group=DAY),
        Binding("right", "next_day", "Day", key_display="→", group=DAY),
        Binding("left", "previous_week", "Week", key_display="←", group=WEEK),
        Binding("right", "next_week", "Week", key_display="→", group=WEEK),
        Binding("up", "week_day(-1)", "Day", key_display="↑", group=PICK),
        Binding("down", "week_day(1)", "Day", key_display="↓", group=PICK),
        Binding("t", "go_today", "Today"),
        Binding("g", "go_to", "Go to"),
        Binding("w", "toggle_week", "Week"),
    ]

    day: reactive[dt.date | None] = reactive(None, init=False)
    week_mode: reactive[bool] = reactive(False, init=False, bindings=True)
    selected: reactive[Item | None] = reactive(None, init=False, bindings=True)

    def __init__(self) -> None:
        super().__init__()
        self.agenda: DayAgenda | None = None
        self.week: WeekOverview | None = None
        #: Put the cursor here once the next load arrives (after a booking or move).
        self._focus_id: int | None = None

    # --- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield HeadLine(Text("Today"), id="today-head")
        yield Line(id="today-summary")
        yield Static("", id="today-empty")
        yield AgendaTable(id="today-table")
        yield WeekGrid(id="today-week")
        yield Static(legend(), id="today-legend")
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.day = self._today()
        self.query_one(AgendaTable).focus()
        # The current and next session move on as the clock does.
        self.set_interval(60, self.reload)

    def on_screen_resume(self) -> None:
        # The first time the screen is shown, on_mount has just asked for the
        # day: reading it a second time would only slow the first paint.
        if self.back_in_view():
            self.reload()

    def _today(self) -> dt.date:
        return self.app.today()

    def _now(self) -> dt.datetime:
        return self.app.now()

    # --- loading --------------------------------------------------------------------

    def watch_day(self) -> None:
        self.reload()

    def watch_week_mode(self, week_mode: bool) -> None:
        self.set_class(week_mode, "-week")
        if week_mode:
            self.query_one(WeekGrid).focus()
        else:
            self.query_one(AgendaTable).focus()
        self.reload()

    #: Counts the reads asked for: only the latest one's answer is shown.
    _asked = 0

    def reload(self) -> None:
        if self.day is None:
            return
        self._asked += 1
        self._load(self.day, self.week_mode, self._now(), self._asked)

    #: The practice-wide count of notes owed and when it was counted: the
    #: writes this app had committed and the minute. Moving to another day or
    #: week reuses it while both are the same; after any write, or when the
    #: minute turns (a booked session just over is owed from its end), it is
    #: counted again. Another program's writes show within a minute, with
    #: the rest of the day (the screen reads itself again every minute).
    _owed: tuple[tuple[int, dt.datetime], int] | None = None

    def _owed_stamp(self, now: dt.datetime) -> tuple[int, dt.datetime]:
        return (commits(), now.replace(second=0, microsecond=0))

    @work(thread=True, exclusive=True, group="today-load")
    def _load(self, day: dt.date, week_mode: bool, now: dt.datetime, asked: int) -> None:
        stamp = self._owed_stamp(now)
        known = self._owed[1] if self._owed is not None and self._owed[0] == stamp else None
        try:
            if week_mode:
                week = week_overview(day, now=now, notes_owed=known)
                self.app.call_from_thread(self._show_week, day, week, asked, stamp)
            else:
                agenda = day_agenda(day, now=now, notes_owed=known)
                unpaid = unpaid_appointments([a.id for a in agenda.view.appointments])
                self.app.call_from_thread(self._show_day, agenda, unpaid, asked, stamp)
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")

    def _outdated(self, asked: int | None) -> bool:
        """A read overtaken by a later one (a cancelled worker still finishes,
        and a read begun before a change can land after the read made after it)."""
        return asked is not None and asked != self._asked

    def _show_day(
        self,
        agenda: DayAgenda,
        unpaid: frozenset[int] = frozenset(),
        asked: int | None = None,
        stamp: tuple[int, dt.datetime] | None = None,
    ) -> None:
        view = agenda.view
        if view.day != self.day or self.week_mode or self._outdated(asked):
            return  # a newer read was asked for meanwhile
        if stamp is not None:
            self._owed = (stamp, view.notes_owed)
        self.agenda = agenda
        today = self._today()
        title = plain(agenda.practice_name, style="bold")
        title.append(" · Today")
        title.append(self.app.zone_words(), style="yellow")
        date = Text(full_date(view.day), style="bold", end="")
        if view.day != today:
            date.append(f" · {relative_day(view.day, today)}", style="bold yellow")
        self.query_one(HeadLine).show(title, date)

        free = view.free_minutes_left if view.day >= today else view.free_minutes
        free_words = minutes_words(free) + (" left" if view.day == today else "")
        parts = [
            f"{view.booked} booked",
            f"{view.completed} done",
            f"{view.cancelled} cancelled",
        ]
        if view.no_show:
            parts.append(f"{view.no_show} no-show")
        parts += [free_words, f"{view.notes_owed} notes owed"]
        self.query_one("#today-summary", Line).show(Text(" · ".join(parts)))

        empty = self.query_one("#today-empty", Static)
        if not view.appointments:
            off = [g for g in view.gaps if g.kind == "off"]
            if off and view.working is not None:
                message = (
                    f"Time off: {visible(off[0].label)}. "
                    "Press n to book anyway (it asks to confirm)."
                )
            elif view.working is None:
                message = (
                    f"{view.day:%A} is not a working day: no appointments. "
                    "Press n to book one anyway (outside working hours)."
                )
            else:
                message = f"No appointments on {full_date(view.day)}. Press n to book one."
            empty.update(Text(message, style="bold"))
        empty.set_class(not view.appointments, "-shown")

        table = self.query_one(AgendaTable)
        table.unpaid = unpaid
        table.agenda = agenda
        if self._focus_id is not None:
            for item in view.appointments:
                if item.id == self._focus_id:
                    table.select(item)
            self._focus_id = None
        self.selected = table.item
        self.refresh_bindings()

    def _show_week(
        self,
        day: dt.date,
        week: WeekOverview,
        asked: int | None = None,
        stamp: tuple[int, dt.datetime] | None = None,
    ) -> None:
        if (
            not self.week_mode
            or week_start(day) != week.first_day
            or self.day != day
            or self._outdated(asked)
        ):
            return
        if stamp is not None:
            self._owed = (stamp, week.notes_owed)
        self.week = week
        today = self._today()
        first, last = week.first_day, week.last_day
        date = Text(
            f"Week {first.isocalendar()[1]} · {days_span(first, last)}", style="bold", end=""
        )
        if week_start(today) == first:
            date.append(" · this week", style="bold green")
        self.query_one(HeadLine).show(Text("Week overview", style="bold"), date)
        self.query_one("#today-summary", Line).show(
            Text(
                f"{week.count('booked')} booked · {week.count('completed')} done · "
                f"{week.count('cancelled')} cancelled · {minutes_words(week.free_minutes)} · "
                f"{week.notes_owed} notes owed"
            )
        )
        grid = self.query_one(WeekGrid)
        grid.today = today
        grid.selected = day
        grid.overview = week

    # --- what the keys may do --------------------------------------------------------

    @on(AgendaTable.Highlighted)
    def _highlighted(self, event: AgendaTable.Highlighted) -> None:
        self.selected = event.item

    @on(AgendaTable.Chosen)
    def _chosen(self, event: AgendaTable.Chosen) -> None:
        self.selected = event.item
        self.action_details()

    @on(WeekGrid.DayClicked)
    def _day_clicked(self, event: WeekGrid.DayClicked) -> None:
        if self.day == event.day:
            self.action_open_day()
        else:
            self.day = event.day

    @property
    def appointment(self) -> AppointmentInfo | None:
        """The appointment under the cursor (None on a gap or an empty day)."""
        item = self.selected
        return item if isinstance(item, AppointmentInfo) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("previous_day", "next_day", "details"):
            if action == "details":
                return not self.week_mode and self.selected is not None
            return not self.week_mode
        if action in ("previous_week", "next_week", "open_day", "week_day"):
            return self.week_mode
        if action == "go_today":
            # Already there: the key would do nothing, so it is not offered.
            return self.day != self._today() or self.week_mode
        if action == "rebook":
            return not self.week_mode and self.appointment is not None
        if action == "take_payment":
            item = self.appointment
            return (
                not self.week_mode and item is not None and item.status in ("booked", "completed")
            )
        if action in APPOINTMENT_ACTIONS:
            item = self.appointment
            if self.week_mode or item is None:
                return False
            return action in allowed_actions(item, self._now())
        return True

    # --- moving through days ------------------------------------------------------------

    def _shift(self, days: int) -> None:
        if self.day is not None:
            self.day = self.day + dt.timedelta(days=days)

    def action_previous_day(self) -> None:
        self._shift(-1)

    def action_next_day(self) -> None:
        self._shift(1)

    def action_previous_week(self) -> None:
        self._shift(-7)

    def action_next_week(self) -> None:
        self._shift(7)

    def action_week_day(self, step: int) -> None:
        self._shift(step)

    def action_go_today(self) -> None:
        self.day = self._today()

    def action_toggle_week(self) -> None:
        self.week_mode = not self.week_mode

    def action_open_day(self) -> None:
        self.week_mode = False

    def action_go_to(self) -> None:
        today = self._today()

        def chosen(text: str | None) -> None:
            if text is None:
                return
            day, _ = read_date(text, today)
            if day is not None:
                self.day = day

        self.app.push_screen(GoToDateDialog(today), chosen)

    # --- booking, changing ----------------------------------------------------------------

    def action_new(self) -> None:
        from practice_tui.ui.dialogs.appointment import AppointmentForm

        # The start defaults to the selected free gap, or to after the
        # selected appointment, on the day shown.
        gap = self.selected if isinstance(self.selected, Gap) else None
        if self.week_mode or (gap is not None and gap.kind != "free"):
            gap = None
        item = self.appointment if not self.week_mode else None
        # On a selected appointment the booking is for its client.
        self.app.push_screen(
            AppointmentForm(
                "new",
                gap=gap,
                day=self.day,
                after=item.end if item else None,
                client_id=item.client_id if item else None,
            ),
            self._after_form("Booked"),
        )

    def action_rebook(self) -> None:
        """``r``: book the selected appointment's client again — same service and
        length, a week later at the same time or the note's "Next visit", or the
        first free time after it (``domain/rebook.py``); ``ctrl+s`` books it."""
        from practice_tui.ui.dialogs.appointment import AppointmentForm

        item = self.appointment
        if item is None or self.week_mode:
            return
        self.app.push_screen(AppointmentForm("new", rebook_of=item.id), self._after_form("Booked"))

    def action_details(self) -> None:
        item = self.selected
        if isinstance(item, Gap):
            self.action_new()
            return
        if item is None:
            return
        from practice_tui.ui.dialogs.appointment_details import AppointmentDetailsDialog

        appointment_id = item.id

        def chosen(action: str | None) -> None:
            # The dialog closes with the key pressed; the action runs here, on
            # the same appointment, under the same rules.
            if action is not None and self.check_action(action, ()):
                getattr(self, f"action_{action}")()

        self.app.push_screen(AppointmentDetailsDialog(appointment_id), chosen)

    def action_edit(self) -> None:
        self._open_form("edit", "Saved")

    def action_move(self) -> None:
        self._open_form("move", "Moved")

    def _open_form(self, mode: str, verb: str) -> None:
        from practice_tui.ui.dialogs.appointment import AppointmentForm

        item = self.appointment
        if item is None:
            return
        self.app.push_screen(
            AppointmentForm(mode, appointment=item),  # type: ignore[arg-type]
            self._after_form(verb),
        )

    def _after_form(self, verb: str) -> Callable[[AppointmentInfo | None], None]:
        def done(result: AppointmentInfo | None) -> None:
            if result is None:
                return
            self.app.notify(f"{verb}: {result.client_name}, {when_short(result)}")
            self._focus_id = result.id
            if self.week_mode:
                self.week_mode = False
            if self.day != result.start.date():
                self.day = result.start.date()
            else:
                self.reload()

        return done

    # --- closing an appointment --------------------------------------------------------------

    def action_cancel(self) -> None:
        item = self.appointment
        if item is None:
            return
        now = self._now()
        message = plain(item.client_name, style="bold")
        message.append(f" · {when_short(item)} · ")
        message.append_text(plain(item.service_name))
        hours = self.app.late_cancel_hours
        if is_late_cancel(item.start, now, hours):
            message.append(
                f"\nLate cancel: less than {hours} hours before the start "
                "(it is recorded as such).",
                style="bold yellow",
            )

        def reason_given(reason: str | None) -> None:
            if reason is not None:
                self._write(
                    cancel_appointment,
                    item.id,
                    reason,
                    done=lambda r: (
                        "Cancelled"
                        + (" (late cancel)" if r.late_cancel else "")
                        + f": {r.client_name}, {when_short(r)}"
                    ),
                    then=self._offer_policy_fee,
                )

        self.app.push_screen(
            PromptDialog(
                "Cancel this appointment?",
                message=message,
                placeholder="Reason (e.g. sick, travelling, work)",
                check=lambda text: None if text.strip() else "Give a reason for the cancellation.",
                max_length=500,
                ok="Cancel it",
                back="Keep it",
            ),
            reason_given,
        )

    def action_no_show(self) -> None:
        item = self.appointment
        if item is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(
                    mark_no_show,
                    item.id,
                    done=lambda r: f"Marked no-show: {r.client_name}, {when_short(r)}",
                    then=self._offer_policy_fee,
                )

        self.app.push_screen(
            ConfirmDialog(
                "Mark as a no-show?",
                plain(item.client_name, style="bold") + Text(f" · {when_short(item)}"),
                yes="No-show",
                no="Keep booked",
                danger=True,
            ),
            answered,
        )

    def action_complete(self) -> None:
        item = self.appointment
        if item is None:
            return

        def offer_note(result: AppointmentInfo) -> None:
            def answered(yes: bool | None) -> None:
                if yes:
                    self.app.open_note_editor(result.id)

            self.app.push_screen(
                ConfirmDialog(
                    "Write the session note now?",
                    plain(result.client_name, style="bold")
                    + Text(f" · {when_short(result)} · completed"),
                    yes="Write note",
                    no="Later",
                ),
                answered,
            )

        self._write(
            mark_completed,
            item.id,
            done=lambda r: f"Completed: {r.client_name}, {when_short(r)}",
            then=offer_note,
        )

    def action_reopen(self) -> None:
        item = self.appointment
        if item is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(
                    reopen_appointment,
                    item.id,
                    done=lambda r: f"Booked again: {r.client_name}, {when_short(r)}",
                )

        self.app.push_screen(
            ConfirmDialog(
                "Set back to booked?",
                plain(item.client_name, style="bold")
                + Text(f" · {when_short(item)} · now {item.status.replace('_', '-')}"),
                yes="Set to booked",
                no="Leave it",
            ),
            answered,
        )

    def _offer_policy_fee(self, result: AppointmentInfo) -> None:
        """After a late cancel or a no-show: charge the practice's fee? (asks first)."""
        from practice_tui.ui.dialogs.policy_fee import offer_policy_fee

        offer_policy_fee(self.app, result, self.reload)

    def action_take_payment(self) -> None:
        from practice_tui.ui.dialogs.payment import take_payment

        item = self.appointment
        if item is not None:
            self._focus_id = item.id
            take_payment(self.app, item.id, lambda _: self.reload())

    def action_note(self) -> None:
        item = self.appointment
        if item is not None:
            self.app.open_note_editor(item.id)

    def action_profile(self) -> None:
        item = self.appointment
        if item is not None:
            self.app.open_client_profile(item.client_id)

    def _write(
        self,
        service: Callable[..., AppointmentInfo],
        appointment_id: int,
        *args: Any,
        done: Callable[[AppointmentInfo], str],
        then: Callable[[AppointmentInfo], None] | None = None,
    ) -> None:
        self._focus_id = appointment_id
        self._run_write(service, appointment_id, args, self._now(), done, then)

    @work(thread=True, group="today-write")
    def _run_write(
        self,
        service: Callable[..., AppointmentInfo],
        appointment_id: int,
        args: tuple[Any, ...],
        now: dt.datetime,
        done: Callable[[AppointmentInfo], str],
        then: Callable[[AppointmentInfo], None] | None,
    ) -> None:
        try:
            result = service(appointment_id, *args, now=now)
        except PracticeError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            self.app.call_from_thread(self.reload)
            return
        self.app.call_from_thread(self._written, result, done(result), then)

    def _written(
        self,
        result: AppointmentInfo,
        message: str,
        then: Callable[[AppointmentInfo], None] | None,
    ) -> None:
        self.app.notify(message)
        self.reload()
        if then is not None:
            then(result)
