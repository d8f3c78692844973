"""Unit and cadre pickers: plain selects that work without JavaScript (units grouped by kind),
marked for static/js/picker.js to add type-to-search."""

import pytest
from django.urls import reverse

from assessments.forms.scoring import BonusAwardForm
from cadres.forms.pickers import UnitChoiceField, UnitsChoiceField
from cadres.models import Unit
from tests.factories import UnitFactory, WeightsFactory, YearFactory

pytestmark = pytest.mark.django_db


def test_units_are_grouped_by_kind_townships_first(xx):
    UnitFactory(code="XX-T2", name="午城镇", kind=Unit.Kind.TOWNSHIP, parent=xx.county)
    field = UnitChoiceField(queryset=Unit.objects.filter(path__startswith=xx.county.path))
    groups = [(label, [str(c[1]) for c in choices]) for label, choices in list(field.choices)[1:]]
    kinds = [Unit.Kind.TOWNSHIP, Unit.Kind.DEPARTMENT, Unit.Kind.COMMITTEE, Unit.Kind.COUNTY]
    assert [label for label, _choices in groups] == [str(k.label) for k in kinds]
    assert groups[0][1] == [xx.township.name, "午城镇"]
    assert list(field.choices)[0][0] == ""  # the empty choice first, outside the groups


def test_the_picked_unit_is_checked_against_the_queryset_not_the_groups(xx, pq):
    field = UnitsChoiceField(queryset=Unit.objects.filter(path__startswith=xx.county.path))
    assert list(field.clean([xx.township.pk])) == [xx.township]
    with pytest.raises(Exception, match="select|选择"):
        field.clean([pq.township.pk])


def test_a_unit_form_renders_optgroups_and_the_picker_mark(client, xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    html = BonusAwardForm(year=year)["unit"].as_widget()
    assert "<optgroup" in html and "data-picker" in html
    client.force_login(xx.office)
    page = client.get(reverse("assessments:bonus_list", args=[year.pk])).content.decode()
    assert "js/picker.js" in page and "<optgroup" in page
