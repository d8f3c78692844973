"""The office's account pages: a new login with a printed initial password that must be
changed at the first login, a reset, deactivation, every change recorded, all within scope."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from cadres import services
from cadres.models import Account, AccountChange, Role
from cadres.services import accounts
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db


def password_on(slip) -> str:
    return re.search(r'id="initial-password">([^<]+)<', slip.content.decode()).group(1)


def test_the_office_creates_a_liaison_who_must_change_the_password_at_first_login(client, xx):
    client.force_login(xx.office)
    slip = client.post(
        reverse("cadres:account_create"),
        {"username": "liaison-new", "full_name": "赵新", "role": Role.LIAISON,
         "unit": xx.township.pk},
    )  # fmt: skip
    assert slip.status_code == 200
    assert "no-store" in slip["Cache-Control"]
    # The navigation still names the office's own login, not the one on the slip.
    assert f"考核办 · {xx.county.name}" in slip.content.decode()
    password = password_on(slip)
    account = Account.objects.get(user__username="liaison-new")
    assert account.unit == xx.township
    assert account.must_change_password
    assert [c.action for c in account.changes.all()] == [AccountChange.Action.CREATED]
    assert account.changes.get().by == xx.office

    client.logout()
    logged_in = client.post(reverse("login"), {"username": "liaison-new", "password": password})
    assert logged_in.status_code == 302
    # Any page sends the login to the password change first.
    assert client.get(reverse("assessments:my_unit"))["Location"] == reverse(
        "cadres:password_change"
    )
    changed = client.post(
        reverse("cadres:password_change"),
        {
            "old_password": password,
            "new_password1": "Li-ang-2015x",
            "new_password2": "Li-ang-2015x",
        },
    )
    assert changed.status_code == 302
    account.refresh_from_db()
    assert not account.must_change_password
    assert client.get(reverse("assessments:my_unit")).status_code == 200


def test_a_unit_outside_the_offices_scope_is_refused_and_nothing_is_created(client, xx, pq):
    client.force_login(xx.office)
    response = client.post(
        reverse("cadres:account_create"),
        {"username": "intruder", "role": Role.OFFICE, "unit": pq.county.pk},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not get_user_model().objects.filter(username="intruder").exists()


def test_a_cadre_login_needs_its_cadre_and_links_to_it(client, xx):
    cadre = CadreFactory(unit=xx.township, number="XX-0099", name="隰县钱五")
    client.force_login(xx.office)
    missing = client.post(
        reverse("cadres:account_create"), {"username": "qian", "role": Role.CADRE}
    )
    assert "cadre" in missing.context["form"].errors
    client.post(
        reverse("cadres:account_create"),
        {"username": "qian", "role": Role.CADRE, "cadre": cadre.pk},
    )
    cadre.refresh_from_db()
    assert cadre.user.username == "qian"
    assert cadre.user.account.unit == xx.township


def test_a_taken_user_name_is_a_form_error(client, xx):
    client.force_login(xx.office)
    response = client.post(
        reverse("cadres:account_create"),
        {"username": xx.leader.username.upper(), "role": Role.LEADER, "unit": xx.county.pk},
    )
    assert "username" in response.context["form"].errors


def test_a_reset_issues_a_new_initial_password_and_is_recorded(client, xx):
    client.force_login(xx.office)
    account = Account.objects.get(user=xx.liaison)
    slip = client.post(reverse("cadres:account_reset", args=[account.pk]))
    password = password_on(slip)
    xx.liaison.refresh_from_db()
    assert xx.liaison.check_password(password)
    account.refresh_from_db()
    assert account.must_change_password
    assert account.changes.get().action == AccountChange.Action.PASSWORD_RESET


def test_a_deactivated_login_cannot_log_in_and_its_history_shows_it(client, xx):
    account = Account.objects.get(user=xx.liaison)
    password = services.account_password_reset(account=account, by=xx.office)
    client.force_login(xx.office)
    client.post(reverse("cadres:account_active", args=[account.pk]), {"active": "0"})
    client.logout()
    refused = client.post(reverse("login"), {"username": xx.liaison.username, "password": password})
    assert refused.status_code == 200
    client.force_login(xx.office)
    page = client.get(reverse("cadres:account_detail", args=[account.pk])).content.decode()
    assert "停用" in page


def test_the_office_cannot_deactivate_itself(client, xx):
    client.force_login(xx.office)
    own = Account.objects.get(user=xx.office)
    client.post(reverse("cadres:account_active", args=[own.pk]), {"active": "0"})
    xx.office.refresh_from_db()
    assert xx.office.is_active


def test_another_countys_account_is_404(client, xx, pq):
    client.force_login(xx.office)
    other = Account.objects.get(user=pq.liaison)
    assert client.get(reverse("cadres:account_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("cadres:account_reset", args=[other.pk])).status_code == 404


def test_the_account_list_shows_the_scope_only_in_fixed_queries(
    client, xx, pq, django_assert_num_queries
):
    client.force_login(xx.office)
    with django_assert_num_queries(5):
        page = client.get(reverse("cadres:accounts")).content.decode()
    assert xx.liaison.username in page
    assert pq.liaison.username not in page


def test_initial_passwords_pass_the_validators_and_differ():
    passwords = {accounts.initial_password() for _ in range(20)}
    assert len(passwords) == 20
    assert all(len(p) == 10 for p in passwords)


def test_the_office_gives_several_cadres_a_login_at_once_with_a_slip_each(client, xx, pq):
    first = CadreFactory(unit=xx.township, number="XX-0101", name="隰县孙一")
    second = CadreFactory(unit=xx.department, number="XX-0102", name="隰县孙二")
    client.force_login(xx.office)
    page = client.get(reverse("cadres:cadre_logins")).content.decode()
    assert first.name in page
    assert pq.other_cadre.name not in page
    assert xx.cadre.name not in page  # already has a login
    slips = client.post(reverse("cadres:cadre_logins"), {"cadres": [first.pk, second.pk]})
    assert slips.status_code == 200
    assert "no-store" in slips["Cache-Control"]
    shown = dict(
        re.findall(
            r'fs-5">([^<]+)</span></div>\s*<div>[^<]*<span class="[^"]*initial-password">([^<]+)<',
            slips.content.decode(),
        )
    )
    assert sorted(shown) == [first.number, second.number]
    for cadre in (first, second):
        password = shown[cadre.number]
        cadre.refresh_from_db()
        assert cadre.user.username == cadre.number
        assert cadre.user.check_password(password)
        assert cadre.user.account.must_change_password


def test_a_cadre_of_another_county_or_a_taken_name_refuses_the_whole_batch(client, xx, pq):
    mine = CadreFactory(unit=xx.township, number="XX-0201", name="隰县周一")
    clash = CadreFactory(unit=xx.township, number=xx.leader.username, name="隰县周二")
    client.force_login(xx.office)
    other = client.post(reverse("cadres:cadre_logins"), {"cadres": [mine.pk, pq.other_cadre.pk]})
    assert "cadres" in other.context["form"].errors
    taken = client.post(reverse("cadres:cadre_logins"), {"cadres": [mine.pk, clash.pk]})
    assert xx.leader.username in taken.content.decode()
    mine.refresh_from_db()
    assert mine.user is None
