"""The permission matrix: every URL of the project, for every role.

A new URL without a row here fails ``test_every_url_is_in_the_matrix``, so the matrix grows
with the project.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import IndicatorFactory, YearFactory

ROLES = ("anonymous", "office", "leader", "liaison", "cadre")

# url name -> (method, {role: expected status}); anonymous is always sent to the login page.
OFFICE_ONLY = {"office": 200, "leader": 403, "liaison": 403, "cadre": 403}
STAFF_READ = {"office": 200, "leader": 200, "liaison": 403, "cadre": 403}
OFFICE_POST = {"office": 302, "leader": 403, "liaison": 403, "cadre": 403}

MATRIX = {
    "home": ("get", {"office": 302, "leader": 302, "liaison": 302, "cadre": 302}),
    "cadres:unit_list": ("get", STAFF_READ),
    "cadres:unit_create": ("get", OFFICE_ONLY),
    "cadres:unit_detail": ("get", {"office": 200, "leader": 200, "liaison": 200, "cadre": 403}),
    "cadres:unit_edit": ("get", OFFICE_ONLY),
    "cadres:cadre_list": ("get", STAFF_READ),
    "cadres:cadre_create": ("get", OFFICE_ONLY),
    "cadres:cadre_detail": ("get", {"office": 200, "leader": 200, "liaison": 403, "cadre": 200}),
    "cadres:cadre_edit": ("get", OFFICE_ONLY),
    "cadres:cadre_move": ("get", OFFICE_ONLY),
    "cadres:me": ("get", {"office": 403, "leader": 403, "liaison": 403, "cadre": 200}),
    "assessments:overview": ("get", STAFF_READ),
    "assessments:year_list": ("get", STAFF_READ),
    "assessments:year_create": ("get", OFFICE_ONLY),
    "assessments:catalog": ("get", {"office": 200, "leader": 200, "liaison": 200, "cadre": 403}),
    "assessments:year_edit": ("get", OFFICE_ONLY),
    "assessments:year_status": ("post", OFFICE_POST),
    "assessments:year_copy": ("get", OFFICE_ONLY),
    "assessments:weights_edit": ("get", OFFICE_ONLY),
    "assessments:indicator_create": ("get", OFFICE_ONLY),
    "assessments:indicator_edit": ("get", OFFICE_ONLY),
    "assessments:indicator_delete": ("post", OFFICE_POST),
}

# Views that are not the project's own (Django's login and admin).
NOT_OURS = {"login", "logout"}


def _names(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def test_every_url_is_in_the_matrix():
    names = set(_names(get_resolver())) - NOT_OURS
    assert names - set(MATRIX) == set(), "add the new URLs to MATRIX"
    assert set(MATRIX) - names == set(), "remove URLs that no longer exist"


# url name -> which object of the world its URL takes (none for the rest).
URL_OBJECT = {
    "cadres:unit_detail": "unit",
    "cadres:unit_edit": "unit",
    "cadres:cadre_detail": "cadre",
    "cadres:cadre_edit": "cadre",
    "cadres:cadre_move": "cadre",
    "assessments:catalog": "year",
    "assessments:year_edit": "year",
    "assessments:year_status": "year",
    "assessments:year_copy": "year",
    "assessments:weights_edit": "year",
    "assessments:indicator_create": "year",
    "assessments:indicator_edit": "indicator",
    "assessments:indicator_delete": "indicator",
}


@pytest.fixture
def world(xx):
    year = YearFactory(county=xx.county)
    return {
        "xx": xx,
        "unit": xx.township,
        "cadre": xx.cadre,
        "year": year,
        "indicator": IndicatorFactory(year=year),
        "users": {
            "office": xx.office,
            "leader": xx.leader,
            "liaison": xx.liaison,
            "cadre": xx.cadre_user,
        },
    }


CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_permission_matrix(client, world, name, role):
    method, expected = MATRIX[name]
    obj = URL_OBJECT.get(name)
    url = reverse(name, args=[world[obj].pk] if obj else [])
    if role != "anonymous":
        client.force_login(world["users"][role])
    data = {"status": "in_progress"} if name == "assessments:year_status" else {}
    response = getattr(client, method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected[role], (name, role, response.status_code)
