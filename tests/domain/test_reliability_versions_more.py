"""No lost updates for plans and the practice settings: two edits from the same
starting version — the second is refused with what happened and when, and
nothing the first saved is lost. Each proven with a second program."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from practice_tui.domain import plans
from practice_tui.domain.errors import StaleRecordError
from practice_tui.domain.models import Appointment, Plan, PlanSkip
from practice_tui.domain.plans import PlanChange
from practice_tui.domain.policy_fees import fee_policy, save_policies
from practice_tui.domain.settings import (
    get_practice,
    read_week,
    save_policies_form,
    set_week,
    update_practice,
)
from tests.conftest import FIXED_NOW
from tests.domain.test_plans import client, draft
from tests.domain.test_reliability_versions import other_program

NOW = FIXED_NOW
WEEK = [("09:00-17:00", "12:30-13:30")] * 5 + [("", ""), ("", "")]


def test_plan_changed_in_another_program_refuses_a_change_and_keeps_theirs(
    db_path: Path,
) -> None:
    summary = plans.create_plan(draft(client(), count=6), now=NOW)
    opened = plans.get_plan(summary.id, now=NOW).summary  # the dialog reads the plan
    other_program(
        db_path,
        "from practice_tui.domain import plans\n"
        f"plans.end_plan({summary.id}, dt.date(2026, 12, 10),"
        " now=dt.datetime(2026, 11, 27, 11, 30))\n",
    )
    change = PlanChange(from_date=dt.date(2026, 12, 7), time=dt.time(14, 0))
    with pytest.raises(StaleRecordError, match="plan was changed in another window") as caught:
        plans.change_plan(summary.id, change, now=NOW, expected_version=opened.version)
    message = caught.value.message
    assert "ended from Thu 10 Dec 2026" in message and "last saved Fri 27 Nov at 11:30" in message
    assert "Your edits are kept here" in message
    # Nothing of the refused change was written; the other program's end stands.
    assert Plan.select().count() == 1
    assert Plan.get_by_id(summary.id).ended_on == dt.date(2026, 12, 10)
    assert not Appointment.select().where(Appointment.start.hour == 14).exists()
    with pytest.raises(StaleRecordError):
        plans.end_plan(summary.id, dt.date(2026, 12, 3), now=NOW, expected_version=opened.version)
    assert Plan.get_by_id(summary.id).ended_on == dt.date(2026, 12, 10)


def test_two_skips_from_the_same_version_second_refused(db_path: Path) -> None:
    summary = plans.create_plan(draft(client(), count=6), now=NOW)
    opened = plans.get_plan(summary.id, now=NOW).summary
    other_program(
        db_path,
        "from practice_tui.domain import plans\n"
        f"plans.skip_date({summary.id}, dt.datetime(2026, 12, 8, 10), "
        "now=dt.datetime(2026, 11, 27, 11, 30))\n",
    )
    with pytest.raises(StaleRecordError, match="Its dates changed there"):
        plans.skip_date(
            summary.id, dt.datetime(2026, 12, 15, 10), now=NOW, expected_version=opened.version
        )
    assert [s.slot for s in PlanSkip.select()] == [dt.datetime(2026, 12, 8, 10)]
    # Re-read: the same skip now goes through, and both are kept.
    fresh = plans.get_plan(summary.id, now=NOW).summary
    assert fresh.version > opened.version
    after = plans.skip_date(
        summary.id, dt.datetime(2026, 12, 15, 10), now=NOW, expected_version=fresh.version
    )
    assert sorted(s.slot.day for s in PlanSkip.select()) == [8, 15]
    assert after.version > fresh.version


def test_plan_changed_onward_elsewhere_is_named(db_path: Path) -> None:
    summary = plans.create_plan(draft(client(), count=6), now=NOW)
    opened = plans.get_plan(summary.id, now=NOW).summary
    plans.change_plan(
        summary.id,
        PlanChange(from_date=dt.date(2026, 12, 7), time=dt.time(15, 0)),
        now=NOW,
        expected_version=opened.version,
    )
    with pytest.raises(StaleRecordError, match="changed from Mon 7 Dec 2026 onward there"):
        plans.change_plan(
            summary.id,
            PlanChange(from_date=dt.date(2026, 12, 7), time=dt.time(14, 0)),
            now=NOW,
            expected_version=opened.version,
        )
    assert Plan.select().count() == 2  # the first change, not a third plan


def test_settings_saved_in_another_program_refuse_the_older_form(db_path: Path) -> None:
    opened = get_practice()  # the form reads the settings
    other_program(
        db_path,
        "from practice_tui.domain.settings import update_practice\n"
        "update_practice(phone='020 7946 0000', registration='RMT 4471')\n",
    )
    with pytest.raises(
        StaleRecordError, match="the practice settings were changed in another window"
    ) as caught:
        update_practice(name="Calm Hands", expected_version=opened.version)
    assert caught.value.changed_at is not None
    stored = get_practice()
    assert (stored.name, stored.phone, stored.registration) == (
        opened.name,
        "020 7946 0000",
        "RMT 4471",
    )
    with pytest.raises(StaleRecordError):
        set_week(read_week(WEEK), now=NOW, expected_version=opened.version)
    with pytest.raises(StaleRecordError):
        save_policies_form({"buffer_minutes": "5"}, expected_version=opened.version)
    with pytest.raises(StaleRecordError):
        save_policies({"buffer_minutes": "5"}, "40", expected_version=opened.version)
    assert get_practice().buffer_minutes == opened.buffer_minutes
    assert fee_policy().kind == "none"
    # Re-read and re-applied: saved, and the other program's phone is kept.
    final = update_practice(name="Calm Hands", expected_version=stored.version)
    assert (final.name, final.phone) == ("Calm Hands", "020 7946 0000")
    assert final.version > stored.version


def test_every_settings_save_moves_the_version(db_path: Path) -> None:
    start = get_practice()
    hours = set_week(read_week(WEEK), now=NOW, expected_version=start.version)
    assert hours.version > start.version
    policies = save_policies(
        {"buffer_minutes": "10", "late_cancel_hours": "24"}, "50%", expected_version=hours.version
    )
    assert policies.version > hours.version and policies.buffer_minutes == 10
    assert (fee_policy().kind, fee_policy().value) == ("percent", 50)
    with pytest.raises(StaleRecordError):  # the hours form read before the policies were saved
        set_week(read_week(WEEK), now=NOW, expected_version=hours.version)


def test_policies_form_is_all_or_nothing(db_path: Path) -> None:
    from practice_tui.domain.errors import ValidationError

    before = get_practice()
    with pytest.raises(ValidationError) as caught:
        save_policies({"buffer_minutes": "10"}, "abc", expected_version=before.version)
    assert set(caught.value.errors) == {"policy_fee"}
    assert get_practice().buffer_minutes == before.buffer_minutes
    assert get_practice().version == before.version
