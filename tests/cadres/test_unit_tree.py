"""The unit tree loads lazily: the page lists the user's unit and its children, and a unit's
sub-units come on expand from a fragment in the user's scope; the list view paginates."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.models import Role, Unit
from tests.conftest import make_user
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _get(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response, len(queries)


def _children_url(unit):
    return reverse("cadres:unit_children", args=[unit.pk])


def test_the_tree_shows_the_users_unit_and_its_children_with_a_button_for_deeper_units(client, xx):
    client.force_login(xx.office)
    response, _ = _get(client, reverse("cadres:unit_list"))
    page = response.content.decode()
    assert [u.pk for u in response.context["units"]] == [
        xx.county.pk,
        *sorted([xx.committee.pk, xx.township.pk], key=lambda pk: Unit.objects.get(pk=pk).path),
    ]
    assert xx.department.name not in page  # two levels down: loads on expand
    assert f'data-tree-toggle="{_children_url(xx.committee)}"' in page  # it has a department
    assert f'data-tree-toggle="{_children_url(xx.township)}"' not in page  # no sub-units
    assert "js/unit_tree.js" in page
    assert "style=" not in page.split("<tbody>", 1)[1]  # CSP: no style attributes


def test_expanding_a_unit_returns_its_childrens_rows_indented_below_it(client, xx):
    office = UnitFactory(code="XX-D1-1", name="隰县财政局办公室", parent=xx.department)
    client.force_login(xx.office)
    response, _ = _get(client, _children_url(xx.committee))
    rows = response.content.decode()
    assert [u.pk for u in response.context["units"]] == [xx.department.pk]
    assert xx.department.name in rows and "<tr" in rows and "<html" not in rows
    assert "tree-depth-2" in rows  # two levels below the county
    assert f'data-tree-toggle="{_children_url(xx.department)}"' in rows
    deeper, _ = _get(client, _children_url(xx.department))
    assert office.name in deeper.content.decode()


def test_a_city_sees_its_counties_at_first_and_expands_one(client, xx, pq, city):
    client.force_login(make_user(Role.OFFICE, city, username="city-office"))
    response, _ = _get(client, reverse("cadres:unit_list"))
    assert {u.pk for u in response.context["units"]} == {city.pk, xx.county.pk, pq.county.pk}
    rows, _ = _get(client, _children_url(pq.county))
    assert pq.township.name in rows.content.decode()
    assert xx.township.name not in rows.content.decode()


def test_the_sub_units_of_a_unit_outside_the_scope_are_not_found(client, xx, pq):
    client.force_login(xx.office)
    assert client.get(_children_url(pq.county)).status_code == 404
    assert client.get(_children_url(xx.county.parent)).status_code == 404  # above the county
    client.force_login(xx.liaison)
    assert client.get(_children_url(xx.township)).status_code == 403


def test_the_trees_queries_do_not_grow_with_the_number_of_units(client, xx):
    client.force_login(xx.office)
    counts = []
    for n in (3, 30):
        for _ in range(n):
            town = UnitFactory(kind=Unit.Kind.TOWNSHIP, parent=xx.county)
            UnitFactory(kind=Unit.Kind.GRASSROOTS, parent=town)
        counts.append(_get(client, reverse("cadres:unit_list"))[1])
        counts.append(_get(client, _children_url(xx.county))[1])
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
    assert counts[:2] == [4, 5], counts  # session, user, account, then the rows (and the parent)


def test_the_list_view_is_paginated(client, xx, settings):
    settings.PAGE_SIZE = 5
    for _ in range(7):
        UnitFactory(kind=Unit.Kind.TOWNSHIP, parent=xx.county)
    client.force_login(xx.office)
    first, _ = _get(client, reverse("cadres:unit_list"), view="list")
    assert len(first.context["units"]) == 5
    last, _ = _get(client, reverse("cadres:unit_list"), view="list", page=3)
    assert len(last.context["units"]) == 1  # 11 units: the county, 3 of its own, 7 towns
    assert "page=2" in last.content.decode()
