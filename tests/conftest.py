"""Shared fixtures: a fresh practice file and the demo practice, at a fixed time.

Every test uses a file database in ``tmp_path`` (worker threads open their own
connections, which an in-memory database would not share).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
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


@pytest.fixture
def db_path(tmp_path: Path) -> Iterator[Path]:
    """A new, empty practice: Mon–Fri 09:00–17:00, break 12:30–13:30, 15 min buffer,
    Europe/London, the default services; no clients."""
    path = tmp_path / "practice.db"
    open_database(path)
    ensure_practice(name="Test practice", timezone=TIMEZONE)
    yield path
    close_database()


@pytest.fixture
def demo_path(tmp_path: Path) -> Iterator[Path]:
    """The demo practice built at FIXED_NOW."""
    path = tmp_path / "demo.db"
    open_database(path)
    ensure_practice(timezone=TIMEZONE)
    build_demo(FIXED_TODAY, FIXED_NOW, timezone=TIMEZONE)
    yield path
    close_database()
