"""Dates in Chinese format (2015年10月31日) wherever a person reads them: pages, PDFs, Excel,
emails and messages. ISO dates stay in data (JSON content, form inputs, file keys) only."""

from __future__ import annotations

import datetime as dt


def cn_date(value: dt.date | dt.datetime | str | None) -> str:
    """``2015年10月31日`` for a date, a datetime (its date) or an ISO date string; "" for None or
    ""; any other string unchanged."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"
