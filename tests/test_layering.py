"""The domain never loads Textual or Rich (CONVENTIONS.md, habit 1)."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_domain_does_not_load_textual_or_rich() -> None:
    code = (
        "import sys, pkgutil, importlib, practice_tui.domain as d\n"
        "for m in pkgutil.walk_packages(d.__path__, 'practice_tui.domain.'):\n"
        "    importlib.import_module(m.name)\n"
        "import practice_tui.cli, practice_tui.textutil, practice_tui.paths\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
