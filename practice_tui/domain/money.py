"""Amounts of money: integer cents, typed by people as ``85``, ``85.5`` or ``85.50``.

Never floats: the text is read digit by digit with ``Decimal`` and refused
when negative, with more than two decimals, or not a number. The same parser
and formatter serve prices, fees and payments.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from practice_tui.domain.errors import ValidationError

MAX_CENTS = 100_000_000  # 1,000,000.00: larger is a typing slip
_THOUSANDS = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def parse_amount(text: str, *, field: str = "amount", label: str = "The amount") -> int:
    """Cents from ``text`` (a leading currency symbol and thousands commas are allowed)."""
    raw = text.strip().lstrip("$€£¥").strip()
    if not raw:
        raise ValidationError(f"{label} is needed, e.g. 85 or 85.50.", field=field)
    if "," in raw:
        # Only as thousands separators: 1,250.00 — never 85,50,1.
        if not _THOUSANDS.fullmatch(raw):
            raise ValidationError(
                f"{label} must be a number, e.g. 85 or 85.50 (not “{text.strip()[:20]}”).",
                field=field,
            )
        raw = raw.replace(",", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(
            f"{label} must be a number, e.g. 85 or 85.50 (not “{text.strip()[:20]}”).",
            field=field,
        ) from None
    if not value.is_finite():
        raise ValidationError(f"{label} must be a number, e.g. 85 or 85.50.", field=field)
    if value < 0:
        raise ValidationError(f"{label} cannot be negative.", field=field)
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValidationError(f"{label} has at most two decimals (cents).", field=field)
    if cents > MAX_CENTS:
        raise ValidationError(f"{label} is too large.", field=field)
    return int(cents)


def format_amount(cents: int, symbol: str = "", *, code: str = "") -> str:
    """``8550`` → ``$85.50`` (or ``85.50 USD`` without a symbol and with a code)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    number = f"{whole:,}.{part:02d}"
    if symbol:
        return f"{sign}{symbol}{number}"
    if code:
        return f"{sign}{number} {code}"
    return f"{sign}{number}"


def plain_amount(cents: int) -> str:
    """``8550`` → ``85.50``: the amount as a person would type it back."""
    whole, part = divmod(cents, 100)
    return f"{whole}.{part:02d}"


def parse_percent(text: str, *, field: str = "percent", label: str = "The percentage") -> int:
    """A whole percentage 0–100, typed as ``10`` or ``10%``."""
    raw = text.strip().rstrip("%").strip()
    if not raw:
        return 0
    if not raw.isdigit() or len(raw) > 3:
        raise ValidationError(f"{label} is a whole number from 0 to 100, e.g. 10.", field=field)
    value = int(raw)
    if value > 100:
        raise ValidationError(f"{label} is at most 100.", field=field)
    return value


def percent_of(cents: int, percent: int) -> int:
    """``percent`` % of ``cents``, rounded half up to the cent (integers only)."""
    return (cents * percent + 50) // 100
