"""The demo practice's functional goals and its one progress report.

Clients with chronic low back pain and those recovering from knee surgery
name three activities each at their first visit; the therapist scores them
at that visit and then at most visits after, and they improve unevenly, as
real clients do: mostly up a point or two, sometimes flat, now and then a
step back. The chronic-pain client with the longest history already has one
progress report on record (the record only: the demo keeps no files), so the
next report starts where it ended.

Randomness here comes from its own generator seeded per note, so adding
goals never changes the rest of the demo.
"""

from __future__ import annotations

import datetime as dt
import random

from practice_tui.domain.models import (
    Appointment,
    Client,
    Goal,
    GoalScore,
    ProgressReport,
    Status,
)

#: Complaint prefix → the client's goals and their first scores (0 = unable).
GOALS: dict[str, tuple[tuple[str, int], ...]] = {
    "Chronic low back pain": (
        ("Lift my grandchild", 2),
        ("Garden for an hour", 3),
        ("Sit through a film without getting up", 4),
    ),
    "Post-surgical recovery": (
        ("Walk to the shops without the cane", 3),
        ("Climb the stairs at home", 2),
        ("Kneel to weed the garden", 1),
    ),
}
#: Most visits a step up, some flat, a few a step back.
STEPS = (-1, 0, 0, 1, 1, 1, 2)


def goals_for(complaint: str) -> tuple[tuple[str, int], ...]:
    for prefix, goals in GOALS.items():
        if complaint.startswith(prefix):
            return goals
    return ()


def score_visit(note_id: int, client_id: int, complaint: str, day: dt.date, seed: int) -> None:
    """Score the client's goals in this (still unsigned) note, if they have goals."""
    wanted = goals_for(complaint)
    if not wanted:
        return
    rng = random.Random(f"{seed}-{note_id}")
    goals = list(Goal.select().where(Goal.client == client_id).order_by(Goal.position))
    first = not goals
    if first:
        stamp = dt.datetime.combine(day, dt.time(9, 0))
        goals = [
            Goal.create(client=client_id, position=i + 1, activity=name, created_at=stamp)
            for i, (name, _) in enumerate(wanted)
        ]
    elif rng.random() < 0.3:
        return  # not asked this time
    for goal, (_, start) in zip(goals, wanted, strict=True):
        last = (
            GoalScore.select(GoalScore.score)
            .where(GoalScore.goal == goal.id)
            .order_by(GoalScore.day.desc(), GoalScore.id.desc())
            .scalar()
        )
        score = start if last is None else max(0, min(9, last + rng.choice(STEPS)))
        GoalScore.create(
            goal=goal.id,
            day=day,
            score=score,
            note=note_id,
            created_at=dt.datetime.combine(day, dt.time(18, 0)),
        )


def add_demo_report(today: dt.date) -> None:
    """One progress report already made, for the chronic-pain client seen most."""
    best: tuple[int, int] | None = None
    for client in Client.select().where(Client.complaint.startswith("Chronic low back pain")):
        visits = (
            Appointment.select()
            .where(
                (Appointment.client == client.id) & (Appointment.status == Status.COMPLETED.value)
            )
            .count()
        )
        if best is None or visits > best[0]:
            best = (visits, client.id)
    if best is None:
        return
    client = Client.get_by_id(best[1])
    first = (
        Appointment.select(Appointment.start)
        .where((Appointment.client == client.id) & (Appointment.status == Status.COMPLETED.value))
        .order_by(Appointment.start)
        .scalar()
    )
    if first is None:
        return
    start = (
        first.date() if isinstance(first, dt.datetime) else dt.date.fromisoformat(str(first)[:10])
    )
    # It ends five weeks ago, or earlier so that at least four visits come
    # after it (the next report has something to tell).
    completed = [
        row.start
        for row in Appointment.select(Appointment.start)
        .where((Appointment.client == client.id) & (Appointment.status == Status.COMPLETED.value))
        .order_by(Appointment.start)
    ]
    end = today - dt.timedelta(weeks=5)
    if len(completed) >= 5:
        fourth_last = completed[-4]
        day = fourth_last.date() if isinstance(fourth_last, dt.datetime) else fourth_last
        end = min(end, day - dt.timedelta(days=1))
    if end <= start:
        return
    slug = f"{client.first_name}-{client.last_name}".lower().replace(" ", "-")
    ProgressReport.create(
        client=client.id,
        made_at=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(17, 30)),
        start=start,
        end=end,
        file_name=f"progress-{slug}-{end:%Y-%m-%d}.pdf",
        summary=(
            "Pain before sessions has eased and the client reports sleeping better; "
            "lifting and gardening are still limited."
        ),
        recommendation="Continue weekly medical massage for six weeks, then review.",
    )
