"""How the reports show numbers and times, on the page and in Excel alike."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.dateformat import format as date_format

from cadres.templatetags.kaohe import points

DATETIME = "Y年n月j日 H:i"
DATE = "Y年n月j日"


def shown(value) -> Decimal | None:
    """Points as the page shows them (the ``points`` filter: two decimals), kept a number for
    Excel; None for no value."""
    return None if value is None or value == "" else Decimal(points(value))


def when(value) -> str:
    """A moment in local time as the pages print it ("" for none)."""
    return date_format(timezone.localtime(value), DATETIME) if value else ""


def day(value) -> str:
    return date_format(value, DATE) if value else ""
