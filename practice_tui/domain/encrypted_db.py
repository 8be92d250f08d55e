"""The peewee handle of an encrypted practice file (needs the ``[encrypted]`` extra).

Kept apart from ``db.py`` because importing it needs ``sqlcipher3``: a plain
practice file never imports it. Each thread's connection gets the key as it
opens (``encryption.unlock``), then the pragmas ``db.py`` hands it (the same
as a plain file's).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playhouse.sqlcipher_ext import SqlCipherDatabase

from practice_tui.domain import encryption


class EncryptedPracticeDatabase(SqlCipherDatabase):
    """Like ``PracticeDatabase``, on a file encrypted with ``passphrase``."""

    def __init__(
        self, path: Path, passphrase: str, *, readonly: bool, pragmas: tuple[tuple[str, Any], ...]
    ) -> None:
        self.path = path
        self.readonly = readonly
        self.passphrase = passphrase
        if readonly:
            super().__init__(
                path.resolve().as_uri() + "?mode=ro",
                pragmas=pragmas,
                timeout=5,
                uri=True,
            )
        else:
            super().__init__(str(path), pragmas=pragmas, timeout=5)

    def _connect(self) -> Any:
        params = dict(self.connect_params)
        params.pop("passphrase", None)
        conn = encryption.driver().connect(self.database, isolation_level=None, **params)
        try:
            encryption.unlock(conn, self.passphrase)
            self._add_conn_hooks(conn)
        except BaseException:
            conn.close()
            raise
        return conn
