"""The known places where a constraint's name reached a clerk ("约束
“assessments_year_grade_bands_ordered” 是无效的"): the year form, the indicator form, their
services and the catalog import now say what is wrong, in words."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentYear, Indicator
from tests.assessments.test_imports import INDICATOR_HEADERS, WEIGHT_HEADERS, run, xlsx
from tests.factories import YearFactory

pytestmark = pytest.mark.django_db
BANDS = str(AssessmentYear._meta.constraints[1].violation_error_message)


@pytest.fixture
def year(xx):
    return YearFactory(county=xx.county, year=2015, status="draft")


def _no_names(text: str) -> None:
    assert "assessments_" not in text
    assert "cadres_" not in text


def _year_data(year, **changes):
    data = {
        "title": year.title,
        "bonus_cap": "3",
        "grade_good_min": "90",
        "grade_fair_min": "80",
        "grade_average_min": "70",
        "report_deadline_day": "25",
    }
    return {**data, **changes}


def test_the_grade_bands_rule_is_in_words_on_the_year_form(client, xx, year):
    assert "好 ≥ 较好 ≥ 一般" in BANDS
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:year_edit", args=[year.pk]), _year_data(year, grade_good_min="75")
    )
    assert response.status_code == 200
    html = response.content.decode()
    _no_names(html)
    assert BANDS in " ".join(response.context["form"].non_field_errors())
    year.refresh_from_db()
    assert year.grade_good_min != 75  # nothing changed


def test_the_grade_bands_rule_is_in_words_in_the_service(year):
    with pytest.raises(ValidationError) as refused:
        services.year_update(year=year, grade_good_min=75)
    _no_names(" ".join(refused.value.messages))
    assert BANDS in refused.value.messages


def test_the_bonus_category_rule_is_in_words_on_the_indicator_form(client, xx, year):
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:indicator_create", args=[year.pk]),
        {
            "category": "industry",
            "code": "B1",
            "name": "省级表彰",
            "max_points": "3",
            "method": "bonus",
            "unit_kinds": ["township"],
            "sort_order": "0",
        },
    )
    assert response.status_code == 200
    errors = " ".join(str(e) for errs in response.context["form"].errors.values() for e in errs)
    _no_names(errors)
    _no_names(response.content.decode())
    assert "加分" in errors or "bonus" in errors
    assert not Indicator.objects.filter(year=year).exists()


def test_the_bonus_category_rule_is_in_words_in_the_catalog_import(xx, year):
    upload = xlsx(
        {
            "权重": [WEIGHT_HEADERS, ["乡镇", 30, 40, 30]],
            "指标": [
                INDICATOR_HEADERS,
                ["B1", "省级表彰", None, "主导产业", "加分", 3, "乡镇", None, "否"],
                ["M1", "联述联评联考", None, "主导产业", "联述联评联考", 10, "乡镇", None, "否"],
            ],
        }
    )
    result = run("catalog", upload, xx.office, year)
    assert not result.ok
    messages = " ".join(p.message for p in result.problems)
    _no_names(messages)
    assert {p.row for p in result.problems} >= {2, 3}
    assert not Indicator.objects.filter(year=year).exists()
