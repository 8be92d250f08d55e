"""The privacy curtain's idle minutes: a Practice policy (issue 16, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from practice_tui.domain.errors import ValidationError
from practice_tui.domain.settings import get_practice, save_policies_form


def test_curtain_minutes_default_ten_and_zero_means_never(db_path: Path) -> None:
    assert get_practice().curtain_minutes == 10
    assert save_policies_form({"curtain_minutes": "0"}).curtain_minutes == 0
    assert save_policies_form({"curtain_minutes": "3"}).curtain_minutes == 3
    for typed in ("241", "ten", "-1", "2.5"):
        with pytest.raises(ValidationError) as caught:
            save_policies_form({"curtain_minutes": typed})
        assert "privacy curtain" in caught.value.errors["curtain_minutes"]
    assert get_practice().curtain_minutes == 3
