"""Quantified moral assessment: weights, anonymity, one ballot per code, results by hand."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments.models import Ballot, BallotCode, MoralItem, MoralResult, MoralTemplate
from assessments.services import moral
from tests.factories import CadreFactory, YearFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2015, 12, 10)


@pytest.fixture
def round_(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    moral.moral_template_create(year=year)
    return moral.moral_round_open(
        year=year,
        name="2015年度",
        units=[xx.township],
        opens_on=dt.date(2015, 12, 1),
        closes_on=dt.date(2015, 12, 20),
    )


@pytest.fixture
def leader(xx):
    return CadreFactory(
        unit=xx.township, name="王书记", is_leading=True, is_principal=True, post_kind="principal"
    )


def _answers(round_, cadre, level_by_code, judgement="competent"):
    items = MoralItem.objects.filter(dimension__template__year=round_.year)
    return {
        cadre.pk: {
            "levels": {i.pk: level_by_code.get(i.code, "good") for i in items},
            "judgement": judgement,
        }
    }


def test_group_weights_must_add_up_to_100(xx):
    year = YearFactory(county=xx.county, year=2016)
    with pytest.raises(ValidationError):
        moral.moral_template_create(year=year, weight_superiors=40)
    assert not MoralTemplate.objects.filter(year=year).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        MoralTemplate.objects.create(year=year, weight_public=10)


def test_a_code_casts_one_ballot_and_is_refused_the_second_time(round_, leader):
    (code,) = moral.ballot_codes_issue(round_=round_, unit=leader.unit, group="peers", count=1)
    moral.ballot_cast(code=code.code.lower(), answers=_answers(round_, leader, {}), today=DAY)
    with pytest.raises(ValidationError, match="已被使用|already"):
        moral.ballot_cast(code=code.code, answers=_answers(round_, leader, {}), today=DAY)
    assert Ballot.objects.count() == 1


def test_nothing_links_a_code_to_its_ballot(round_, leader):
    """The ballot stores round, cadre, group and judgement only; the code stores 'used'."""
    ballot_fields = {f.name for f in Ballot._meta.get_fields()}
    assert ballot_fields == {"id", "round", "cadre", "group", "judgement", "answers"}
    code_fields = {f.name for f in BallotCode._meta.get_fields()}
    assert code_fields == {"id", "round", "unit", "group", "code", "used"}


def test_an_incomplete_ballot_is_refused_and_the_code_stays_unused(round_, leader):
    (code,) = moral.ballot_codes_issue(round_=round_, unit=leader.unit, group="peers", count=1)
    answers = _answers(round_, leader, {})
    answers[leader.pk]["levels"].popitem()
    with pytest.raises(ValidationError):
        moral.ballot_cast(code=code.code, answers=answers, today=DAY)
    code.refresh_from_db()
    assert not code.used
    assert not Ballot.objects.exists()


def test_ballots_outside_the_round_dates_are_refused(round_, leader):
    (code,) = moral.ballot_codes_issue(round_=round_, unit=leader.unit, group="peers", count=1)
    with pytest.raises(ValidationError):
        moral.ballot_cast(
            code=code.code, answers=_answers(round_, leader, {}), today=dt.date(2015, 12, 21)
        )


def test_moral_score_by_hand(round_, leader):
    """Principal leader, default weights. Item weights (principal): P1 3, P2 4, S1 2, S2 2,
    W1 3, W2 3, F1 1, F2 2, M1 2, M2 3 = 25.
    Superiors (30): one ballot, all 好 → 100.
    Peers (30): one ballot, all 好 except P2 较差 (60): (2500 − 4×40) / 25 = 93.6.
    Subordinates (20): two ballots, all 较好 → 80 and all 好 → 100: mean 90.
    Public (20): none returned, so it drops out: weights 30 + 30 + 20 = 80.
    Moral score = (30×100 + 30×93.6 + 20×90) / 80 = 7608 / 80 = 95.1."""
    unit = leader.unit
    casts = [
        ("superiors", {}),
        ("peers", {"P2": "fairly_poor"}),
        (
            "subordinates",
            dict.fromkeys(["P1", "P2", "S1", "S2", "W1", "W2", "F1", "F2", "M1", "M2"], "fair"),
        ),
        ("subordinates", {}),
    ]
    for group, levels in casts:
        (code,) = moral.ballot_codes_issue(round_=round_, unit=unit, group=group, count=1)
        moral.ballot_cast(code=code.code, answers=_answers(round_, leader, levels), today=DAY)
    (result,) = moral.moral_round_close(round_=round_)
    assert result.score == D("95.1")
    assert result.by_group == {
        "superiors": "100.0000",
        "peers": "93.6000",
        "subordinates": "90.0000",
    }
    assert result.ballots == 4
    assert not result.threshold_breached
    # 政治品德 for peers: (3×100 + 4×60) / 7 = 77.142857...
    assert D(result.by_dimension["政治品德"]) < D(100)


def test_more_than_a_third_judging_incompetent_breaches_the_threshold(round_, leader):
    judgements = ["incompetent", "incompetent", "competent", "competent", "excellent"]
    for j in judgements:
        (code,) = moral.ballot_codes_issue(round_=round_, unit=leader.unit, group="peers", count=1)
        moral.ballot_cast(code=code.code, answers=_answers(round_, leader, {}, j), today=DAY)
    (result,) = moral.moral_round_close(round_=round_)
    assert result.threshold_breached  # 2 of 5 > 1/3
    assert result.judgements == {"incompetent": 2, "competent": 2, "excellent": 1}


def test_closing_twice_is_refused_and_a_closed_round_takes_no_ballots(round_, leader):
    (code,) = moral.ballot_codes_issue(round_=round_, unit=leader.unit, group="peers", count=1)
    moral.moral_round_close(round_=round_)
    with pytest.raises(ValidationError):
        moral.moral_round_close(round_=round_)
    with pytest.raises(ValidationError):
        moral.ballot_cast(code=code.code, answers=_answers(round_, leader, {}), today=DAY)
    assert MoralResult.objects.count() == 0


def test_turnout_counts_codes_issued_and_used(round_, leader):
    codes = moral.ballot_codes_issue(round_=round_, unit=leader.unit, group="public", count=3)
    moral.ballot_cast(code=codes[0].code, answers=_answers(round_, leader, {}), today=DAY)
    assert moral.turnout(round_) == {(leader.unit_id, "public"): {"issued": 3, "used": 1}}
