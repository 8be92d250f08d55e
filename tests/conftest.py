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

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from practice_tui.domain.db import close_database, open_database
from practice_tui.domain.demo import build_demo
from practice_tui.domain.settings import ensure_practice

#: Friday 27 November 2026, 11:20 — the fixed "now" of tests and snapshots.
FIXED_NOW = dt.datetime(2026, 11, 27, 11, 20)
FIXED_TODAY = FIXED_NOW.date()
TIMEZONE = "Europe/London"


def fixed_clock() -> dt.datetime:
    return FIXED_NOW


@pytest.fixture(autouse=True)
def steady_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """No blinking cursor, no animation, no preview delay in any test.

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
