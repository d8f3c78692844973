"""Displayed numbers: every score, total, percentage and moral score shown anywhere (pages,
Excel, PDF, bulletins, emails, charts) rounds half up (四舍五入): 90.985 shows as 90.99, never
90.98 (Python's default for decimals rounds half to even). Computation keeps exact decimals;
ranks use the exact totals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def half_up(value, places: int = 2) -> Decimal:
    """``value`` rounded half up to ``places`` decimals (a float is read by its shortest repr,
    so 90.985 is 90.985, not the binary 90.98499…)."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# Excel's number format for a 0–1 ratio shown as a percentage: two places, as on the pages.
PERCENT_FORMAT = "0.00%"


def points_text(value) -> str:
    """Points, a total or a moral score as shown: ``90.985`` → ``"90.99"``; none → ``"—"``."""
    if value is None or value == "":
        return "—"
    return f"{half_up(value):.2f}"


def percent_value(ratio) -> Decimal:
    """A 0–1 ratio as a percentage rounded half up to two places: ``0.90985`` → ``90.99``."""
    return half_up(Decimal(str(ratio)) * 100)


def percent_text(ratio) -> str:
    """A 0–1 ratio as shown: ``0.90985`` → ``"90.99%"``; none → ``"—"``."""
    if ratio is None or ratio == "":
        return "—"
    return f"{percent_value(ratio):.2f}%"


def share_text(percentage) -> str:
    """A figure that is already a percentage (0–100) as shown: ``90.985`` → ``"90.99%"``."""
    if percentage is None or percentage == "":
        return "—"
    return f"{half_up(percentage):.2f}%"
