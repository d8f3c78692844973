"""Dates of a moral-assessment round that opens around today, for tests of live ballots."""

from django.utils import timezone


def working_year() -> int:
    """The assessment year whose rounds may run around today (from today - 1 to today + 10
    days): a round's dates lie in its year or the January after it."""
    today = timezone.localdate()
    return today.year - 1 if today.month == 1 and today.day <= 20 else today.year
