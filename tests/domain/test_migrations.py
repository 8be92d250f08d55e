"""Models and migrations agree, and the lock triggers are in the schema."""

from __future__ import annotations

from pathlib import Path

from playhouse.schema_diff import diff_models

from practice_tui.domain.db import database
from practice_tui.domain.models import ALL_MODELS


def test_models_and_migrations_agree(db_path: Path) -> None:
    diff = diff_models(database.obj, list(ALL_MODELS))
    assert not diff, str(diff)


def test_lock_triggers_exist(db_path: Path) -> None:
    names = {
        row[0]
        for row in database.obj.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    assert {
        "session_note_signed_no_update",
        "session_note_signed_no_delete",
        "note_amendment_no_update",
        "note_amendment_no_delete",
    } <= names
