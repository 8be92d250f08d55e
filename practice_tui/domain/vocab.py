"""The clinical words a therapist picks from instead of typing.

Areas are stored as ``"region:side"`` (side is ``left``, ``right``, ``both`` or
empty for midline regions), so a note can be read back exactly and areas can
be compared across sessions.
"""

from __future__ import annotations

#: Body regions, with whether they have a left and right side.
BODY_REGIONS: tuple[tuple[str, bool], ...] = (
    ("neck", True),
    ("upper trapezius", True),
    ("shoulders", True),
    ("upper back", True),
    ("lower back/lumbar", True),
    ("sacrum and glutes", True),
    ("hips", True),
    ("IT band", True),
    ("hamstrings", True),
    ("quadriceps", True),
    ("calves", True),
    ("feet", True),
    ("arms", True),
    ("forearms and hands", True),
    ("chest", True),
    ("abdomen", False),
    ("head/scalp", False),
    ("jaw/TMJ", True),
)
REGION_NAMES: tuple[str, ...] = tuple(name for name, _ in BODY_REGIONS)
SIDED = {name for name, sided in BODY_REGIONS if sided}
SIDES: tuple[str, ...] = ("left", "right", "both")
_SIDE_SHORT = {"left": "L", "right": "R", "both": "L/R", "": ""}

TECHNIQUES: tuple[str, ...] = (
    "Swedish",
    "deep tissue",
    "trigger point therapy",
    "myofascial release",
    "neuromuscular therapy",
    "sports massage",
    "lymphatic drainage",
    "stretching/PNF",
    "cross-fibre friction",
    "scar tissue mobilisation",
)
#: Short forms for narrow columns.
TECHNIQUE_SHORT = {
    "trigger point therapy": "trigger point",
    "myofascial release": "MFR",
    "neuromuscular therapy": "NMT",
    "lymphatic drainage": "MLD",
    "stretching/PNF": "stretching",
    "cross-fibre friction": "CFF",
    "scar tissue mobilisation": "scar mob.",
}

PRESSURES: tuple[str, ...] = ("light", "medium", "firm", "deep")

HOME_CARE: tuple[str, ...] = (
    "stretching",
    "heat",
    "cold",
    "hydration",
    "rest",
    "strengthening exercise",
    "posture",
    "follow-up with physician/physiotherapist",
)


def area(region: str, side: str = "") -> str:
    """The stored form of one treated area."""
    return f"{region}:{side if region in SIDED else ''}"


def split_area(value: str) -> tuple[str, str]:
    region, _, side = value.partition(":")
    return region, side


def format_area(value: str) -> str:
    """``"lower back/lumbar:both"`` → ``"lower back/lumbar L/R"``."""
    region, side = split_area(value)
    short = _SIDE_SHORT.get(side, side)
    return f"{region} {short}".strip()


def format_areas(values: list[str] | tuple[str, ...]) -> str:
    return ", ".join(format_area(v) for v in values)


def format_techniques(values: list[str] | tuple[str, ...]) -> str:
    return ", ".join(TECHNIQUE_SHORT.get(v, v) for v in values)
