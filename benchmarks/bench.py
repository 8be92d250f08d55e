"""Speed of the queries behind each screen, on a large practice.

Run: ``python benchmarks/bench.py [--clients 5000] [--years 5]``. Builds a
practice file in a temporary folder (5,000 clients, several years of daily
appointments, notes), then times what each keystroke or screen asks of the
file and prints the median and worst of repeated runs. Not part of the test
suite: timing belongs here, never in a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from practice_tui.domain import clients, schedule
from practice_tui.domain.clients import _search_text, _sort_name
from practice_tui.domain.db import database, open_database
from practice_tui.domain.demo import FIRST_NAMES, LAST_NAMES
from practice_tui.domain.models import Appointment, Client, Service, SessionNote
from practice_tui.domain.settings import ensure_practice

NOW = dt.datetime(2026, 11, 27, 11, 20)


def build(
    path: Path, n_clients: int, years: int, before_notes: Callable[[], None] | None = None
) -> None:
    """``before_notes`` may change the appointments before their notes are
    signed (a signed note's appointment is locked by the file itself)."""
    open_database(path)
    ensure_practice(timezone="Europe/London")
    rng = random.Random(1)
    services = list(Service.select())
    with database.atomic():
        rows = []
        for index in range(n_clients):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            phone = f"555-{rng.randint(100, 999)}-{index:04d}"
            rows.append(
                {
                    "first_name": first,
                    "last_name": last,
                    "phone": phone,
                    "email": f"c{index}@example.com",
                    "contraindications": "Warfarin" if rng.random() < 0.1 else "",
                    "search_text": _search_text(first, last, "", phone, f"c{index}@example.com"),
                    "sort_name": _sort_name(first, last),
                    "archived": rng.random() < 0.2,
                }
            )
        for chunk in range(0, len(rows), 500):
            Client.insert_many(rows[chunk : chunk + 500]).execute()
        ids = [c.id for c in Client.select(Client.id)]
        day = NOW.date() - dt.timedelta(days=365 * years)
        appointments = []
        while day <= NOW.date() + dt.timedelta(days=60):
            if day.weekday() < 5:
                for hour in (9, 10, 11, 14, 15, 16):
                    start = dt.datetime.combine(day, dt.time(hour))
                    appointments.append(
                        {
                            "client": rng.choice(ids),
                            "service": rng.choice(services).id,
                            "start": start,
                            "end": start + dt.timedelta(minutes=45),
                            "status": "completed" if start < NOW else "booked",
                        }
                    )
            day += dt.timedelta(days=1)
        for chunk in range(0, len(appointments), 500):
            Appointment.insert_many(appointments[chunk : chunk + 500]).execute()
        if before_notes is not None:
            before_notes()
        notes = [
            {"appointment": a.id, "pain_before": 6, "pain_after": 3, "signed_at": a.end}
            for a in Appointment.select(Appointment.id, Appointment.end).where(
                Appointment.status == "completed"
            )
            if rng.random() < 0.97
        ]
        for chunk in range(0, len(notes), 500):
            SessionNote.insert_many(notes[chunk : chunk + 500]).execute()
    print(
        f"practice: {Client.select().count()} clients, {Appointment.select().count()} "
        f"appointments, {SessionNote.select().count()} notes"
    )


def measure(name: str, fn: Callable[[], object], repeat: int = 20) -> None:
    fn()  # warm the cache as a person's second keystroke would
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    print(f"{name:<44} median {statistics.median(times):7.2f} ms   worst {max(times):7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        build(Path(folder) / "bench.db", args.clients, args.years)
        for typed in ("m", "ma", "mar", "mar g", "0142", "c4999@"):
            measure(
                f"clients: search “{typed}” (a page of 200)",
                lambda typed=typed: clients.search_clients(typed, now=NOW),
            )
        measure(
            "clients: recent activity order",
            lambda: clients.search_clients("", now=NOW, order="recent"),
        )
        measure("today: day view", lambda: schedule.day_view(NOW.date(), now=NOW))
        measure(
            "today: week of appointments",
            lambda: schedule.appointments_between(NOW.date(), NOW.date() + dt.timedelta(days=6)),
        )
        measure("sessions: notes owed count", lambda: schedule.notes_owed_count(NOW))
        measure(
            "booking: check a slot",
            lambda: schedule.check_slot(dt.datetime(2026, 12, 1, 12, 0), 60),
        )
        any_client = Client.select(Client.id).first().id
        measure(
            "profile: a client's appointments",
            lambda: schedule.client_appointments(any_client, NOW),
        )


if __name__ == "__main__":
    main()
