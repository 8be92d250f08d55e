"""Where the practice file lives.

The default is the per-user data folder that ``platformdirs`` picks for the
platform (``~/.local/share/practice-tui/practice.db`` on Linux); the
``PRACTICE_TUI_DB`` environment variable or ``--db PATH`` choose another file.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "practice-tui"
ENV_VAR = "PRACTICE_TUI_DB"


def default_db_path() -> Path:
    return user_data_path(APP_NAME, appauthor=False) / "practice.db"


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The file to open: ``--db`` wins, then the environment, then the default."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser()
    return default_db_path()
