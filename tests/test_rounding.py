"""四舍五入: every displayed score, total and percentage rounds half up (90.985 → 90.99,
85.625 → 85.63), on the pages and PDFs (the ``points`` filter), in Excel (``shown``), in charts
(the dashboard's numbers) and in percentages; computation and ranks keep the exact values."""

from decimal import Decimal as D

import pytest

from assessments.reports.common import shown
from assessments.selectors.dashboard import _num, _pct
from assessments.templatetags.bulletins import pct
from assessments.templatetags.scoring import percent
from cadres.templatetags.kaohe import points
from kaohe.lib.numbers import half_up


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


def test_percentages_round_half_up_too():
    assert percent(D("0.90985")) == pct(D("0.90985")) == "91.0%"
    assert percent(D("0.85625")) == pct("0.85625") == "85.6%"
    assert percent(D("0.00250")) == pct(D("0.00250")) == "0.3%"  # half to even would say 0.2%
    assert _pct(D("0.00250")) == 0.3
