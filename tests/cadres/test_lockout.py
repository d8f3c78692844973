"""Login lockout (django-axes): per login name and per address, a Chinese page, the office's
unlock; the right password after the lock does not get in."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.e2e.browser import PASSWORD, with_password

pytestmark = pytest.mark.django_db


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_wrong_passwords_lock_the_login_and_the_right_one_no_longer_gets_in(client, xx):
    with_password(xx.liaison)
    for _ in range(4):
        assert attempt(client, xx.liaison.username, "wrong-pass").status_code == 200
    locked = attempt(client, xx.liaison.username, "wrong-pass")
    assert locked.status_code == 429
    assert "登录已锁定" in locked.content.decode()
    # The right password from another address: the login name itself is locked.
    response = attempt(client, xx.liaison.username, PASSWORD, address="10.0.0.2")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_from_one_address_lock_that_address(client, xx):
    with_password(xx.office)
    for name in ("a1", "a2", "a3", "a4", "a5"):
        attempt(client, name, "wrong-pass", address="10.0.0.9")
    assert attempt(client, xx.office.username, PASSWORD, address="10.0.0.9").status_code == 429
    assert attempt(client, xx.office.username, PASSWORD, address="10.0.0.8").status_code == 302


def test_a_forged_forwarded_header_does_not_dodge_the_address_lock(client, xx, settings):
    settings.BEHIND_HTTPS_PROXY = True
    with_password(xx.office)
    for n in range(5):
        client.post(
            reverse("login"),
            {"username": f"x{n}", "password": "wrong-pass"},
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, 10.0.0.7",
        )
    response = client.post(
        reverse("login"),
        {"username": xx.office.username, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="9.9.9.9, 10.0.0.7",
    )
    assert response.status_code == 429


def test_the_office_sees_and_unlocks_a_locked_login_of_its_county(client, xx, pq):
    with_password(xx.liaison, pq.liaison)
    for _ in range(5):
        attempt(client, xx.liaison.username, "wrong-pass", address="10.0.1.1")
        attempt(client, pq.liaison.username, "wrong-pass", address="10.0.2.1")
    client.force_login(xx.office)
    page = client.get(reverse("cadres:locked_list")).content.decode()
    assert xx.liaison.username in page
    assert pq.liaison.username not in page
    # Another county's login is not the office's to unlock.
    other = client.post(reverse("cadres:login_unlock"), {"username": pq.liaison.username})
    assert other.status_code == 404
    assert AccessAttempt.objects.filter(username=pq.liaison.username).exists()
    response = client.post(reverse("cadres:login_unlock"), {"username": xx.liaison.username})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=xx.liaison.username).exists()
    client.logout()
    assert attempt(client, xx.liaison.username, PASSWORD, address="10.0.1.1").status_code == 302


def test_a_right_password_resets_the_count(client, xx):
    with_password(xx.leader)
    for _ in range(4):
        attempt(client, xx.leader.username, "wrong-pass")
    assert attempt(client, xx.leader.username, PASSWORD).status_code == 302
    client.logout()
    assert attempt(client, xx.leader.username, "wrong-pass").status_code == 200
