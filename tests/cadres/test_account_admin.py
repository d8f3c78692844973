"""The office administers logins from the app: another role or scope for a login (within its
own subtree, recorded), logins for cadres from an Excel list of numbers (all or none, a slip
each), and initial passwords hashed cheaply but re-hashed at the first login."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from cadres import services
from cadres.models import Account, AccountChange, Role
from tests.assessments.test_imports import xlsx
from tests.factories import CadreFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _liaison_account(xx):
    return Account.objects.get(user=xx.liaison)


def test_the_office_moves_a_liaison_to_another_unit_recorded_and_grouped(client, xx):
    other = UnitFactory(parent=xx.county, name="隰县另一镇")
    account = _liaison_account(xx)
    client.force_login(xx.office)
    page = client.get(reverse("cadres:account_detail", args=[account.pk])).content.decode()
    assert reverse("cadres:account_edit", args=[account.pk]) in page
    response = client.post(
        reverse("cadres:account_edit", args=[account.pk]),
        {"role": Role.LEADER, "unit": other.pk},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.role, account.unit) == (Role.LEADER, other)
    assert list(xx.liaison.groups.values_list("name", flat=True)) == [Role.LEADER]
    change = account.changes.get(action=AccountChange.Action.ROLE)
    assert change.by == xx.office
    assert xx.township.name in change.before and other.name in change.after


def test_a_scope_outside_the_offices_subtree_is_a_form_error_and_nothing_changes(client, xx, pq):
    account = _liaison_account(xx)
    client.force_login(xx.office)
    response = client.post(
        reverse("cadres:account_edit", args=[account.pk]),
        {"role": Role.OFFICE, "unit": pq.county.pk},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    account.refresh_from_db()
    assert (account.role, account.unit) == (Role.LIAISON, xx.township)
    assert not account.changes.filter(action=AccountChange.Action.ROLE).exists()


def test_nobody_edits_their_own_role_and_a_cadres_login_has_nothing_to_edit(client, xx):
    own = Account.objects.get(user=xx.office)
    client.force_login(xx.office)
    response = client.post(
        reverse("cadres:account_edit", args=[own.pk]), {"role": Role.LEADER, "unit": xx.county.pk}
    )
    assert "你不能修改自己账号的角色或范围" in response.content.decode()
    own.refresh_from_db()
    assert own.role == Role.OFFICE
    cadre_account = Account.objects.get(user=xx.cadre.user)
    assert client.get(reverse("cadres:account_edit", args=[cadre_account.pk])).status_code == 404
    with pytest.raises(services.accounts.ValidationError):
        services.account_update(account=cadre_account, role=Role.OFFICE, unit=xx.county)


def test_another_countys_login_is_404_to_edit(client, xx, pq):
    client.force_login(xx.office)
    theirs = Account.objects.get(user=pq.office)
    assert client.get(reverse("cadres:account_edit", args=[theirs.pk])).status_code == 404


def _logins_file(*rows):
    return xlsx({"登录账号": [("干部编号", "用户名"), *rows]}, name="登录.xlsx")


def test_logins_from_an_excel_list_print_a_slip_each(client, xx):
    first = CadreFactory(unit=xx.township, number="XX-0301", name="隰县吴一")
    second = CadreFactory(unit=xx.department, number="XX-0302", name="隰县吴二")
    client.force_login(xx.office)
    preview = client.post(
        reverse("assessments:import_preview"),
        {"kind": "logins", "file": _logins_file(("XX-0301", ""), ("XX-0302", "wu-er"))},
        follow=True,
    )
    assert preview.status_code == 200
    token = preview.context["token"]
    assert token
    first.refresh_from_db()
    assert first.user is None  # a preview opens nothing
    done = client.post(reverse("assessments:import_confirm"), {"token": token}, follow=True)
    assert "no-store" in done["Cache-Control"]
    page = done.content.decode()
    passwords = re.findall(r'initial-password">([^<]+)<', page)
    assert len(passwords) == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.user.username, second.user.username) == ("XX-0301", "wu-er")
    assert first.user.check_password(passwords[0])
    assert second.user.check_password(passwords[1])
    assert first.user.account.must_change_password


def test_a_bad_row_in_the_logins_list_opens_no_login_and_names_each_problem(client, xx, pq):
    mine = CadreFactory(unit=xx.township, number="XX-0401", name="隰县郑一")
    client.force_login(xx.office)
    preview = client.post(
        reverse("assessments:import_preview"),
        {
            "kind": "logins",
            "file": _logins_file(
                ("XX-0401", ""),
                (pq.other_cadre.number, ""),  # another county's cadre
                (xx.cadre.number, ""),  # already has a login
                ("XX-0401", "again"),  # the same cadre twice
                ("XX-9999", xx.leader.username),  # unknown number, taken name
                ("XX-0401", "坏 名"),
            ),
        },
        follow=True,
    )
    problems = {(p.row, p.column) for p in preview.context["result"].problems}
    assert {(3, "干部编号"), (4, "干部编号"), (5, "干部编号"), (6, "干部编号")} <= problems
    assert {(6, "用户名"), (7, "用户名")} <= problems
    assert preview.context["token"] == ""
    mine.refresh_from_db()
    assert mine.user is None
    assert not get_user_model().objects.filter(username="again").exists()


INITIAL = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "cadres.hashers.InitialPasswordHasher",
]


@override_settings(PASSWORD_HASHERS=INITIAL)
def test_an_initial_password_is_hashed_cheaply_and_rehashed_at_the_first_login(client, xx):
    account, password = services.account_open(
        by=xx.office, username="new-one", role=Role.LIAISON, unit=xx.township
    )
    user = account.user
    assert user.password.startswith("pbkdf2_initial$20000$")
    logged_in = client.post(reverse("login"), {"username": "new-one", "password": password})
    assert logged_in.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    assert user.check_password(password)
