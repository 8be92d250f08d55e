"""Search on 2,000 clients with a busy history answers a page at a time.

How fast it answers is measured by ``benchmarks/bench.py``, never here: this
checks that each keystroke asks for one page only, whatever the practice's size.
"""

from __future__ import annotations

import datetime as dt
import random

from practice_tui.domain.clients import _search_text, _sort_name, count_clients, search_clients
from practice_tui.domain.db import database
from practice_tui.domain.models import Appointment, Client
from practice_tui.domain.settings import list_services
from tests.conftest import FIXED_NOW

FIRST = ("María", "Daniel", "Ben", "Aisha", "Tom", "Priya", "Marek", "Sofia", "James", "Zoë")
LAST = ("García", "Okoye", "Carter", "Rahman", "Becker", "Sharma", "Nowak", "Rossi", "Walsh")


def fill(count: int = 2000, visits: int = 6000) -> None:
    rng = random.Random(5)
    rows = []
    for index in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        phone = f"555-{rng.randint(100, 999)}-{index:04d}"
        email = f"client{index}@example.com"
        rows.append(
            {
                "first_name": first,
                "last_name": last,
                "phone": phone,
                "email": email,
                "archived": index % 10 == 0,
                "search_text": _search_text(first, last, "", phone, email),
                "sort_name": _sort_name(first, last),
                "created_at": dt.datetime(2025, 1, 1),
                "updated_at": dt.datetime(2025, 1, 1),
            }
        )
    service = list_services()[0].id
    with database.atomic():
        for start in range(0, len(rows), 500):
            Client.insert_many(rows[start : start + 500]).execute()
        ids = [c.id for c in Client.select(Client.id)]
        base = dt.datetime(2026, 1, 5, 9, 0)
        appointments = []
        for index in range(visits):
            start = base + dt.timedelta(minutes=30 * index)
            appointments.append(
                {
                    "client": rng.choice(ids),
                    "service": service,
                    "start": start,
                    "end": start + dt.timedelta(minutes=30),
                    "status": "completed" if start < FIXED_NOW else "booked",
                }
            )
        for start in range(0, len(appointments), 500):
            Appointment.insert_many(appointments[start : start + 500]).execute()


def pages(queries: list[str], **kwargs: object) -> None:
    for query in queries:
        page = search_clients(query, now=FIXED_NOW, limit=100, **kwargs)  # type: ignore[arg-type]
        assert len(page) <= 100
        assert count_clients(query=query) >= len(page)


def test_each_keystroke_reads_one_page_of_thousands_of_clients(db_path) -> None:
    fill()
    assert count_clients(True) == 2000
    typing = ["m", "ma", "mar", "mar g", "mar ga", "mar gar", "0", "01", "012", "0123"]
    pages(typing)
    pages(typing, order="recent")
    pages(["", "a"], include_archived=True, order="recent")
    page = search_clients("mar gar", now=FIXED_NOW, limit=100)
    assert page and all(c.name.startswith("Mar") and "García" in c.name for c in page)
    assert all(not c.archived for c in page)
    second = search_clients("mar gar", now=FIXED_NOW, limit=100, offset=100)
    assert not {c.id for c in page} & {c.id for c in second}
