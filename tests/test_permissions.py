"""The permission matrix: every URL of the project, for every role.

Rows live in ``tests/matrix/<area>.py`` (one module per area). A URL without a row fails
``test_every_url_is_in_the_matrix``, so the matrix grows with the project.
"""

import importlib
import pkgutil

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.matrix
from cadres.models import Role, Unit
from tests.conftest import build_county
from tests.factories import CadreFactory, UnitFactory, WeightsFactory, YearFactory, make_user
from tests.matrix.base import url_args

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# "lead": a lead department's scorer. "grader": the township's principal leader, a cadre whose
# post holds a grading duty (the quarterly assessment); only the rows that name it are run for it.
ROLES = ("anonymous", "office", "leader", "liaison", "cadre", "lead", "grader")
AREAS = [
    importlib.import_module(f"tests.matrix.{m.name}")
    for m in pkgutil.iter_modules(tests.matrix.__path__)
    if m.name != "base"
]
MATRIX = {name: row for area in AREAS for name, row in area.ROWS.items()}

# Views that are not the project's own (Django's login and logout).
NOT_OURS = {"login", "logout"}
# Pages anyone may open without logging in: the anonymous moral-assessment ballot.
PUBLIC = {"ballot:enter", "ballot:done"}


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
    names = set(_names(get_resolver())) - NOT_OURS - PUBLIC
    assert names - set(MATRIX) == set(), "add the new URLs to a tests/matrix module"
    assert set(MATRIX) - names == set(), "remove URLs that no longer exist"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_urls_open_without_login(client, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix-media")


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, media_root):
    """Overrides the root fixture: the world's files live in one folder for the module."""
    settings.PASSWORD_HASHERS = FAST_HASHER
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = media_root


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_root):
    """Objects of the county under test that the URLs take, built once for the module inside
    a transaction that is rolled back at its end (each case runs in a savepoint of it).
    Every area gets the year (in progress, with weights for every assessed kind) and may add
    objects of its own."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER, MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        city = UnitFactory(code="LF", name="临汾市", kind=Unit.Kind.CITY)
        xx = build_county(city, "XX", "隰县")
        year = YearFactory(county=xx.county, status="in_progress")
        for kind in ("committee", "township", "department"):
            WeightsFactory(year=year, unit_kind=kind)
        principal = CadreFactory(
            unit=xx.township, number="XX-0009", name="隰县王书记", title="党委书记",
            is_leading=True, is_principal=True, post_kind="principal",
        )  # fmt: skip
        world = {
            "xx": xx,
            "year": year,
            "unit": xx.township,
            "cadre": xx.cadre,
            "principal": principal,
            "users": {
                "office": xx.office,
                "leader": xx.leader,
                "liaison": xx.liaison,
                "cadre": xx.cadre_user,
                # A lead department's scorer (牵头部门评分员) of the county's department.
                "lead": make_user(Role.LEAD, xx.department, username="lead-XX"),
                "grader": make_user(Role.CADRE, xx.township, username="grader-XX", cadre=principal),
            },
        }
        for area in AREAS:
            world.update(area.objects(world))
        yield world
        transaction.set_rollback(True)


CASES = [
    (name, role)
    for name in MATRIX
    for role in ROLES
    if role != "grader" or "grader" in MATRIX[name][2]
]


def expected_status(expected: dict, role: str) -> int:
    """The status a row expects for ``role``. A row that does not name the lead department's
    scorer ("lead") expects for it the refusal a cadre gets, and a 403 where a cadre opens or
    acts on their own records (200, 302): both see only their own corner (a cadre their own
    records, a lead department the indicators it leads), so a page about anything else is
    refused to both. A page every other role gets alike (home, the password change) the lead
    role gets alike too."""
    if role in expected:
        return expected[role]
    if len(set(expected.values())) == 1:
        return next(iter(expected.values()))  # a page of every login (home, password)
    return expected["cadre"] if expected["cadre"] >= 400 else 403


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), CASES, ids=[f"{n}-{r}" for n, r in CASES])
def test_permission_matrix(client, world, name, role):
    method, obj, expected, data = MATRIX[name]
    url = reverse(name, args=url_args(world[obj]) if obj else [])
    if role != "anonymous":
        client.force_login(world["users"][role])
    response = getattr(client, method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        status = expected_status(expected, role)
        assert response.status_code == status, (name, role, response.status_code)
