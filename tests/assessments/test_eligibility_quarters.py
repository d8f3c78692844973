"""The selection list shows a flagged cadre's confirmed quarter grades beside the flags."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments.models import AssessmentYear, QuarterRecord
from tests.assessments.test_eligibility import ON, _english, _flagged  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_selection_list_shows_confirmed_quarter_grades(client, xx):
    _flagged(xx, [xx.cadre])
    year = AssessmentYear.objects.get(county=xx.county, year=2015)
    when = dt.datetime(2015, 10, 20, tzinfo=dt.UTC)
    for quarter, confirmed in ((1, when), (2, None)):
        QuarterRecord.objects.create(
            year=year, cadre=xx.cadre, unit=xx.township, quarter=quarter, work_done="x",
            submitted_at=when, grade="good", confirmed_at=confirmed,
        )  # fmt: skip
    client.force_login(xx.office)
    page = client.get(reverse("assessments:selection"), {"on": ON.isoformat()})
    (cadre,) = [c for c in page.context["page"] if c.pk == xx.cadre.pk]
    assert [(r.year.year, r.quarter) for r in cadre.quarters_on] == [(2015, 1)]
    assert "2015Q1" in page.content.decode()
