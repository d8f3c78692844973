"""A rater casts the anonymous moral-assessment ballot on a phone: scan the slip's QR code
(``/ballot/#CODE``), open the ballot, tap an answer for every item and an overall judgement,
submit. Screenshots of each step are saved for review."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from assessments.models import Ballot, BallotAnswer, BallotCode, MoralItem
from assessments.services import moral
from tests.e2e.browser import SCREENSHOTS, browser_page
from tests.factories import CadreFactory, YearFactory
from tests.moral_dates import working_year

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "reduced_motion": "reduce",  # no smooth scrolling: screenshots show where the page settles
}


@pytest.fixture
def ballot_code(xx):
    """An open round over Xi County's township, whose two leaders are rated; one code."""
    year = YearFactory(county=xx.county, year=working_year(), status="in_progress")
    moral.moral_template_create(year=year)
    today = timezone.localdate()
    round_ = moral.moral_round_open(
        year=year,
        name="2015年度干部考德测评",
        units=[xx.township],
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=10),
    )
    CadreFactory(
        unit=xx.township,
        name="王建国",
        title="镇党委书记",
        is_leading=True,
        is_principal=True,
        post_kind="principal",
    )
    CadreFactory(unit=xx.township, name="李秀英", title="镇长", is_leading=True, post_kind="deputy")
    (code,) = moral.ballot_codes_issue(round_=round_, unit=xx.township, group="public", count=1)
    return code


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_rater_casts_the_ballot_on_a_phone(live_server, ballot_code):
    from playwright.sync_api import expect

    code = ballot_code.code
    items = MoralItem.objects.filter(dimension__template__year=ballot_code.round.year).count()
    with translation.override("zh-hans"):
        thanks = translation.gettext("Your ballot has been cast. Thank you.")

    # No database queries inside the Playwright block: they would run on another connection
    # (Playwright's greenlet has its own context) that is never closed.
    with browser_page(**PHONE) as page:
        # The QR code on the slip opens /ballot/#CODE: the field is filled from the fragment,
        # and the fragment is dropped from the address bar.
        page.goto(f"{live_server.url}/ballot/#{code}")
        field = page.locator("#id_code")
        expect(field).to_have_value(code)
        assert "#" not in page.url
        page.screenshot(path=SCREENSHOTS / "ballot-phone-1-code.png")

        page.get_by_role("button").tap()
        page.wait_for_selector("form#ballot")
        assert code not in page.url
        expect(page.locator(".cadre-name")).to_have_text(["王建国", "李秀英"])
        groups = page.locator(".choices")
        expect(groups).to_have_count(2 * (items + 1))
        submit = page.locator("form#ballot button[type=submit]")
        page.screenshot(path=SCREENSHOTS / "ballot-phone-2-ballot.png")

        # Tap an answer in every group: the items vary, the judgement is the last group.
        # Halfway, submitting is held back and nothing is saved.
        half = items + 1
        for i, group in enumerate(groups.all()):
            if i == half:
                submit.tap()
                expect(page.locator("form#ballot")).to_be_visible()
                # (Had it been cast, the code would be used up and the last submit refused.)
                assert not page.url.endswith("/done/")
                expect(page.locator(".item.missing").first).to_be_visible()
                page.screenshot(path=SCREENSHOTS / "ballot-phone-3-incomplete.png")
            labels = group.locator("label")
            is_judgement = "judgement" in (group.get_attribute("class") or "")
            labels.nth(1 if is_judgement else i % 3).tap()
        expect(page.locator("#answered")).to_have_text(str(2 * (items + 1)))
        page.screenshot(path=SCREENSHOTS / "ballot-phone-4-answered.png", full_page=True)

        submit.tap()
        page.wait_for_url("**/ballot/done/")
        expect(page.locator("#ballot-done")).to_have_text(thanks)
        page.screenshot(path=SCREENSHOTS / "ballot-phone-5-done.png")

    ballot_code.refresh_from_db()
    assert ballot_code.used
    assert Ballot.objects.filter(round=ballot_code.round, group="public").count() == 2
    assert BallotAnswer.objects.count() == 2 * items
    assert set(Ballot.objects.values_list("judgement", flat=True)) == {"competent"}
    assert not BallotCode.objects.filter(used=False).exists()
