"""Two counties never see each other's data; a cadre sees only their own record."""

import pytest
from django.urls import reverse

from cadres.models import Role, Unit
from tests.factories import IndicatorFactory, YearFactory, make_user


@pytest.mark.django_db
def test_office_of_one_county_gets_404_for_every_object_of_another(client, xx, pq):
    year = YearFactory(county=pq.county)
    indicator = IndicatorFactory(year=year)
    client.force_login(xx.office)
    urls = [
        reverse("cadres:unit_detail", args=[pq.township.pk]),
        reverse("cadres:unit_edit", args=[pq.township.pk]),
        reverse("cadres:cadre_detail", args=[pq.cadre.pk]),
        reverse("cadres:cadre_edit", args=[pq.cadre.pk]),
        reverse("cadres:cadre_move", args=[pq.cadre.pk]),
        reverse("assessments:catalog", args=[year.pk]),
        reverse("assessments:year_edit", args=[year.pk]),
        reverse("assessments:weights_edit", args=[year.pk]),
        reverse("assessments:year_copy", args=[year.pk]),
        reverse("assessments:indicator_create", args=[year.pk]),
        reverse("assessments:indicator_edit", args=[indicator.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("assessments:indicator_delete", args=[indicator.pk])).status_code == 404
    )
    assert (
        client.post(
            reverse("assessments:year_status", args=[year.pk]), {"status": "in_progress"}
        ).status_code
        == 404
    )
    indicator.refresh_from_db()  # still there


@pytest.mark.django_db
def test_lists_show_only_the_own_county(client, xx, pq):
    client.force_login(xx.office)
    units = client.get(reverse("cadres:unit_list")).content.decode()
    cadres = client.get(reverse("cadres:cadre_list")).content.decode()
    assert xx.township.name in units
    assert pq.township.name not in units
    assert xx.cadre.name in cadres
    assert pq.cadre.name not in cadres


@pytest.mark.django_db
def test_city_office_sees_both_counties(client, xx, pq, city):
    city_office = make_user(Role.OFFICE, city, username="city-office")
    client.force_login(city_office)
    page = client.get(reverse("cadres:cadre_list")).content.decode()
    assert xx.cadre.name in page
    assert pq.cadre.name in page
    assert client.get(reverse("cadres:cadre_detail", args=[pq.cadre.pk])).status_code == 200


@pytest.mark.django_db
def test_cadre_cannot_open_another_cadres_record(client, xx):
    client.force_login(xx.cadre_user)
    assert client.get(reverse("cadres:cadre_detail", args=[xx.other_cadre.pk])).status_code == 404
    own = client.get(reverse("cadres:cadre_detail", args=[xx.cadre.pk]), follow=True)
    assert own.redirect_chain == [(reverse("assessments:me"), 302)]
    assert xx.cadre.name in own.content.decode()


@pytest.mark.django_db
def test_cadre_home_is_my_records_and_shows_nobody_else(client, xx):
    client.force_login(xx.cadre_user)
    response = client.get(reverse("home"), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("assessments:me")
    assert xx.cadre.name in page
    assert xx.other_cadre.name not in page


@pytest.mark.django_db
def test_liaison_sees_own_unit_but_not_a_neighbour(client, xx):
    neighbour = Unit.objects.get(code="XX-D1")
    client.force_login(xx.liaison)
    assert client.get(reverse("home")).url == reverse("assessments:my_unit")
    assert client.get(reverse("cadres:unit_detail", args=[xx.township.pk])).status_code == 200
    assert client.get(reverse("cadres:unit_detail", args=[neighbour.pk])).status_code == 404


@pytest.mark.django_db
def test_liaison_reads_own_countys_catalog_not_another(client, xx, pq):
    own = YearFactory(county=xx.county)
    other = YearFactory(county=pq.county)
    client.force_login(xx.liaison)
    assert client.get(reverse("assessments:catalog", args=[own.pk])).status_code == 200
    assert client.get(reverse("assessments:catalog", args=[other.pk])).status_code == 404


@pytest.mark.django_db
def test_leader_cannot_write(client, xx):
    client.force_login(xx.leader)
    response = client.post(
        reverse("cadres:unit_create"),
        {"code": "NEW", "name": "新单位", "kind": "township", "parent": xx.county.pk},
    )
    assert response.status_code == 403
    assert not Unit.objects.filter(code="NEW").exists()
