"""Organization pages: forms go through services and refuse bad input cleanly."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse

from cadres.models import Cadre, Unit
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def test_office_creates_a_unit_under_its_county(client, xx):
    client.force_login(xx.office)
    response = client.post(
        reverse("cadres:unit_create"),
        {"code": "XX-T9", "name": "寨子乡", "kind": "township", "parent": xx.county.pk},
    )
    unit = Unit.objects.get(code="XX-T9")
    assert response.url == reverse("cadres:unit_detail", args=[unit.pk])
    assert unit.path.startswith(xx.county.path)


def test_office_cannot_create_a_unit_in_another_county(client, xx, pq):
    client.force_login(xx.office)
    response = client.post(
        reverse("cadres:unit_create"),
        {"code": "XX-T9", "name": "寨子乡", "kind": "township", "parent": pq.county.pk},
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert not Unit.objects.filter(code="XX-T9").exists()


def test_cadre_form_refuses_a_principal_who_is_not_leading(client, xx):
    client.force_login(xx.office)
    response = client.post(
        reverse("cadres:cadre_create"),
        {
            "number": "XX-9",
            "name": "王五",
            "gender": "m",
            "unit": xx.township.pk,
            "title": "党委书记",
            "rank": "sec_chief",
            "post_kind": "principal",
            "is_principal": "on",
            "started_on": "2015-01-01",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    # Refused by the model's check constraint (a principal is a leading cadre), in words, never
    # by the constraint's name; no field is in error, so it is not refused for another reason.
    assert list(form.errors) == [NON_FIELD_ERRORS]
    assert form.non_field_errors() == ["主要负责人同时也是领导干部。"]
    assert not Cadre.objects.filter(number="XX-9").exists()


def test_office_moves_a_cadre_and_history_shows_both_posts(client, xx):
    client.force_login(xx.office)
    response = client.post(
        reverse("cadres:cadre_move", args=[xx.cadre.pk]),
        {
            "unit": xx.department.pk,
            "title": "副局长",
            "rank": "sec_deputy",
            "post_kind": "deputy",
            "is_leading": "on",
            "on": "2015-03-01",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("cadres:cadre_detail", args=[xx.cadre.pk])).content.decode()
    assert xx.township.name in page
    assert xx.department.name in page
    assert "副局长" in page


def test_cadre_list_searches_and_filters(client, xx, pq):
    in_department = CadreFactory(unit=xx.department, number="XX-0003", name="隰县王五")
    assert xx.cadre.unit.kind == Unit.Kind.TOWNSHIP
    assert xx.other_cadre.unit.kind == Unit.Kind.TOWNSHIP
    assert in_department.unit.kind == Unit.Kind.DEPARTMENT
    assert pq.cadre.name == "蒲县张三"  # matches the search, but is another county's
    client.force_login(xx.office)

    def listed(**params):
        response = client.get(reverse("cadres:cadre_list"), params)
        assert response.status_code == 200
        return {c.pk for c in response.context["page"]}, response.content.decode()

    everyone = {xx.cadre.pk, xx.other_cadre.pk, in_department.pk}
    rows, _page = listed()
    assert rows == everyone

    rows, page = listed(q="张三")
    assert rows == {xx.cadre.pk}
    assert xx.cadre.name in page
    assert xx.other_cadre.name not in page
    assert pq.cadre.name not in page

    rows, page = listed(unit_kind="department")
    assert rows == {in_department.pk}
    assert in_department.name in page
    assert xx.cadre.name not in page
    assert xx.other_cadre.name not in page


def test_pages_are_in_chinese(client, xx):
    client.force_login(xx.office)
    page = client.get(reverse("cadres:unit_list")).content.decode()
    assert "单位" in page
    assert "退出" in page
