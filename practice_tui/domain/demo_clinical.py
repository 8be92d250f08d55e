"""What keeps the demo practice clinically believable, as rules a test can check.

* **Precautions rule things out.** Each precaution the demo writes on a
  client's record has its rules here (``PRECAUTION_RULES``): areas never
  treated ("no massage of the left lower leg" rules out the left calf and
  foot), techniques never used ("no deep friction"), and the firmest pressure
  allowed. Notes are written through ``safe_treatment``, and
  ``tests/domain/test_demo_clinical.py`` checks every note of the demo against
  its client's record.
* **Conditions fit the person.** A profile (complaint, goals, conditions) has
  the ages it fits and, where it matters, the sex; a precaution too
  ("Pregnant, 24 weeks" only for a woman of 18 to 45).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from practice_tui.domain.vocab import PRESSURES, split_area

#: First names of the demo that are women's (the rest are men's).
WOMEN = frozenset(
    {
        "Maya", "Lucía", "Aisha", "Priya", "Sofia", "Hannah", "Olivia", "Grace", "Zoë",
        "Chloe", "María", "Fatima", "Emma", "Ingrid", "Isabel", "Siobhán", "Nora", "Mei",
        "Elena", "Amara", "Ruth", "Leah", "Anna", "Yara", "Ada", "Clara", "Helen", "Linh",
        "Rosa", "Wendy", "Beatriz",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Rules:
    """What a precaution rules out."""

    #: (region, side) never treated; side "" means every side.
    areas: tuple[tuple[str, str], ...] = ()
    techniques: tuple[str, ...] = ()
    #: The firmest pressure allowed ("" when the precaution says nothing).
    max_pressure: str = ""
    #: Who the precaution can be written for.
    women_only: bool = False
    min_age: int = 0
    max_age: int = 200

    def rules_out_area(self, value: str) -> bool:
        region, side = split_area(value)
        for banned, banned_side in self.areas:
            if region != banned:
                continue
            if not banned_side or not side or side == "both" or side == banned_side:
                return True
        return False

    def allows_pressure(self, pressure: str) -> bool:
        if not self.max_pressure or not pressure:
            return True
        return PRESSURES.index(pressure) <= PRESSURES.index(self.max_pressure)

    def fits(self, age: int, woman: bool) -> bool:
        return self.min_age <= age <= self.max_age and (woman or not self.women_only)


NO_DEEP = ("deep tissue", "cross-fibre friction")

#: The demo's precautions, each with what it rules out (the text is the key).
PRECAUTION_RULES: dict[str, Rules] = {
    "Warfarin (anticoagulant): light pressure only, no deep friction": Rules(
        techniques=NO_DEEP, max_pressure="light"
    ),
    "History of DVT (left calf, 2024): no massage of the left lower leg": Rules(
        areas=(("calves", "left"), ("feet", "left")), techniques=NO_DEEP
    ),
    "Recent surgery (6 weeks): no pressure over the incision": Rules(
        techniques=NO_DEEP, max_pressure="medium"
    ),
    "Osteoporosis: no heavy pressure over spine or ribs": Rules(
        techniques=NO_DEEP, max_pressure="medium", min_age=45
    ),
    "Pregnant, 24 weeks: side-lying, no deep abdominal work": Rules(
        areas=(("abdomen", ""),), techniques=NO_DEEP, women_only=True, min_age=18, max_age=45
    ),
    "Diabetic neuropathy in both feet: reduced sensation, light pressure": Rules(
        techniques=NO_DEEP, max_pressure="light", min_age=35
    ),
    "Apixaban (anticoagulant): bruises easily, light to medium pressure": Rules(
        techniques=NO_DEEP, max_pressure="medium", min_age=30
    ),
    "Recent surgery (left knee, 10 weeks): light pressure near the incision": Rules(
        techniques=NO_DEEP, max_pressure="light"
    ),
}


def rules_for(contraindications: str) -> Rules:
    """The rules of a demo precaution (none for text the demo did not write)."""
    return PRECAUTION_RULES.get(contraindications.strip(), Rules())


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def fitting_precaution(wanted: str, choices: Sequence[str], age: int, woman: bool) -> str:
    """``wanted`` when it fits the person, else the next of ``choices`` that does."""
    if not wanted or rules_for(wanted).fits(age, woman):
        return wanted
    start = choices.index(wanted) if wanted in choices else 0
    for step in range(1, len(choices) + 1):
        other = choices[(start + step) % len(choices)]
        if rules_for(other).fits(age, woman):
            return other
    return ""


def safe_treatment(
    areas: Iterable[str], techniques: Iterable[str], pressure: str, rules: Rules
) -> tuple[list[str], list[str], str]:
    """A note's areas, techniques and pressure with what the record rules out
    taken away: a side ruled out turns "both" into the other side, a banned
    technique is left out (Swedish stands in when none is left), and the
    pressure is eased to the firmest allowed."""
    kept_areas: list[str] = []
    for value in areas:
        region, side = split_area(value)
        if not rules.rules_out_area(value):
            kept_areas.append(value)
            continue
        if side == "both":
            for other in ("left", "right"):
                candidate = f"{region}:{other}"
                if not rules.rules_out_area(candidate) and candidate not in kept_areas:
                    kept_areas.append(candidate)
    kept_techniques = [t for t in techniques if t not in rules.techniques] or ["Swedish"]
    if not rules.allows_pressure(pressure):
        pressure = rules.max_pressure
    return kept_areas, kept_techniques, pressure
