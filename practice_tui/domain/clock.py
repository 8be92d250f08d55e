"""The practice's clock: "now" is the wall-clock time in the practice's zone.

A laptop set to another zone (travel, a file moved to another machine) must
not see future sessions as past, so every "now" and "today" comes from here,
never from ``datetime.now()``. The zone is the practice's setting; it is
remembered whenever the settings are read or changed, and until then the
computer's own zone is used. Times are naive local times, like every time in
the file.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_zone_name: str | None = None


def set_practice_zone(name: str | None) -> None:
    """Remember the practice's zone (called by the settings services)."""
    global _zone_name
    _zone_name = name


def practice_zone() -> str | None:
    return _zone_name


def now_in(zone_name: str | None) -> dt.datetime:
    """The current wall-clock time in ``zone_name`` (the computer's when None), naive."""
    if zone_name:
        try:
            return dt.datetime.now(ZoneInfo(zone_name)).replace(tzinfo=None, microsecond=0)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return dt.datetime.now().replace(microsecond=0)


def practice_now() -> dt.datetime:
    """Now, in the practice's zone, to the second."""
    return now_in(_zone_name)


def differs_from_computer(zone_name: str) -> bool:
    """Whether the practice's zone shows another time than the computer's right now."""
    moment = dt.datetime.now(dt.UTC)
    try:
        theirs = moment.astimezone(ZoneInfo(zone_name)).utcoffset()
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return theirs != moment.astimezone().utcoffset()
