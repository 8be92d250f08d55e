"""Allow ``python -m practice_tui``."""

from practice_tui.cli import main

raise SystemExit(main())
