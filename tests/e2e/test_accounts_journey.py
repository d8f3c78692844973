"""The city office sets up a new county from the app: the county, its office login, and that
office's first liaison; each new login logs in with its printed initial password and must
choose its own before anything else. Screenshots of every step are saved for review."""

import pytest
from django.utils import translation

from cadres.models import Account, AccountChange, Role, Unit
from tests.e2e.browser import browser_page, shot, with_password
from tests.factories import UnitFactory, make_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("#id_password").press("Enter")
    page.wait_for_load_state()


def log_out(page) -> None:
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_load_state()


def new_login(page, base: str, username: str, full_name: str, role: str, unit: str) -> str:
    """Create a login on the account form; returns the initial password from the slip."""
    page.goto(f"{base}/org/accounts/new/")
    page.fill("#id_username", username)
    page.fill("#id_full_name", full_name)
    page.select_option("#id_role", role)
    page.select_option("#id_unit", label=unit)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    return page.text_content("#initial-password").strip()


def choose_own_password(page, initial: str, new: str) -> None:
    assert page.url.endswith("/org/password/")
    page.fill("#id_old_password", initial)
    page.fill("#id_new_password1", new)
    page.fill("#id_new_password2", new)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def test_the_city_office_sets_up_a_county_whose_office_adds_a_liaison(live_server):
    city = UnitFactory(code="LF", name="临汾市", kind=Unit.Kind.CITY)
    city_office = make_user(Role.OFFICE, city, username="city-office")
    with_password(city_office)
    base = live_server.url
    with browser_page() as page:
        page.on("dialog", lambda dialog: dialog.accept())
        log_in(page, base, "city-office", "journey-pass-1")
        page.goto(f"{base}/org/units/new/")
        page.fill("#id_code", "PX")
        page.fill("#id_name", "蒲县")
        page.select_option("#id_kind", "county")
        page.select_option("#id_parent", label="临汾市")
        shot(page, "accounts-1-city-creates-county")
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()
        assert "蒲县" in page.content()

        office_password = new_login(page, base, "px-office", "蒲县考核办", "office", "蒲县")
        shot(page, "accounts-2-office-slip")
        log_out(page)

        log_in(page, base, "px-office", office_password)
        shot(page, "accounts-3-office-must-change")
        choose_own_password(page, office_password, "Pu-xian-2015a")
        assert page.url.endswith("/assess/")
        page.goto(f"{base}/org/units/new/")
        page.fill("#id_code", "PX-T1")
        page.fill("#id_name", "蒲城镇")
        page.select_option("#id_kind", "township")
        page.select_option("#id_parent", label="蒲县")
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()
        liaison_password = new_login(page, base, "px-liaison", "刘填报", "liaison", "蒲城镇")
        shot(page, "accounts-4-liaison-slip")
        log_out(page)

        log_in(page, base, "px-liaison", liaison_password)
        assert page.url.endswith("/org/password/")
        assert (
            zh("You logged in with an initial password. Choose a password of your own to go on.")
            in page.content()
        )
        choose_own_password(page, liaison_password, "Liu-tian-2015b")
        assert page.url.endswith("/assess/my-unit/")
        shot(page, "accounts-5-liaison-home")

    county = Unit.objects.get(code="PX")
    assert county.parent == city
    office = Account.objects.get(user__username="px-office")
    assert (office.role, office.unit, office.must_change_password) == ("office", county, False)
    liaison = Account.objects.get(user__username="px-liaison")
    assert liaison.unit.code == "PX-T1"
    assert not liaison.must_change_password
    created = AccountChange.objects.get(account=liaison, action=AccountChange.Action.CREATED)
    assert created.by == office.user
