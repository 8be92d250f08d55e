"""Who a document comes from: the practice and the therapist.

``practice_letterhead()`` is the one place every document reads this from:
the practice's name and address and the therapist's name, credentials and
registration number, as set on the Practice screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from practice_tui.domain.models import Practice


@dataclass(frozen=True)
class Letterhead:
    practice: str
    therapist: str = ""
    credentials: str = ""
    registration: str = ""
    address: str = ""

    @property
    def signature_lines(self) -> tuple[str, ...]:
        """The therapist's name with credentials, then the registration, as signed."""
        lines = []
        name = ", ".join(part for part in (self.therapist, self.credentials) if part)
        if name:
            lines.append(name)
        if self.registration:
            lines.append(f"Registration no. {self.registration}")
        return tuple(lines)

    @property
    def lines(self) -> tuple[str, ...]:
        """Everything of the letterhead, one item a line (the practice first)."""
        lines = [self.practice, *self.signature_lines]
        if self.address:
            lines.extend(self.address.splitlines())
        return tuple(line for line in lines if line.strip())


def practice_letterhead() -> Letterhead:
    """The letterhead from the practice settings (call inside a ``@reads`` service)."""
    row = Practice.select().first()
    if row is None:
        return Letterhead(practice="")
    return Letterhead(
        practice=row.name,
        therapist=row.therapist_name,
        credentials=row.credentials,
        registration=row.registration,
        address=row.address,
    )
