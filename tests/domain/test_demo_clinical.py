"""A demo a clinician would trust: no note treats what its client's record rules
out, conditions fit age and sex, and the demo is the same whatever hour it is
made (relative to the day)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from practice_tui.domain.db import close_database, open_database
from practice_tui.domain.demo import PROFILES, build_demo
from practice_tui.domain.demo_clinical import (
    PRECAUTION_RULES,
    WOMEN,
    age_on,
    rules_for,
    safe_treatment,
)
from practice_tui.domain.models import Appointment, Client, Plan, SessionNote
from practice_tui.domain.settings import ensure_practice
from practice_tui.domain.vocab import area
from tests.conftest import FIXED_TODAY, TIMEZONE


def _notes_by_client() -> dict[int, list[SessionNote]]:
    notes: dict[int, list[SessionNote]] = {}
    for note in SessionNote.select(SessionNote, Appointment).join(Appointment):
        notes.setdefault(note.appointment.client_id, []).append(note)
    return notes


def test_no_note_treats_what_the_record_rules_out(demo_path: Path) -> None:
    notes = _notes_by_client()
    checked = 0
    for client in Client.select().where(Client.contraindications != ""):
        # Every precaution the demo writes has machine-checkable rules.
        assert client.contraindications in PRECAUTION_RULES, client.contraindications
        rules = rules_for(client.contraindications)
        for note in notes.get(client.id, []):
            banned = [a for a in note.areas if rules.rules_out_area(a)]
            assert not banned, (client.first_name, client.contraindications, banned)
            assert not set(note.techniques) & set(rules.techniques), client.first_name
            assert rules.allows_pressure(note.pressure), (client.first_name, note.pressure)
            checked += 1
    assert checked > 20  # the check is not vacuous


def test_the_dvt_client_is_never_treated_on_the_left_lower_leg(demo_path: Path) -> None:
    dvt = [c for c in Client.select() if "DVT" in c.contraindications]
    assert dvt
    for client in dvt:
        for note in _notes_by_client().get(client.id, []):
            assert not {"calves:left", "calves:both", "feet:left", "feet:both"} & set(note.areas)
            assert "deep tissue" not in note.techniques


def test_conditions_and_goals_fit_age_and_sex(demo_path: Path) -> None:
    for client in Client.select():
        age = age_on(client.date_of_birth, FIXED_TODAY)
        woman = client.first_name in WOMEN
        if "Pregnant" in client.contraindications:
            assert woman and 18 <= age <= 45, (client.first_name, age)
        if "grandchildren" in client.goals:
            assert age >= 55, (client.first_name, age)
        if "mastectomy" in client.conditions:
            assert woman, client.first_name
        if "knee replacement" in client.complaint or "Osteoarthritis" in client.conditions:
            assert age >= 50, (client.first_name, age)
        profile = next(p for p in PROFILES if p.complaint == client.complaint)
        assert profile.fits(age, woman), (client.first_name, age, client.complaint)


def test_safe_treatment_keeps_the_other_side_and_eases_pressure() -> None:
    rules = rules_for("History of DVT (left calf, 2024): no massage of the left lower leg")
    areas, techniques, pressure = safe_treatment(
        [area("calves", "both"), area("hamstrings", "left"), area("feet", "left")],
        ["deep tissue", "stretching/PNF"],
        "firm",
        rules,
    )
    assert areas == ["calves:right", "hamstrings:left"]
    assert techniques == ["stretching/PNF"] and pressure == "firm"
    warfarin = rules_for("Warfarin (anticoagulant): light pressure only, no deep friction")
    assert safe_treatment([], ["cross-fibre friction"], "firm", warfarin)[1:] == (
        ["Swedish"],
        "light",
    )


def _plans_and_appointments() -> tuple[list[tuple], list[tuple]]:
    plans = [
        (p.client_id, p.service_id, p.first_start, p.rule, p.count, p.until)
        for p in Plan.select().order_by(Plan.id)
    ]
    appointments = [
        (
            a.id,
            a.client_id,
            a.service_id,
            a.start,
            a.end,
            a.plan_id,
            a.plan_slot,
            a.cancel_reason,
            # Whether today's sessions have taken place follows the clock.
            a.status if a.start.date() != FIXED_TODAY else "today",
        )
        for a in Appointment.select().order_by(Appointment.id)
    ]
    return plans, appointments


def test_the_demo_is_the_same_whatever_hour_it_is_made(tmp_path: Path) -> None:
    made = []
    for hour in (7, 21):
        open_database(tmp_path / f"demo-{hour}.db")
        ensure_practice()
        build_demo(FIXED_TODAY, dt.datetime.combine(FIXED_TODAY, dt.time(hour)), timezone=TIMEZONE)
        made.append(_plans_and_appointments())
        notes_before_today = (
            SessionNote.select()
            .join(Appointment)
            .where(Appointment.start < dt.datetime.combine(FIXED_TODAY, dt.time()))
            .count()
        )
        made.append(notes_before_today)
        if hour == 21:  # by the evening every session of today has taken place
            today = Appointment.select().where(
                Appointment.start >= dt.datetime.combine(FIXED_TODAY, dt.time())
            )
            assert {a.status for a in today if a.start.date() == FIXED_TODAY} == {"completed"}
        close_database()
    assert made[0] == made[2]  # plans and appointments
    assert made[1] == made[3]  # the notes before today
