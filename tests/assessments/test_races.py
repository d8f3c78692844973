"""Races are refusals: the loser of two requests at once gets a message, never a 500 (the
threaded races on PostgreSQL are in tests/integration/test_races.py)."""

import datetime as dt
from decimal import Decimal as D
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError

from assessments.models import Ballot, BallotCode, Bulletin, ProgressReport
from assessments.services import bulletins, progress
from assessments.services.targets import target_assign
from tests.assessments.test_moral_pages import _answers, _cast, _issue, leaders, round_, year
from tests.factories import IndicatorFactory, WeightsFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2015, 10, 20, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))
__all__ = ["leaders", "round_", "year"]  # fixtures of the ballot tests, used here


def test_a_ballot_cast_while_sqlite_is_locked_asks_to_submit_again(client, xx, round_, leaders):
    (code,) = _issue(round_, xx.township)
    with mock.patch(
        "assessments.services.moral.ballot_cast",
        side_effect=OperationalError("database is locked"),
    ):
        busy = _cast(client, code, _answers(round_, leaders))
    assert busy.status_code == 200
    assert busy.context["error"]
    assert not BallotCode.objects.get(code=code).used  # nothing was saved: it can go again
    done = _cast(client, code, _answers(round_, leaders))
    assert done.status_code == 302
    assert Ballot.objects.count() == 2


def test_two_first_submits_of_one_report_the_loser_gets_a_message(xx, year):
    WeightsFactory(year=year, unit_kind="township")
    indicator = IndicatorFactory(year=year, code="R", method="ratio", unit_kinds=["township"])
    target = target_assign(indicator=indicator, unit=xx.township, target_value=D(9))

    def the_other_wins(self, *args, **kwargs):  # the other request inserted it just now
        raise IntegrityError("duplicate key value violates assessments_report_one_per_month")

    with mock.patch.object(ProgressReport, "save", the_other_wins):
        with pytest.raises(ValidationError) as refused:
            progress.progress_submit(
                target=target, month=9, actual_value=D(1), narrative="进展", by=xx.liaison, now=NOW
            )
    assert "one_per_month" not in " ".join(refused.value.messages)
    assert not ProgressReport.objects.exists()


def test_a_bulletin_built_by_someone_else_meanwhile_is_a_message(xx, year):
    with mock.patch.object(Bulletin, "save", side_effect=IntegrityError("one_per_month")):
        with pytest.raises(ValidationError) as refused:
            bulletins.bulletin_build(year=year, month=9, today=dt.date(2015, 10, 1))
    assert "one_per_month" not in " ".join(refused.value.messages)
