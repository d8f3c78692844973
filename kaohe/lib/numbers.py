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
