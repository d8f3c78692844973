"""How the reports show numbers and times, on the page and in Excel alike."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.dateformat import format as date_format

from kaohe.lib.numbers import half_up, percent_value

DATETIME = "Y年n月j日 H:i"
DATE = "Y年n月j日"


def shown(value) -> Decimal | None:
    """Points as the page shows them (the ``points`` filter: two decimals), kept a number for
    Excel; None for no value."""
    return None if value is None or value == "" else half_up(value)


def shown_ratio(ratio) -> Decimal | None:
    """A 0–1 ratio for an Excel cell formatted ``PERCENT_FORMAT``: already rounded half up to
    the page's two places of percent (0.90985 → 0.9099, shown 90.99%), so Excel's own rounding
    has nothing left to decide."""
    return None if ratio is None or ratio == "" else percent_value(ratio) / 100


def when(value) -> str:
    """A moment in local time as the pages print it ("" for none)."""
    return date_format(timezone.localtime(value), DATETIME) if value else ""


def day(value) -> str:
    return date_format(value, DATE) if value else ""
