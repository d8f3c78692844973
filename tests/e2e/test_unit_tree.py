"""The unit tree in a browser: a unit's sub-units load under it on expand and fold away again,
with nothing refused by the Content-Security-Policy."""

import pytest
from django.urls import reverse

from tests.e2e.browser import browser_page, log_in, shot, with_password
from tests.factories import UnitFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_expanding_a_unit_loads_its_sub_units_and_folding_removes_them(live_server, xx):
    office = UnitFactory(name="隰县财政局办公室", parent=xx.department)
    with_password(xx.office)
    with browser_page() as page:
        refused = []
        page.on("console", lambda m: refused.append(m.text) if "Refused" in m.text else None)
        log_in(page, live_server.url, xx.office.username)
        page.goto(live_server.url + reverse("cadres:unit_list"))
        assert page.locator("text=" + xx.department.name).count() == 0
        toggle = page.locator(f"tr:has-text('{xx.committee.name}') [data-tree-toggle]")
        toggle.click()
        page.locator("text=" + xx.department.name).wait_for()
        assert toggle.get_attribute("aria-expanded") == "true"
        page.locator(f"tr:has-text('{xx.department.name}') [data-tree-toggle]").click()
        page.locator("text=" + office.name).wait_for()
        shot(page, "unit-tree-expanded")
        toggle.click()  # fold the committee: its whole subtree goes
        page.locator("text=" + xx.department.name).wait_for(state="detached")
        assert page.locator("text=" + office.name).count() == 0
        assert not refused, refused
