"""One family of errors whose messages a person can read.

The interface shows ``str(error)`` as it is, next to the field named by
``error.field`` when there is one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class PracticeError(Exception):
    """Base of every error the domain raises on purpose."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(PracticeError):
    """What was typed cannot be used (an empty name, pain of 11, 30 February).

    ``errors`` maps each bad field to its message when a whole form was checked;
    ``field`` and the message are those of the first one.
    """

    def __init__(
        self, message: str, *, field: str | None = None, errors: dict[str, str] | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.errors = dict(errors or ({field: message} if field else {}))

    @classmethod
    def from_errors(cls, errors: dict[str, str]) -> ValidationError:
        field, message = next(iter(errors.items()))
        return cls(message, field=field, errors=errors)


class NotFound(PracticeError):
    """The record asked for does not exist (any more)."""


class ConflictError(PracticeError):
    """The change clashes with what is stored: an overlap, a locked note."""

    def __init__(
        self, message: str, *, field: str | None = None, conflicts: Sequence[Any] = ()
    ) -> None:
        super().__init__(message, field=field)
        self.conflicts = tuple(conflicts)


class OutsideHoursError(ConflictError):
    """The time falls outside working hours; the caller may override explicitly."""


class DuplicateClientError(ConflictError):
    """A client with the same name and date of birth, phone or email exists."""


class DatabaseError(PracticeError):
    """The file cannot be used: newer version, corrupt, locked or read-only."""


class FileBusyError(DatabaseError):
    """Another program held the file for longer than the app waits."""


class WriteFailedError(DatabaseError):
    """Nothing was saved: the disk is full, the file is read-only, or the disk failed.

    ``cause`` is one of ``"disk-full"``, ``"read-only"``, ``"io"``."""

    def __init__(self, message: str, *, cause: str, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.cause = cause


class EmptyFileError(DatabaseError):
    """The file exists but holds nothing (0 bytes): no practice in it."""


class StaleRecordError(ConflictError):
    """The record changed in another window or program since this form read it.

    ``changed_at`` is when it was last saved there, ``fields`` what differs."""

    def __init__(
        self,
        message: str,
        *,
        changed_at: object = None,
        fields: Sequence[str] = (),
        field: str | None = None,
    ) -> None:
        super().__init__(message, field=field)
        self.changed_at = changed_at
        self.fields = tuple(fields)
