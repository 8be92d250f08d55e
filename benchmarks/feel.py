"""How fast practice-tui feels on a 20-year practice, measured in a real terminal.

Run: ``python benchmarks/feel.py`` (needs tmux; ``--runs 7`` for steadier
figures, ``--quick`` for a 2-year practice). It builds, once, a 20-year
practice with ``bench.py``'s generator (5,000 clients, about 31,000
appointments and 30,000 notes; one client with 200 visits who is on today's
list) and keeps it in ``benchmarks/.cache/``. It writes the app's bytecode,
as installing it does (``compile_the_app``). Then, in tmux at 120x35, it
times from a key sent to the moment its result is on the screen, polling the
terminal's picture:

- first paint of Today (start to the first appointment time on screen),
- the next-day key, the week view key, a search keystroke on Clients,
  opening a profile with 200 visits, opening the note editor, and the first
  visit of the day to Clients and to Sessions (2 and 3),

each paired in the same run with a baseline: the app on an empty practice
file, and a bare Textual app started the same way whose key changes a label.
The live preview of a two-year weekly plan is timed where it is computed (the
preview's worker), as it waits for typing to pause first. Then
``practice-tui agenda`` against ``calcurse`` on a calendar of the same size,
``practice-tui import ics`` against ``calcurse -i`` on the practice's own
calendar (both when calcurse is installed), and the app's peak memory after
visiting every screen. Each figure is the median of the runs, printed beside its budget
(issue 13). Timing lives here, never in the test suite.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402  (the generator, next to this file)

NOW = dt.datetime(2026, 11, 27, 11, 20)
SIZE = (120, 35)
CACHE = HERE / ".cache"
#: Bumped whenever what is built changes, so an old cached file is not reused.
BUILD = 2
PERSON = ("Benchmark", "Twohundred")
TIMEOUT = 30.0


# --- the practice files ---------------------------------------------------------------------


def _give_one_client_200_visits() -> None:
    """200 of the past appointments, and today's 14:00, become one client's."""
    from practice_tui.domain.clients import _search_text, _sort_name
    from practice_tui.domain.db import database
    from practice_tui.domain.models import Appointment, Client

    first, last = PERSON
    with database.atomic():
        client = Client.create(
            first_name=first,
            last_name=last,
            search_text=_search_text(first, last, "", "", ""),
            sort_name=_sort_name(first, last),
        )
        past = list(
            Appointment.select(Appointment.id)
            .where(Appointment.start < NOW)
            .order_by(Appointment.start.desc())
            .limit(200 * 7)
        )[::7]
        today = Appointment.select(Appointment.id).where(
            Appointment.start == NOW.replace(hour=14, minute=0)
        )
        ids = [a.id for a in past] + [a.id for a in today]
        Appointment.update(client=client.id).where(Appointment.id.in_(ids)).execute()


def practice_file(years: int) -> Path:
    """The cached practice file of ``years`` years, built on first use."""
    from practice_tui.domain.db import close_database, database
    from practice_tui.domain.migrations import SCHEMA_VERSION

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"practice-{years}y-b{BUILD}-s{SCHEMA_VERSION}.db"
    if path.exists():
        return path
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    print(f"building a {years}-year practice in {path} (once) …", flush=True)
    bench.build(building, 5000, years, before_notes=_give_one_client_200_visits)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    close_database()
    building.rename(path)
    return path


def empty_file(folder: Path, name: str = "empty.db") -> Path:
    from practice_tui.domain.db import close_database, open_database
    from practice_tui.domain.settings import ensure_practice

    path = folder / name
    open_database(path)
    ensure_practice(timezone="Europe/London")
    close_database()
    return path


def working_copy(path: Path, folder: Path) -> Path:
    """A copy the app may change (it tops up plans when it opens)."""
    target = folder / path.name
    shutil.copy(path, target)
    return target


def compile_the_app() -> None:
    """Write the app's bytecode, as installing it does (``pip install .``
    compiles every module). An editable install run with
    ``PYTHONDONTWRITEBYTECODE`` set has none, and then every start would
    compile the app's source again: 0.1–0.2 s of the first paint, and the
    screens the app loads just after it, that a person's copy never spends."""
    spec = importlib.util.find_spec("practice_tui")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("feel.py needs practice-tui installed (pip install -e .)")
    for folder in spec.submodule_search_locations:
        compileall.compile_dir(folder, quiet=1)


# --- a real terminal ------------------------------------------------------------------------


class Terminal:
    """One tmux pane at SIZE that runs a command and is read as text."""

    def __init__(self) -> None:
        self.name = f"feel{os.getpid()}"
        cols, rows = SIZE
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", self.name, "-x", str(cols), "-y", str(rows)],
            check=True,
        )
        # Keep the pane when its program ends: ``respawn-pane -k`` while the
        # last program is still exiting otherwise closed the whole session now
        # and then, and a program that really ends leaves its last screen (a
        # traceback) to be read by ``wait_for``.
        self.tmux("set-option", "-t", self.name, "remain-on-exit", "on")

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str, since: float) -> float:
        """Seconds from ``since`` until ``text`` is on the screen."""
        while True:
            if text in self.screen():
                return time.perf_counter() - since
            waited = time.perf_counter() - since
            if waited > 1 and self.pane_dead():  # not asked at every poll: it slows them
                raise RuntimeError(f"the program ended before {text!r}:\n{self.screen()}")
            if waited > TIMEOUT:
                raise TimeoutError(f"{text!r} did not appear; the screen:\n{self.screen()}")

    def start(self, *argv: str, ready: str) -> float:
        """Start a program in the pane; seconds until ``ready`` is on screen."""
        command = " ".join(["exec", "env", "TERM=xterm-256color", sys.executable, *argv])
        begin = time.perf_counter()
        self.tmux("respawn-pane", "-k", "-t", self.name, command)
        return self.wait_for(ready, begin)

    def key(self, key: str, shows: str, *, literal: bool = False) -> float:
        """Send one key; seconds until ``shows`` is on screen."""
        args = ["send-keys", "-t", self.name] + (["-l", key] if literal else [key])
        begin = time.perf_counter()
        self.tmux(*args)
        return self.wait_for(shows, begin)

    def pane_dead(self) -> bool:
        return self.tmux("display-message", "-p", "-t", self.name, "#{pane_dead}").strip() == "1"

    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())

    def stop(self) -> None:
        self.tmux("respawn-pane", "-k", "-t", self.name, "sleep 600")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# --- one run --------------------------------------------------------------------------------

APPS = str(HERE / "apps.py")


def run_bare(term: Terminal) -> dict[str, float]:
    figures = {"first paint": term.start(APPS, "bare", ready="09:00 day 0")}
    figures["key"] = term.key("Right", "09:00 day 1")
    term.stop()
    return figures


def run_practice(term: Terminal, path: Path, *, full: bool) -> dict[str, float]:
    figures = {"first paint": term.start(APPS, "practice", str(path), ready="09:00")}
    term.wait_for("Friday 27 November 2026", time.perf_counter())
    if not full:
        term.stop()
        return figures
    term.key("Left", "Thursday 26 November 2026")
    figures["next day"] = term.key("Right", "Friday 27 November 2026")
    figures["week view"] = term.key("w", "Week 48 ·")
    term.key("w", "Friday 27 November 2026")
    # The selected row is the next session, at 14:00: the client with 200 visits.
    figures["profile (200 visits)"] = term.key("p", "· next ")
    term.key("Escape", "Friday 27 November 2026")
    figures["Clients, first visit"] = term.key("2", "archived hidden")
    term.key("/", "Leave search", literal=True)
    term.key("c", "“c”", literal=True)
    term.key("499", "“c499”", literal=True)
    figures["search keystroke"] = term.key("9", "“c4999”", literal=True)
    term.key("Escape", "n New")
    figures["Sessions, first visit"] = term.key("3", "owed")
    term.key("Down", "owed")
    figures["note editor"] = term.key("Enter", "Pain before")
    term.tmux("send-keys", "-t", term.name, "Escape")  # leaves the field
    time.sleep(0.5)
    term.key("Escape", "owed")
    term.key("4", "Plans")
    figures["peak memory MB"] = peak_memory_mb(term.pid())
    term.stop()
    return figures


def plan_preview_ms(path: Path) -> float:
    """Median time of the preview of a two-year weekly plan, where the app computes it."""
    from practice_tui.domain.db import close_database, open_database
    from practice_tui.domain.models import Client, Service
    from practice_tui.domain.plans import PlanDraft, preview_plan

    open_database(path)
    client = Client.get(Client.first_name == PERSON[0]).id
    service = Service.select().first().id
    draft = PlanDraft(
        client_id=client,
        service_id=service,
        rule="FREQ=WEEKLY;BYDAY=TU",
        first_start=dt.datetime(2026, 12, 1, 10, 0),
        minutes=60,
        count=None,
        until=dt.date(2028, 11, 30),
    )
    preview_plan(draft, now=NOW)
    times = []
    for _ in range(15):
        begin = time.perf_counter()
        preview = preview_plan(draft, now=NOW)
        times.append(time.perf_counter() - begin)
    assert len(preview.dates) >= 100
    close_database()
    return statistics.median(times) * 1000


def _calcurse_data(path: Path, folder: Path) -> Path:
    """The practice's appointments as a calcurse calendar of the same size."""
    import sqlite3

    data = folder / "calcurse"
    data.mkdir(exist_ok=True)
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT a.start, a.\"end\", c.first_name || ' ' || c.last_name "
        "FROM appointment a JOIN client c ON c.id = a.client_id"
    ).fetchall()
    conn.close()
    lines = []
    for start, end, name in rows:
        s, e = dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end)
        lines.append(f"{s:%m/%d/%Y @ %H:%M} -> {e:%m/%d/%Y @ %H:%M} |{name}\n")
    (data / "apts").write_text("".join(lines))
    (data / "todo").write_text("")
    return data


def _median_run(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def agenda_against_calcurse(path: Path, folder: Path, runs: int) -> tuple[float, float] | str:
    calcurse = shutil.which("calcurse")
    if calcurse is None:
        return "calcurse is not installed (apt-get install calcurse)"
    data = _calcurse_data(path, folder)
    day = f"{NOW:%m/%d/%Y}"
    ours = [sys.executable, "-m", "practice_tui", "--db", str(path), "agenda", f"{NOW:%Y-%m-%d}"]
    theirs = [calcurse, "-D", str(data), "-Q", "--from", day, "--days", "1"]
    subprocess.run(theirs, check=True, capture_output=True)  # calcurse sorts its file once
    return _median_run(ours, runs), _median_run(theirs, runs)


def import_against_calcurse(path: Path, folder: Path, runs: int) -> tuple[float, float, int] | str:
    """The practice's calendar (written by ``export ics``) imported into an empty
    practice by ``practice-tui import ics``, against ``calcurse -i`` importing
    the same file into an empty calendar: medians of whole runs, process
    start included on both sides."""
    calcurse = shutil.which("calcurse")
    if calcurse is None:
        return "calcurse is not installed (apt-get install calcurse)"
    calendar = folder / "practice.ics"
    app = [sys.executable, "-m", "practice_tui"]
    subprocess.run([*app, "--db", str(path), "export", "ics", str(calendar)], check=True,
                   capture_output=True)  # fmt: skip
    events = calendar.read_text(encoding="utf-8").count("BEGIN:VEVENT")
    ours, theirs = [], []
    for run in range(runs):
        target = empty_file(folder, f"import-{run}.db")
        begin = time.perf_counter()
        subprocess.run([*app, "--db", str(target), "import", "ics", str(calendar)], check=True,
                       capture_output=True)  # fmt: skip
        ours.append(time.perf_counter() - begin)
        data = folder / f"calcurse-import-{run}"
        data.mkdir()
        (data / "apts").write_text("")
        (data / "todo").write_text("")
        begin = time.perf_counter()
        subprocess.run([calcurse, "-D", str(data), "-i", str(calendar)], check=True,
                       capture_output=True)  # fmt: skip
        theirs.append(time.perf_counter() - begin)
    return statistics.median(ours), statistics.median(theirs), events


# --- the report -----------------------------------------------------------------------------


def report(rows: list[tuple[str, str, str, bool]]) -> None:
    width = max(len(r[0]) for r in rows)
    for name, figure, budget, met in rows:
        print(f"  {name:<{width}}  {figure:<36} budget {budget:<22} {'ok' if met else 'OVER'}")


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="a 2-year practice")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.exit("feel.py needs tmux (apt-get install tmux)")
    big = practice_file(2 if args.quick else 20)
    compile_the_app()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        empty = empty_file(folder)
        term = Terminal()
        bare_runs, app_runs, empty_runs = [], [], []
        try:
            for run in range(args.runs):
                copy = working_copy(big, folder)
                # Alternate the order, so neither side always runs on a warmer machine.
                steps: list[Callable[[], None]] = [
                    lambda: bare_runs.append(run_bare(term)),
                    lambda copy=copy: app_runs.append(run_practice(term, copy, full=True)),
                    lambda: empty_runs.append(run_practice(term, empty, full=False)),
                ]
                for step in steps if run % 2 == 0 else reversed(steps):
                    step()
                print(f"run {run + 1}/{args.runs} done", flush=True)
        finally:
            term.close()
        preview = plan_preview_ms(working_copy(big, folder))
        agenda = agenda_against_calcurse(big, folder, max(args.runs, 5))
        imported = import_against_calcurse(big, folder, 3)

    bare_key = median(bare_runs, "key")
    bare_paint = median(bare_runs, "first paint")
    paint = median(app_runs, "first paint")
    print()
    print(f"practice-tui on {big.name}, {SIZE[0]}x{SIZE[1]} in tmux, median of {args.runs} runs")
    print(
        f"  (bare Textual app: first paint {bare_paint * 1000:.0f} ms, "
        f"key {bare_key * 1000:.1f} ms; empty practice first paint "
        f"{median(empty_runs, 'first paint') * 1000:.0f} ms)"
    )
    rows = [
        (
            "first paint of Today",
            f"{paint * 1000:.0f} ms = {paint / bare_paint:.2f}× bare",
            "≤ 1.25× bare",
            paint / bare_paint <= 1.25,
        ),
        (
            "  … against an empty practice",
            f"{paint / median(empty_runs, 'first paint'):.2f}× the empty file",
            "(for reference)",
            True,
        ),
    ]
    for key in (
        "next day",
        "week view",
        "search keystroke",
        "profile (200 visits)",
        "note editor",
        "Clients, first visit",
        "Sessions, first visit",
    ):
        value = median(app_runs, key)
        rows.append(
            (
                key,
                f"{value * 1000:.0f} ms = {value / bare_key:.1f}× bare key",
                "≤ 3× bare key",
                value / bare_key <= 3,
            )
        )
    rows.append(
        (
            "plan preview, two years weekly",
            f"{preview:.0f} ms (computed)",
            "< 100 ms",
            preview < 100,
        )
    )
    if isinstance(agenda, str):
        rows.append(("agenda vs calcurse", f"skipped: {agenda}", "≤ 2× calcurse", True))
    else:
        ours, theirs = agenda
        rows.append(
            (
                "agenda vs calcurse -Q",
                f"{ours * 1000:.0f} ms vs {theirs * 1000:.0f} ms = {ours / theirs:.2f}×",
                "≤ 2× calcurse",
                ours / theirs <= 2,
            )
        )
    memory = max(r["peak memory MB"] for r in app_runs)
    rows.append(("peak memory, every screen", f"{memory:.0f} MB", "< 150 MB", memory < 150))
    if isinstance(imported, str):
        rows.append(("ICS import vs calcurse -i", f"skipped: {imported}", "≤ calcurse", True))
    else:
        ours, theirs, events = imported
        rows.append(
            (
                f"ICS import of {events:,} events vs calcurse -i",
                f"{ours:.1f} s vs {theirs:.2f} s = {ours / theirs:.1f}×",
                "≤ calcurse",
                ours <= theirs,
            )
        )
    report(rows)


if __name__ == "__main__":
    main()
