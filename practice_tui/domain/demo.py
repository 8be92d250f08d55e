"""A realistic demo practice, generated from a seed relative to a given day.

About 60 clients with the conditions a medical massage practice sees, some
with precautions on file; 12 weeks of past visits (most completed with signed
notes, a few cancelled or missed, a couple of notes still owed), 8 weeks ahead
booked, several recurring plans, and a full day today with a first visit and a
client with a contraindication. The practice works Monday to Saturday (Sunday
off, or Monday off when the demo is made on a Sunday, so today always has
appointments).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from peewee import Case, chunked, fn

from practice_tui.domain import recurrence
from practice_tui.domain.clients import _search_text, _sort_name
from practice_tui.domain.db import writes
from practice_tui.domain.demo_clinical import (
    WOMEN,
    age_on,
    fitting_precaution,
    rules_for,
    safe_treatment,
)
from practice_tui.domain.demo_outcomes import add_demo_report, score_visit
from practice_tui.domain.errors import ValidationError
from practice_tui.domain.models import (
    Appointment,
    Client,
    Plan,
    Practice,
    Service,
    SessionNote,
    Status,
    WorkingHours,
)
from practice_tui.domain.settings import DEFAULT_SERVICES, system_timezone
from practice_tui.domain.vocab import area

DEMO_SEED = 20261127
SATURDAY_CLOSE = dt.time(14, 30)
PAST_WEEKS = 12
FUTURE_WEEKS = 8
#: Random draws are laid out as if the demo were made at this time of the day,
#: so the demo is the same whatever hour it is made (only whether today's
#: sessions have taken place follows the clock).
DEMO_MOMENT = dt.time(11, 20)

FIRST_NAMES = (
    "Maya",
    "Daniel",
    "Lucía",
    "Ben",
    "Aisha",
    "Tom",
    "Priya",
    "Marek",
    "Sofia",
    "James",
    "Hannah",
    "Kenji",
    "Olivia",
    "Mateo",
    "Grace",
    "Liam",
    "Zoë",
    "Omar",
    "Chloe",
    "Ethan",
    "María",
    "Noah",
    "Fatima",
    "Lucas",
    "Emma",
    "Samuel",
    "Ingrid",
    "Kwame",
    "Isabel",
    "Ryan",
    "Siobhán",
    "Arjun",
    "Nora",
    "David",
    "Mei",
    "Patrick",
    "Elena",
    "Jonas",
    "Amara",
    "Victor",
    "Ruth",
    "Hiroshi",
    "Leah",
    "Carlos",
    "Anna",
    "Felix",
    "Yara",
    "George",
    "Ada",
    "Tariq",
    "Clara",
    "Ivan",
    "Helen",
    "Diego",
    "Linh",
    "Frank",
    "Rosa",
    "Pavel",
    "Wendy",
    "Ahmed",
    "Beatriz",
    "Colm",
)
LAST_NAMES = (
    "Thompson",
    "Okoye",
    "Gómez",
    "Carter",
    "Rahman",
    "Becker",
    "Sharma",
    "Nowak",
    "Rossi",
    "Walsh",
    "Schmidt",
    "Tanaka",
    "Brown",
    "Fernández",
    "Kim",
    "O'Brien",
    "Müller",
    "Haddad",
    "Dubois",
    "Wright",
    "García",
    "Patel",
    "Hassan",
    "Silva",
    "Jensen",
    "Mensah",
    "Larsen",
    "Nguyễn",
    "Kowalski",
    "Murphy",
    "Ivanova",
    "Costa",
    "Ahmed",
    "Fischer",
    "Lindqvist",
    "Moreau",
    "Chen",
    "Reyes",
    "Novak",
    "Taylor",
)
STREETS = ("Elm", "Mill", "River", "Oak", "High")
PROVIDERS = (
    "Dr. A. Patel (physiotherapy)",
    "Dr. S. Greene (GP)",
    "Dr. L. Moreno (orthopaedics)",
    "J. Whitfield, PT",
    "Dr. K. Osei (rheumatology)",
    "Dr. H. Lindgren (neurology)",
    "",
    "",
)


@dataclass(frozen=True)
class Profile:
    complaint: str
    goals: str
    conditions: str
    medications: str
    areas: tuple[str, ...]
    techniques: tuple[str, ...]
    pressure: str
    home_care: tuple[str, ...]
    findings: str
    start_pain: int
    #: Whom the profile fits (demo_clinical: conditions fit age and sex).
    min_age: int = 18
    max_age: int = 90
    women_only: bool = False

    def fits(self, age: int, woman: bool) -> bool:
        return self.min_age <= age <= self.max_age and (woman or not self.women_only)


PROFILES: tuple[Profile, ...] = (
    Profile(
        "Chronic low back pain (L4–L5), 3 years",
        "Garden and lift grandchildren without pain",
        "Degenerative disc disease L4–L5",
        "Ibuprofen as needed",
        (
            area("lower back/lumbar", "both"),
            area("sacrum and glutes", "right"),
            area("hips", "right"),
        ),
        ("trigger point therapy", "myofascial release", "stretching/PNF"),
        "firm",
        ("stretching", "heat", "posture"),
        "Hypertonic erector spinae L/R, trigger point R gluteus medius",
        7,
        min_age=55,
        max_age=90,
    ),
    Profile(
        "Right hamstring strain (running), 6 weeks",
        "Return to 10 km runs",
        "",
        "",
        (area("hamstrings", "right"), area("calves", "right"), area("sacrum and glutes", "right")),
        ("sports massage", "cross-fibre friction", "stretching/PNF"),
        "firm",
        ("stretching", "cold", "strengthening exercise"),
        "Adhesion mid-belly R biceps femoris, reduced straight-leg raise",
        6,
        min_age=18,
        max_age=60,
    ),
    Profile(
        "Post-surgical recovery, left total knee replacement",
        "Walk without a cane, climb stairs",
        "Osteoarthritis, left TKA 10 weeks ago",
        "Paracetamol",
        (area("quadriceps", "left"), area("IT band", "left"), area("calves", "left")),
        ("lymphatic drainage", "scar tissue mobilisation", "Swedish"),
        "light",
        ("rest", "cold", "follow-up with physician/physiotherapist"),
        "Oedema around incision reduced, scar mobile superiorly",
        6,
        min_age=55,
        max_age=90,
    ),
    Profile(
        "Osteoarthritis of both hands and knees",
        "Keep knitting and walking the dog",
        "Osteoarthritis",
        "Glucosamine, topical diclofenac",
        (area("forearms and hands", "both"), area("quadriceps", "both"), area("calves", "both")),
        ("Swedish", "myofascial release", "stretching/PNF"),
        "medium",
        ("heat", "stretching", "hydration"),
        "Reduced grip, thenar tightness L/R",
        5,
        min_age=50,
        max_age=90,
    ),
    Profile(
        "Fibromyalgia, widespread pain and fatigue",
        "Sleep through the night, fewer flare-ups",
        "Fibromyalgia, IBS",
        "Duloxetine",
        (area("neck", "both"), area("upper back", "both"), area("lower back/lumbar", "both")),
        ("Swedish", "myofascial release"),
        "light",
        ("rest", "hydration", "heat"),
        "Tender points upper trapezius and lumbar, guarding",
        7,
        min_age=25,
        max_age=70,
    ),
    Profile(
        "Migraines and tension headaches, 2–3 a week",
        "Fewer than one headache a week",
        "Migraine without aura",
        "Sumatriptan as needed",
        (
            area("neck", "both"),
            area("upper trapezius", "both"),
            area("head/scalp"),
            area("jaw/TMJ", "both"),
        ),
        ("trigger point therapy", "neuromuscular therapy", "myofascial release"),
        "medium",
        ("posture", "hydration", "stretching"),
        "Trigger points suboccipitals and upper trapezius refer to temple",
        6,
        min_age=18,
        max_age=65,
    ),
    Profile(
        "Frozen shoulder (left), 5 months",
        "Reach the top shelf, sleep on the left side",
        "Adhesive capsulitis, type 2 diabetes",
        "Metformin",
        (area("shoulders", "left"), area("upper back", "left"), area("chest", "left")),
        ("myofascial release", "stretching/PNF", "trigger point therapy"),
        "medium",
        ("stretching", "heat", "follow-up with physician/physiotherapist"),
        "Abduction 95°, ER limited, pec minor tight",
        6,
        min_age=40,
        max_age=75,
    ),
    Profile(
        "Neck and shoulder pain from desk work",
        "Work a full day without neck pain",
        "",
        "",
        (area("neck", "both"), area("upper trapezius", "both"), area("upper back", "both")),
        ("deep tissue", "trigger point therapy", "stretching/PNF"),
        "firm",
        ("posture", "stretching", "heat"),
        "Forward head posture, levator scapulae trigger points",
        5,
        min_age=20,
        max_age=65,
    ),
    Profile(
        "Plantar fasciitis (right), morning heel pain",
        "Stand through a shift at work",
        "Plantar fasciitis",
        "",
        (area("feet", "right"), area("calves", "both")),
        ("deep tissue", "cross-fibre friction", "stretching/PNF"),
        "firm",
        ("stretching", "cold", "strengthening exercise"),
        "Tight gastrocnemius/soleus, tender medial calcaneus",
        6,
        min_age=25,
        max_age=65,
    ),
    Profile(
        "Sciatica (left), radiating to the calf",
        "Sit through a film and drive to work",
        "L5 radiculopathy",
        "Pregabalin",
        (
            area("sacrum and glutes", "left"),
            area("hamstrings", "left"),
            area("lower back/lumbar", "left"),
        ),
        ("neuromuscular therapy", "myofascial release", "stretching/PNF"),
        "medium",
        ("stretching", "heat", "posture"),
        "Piriformis tight L, SLR positive at 60°",
        7,
        min_age=25,
        max_age=70,
    ),
    Profile(
        "Forearm overuse (tennis elbow), right",
        "Play tennis again and type without pain",
        "Lateral epicondylalgia",
        "",
        (area("forearms and hands", "right"), area("arms", "right"), area("shoulders", "right")),
        ("cross-fibre friction", "trigger point therapy", "stretching/PNF"),
        "firm",
        ("cold", "strengthening exercise", "rest"),
        "Tender ECRB origin, grip strength reduced",
        5,
        min_age=25,
        max_age=70,
    ),
    Profile(
        "Lymphoedema after breast cancer surgery (right)",
        "Reduce arm swelling, keep range of motion",
        "Breast cancer (in remission), right mastectomy 2024",
        "Tamoxifen",
        (area("arms", "right"), area("chest", "right"), area("upper back", "right")),
        ("lymphatic drainage", "scar tissue mobilisation"),
        "light",
        ("hydration", "stretching", "follow-up with physician/physiotherapist"),
        "Arm circumference −1 cm since last visit, scar supple",
        4,
        min_age=35,
        max_age=85,
        women_only=True,
    ),
)

PRECAUTIONS = (
    "Warfarin (anticoagulant): light pressure only, no deep friction",
    "History of DVT (left calf, 2024): no massage of the left lower leg",
    "Recent surgery (6 weeks): no pressure over the incision",
    "Osteoporosis: no heavy pressure over spine or ribs",
    "Pregnant, 24 weeks: side-lying, no deep abdominal work",
    "Diabetic neuropathy in both feet: reduced sensation, light pressure",
    "Apixaban (anticoagulant): bruises easily, light to medium pressure",
)

CANCEL_REASONS = (
    "Sick (cold)",
    "Work meeting came up",
    "Childcare fell through",
    "Car trouble",
    "Travelling",
    "Feeling unwell",
)

SUBJECTIVE = (
    "Reports pain {before}/10 this week, worse after long periods sitting.",
    "Felt looser for three days after last session; pain {before}/10 today.",
    "Slept poorly, pain {before}/10, stiffness in the morning.",
    "Good week overall, did the home stretches most days. Pain {before}/10.",
)
ASSESSMENT = (
    "Responding well; tissue less reactive than last visit.",
    "Gradual improvement in range of motion; continue plan.",
    "Flare-up settled with lighter work; keep pressure moderate.",
    "Progressing toward goal; consider spacing sessions out.",
)
PLAN_TEXT = (
    "Continue weekly, progress to deeper work as tolerated.",
    "Fortnightly maintenance; review in 4 sessions.",
    "Weekly for 4 more weeks, then reassess with physiotherapist.",
)


def _demo_hours(today: dt.date) -> list[int]:
    off = 0 if today.weekday() == 6 else 6
    return [weekday for weekday in range(7) if weekday != off]


class _Calendar:
    """Busy intervals per day, to place demo visits without clashes."""

    def __init__(self, buffer: int) -> None:
        self.busy: dict[dt.date, list[tuple[dt.datetime, dt.datetime]]] = {}
        self.buffer = dt.timedelta(minutes=buffer)

    def free(self, start: dt.datetime, end: dt.datetime) -> bool:
        return all(
            not (s < end + self.buffer and start - self.buffer < e)
            for s, e in self.busy.get(start.date(), [])
        )

    def take(self, start: dt.datetime, end: dt.datetime) -> None:
        self.busy.setdefault(start.date(), []).append((start, end))


@writes
def build_demo(
    today: dt.date,
    now: dt.datetime | None = None,
    *,
    seed: int = DEMO_SEED,
    timezone: str | None = None,
) -> dict[str, int]:
    """Fill an empty practice file with the demo practice; return what was made.

    Refuses a file that already holds clients or appointments.
    """
    if Client.select().exists() or Appointment.select().exists():
        raise ValidationError(
            "This file already holds records; the demo practice is only written to a new file."
        )
    now = now or dt.datetime.combine(today, dt.time(11, 0))
    moment = dt.datetime.combine(today, DEMO_MOMENT)
    rng = random.Random(seed)
    Practice.delete().execute()
    WorkingHours.delete().execute()
    Practice.create(
        name="Riverside Medical Massage",
        timezone=timezone or system_timezone(),
        buffer_minutes=15,
    )
    for weekday in _demo_hours(today):
        saturday = weekday == 5
        WorkingHours.create(
            weekday=weekday,
            start=dt.time(9, 0),
            end=SATURDAY_CLOSE if saturday else dt.time(17, 0),
            break_start=None if saturday else dt.time(12, 30),
            break_end=None if saturday else dt.time(13, 30),
        )
    services = {}
    for name, minutes, price in DEFAULT_SERVICES:
        row = Service.get_or_none(Service.name == name) or Service.create(
            name=name, minutes=minutes, price_cents=price
        )
        services[name] = row
    regular = [services[n] for n in ("Medical massage 60", "Deep tissue 60", "Sports massage 60")]

    first_day = today - dt.timedelta(weeks=PAST_WEEKS)
    last_day = today + dt.timedelta(weeks=FUTURE_WEEKS)

    # --- clients ---------------------------------------------------------
    clients: list[Client] = []
    profiles: dict[int, Profile] = {}
    surnames = list(LAST_NAMES)
    rng.shuffle(surnames)
    for index in range(62):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = surnames[index % len(surnames)]
        precaution = ""
        if index in (1, 2) or rng.random() < 0.1:
            precaution = PRECAUTIONS[index % len(PRECAUTIONS)]
        if index == 1:
            precaution = PRECAUTIONS[0]
        born = dt.date(rng.randint(1948, 2002), rng.randint(1, 12), rng.randint(1, 28))
        # Conditions fit the person: the profile and the precaution fit the
        # client's age and sex (demo_clinical); no random draw depends on them.
        age, woman = age_on(born, today), first in WOMEN
        profile = next(
            candidate
            for step in range(len(PROFILES))
            if (candidate := PROFILES[(index + step) % len(PROFILES)]).fits(age, woman)
        )
        precaution = fitting_precaution(precaution, PRECAUTIONS, age, woman)
        if profile is PROFILES[2] and not precaution:
            precaution = "Recent surgery (left knee, 10 weeks): light pressure near the incision"
        phone = f"555-{rng.randint(100, 999):03d}-{rng.randint(0, 9999):04d}"
        email_name = first.lower().encode("ascii", "ignore").decode() or "client"
        surname = "".join(c for c in last.lower() if c.isascii() and c.isalpha())
        email = f"{email_name}.{surname}@example.com"
        preferred = "Mike" if first == "Marek" else ""
        client = Client.create(
            first_name=first,
            last_name=last,
            preferred_name=preferred,
            date_of_birth=born,
            phone=phone,
            email=email,
            address=f"{rng.randint(1, 250)} {rng.choice(STREETS)} Street",
            emergency_name=f"{rng.choice(FIRST_NAMES)} {last}",
            emergency_phone=f"555-{rng.randint(100, 999):03d}-{rng.randint(0, 9999):04d}",
            referring_provider=rng.choice(PROVIDERS),
            complaint=profile.complaint,
            goals=profile.goals,
            conditions=profile.conditions,
            medications=", ".join(
                m
                for m in (profile.medications, "Warfarin" if "Warfarin" in precaution else "")
                if m
            ),
            allergies=rng.choice(("", "", "", "Nut oils (use fractionated coconut)", "Latex")),
            contraindications=precaution,
            pressure_preference="light" if precaution else profile.pressure,
            intake_date=None,
            consent_date=None,
            notes=rng.choice(("", "", "Prefers morning appointments", "Likes quiet sessions")),
            archived=False,
            search_text=_search_text(first, last, preferred, phone, email),
            sort_name=_sort_name(first, last),
            created_at=dt.datetime.combine(first_day - dt.timedelta(days=30), dt.time(9)),
        )
        clients.append(client)
        profiles[client.id] = profile
    # Three clients with no visits yet: one comes today for the first time.
    newcomers = clients[-3:]
    regulars = clients[:-3]
    archived_client = regulars[-1]

    cal = _Calendar(buffer=15)
    appointments: list[dict] = []

    def add(
        client: Client,
        service: Service,
        start: dt.datetime,
        minutes: int | None = None,
        plan: Plan | None = None,
    ) -> None:
        end = start + dt.timedelta(minutes=minutes or service.minutes)
        cal.take(start, end)
        appointments.append(
            {
                "client": client,
                "service": service,
                "start": start,
                "end": end,
                "plan": plan,
                "plan_slot": start if plan else None,
            }
        )

    # --- today: a full day with a first visit and a precaution -------------
    today_plan = [
        (dt.time(9, 0), regulars[0], services["Medical massage 60"]),
        (dt.time(10, 15), regulars[1], services["Deep tissue 60"]),
        (dt.time(13, 30), newcomers[0], services["Initial assessment 90"]),
        (dt.time(15, 15), regulars[3], services["Sports massage 60"]),
    ]
    if today.weekday() == 5:  # Saturday: a short day
        today_plan = [
            (dt.time(9, 0), regulars[0], services["Medical massage 60"]),
            (dt.time(10, 15), regulars[1], services["Deep tissue 60"]),
            (dt.time(11, 30), newcomers[0], services["Initial assessment 90"]),
        ]
        extra_times = [dt.time(13, 15), dt.time(14, 0)]
    else:
        extra_times = [dt.time(11, 30), dt.time(16, 30)]
    for time, client, service in today_plan:
        add(client, service, dt.datetime.combine(today, time))

    # --- plans -------------------------------------------------------------
    plans_made = 0
    plan_specs = [
        (regulars[4], "Medical massage 60", "FREQ=WEEKLY;BYDAY={wd}", dt.time(14, 0), 8, -4),
        (
            regulars[5],
            "Medical massage 60",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY={wd}",
            dt.time(10, 15),
            10,
            -6,
        ),
        (regulars[6], "Lymphatic drainage 60", "FREQ=WEEKLY;BYDAY={wd}", dt.time(9, 0), 12, -2),
        (regulars[7], "Deep tissue 60", "FREQ=MONTHLY;BYDAY=+1{wd}", dt.time(15, 15), None, -10),
    ]
    work_days = _demo_hours(today)
    codes = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    for number, (client, service_name, rule, time, count, weeks) in enumerate(plan_specs):
        weekday = [d for d in work_days if d != 5][(number + 1) % 5]
        start_day = today + dt.timedelta(weeks=weeks)
        start_day += dt.timedelta(days=(weekday - start_day.weekday()) % 7)
        first_start = dt.datetime.combine(start_day, time)
        rule_text = rule.format(wd=codes[weekday])
        service = services[service_name]
        plan = Plan.create(
            client=client,
            service=service,
            first_start=first_start,
            minutes=service.minutes,
            rule=rule_text,
            count=count,
            filled_until=last_day,
            created_at=dt.datetime.combine(start_day - dt.timedelta(days=3), dt.time(12)),
        )
        plans_made += 1
        slots = recurrence.occurrences(
            rule_text,
            first_start,
            count=count,
            before=dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time()),
        )
        for slot in slots:
            end = slot + dt.timedelta(minutes=service.minutes)
            if cal.free(slot, end):
                add(client, service, slot, plan=plan)

    # --- ordinary visits -----------------------------------------------------
    for time, client in zip(extra_times, (regulars[8], regulars[9]), strict=False):
        start = dt.datetime.combine(today, time)
        end = start + dt.timedelta(minutes=30)
        if cal.free(start, end):
            add(client, services["Follow-up 30"], start)
    day = first_day
    pool = regulars
    while day <= last_day:
        if day != today and day.weekday() in work_days:
            ahead = (day - today).days
            density = 0.85 if ahead < 0 else max(0.2, 0.8 - ahead / 80)
            close = SATURDAY_CLOSE if day.weekday() == 5 else dt.time(17, 0)
            cursor = dt.datetime.combine(day, dt.time(9, 0))
            seen_today: set[int] = set()
            while cursor.time() < close:
                if day.weekday() != 5 and dt.time(12, 30) <= cursor.time() < dt.time(13, 30):
                    cursor = dt.datetime.combine(day, dt.time(13, 30))
                    continue
                if rng.random() < density:
                    client = rng.choice(pool)
                    if client.id in seen_today:
                        cursor += dt.timedelta(minutes=30)
                        continue
                    service = rng.choice(regular)
                    if rng.random() < 0.15:
                        service = services["Medical massage 90"]
                    end = cursor + dt.timedelta(minutes=service.minutes)
                    in_break = (
                        day.weekday() != 5
                        and cursor.time() < dt.time(13, 30)
                        and end.time() > dt.time(12, 30)
                    )
                    if (
                        end.time() > close
                        or end.date() != day
                        or in_break
                        or not cal.free(cursor, end)
                    ):
                        cursor += dt.timedelta(minutes=15)
                        continue
                    seen_today.add(client.id)
                    add(client, service, cursor)
                    cursor = end + dt.timedelta(minutes=15)
                else:
                    cursor += dt.timedelta(minutes=rng.choice((30, 60, 75)))
        day += dt.timedelta(days=1)

    # --- statuses, first visits, notes -----------------------------------------
    # The rows are drawn in order and written in batches at the end, with the
    # record numbers they would have been given one at a time.
    appointments.sort(key=lambda a: a["start"])
    next_id = (Appointment.select(fn.MAX(Appointment.id)).scalar() or 0) + 1
    rows: list[dict[str, object]] = []
    notes: list[tuple[int, dt.datetime, dict[str, object], int, Profile, dt.datetime]] = []
    seen_clients: set[int] = set()
    owed_left = 2
    pain_state: dict[int, int] = {}
    counts = {"clients": len(clients), "appointments": 0, "notes": 0, "plans": plans_made}
    for item in appointments:
        client: Client = item["client"]
        start: dt.datetime = item["start"]
        first_visit = client.id not in seen_clients
        status = Status.BOOKED.value
        cancel_reason = ""
        late = False
        cancelled_at = None
        # Every random draw is laid out as if the demo were made at DEMO_MOMENT
        # of the day, so the demo is the same whatever hour it is made; only
        # whether today's sessions have taken place follows the real ``now``.
        is_today = start.date() == today
        if item["end"] <= (moment if is_today else now):
            roll = rng.random()
            if is_today:
                status = Status.COMPLETED.value if item["end"] <= now else status
            elif roll < 0.05:
                status = Status.CANCELLED.value
            elif roll < 0.08:
                status = Status.NO_SHOW.value
            else:
                status = Status.COMPLETED.value
        elif start.date() > today and rng.random() < 0.03:
            status = Status.CANCELLED.value
        elif is_today and item["end"] <= now:
            status = Status.COMPLETED.value  # taken place since DEMO_MOMENT
        if status == Status.CANCELLED.value:
            cancel_reason = rng.choice(CANCEL_REASONS)
            hours_before = rng.choice((2, 6, 30, 72))
            cancelled_at = start - dt.timedelta(hours=hours_before)
            late = hours_before < 24
        if status in (Status.BOOKED.value, Status.COMPLETED.value):
            if first_visit:
                client.intake_date = start.date()
                client.consent_date = start.date()
                client.save()
            seen_clients.add(client.id)
        appointment_id = next_id + len(rows)
        rows.append(
            {
                "id": appointment_id,
                "client": client.id,
                "service": item["service"].id,
                "start": start,
                "end": item["end"],
                "status": status,
                "cancel_reason": cancel_reason,
                "cancelled_at": cancelled_at,
                "late_cancel": late,
                "plan": item["plan"].id if item["plan"] else None,
                "plan_slot": item["plan_slot"],
                "booking_note": "First visit: intake forms by email" if client in newcomers else "",
                "created_at": min(start - dt.timedelta(days=7), now),
                "updated_at": min(start, now),
            }
        )
        counts["appointments"] += 1
        if is_today:
            # Today's note is drawn as at DEMO_MOMENT and kept only if the
            # session has taken place two hours ago by now (else it is owed).
            drawn = start + dt.timedelta(hours=2) <= moment and item["end"] <= moment
            if not drawn:
                continue
            content = _note_content(rng, pain_state, profiles[client.id], client, start, today)
            if status == Status.COMPLETED.value and start + dt.timedelta(hours=2) <= now:
                notes.append(
                    (appointment_id, item["end"], content, client.id, profiles[client.id], start)
                )
                counts["notes"] += 1
            continue
        if status != Status.COMPLETED.value:
            continue
        recent = (today - start.date()).days <= 3
        if recent and owed_left > 0:
            owed_left -= 1
            continue  # a note still owed
        content = _note_content(rng, pain_state, profiles[client.id], client, start, today)
        notes.append((appointment_id, item["end"], content, client.id, profiles[client.id], start))
        counts["notes"] += 1
    for batch in chunked(rows, 100):
        Appointment.insert_many(batch).execute()
    _save_notes(notes)

    archived_client.archived = True
    archived_client.save()
    add_demo_report(today)
    from practice_tui.domain.demo_money import add_demo_money

    counts.update(add_demo_money(today, now, seed))
    from practice_tui.domain.audit import start_trail

    start_trail("demo practice built")
    return counts


def _note_content(
    rng: random.Random,
    pain_state: dict[int, int],
    profile: Profile,
    client: Client,
    start: dt.datetime,
    today: dt.date,
) -> dict[str, object]:
    """A note's fields, drawn from ``rng``; nothing the client's record rules
    out is treated (``demo_clinical.safe_treatment``)."""
    client_id = client.id
    before = pain_state.get(client_id, profile.start_pain)
    # Chronic pain eases slowly, with the odd flare-up, and rarely reaches 0.
    before = max(3, min(10, before + rng.choice((-1, 0, 0, 0, 1))))
    after = max(1, before - rng.choice((1, 2, 2, 3)))
    pain_state[client_id] = max(3, before - rng.choice((0, 0, 1, 1)))
    areas, techniques, pressure = safe_treatment(
        profile.areas[: rng.choice((2, 3))],
        profile.techniques,
        profile.pressure,
        rules_for(client.contraindications),
    )
    signed = (today - start.date()).days > 1 or rng.random() < 0.5
    return {
        "pain_before": before,
        "pain_after": after,
        "areas": areas,
        "techniques": techniques,
        "pressure": pressure,
        "subjective": rng.choice(SUBJECTIVE).format(before=before),
        "objective": profile.findings + ".",
        "assessment": rng.choice(ASSESSMENT),
        "plan_text": rng.choice(PLAN_TEXT),
        "home_care": list(profile.home_care),
        "home_care_notes": "Hold each stretch 30 s, twice daily."
        if "stretching" in profile.home_care
        else "",
        "next_visit": rng.choice(("1 week", "2 weeks", "1 week", "as planned")),
        "_signed": signed,
        "_sign_minutes": rng.randint(5, 40) if signed else 0,
    }


def _save_notes(
    notes: list[tuple[int, dt.datetime, dict[str, object], int, Profile, dt.datetime]],
) -> None:
    """Write the notes drawn, in order: unsigned first, their goal scores (a
    signed note takes none), then the signatures."""
    next_id = (SessionNote.select(fn.MAX(SessionNote.id)).scalar() or 0) + 1
    rows = []
    signatures: list[tuple[int, dt.datetime]] = []
    for number, (appointment_id, end, content, _client, _profile, _start) in enumerate(notes):
        fields = {k: v for k, v in content.items() if not k.startswith("_")}
        rows.append(
            {
                "id": next_id + number,
                "appointment": appointment_id,
                **fields,
                "created_at": end,
                "updated_at": end,
                "signed_at": None,
            }
        )
        if content["_signed"]:
            minutes = int(content["_sign_minutes"])  # type: ignore[call-overload]
            signatures.append((next_id + number, end + dt.timedelta(minutes=minutes)))
    for batch in chunked(rows, 100):
        SessionNote.insert_many(batch).execute()
    for number, (_appointment, _end, _content, client_id, profile, start) in enumerate(notes):
        score_visit(next_id + number, client_id, profile.complaint, start.date(), DEMO_SEED)
    for batch in chunked(signatures, 100):
        SessionNote.update(signed_at=Case(SessionNote.id, batch)).where(
            SessionNote.id.in_([note_id for note_id, _ in batch])
        ).execute()
