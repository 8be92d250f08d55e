"""Shared fixtures: a fresh practice file and the demo practice, at a fixed time.

Every test uses a file database in ``tmp_path`` (worker threads open their own
connections, which an in-memory database would not share). Both practices are
built once per test process and copied for each test, which then opens its own
copy: a test can change its file freely and never sees another test's changes.

Every test also runs with a steady screen (``steady_screen``): text cursors do
not blink, animations finish in one frame and previews do not wait, so a
picture or a ``region`` never depends on when it is taken. Pilot tests wait
with ``tests.ui.helpers.settle``, never with a length of time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from practice_tui.domain.db import close_database, open_database
from practice_tui.domain.demo import build_demo
from practice_tui.domain.plans import fill_horizon
from practice_tui.domain.settings import ensure_practice

#: Friday 27 November 2026, 11:20 — the fixed "now" of tests and snapshots.
FIXED_NOW = dt.datetime(2026, 11, 27, 11, 20)
FIXED_TODAY = FIXED_NOW.date()
TIMEZONE = "Europe/London"


def fixed_clock() -> dt.datetime:
    return FIXED_NOW


#: Property tests try the same examples on every run and give each as long as
#: it takes (Hypothesis' own settings for CI, named here so that every
#: version we accept has them). By default Hypothesis draws new examples each
#: run, fails an example that takes over 200 ms and a test whose examples are
#: slow to make: on a loaded machine those are timings, not faults, and a
#: test must never fail only sometimes. To explore with fresh examples:
#: ``pytest --hypothesis-profile=default``.
hypothesis_settings.register_profile(
    "steady",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.load_profile("steady")


def pytest_configure(config: pytest.Config) -> None:
    """Collect cyclic garbage less often in a test process.

    A test process keeps about 400,000 long-lived objects (every test module,
    Textual's and Rich's caches, hypothesis), and with Python's default
    thresholds (700, 10, 10) the collector walked all of them some fifty
    times per fifty Pilot tests: a fifth of the suite's time went to it
    (24 s of the UI tests' 124 s in one process, measured with
    ``gc.callbacks``). With the app's own thresholds (``COLLECTOR_THRESHOLDS``,
    which it sets after its first paint) it is 8 s; garbage is still
    collected, later, and a worker's memory stays under 300 MB. Nothing a test
    checks depends on when garbage is collected."""
    from practice_tui.ui.app import COLLECTOR_THRESHOLDS

    gc.set_threshold(*COLLECTOR_THRESHOLDS)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Once every test module is imported, set aside what the process holds
    (the modules, Textual's, Rich's and hypothesis' tables) from the cycle
    collector: ``gc.freeze``, as the app does after its first paint. Its
    passes then walk only what the tests make; in four UI test files it cut
    the collector's time from 2.8 s to 1.8 s."""
    gc.freeze()


def freeze_the_wall_clock(monkeypatch: pytest.MonkeyPatch, moment: dt.datetime) -> None:
    """The practice's clock (``domain.clock``) reads ``moment`` (aware) as now.

    Asked with a zone it gives ``moment`` in that zone; asked without one, the
    computer's local time, which still follows the ``TZ`` a test sets. For the
    tests of zones, which must never depend on the hour they run at."""
    from types import SimpleNamespace

    from practice_tui.domain import clock

    class FixedMoment(dt.datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
            return moment.astimezone(tz) if tz else moment.astimezone().replace(tzinfo=None)

    monkeypatch.setattr(clock, "dt", SimpleNamespace(datetime=FixedMoment, UTC=dt.UTC))


@pytest.fixture(autouse=True)
def steady_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """No blinking cursor, no animation, no preview delay, no time limit on
    keys held for a screen that is opening or on a notification, and no
    pause when the screen switches, in any test.

    An Input's cursor blinks every 0.5 s even in a headless run, so a picture
    taken a moment later catches it off; scrolling animates over several
    frames. Both are switched off here, as the app's own preview delay is."""
    from textual import constants
    from textual.widgets import Input, TextArea

    from practice_tui.ui.app import PracticeApp

    monkeypatch.setattr(Input.cursor_blink, "_default", False)
    monkeypatch.setattr(TextArea.cursor_blink, "_default", False)
    monkeypatch.setattr(constants, "TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setattr(PracticeApp, "DEFAULT_PREVIEW_DELAY", 0)
    # Keys typed while a screen opens wait until it says it is ready; the
    # app's safety net lets them go after a second regardless, which on a
    # loaded machine could send them to the screen behind. Tests wait for
    # the screen itself.
    monkeypatch.setattr(PracticeApp, "KEY_HOLD_LIMIT", 600.0)
    # A notification stays until the test ends: Textual takes it away after
    # five seconds, and a step that slow on a loaded machine would otherwise
    # lose the message a test looks for (or change a picture).
    monkeypatch.setattr(PracticeApp, "NOTIFICATION_TIMEOUT", 3600.0)
    # Switching screens, Textual holds the screen's updates back for 50 ms
    # (``App.delay_update``) to hide the change; here for a millisecond, as
    # a preview's delay is zero. ``settle`` waits until they are let go.
    from textual.app import App

    delay_update = App.delay_update
    monkeypatch.setattr(App, "delay_update", lambda app, delay=0.05: delay_update(app, 0.001))


@pytest.fixture(autouse=True)
def keys_wait_for_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual's test waits ask the app, not the CPU clock.

    ``pilot.press`` waits after every key until the process looks idle, judged
    by CPU time over 20 ms slices: at least 40 ms a key on a quiet machine, up
    to a second on a busy one, and sometimes too early (the cause of flaky
    pictures). ``pilot.pause()`` and the snapshot plugin wait the same way.
    Here all of them wait with ``settle``: until the app has handled what was
    sent, finished its workers and repainted — as long as that takes, never
    longer."""
    import textual.app
    import textual.pilot
    from textual._context import active_app

    from tests.ui.helpers import settle_app

    def waiting(thorough: bool):
        async def wait_for_the_app(min_sleep: float = 0, max_sleep: float = 1) -> None:
            app = active_app.get(None)
            if app is None or not app.is_running:
                await asyncio.sleep(0)
                return
            await settle_app(app, thorough=thorough)

        return wait_for_the_app

    # Between keys (textual.app) the quick wait; pilot.press ends with the
    # screen's own check, and pause() and the snapshot plugin wait thoroughly.
    monkeypatch.setattr(textual.app, "wait_for_idle", waiting(thorough=False))
    monkeypatch.setattr(textual.pilot, "wait_for_idle", waiting(thorough=True))


@pytest.fixture(autouse=True, scope="session")
def paint_when_looked_at() -> Iterator[None]:
    """A headless screen paints when a test waits for it, not at every step.

    Textual paints the screen (every changed line of every widget) each time
    it lays it out, and a headless run throws the result away: that was over
    a third of the suite's time. In tests the top screen paints only at the
    end of a thorough ``settle`` (after every ``pilot.press`` and ``pause``),
    and a screenshot paints all of it as always. What changed in between
    stays marked, so the same painting code still runs on every change."""
    from textual.screen import Screen

    refresh = Screen._compositor_refresh

    def held_back(self: Screen) -> None:
        app = self.app
        if app.is_headless and not app.is_inline and self is app.screen:
            self._dirty_widgets.clear()
            app._update_mouse_over(self)
            return
        refresh(self)

    Screen._compositor_refresh = held_back
    Screen._compositor_refresh_now = refresh
    yield
    Screen._compositor_refresh = refresh
    del Screen._compositor_refresh_now


@pytest.fixture(autouse=True, scope="session")
def css_parsed_once() -> Iterator[None]:
    """Each app a test starts parses the same style sheets with the same
    theme; parse each once per test process instead (about a fifth of an app's
    start). The rules are keyed by their text, where they came from and the
    theme's variables, so a different theme or sheet is parsed anew."""
    from textual.css.stylesheet import Stylesheet

    parse_rules = Stylesheet._parse_rules
    parsed: dict[tuple, list] = {}

    def parse_once(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        key = (css, read_from, is_default_rules, tie_breaker, scope, str(self._variables))
        rules = parsed.get(key)
        if rules is None:
            rules = parsed[key] = parse_rules(
                self, css, read_from, is_default_rules, tie_breaker, scope
            )
        return rules

    Stylesheet._parse_rules = parse_once
    yield
    Stylesheet._parse_rules = parse_rules


def _built_once(folder: Path, build: Callable[[], None]) -> Path:
    """Build a practice file once, folded into one file (no WAL left) and closed."""
    path = folder / "practice.db"
    open_database(path)
    build()
    from practice_tui.domain.db import database

    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    close_database()
    for suffix in ("-wal", "-shm"):
        leftover = path.with_name(path.name + suffix)
        assert not leftover.exists() or leftover.stat().st_size == 0, leftover
    return path


def _fresh_copy(template: Path, target: Path) -> Iterator[Path]:
    shutil.copy(template, target)
    open_database(target)
    yield target
    close_database()


@pytest.fixture(scope="session")
def _empty_practice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built_once(
        tmp_path_factory.mktemp("empty-practice"),
        lambda: ensure_practice(name="Test practice", timezone=TIMEZONE),
    )


@pytest.fixture(scope="session")
def _demo_practice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def build() -> None:
        ensure_practice(timezone=TIMEZONE)
        build_demo(FIXED_TODAY, FIXED_NOW, timezone=TIMEZONE)
        # As the app leaves it after its first start: open-ended plans booked
        # up to their horizon (otherwise every test would book them again).
        fill_horizon(FIXED_TODAY, FIXED_NOW)

    return _built_once(tmp_path_factory.mktemp("demo-practice"), build)


@pytest.fixture
def db_path(tmp_path: Path, _empty_practice: Path) -> Iterator[Path]:
    """A new, empty practice: Mon–Fri 09:00–17:00, break 12:30–13:30, 15 min buffer,
    Europe/London, the default services; no clients. Open for the test."""
    yield from _fresh_copy(_empty_practice, tmp_path / "practice.db")


@pytest.fixture
def demo_path(tmp_path: Path, _demo_practice: Path) -> Iterator[Path]:
    """The demo practice built at FIXED_NOW (a fresh copy for each test). Open for the test."""
    yield from _fresh_copy(_demo_practice, tmp_path / "demo.db")
