"""四舍五入: every displayed score, total and percentage rounds half up (90.985 → 90.99,
85.625 → 85.63), on the pages and PDFs (the ``points`` filter), in Excel (``shown``), in charts
(the dashboard's numbers) and in percentages; computation and ranks keep the exact values."""

from decimal import Decimal as D

import pytest

from assessments.reports.common import shown, shown_ratio
from assessments.selectors.dashboard import _num, _pct
from assessments.templatetags.bulletins import pct
from assessments.templatetags.scoring import percent
from cadres.templatetags.kaohe import points, share
from kaohe.lib.numbers import PERCENT_FORMAT, half_up, percent_text


@pytest.mark.parametrize(
    ("exact", "shown_as"),
    [("90.985", "90.99"), ("85.625", "85.63"), ("85.624999", "85.62"), ("-1.005", "-1.01")],
)
def test_half_up_to_two_places_on_every_output(exact, shown_as):
    assert half_up(D(exact)) == D(shown_as)
    assert half_up(float(exact)) == D(shown_as)  # a float by its decimal digits
    assert points(D(exact)) == points(exact) == shown_as  # pages, PDF, emails
    assert shown(D(exact)) == D(shown_as)  # Excel
    assert _num(D(exact)) == float(shown_as)  # charts


@pytest.mark.parametrize(
    ("ratio", "shown_as"),
    [("0.90985", "90.99"), ("0.85625", "85.63"), ("0.0000250", "0.00"), ("0.000050", "0.01")],
)
def test_percentages_round_half_up_to_two_places_on_every_output(ratio, shown_as):
    """One helper behind the page filters, the emails' ``pct``, the dashboard's charts and the
    Excel cells: 0.90985 is 90.99% everywhere (half to even would say 90.98%)."""
    assert percent(D(ratio)) == pct(ratio) == percent_text(float(ratio)) == f"{shown_as}%"
    assert _pct(D(ratio)) == float(shown_as)  # charts
    assert shown_ratio(D(ratio)) == D(shown_as) / 100  # Excel, formatted PERCENT_FORMAT
    assert PERCENT_FORMAT == "0.00%"
    assert share(D(ratio) * 100) == f"{shown_as}%"  # figures already in percent


def test_no_value_is_a_dash():
    assert percent(None) == pct("") == share(None) == points(None) == "—"
    assert shown(None) is None and shown_ratio(None) is None
