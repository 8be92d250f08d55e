"""The terminal interface (Textual). It calls ``practice_tui.domain`` and shows what
it returns; no SQL and no business rule lives here."""
