"""Recurring treatment plans: preview, create, list, skip, change onward, end.

The package, by job: ``data`` (what the services take and give), ``forms``
(reading what was typed), ``expand`` (a rule into dates, each checked),
``create`` (preview and save a new plan), ``series`` (a saved plan read back,
summaries and details), ``fill`` (keeping open-ended plans filled) and
``edits`` (skip a date, change onward, end). Every public name is importable
from ``practice_tui.domain.plans``.

A plan's sessions are real appointments (``Appointment.plan`` and
``plan_slot``, the date of the plan each was made for), so Today, the agenda
and the client's profile show them and each can be moved or cancelled alone;
moving one by hand sets ``plan_modified`` and series edits leave it alone.

Choices made here (the issue left them open):

* **Counting.** "10 sessions" means ten sessions take place: a skipped date
  does not use one up, so the plan runs one date longer (see
  ``recurrence``). A session cancelled by hand still counts.
* **Saving a new plan.** Nothing is written until save. Dates that still
  overlap a booking (or sit too close to one, within the practice's buffer)
  or fall in a daylight-saving gap refuse the save with a message naming
  them: skip them in the preview or pick another time. Dates outside working
  hours (or on a day off, or in the break) need an explicit confirmation. A
  plan of more than ``CONFIRM_SESSIONS`` sessions needs a confirmation; the
  hard limit is ``MAX_SESSIONS`` (said in the message, never silent).
* **Finite plans** get every appointment when saved. **Open-ended plans** get
  appointments ``Practice.plan_horizon_weeks`` ahead and ``fill_horizon``
  (run when the app opens) keeps them filled. Filling never double-books: a
  date that clashes by then is left "not booked" and marked as a conflict on
  the plan, and filled the next time if it has become free. Filling accepts
  dates outside working hours, because the plan's time was accepted when it
  was saved.
* **Skipping for a clash** ("Skip and save"): ``plan_clash_skips`` and
  ``change_clash_skips`` compute once every date skipped (dates added at the
  end that clash too) and every date that moves; the question lists them and
  the save is given exactly those skips. Each skip remembers why
  (``PlanSkip.reason``: "hand", "clash", or "kept" when a kept session stands
  for the day). A change from a date onward looks at skips made for a clash
  again: they stay only if the date still clashes at the new time; skips chosen
  by hand always stay.
* **Skip one date**: the appointment is cancelled with reason "skipped" and
  the date is remembered in ``PlanSkip``; a plan with a count then books one
  more date at its end.
* **Change from a date onward** ends the plan at that date and starts a
  continuing plan (``Plan.replaces``) with the new time, length, service or
  rule. Upcoming sessions that were never touched by hand (booked, not moved
  or edited, no note) are *replaced*: deleted and booked again at the new
  time. They never took place and hold nothing, so deleting them keeps Today
  free of a cancelled twin for every session. Sessions moved or edited by
  hand, completed, cancelled or with a note are *kept* and listed; a new date
  on the same day as a kept session is left out (the kept one stands for it),
  and skipped days stay skipped. The count carries over, so a 10-session plan
  still holds 10 sessions. With the rule unchanged, the new plan keeps the old
  rhythm ("every other week" stays on the same weeks).
* **End from a date**: upcoming booked sessions from that date (moved ones
  too) are cancelled with reason "plan ended"; earlier ones are untouched.
* Series edits start today or later; the past is never rewritten.
"""

from __future__ import annotations

from practice_tui.domain.plans.clashes import ClashSkips
from practice_tui.domain.plans.create import (
    create_plan,
    plan_clash_skips,
    preview_plan,
    skip_clashes,
)
from practice_tui.domain.plans.data import (
    CONFIRM_SESSIONS,
    END_KINDS,
    ENDED_REASON,
    MAX_SESSIONS,
    PLAN_ACTIONS,
    SKIPPED_REASON,
    ChangeForm,
    LongPlanError,
    PlanChange,
    PlanChangeNote,
    PlanDate,
    PlanDetails,
    PlanDraft,
    PlanForm,
    PlanPreview,
    PlanSession,
    PlanSummary,
    SeriesEdit,
    plan_date_actions,
)
from practice_tui.domain.plans.edits import (
    change_clash_skips,
    change_plan,
    end_plan,
    preview_change,
    preview_end,
    preview_skip,
    skip_date,
)
from practice_tui.domain.plans.fill import (
    fill_horizon,
)
from practice_tui.domain.plans.forms import (
    read_change_form,
    read_plan_form,
)
from practice_tui.domain.plans.series import (
    get_plan,
    list_plans,
    plan_client,
)
from practice_tui.domain.schedule import usual_service

__all__ = [
    "CONFIRM_SESSIONS",
    "ChangeForm",
    "ClashSkips",
    "ENDED_REASON",
    "END_KINDS",
    "LongPlanError",
    "MAX_SESSIONS",
    "PLAN_ACTIONS",
    "PlanChange",
    "PlanChangeNote",
    "PlanDate",
    "PlanDetails",
    "PlanDraft",
    "PlanForm",
    "PlanPreview",
    "PlanSession",
    "PlanSummary",
    "SKIPPED_REASON",
    "SeriesEdit",
    "change_clash_skips",
    "change_plan",
    "create_plan",
    "end_plan",
    "fill_horizon",
    "get_plan",
    "list_plans",
    "plan_clash_skips",
    "plan_client",
    "plan_date_actions",
    "preview_change",
    "preview_end",
    "preview_plan",
    "preview_skip",
    "read_change_form",
    "read_plan_form",
    "skip_clashes",
    "skip_date",
    "usual_service",
]
