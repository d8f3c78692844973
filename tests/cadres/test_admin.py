"""The Django admin: for superusers only, and its writes keep the data in step (a unit's path,
an account's group); the fields that only the app's services may change are read-only."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from cadres import services
from cadres.models import Account, Role, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = get_user_model().objects.create_superuser("root", "root@example.gov.cn", "Root-pass-1")
    client.force_login(user)
    return user


def test_office_staff_cannot_open_the_admin_even_as_staff(client, xx):
    xx.office.is_staff = True
    xx.office.save()
    client.force_login(xx.office)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_a_superuser_opens_the_admin(client, root):
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_unit_added_in_the_admin_gets_its_place_in_the_tree(client, root, xx):
    response = client.post(
        reverse("admin:cadres_unit_add"),
        {
            "code": "XX-T9",
            "name": "新镇",
            "kind": Unit.Kind.TOWNSHIP,
            "parent": xx.county.pk,
            "sort_order": 0,
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="XX-T9")
    assert unit.path.startswith(xx.county.path)
    assert unit.depth == xx.county.depth + 1


def test_the_admin_cannot_move_a_unit_so_its_path_never_goes_stale(client, root, xx, pq):
    url = reverse("admin:cadres_unit_change", args=[xx.township.pk])
    page = client.get(url).content.decode()
    assert 'name="parent"' not in page
    client.post(
        url,
        {
            "code": xx.township.code,
            "name": "改名镇",
            "kind": xx.township.kind,
            "parent": pq.county.pk,
            "sort_order": 0,
        },
    )
    xx.township.refresh_from_db()
    assert xx.township.name == "改名镇"
    assert xx.township.parent_id == xx.county.pk
    assert xx.township.path.startswith(xx.county.path)


def test_changing_a_role_in_the_admin_moves_the_login_to_that_group(client, root, xx):
    account = Account.objects.get(user=xx.leader)
    client.post(
        reverse("admin:cadres_account_change", args=[account.pk]),
        {"role": Role.OFFICE, "unit": xx.county.pk},
    )
    account.refresh_from_db()
    assert account.role == Role.OFFICE
    assert list(xx.leader.groups.values_list("name", flat=True)) == [Role.OFFICE]


def test_a_cadres_unit_and_posts_are_read_only_in_the_admin(client, root, xx):
    page = client.get(reverse("admin:cadres_cadre_change", args=[xx.cadre.pk])).content.decode()
    assert 'name="unit"' not in page
    assert 'name="title"' not in page
    assert client.get(reverse("admin:cadres_cadre_add")).status_code == 403


@pytest.mark.parametrize(
    "password", ["short1", "12345678901", "password123", "office-XX-1"], ids=str
)
def test_account_create_refuses_a_weak_password_and_creates_nothing(xx, password):
    with pytest.raises(ValidationError) as refused:
        services.account_create(
            username="office-XX-1", password=password, role=Role.OFFICE, unit=xx.county
        )
    assert "password" in refused.value.message_dict
    assert not get_user_model().objects.filter(username="office-XX-1").exists()


def test_account_create_takes_a_strong_password(xx):
    user = services.account_create(
        username="new-office", password="Qiu-shi-2015!", role=Role.OFFICE, unit=xx.county
    )
    assert user.check_password("Qiu-shi-2015!")
    assert Group.objects.get(name=Role.OFFICE) in user.groups.all()
