# ruff: noqa: F811 - the fixtures imported from the moral pages tests are arguments here
"""Ballots and a round's end: a closed round says it has ended (not its dates, which may still
be running); a filled-in ballot sent after the close is told and nothing of it is kept; a
round's dates lie in its assessment year or the January after; slips print whole titles."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.models import Ballot, BallotCode, MoralRound
from assessments.services import moral
from tests.assessments.test_moral_pages import (  # noqa: F401 - fixtures
    BALLOT,
    _answers,
    _cast,
    _issue,
    _open_round,
    leaders,
    round_,
    year,
)
from tests.factories import YearFactory

pytestmark = pytest.mark.django_db


def test_an_unused_code_of_a_round_closed_within_its_dates_says_it_has_ended(
    client, xx, round_, leaders, in_english
):
    (code,) = _issue(round_, xx.township)
    moral.moral_round_close(round_=round_)
    assert round_.opens_on <= timezone.localdate() <= round_.closes_on
    response = client.post(BALLOT, {"code": code})
    assert response.context["form"].errors["code"] == ["This round of assessment has ended."]
    assert leaders[0].name not in response.text


def test_a_round_not_yet_begun_says_when_it_takes_ballots(client, xx, year, leaders, in_english):
    today = timezone.localdate()
    round_ = _open_round(year, [xx.township])
    MoralRound.objects.filter(pk=round_.pk).update(opens_on=today + dt.timedelta(days=1))
    (code,) = _issue(round_, xx.township)
    (error,) = client.post(BALLOT, {"code": code}).context["form"].errors["code"]
    assert error.startswith("This round has not begun")
    assert f"{today.year}年" in error  # dates in Chinese format


def test_a_filled_in_ballot_sent_after_the_close_is_told_and_nothing_is_kept(
    client, xx, round_, leaders, in_english
):
    (code,) = _issue(round_, xx.township)
    answers = _answers(round_, leaders)
    moral.moral_round_close(round_=round_)  # while the rater was filling it in
    response = _cast(client, code, answers)
    assert response.context["form"].errors["code"] == [
        "This round of assessment has ended.",
        "The answers you filled in have not been saved.",
    ]
    assert not Ballot.objects.exists()
    assert not BallotCode.objects.get(code=code).used


def test_round_dates_lie_in_the_year_or_the_january_after(xx, in_english):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    moral.moral_template_create(year=year)

    def open_(opens_on, closes_on):
        return moral.moral_round_open(
            year=year, name="年度", units=[xx.township], opens_on=opens_on, closes_on=closes_on
        )

    for opens_on, closes_on, field in (
        (dt.date(2014, 12, 20), dt.date(2015, 1, 10), "opens_on"),
        (dt.date(2026, 12, 1), dt.date(2026, 12, 20), "opens_on"),
        (dt.date(2016, 1, 20), dt.date(2016, 2, 1), "closes_on"),
    ):
        with pytest.raises(ValidationError) as refused:
            open_(opens_on, closes_on)
        assert list(refused.value.message_dict) == [field]
        assert "2015年1月1日" in refused.value.message_dict[field][0]
    assert not MoralRound.objects.exists()
    assert open_(dt.date(2016, 1, 5), dt.date(2016, 1, 31)).pk  # the January after


def test_the_round_form_refuses_dates_outside_the_year_in_words(client, xx, in_english):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    moral.moral_template_create(year=year)
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:moral_round_create", args=[year.pk]),
        {
            "name": "2015年度考德",
            "units": [xx.township.pk],
            "opens_on": "2026-12-01",
            "closes_on": "2026-12-20",
            "leading_only": "on",
        },
    )
    assert response.status_code == 200
    assert "2016年1月31日" in response.text
    assert not MoralRound.objects.exists()


def test_slips_print_the_whole_round_name_and_unit(client, xx, year, leaders):
    long_name = "2015年度全县科级领导干部量化考德民主测评（第四季度集中测评）"
    round_ = _open_round(year, [xx.township], name=long_name)
    _issue(round_, xx.township, count=2)
    client.force_login(xx.office)
    page = client.get(reverse("assessments:moral_slips", args=[round_.pk])).content.decode()
    assert page.count(long_name) >= 2
    assert "text-overflow: ellipsis" not in page
