""" "Skip and save": one computation of every date skipped for a clash and every
date that moves, which the question shows and the save then uses as it is.

Skipping a date of a plan with a count adds a date at its end (the plan keeps
its number of sessions), and that added date may clash too; skipping the first
date moves the first session. So the skips are settled in a loop until no date
clashes, and what changed is compared date by date with the plan before the
skips: the question lists all of it, and the save is given exactly those skips
(``create_plan(clash_skipped=…)``, ``change_plan(clash_skipped=…)``), whose
dates are the ones listed — nothing is recomputed differently afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from practice_tui.domain.errors import ConflictError
from practice_tui.domain.plans.data import PlanDate
from practice_tui.domain.words import moment_short

#: How many rounds of skipping before giving up (every date clashes).
ROUNDS = 50


@dataclass(frozen=True)
class ClashSkips:
    """What "Skip and save" will do, computed once."""

    #: Skips the person chose by hand (left as they are).
    hand: tuple[dt.datetime, ...]
    #: Every date skipped because it clashes, each with what is in its way.
    skipped: tuple[PlanDate, ...]
    #: Dates the plan gains at its end to keep its number of sessions.
    added: tuple[PlanDate, ...]
    #: The plan's dates once skipped (what is saved).
    dates: tuple[PlanDate, ...]
    #: The first session before and after, when it moves.
    first_from: dt.datetime | None = None
    first_to: dt.datetime | None = None

    @property
    def slots(self) -> tuple[dt.datetime, ...]:
        """The dates skipped for a clash, as the save takes them."""
        return tuple(d.start for d in self.skipped)

    @property
    def sessions(self) -> int:
        return sum(not d.skipped for d in self.dates)

    @property
    def lines(self) -> tuple[str, ...]:
        """Everything that changes, one line each, for the question."""
        lines = [f"Skip {moment_short(d.start)} — {_reason(d)}" for d in self.skipped]
        if self.first_from is not None and self.first_to is not None:
            lines.append(
                f"The first session moves from {moment_short(self.first_from)} "
                f"to {moment_short(self.first_to)}"
            )
        lines += [f"Add {moment_short(d.start)} at the end" for d in self.added]
        return tuple(lines)


def _reason(date: PlanDate) -> str:
    return date.invalid_time or date.time_off or (date.clashes[0] if date.clashes else "clash")


def settle_clashes(
    compute: Callable[[set[dt.datetime]], Sequence[PlanDate]],
    hand: Iterable[dt.datetime] = (),
) -> ClashSkips:
    """Skip every clashing date of ``compute(skips)`` until none is left.

    ``compute`` gives the plan's dates for a set of skipped moments (a preview).
    Refuses when that never settles (every date clashes).
    """
    hand_set = set(hand)
    before = list(compute(set(hand_set)))
    chosen: set[dt.datetime] = set()
    found: dict[dt.datetime, PlanDate] = {}
    dates = before
    for _ in range(ROUNDS):
        blocking = [d for d in dates if d.blocking]
        if not blocking:
            break
        for date in blocking:
            found.setdefault(date.start, date)
            chosen.add(date.start)
        dates = list(compute(hand_set | chosen))
    else:
        raise ConflictError(
            "Too many dates clash at this time; pick another time or day.", field="time"
        )
    known = {d.start for d in before}
    added = tuple(d for d in dates if not d.skipped and d.start not in known)
    first_before = next((d.start for d in before if not d.skipped), None)
    first_after = next((d.start for d in dates if not d.skipped), None)
    moves = first_before is not None and first_after is not None and first_before != first_after
    return ClashSkips(
        hand=tuple(sorted(hand_set)),
        skipped=tuple(found[s] for s in sorted(found)),
        added=added,
        dates=tuple(dates),
        first_from=first_before if moves else None,
        first_to=first_after if moves else None,
    )
