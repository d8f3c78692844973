"""The permission matrix: every URL of the project, for every role.

Rows live in ``tests/matrix/<area>.py`` (one module per area). A URL without a row fails
``test_every_url_is_in_the_matrix``, so the matrix grows with the project.
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.matrix
from tests.factories import WeightsFactory, YearFactory

ROLES = ("anonymous", "office", "leader", "liaison", "cadre")
AREAS = [
    importlib.import_module(f"tests.matrix.{m.name}")
    for m in pkgutil.iter_modules(tests.matrix.__path__)
    if m.name != "base"
]
MATRIX = {name: row for area in AREAS for name, row in area.ROWS.items()}

# Views that are not the project's own (Django's login and logout).
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
    assert names - set(MATRIX) == set(), "add the new URLs to a tests/matrix module"
    assert set(MATRIX) - names == set(), "remove URLs that no longer exist"


@pytest.fixture
def world(xx):
    """Objects of the county under test that the URLs take. Every area gets the year (in
    progress, with weights for every assessed kind) and may add objects of its own."""
    year = YearFactory(county=xx.county, status="in_progress")
    for kind in ("committee", "township", "department"):
        WeightsFactory(year=year, unit_kind=kind)
    world = {
        "xx": xx,
        "year": year,
        "unit": xx.township,
        "cadre": xx.cadre,
        "users": {
            "office": xx.office,
            "leader": xx.leader,
            "liaison": xx.liaison,
            "cadre": xx.cadre_user,
        },
    }
    for area in AREAS:
        world.update(area.objects(world))
    return world


CASES = [(name, role) for name in MATRIX for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_permission_matrix(client, world, name, role):
    method, obj, expected, data = MATRIX[name]
    url = reverse(name, args=[world[obj].pk] if obj else [])
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = getattr(client, method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected[role], (name, role, response.status_code)
