"""A cadre asks for a review of their published grade through the confirmation, and the office
answers it from the pending-review banner's list (Chromium driven by Playwright, against
``live_server``). Screenshots of every step are saved for review."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from assessments.models import MoralResult, MoralRound, ReviewRequest
from assessments.services import grading
from tests.e2e.browser import browser_page, log_in, shot, with_password
from tests.factories import CadreFactory, YearFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def test_a_cadre_files_a_review_and_the_office_answers_it_from_the_banner(live_server, xx):
    year = YearFactory(county=xx.county, year=2015, status="closed")
    grading.policy_set(year=year)
    others = [CadreFactory(unit=xx.township) for _ in range(3)]
    round_ = MoralRound.objects.create(
        year=year,
        name="2015年度考德",
        opens_on=dt.date(2015, 12, 1),
        closes_on=dt.date(2015, 12, 20),
        status="closed",
    )
    for cadre, score in zip([xx.cadre, xx.other_cadre, *others], (88, 91, 79, 84, 70), strict=True):
        MoralResult.objects.create(round=round_, cadre=cadre, score=Decimal(score), ballots=10)
    grading.results_propose(year=year)
    grading.results_publish(year=year)
    year_pk = year.pk
    with_password(xx.cadre_user, xx.office)
    dialogs: list[str] = []

    with browser_page() as page:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))
        log_in(page, live_server.url, xx.cadre_user.username)
        page.wait_for_url("**/assess/me/")
        page.fill("textarea[name=reasons]", "民主测评中同事组票数统计有误，请复核。")
        shot(page, "review-1-cadre-fills-in-the-request")
        page.locator("button", has_text=zh("File the request")).click()
        page.wait_for_load_state()
        shot(page, "review-2-cadre-request-filed")
        filed_page = page.content()
        page.context.clear_cookies()

        log_in(page, live_server.url, xx.office.username)
        page.goto(f"{live_server.url}/assess/years/{year_pk}/results/")
        shot(page, "review-3-office-sees-the-banner")
        page.locator('a[href="?review=pending#cadre-results"]').click()
        page.wait_for_load_state()
        listed = page.locator("table.table-hover tbody tr").count()
        shot(page, "review-4-office-filtered-list")
        page.locator("table.table-hover tbody tr a", has_text=xx.cadre.name).click()
        page.wait_for_load_state()
        page.fill("textarea[name=answer]", "经复核，同事组票数统计无误，维持原等次。")
        page.locator("button", has_text=zh("Answer the review")).click()
        page.wait_for_load_state()
        shot(page, "review-5-office-answered")
        answered_page = page.content()

    assert len(dialogs) == 1
    assert "2015" in dialogs[0]
    assert "only once" in dialogs[0] or "只能申请一次" in dialogs[0]
    assert "民主测评中同事组票数统计有误" in filed_page
    assert listed == 1
    review = ReviewRequest.objects.get()
    assert review.result.cadre_id == xx.cadre.pk
    assert review.outcome == "upheld"
    assert review.answered_by_id == xx.office.pk
    assert "维持原等次" in answered_page


def test_the_policy_page_and_slips_with_a_long_title_print_in_full(live_server, xx):
    from django.utils import timezone

    from assessments.services import moral
    from tests.moral_dates import working_year

    year = YearFactory(county=xx.county, year=working_year(), status="in_progress")
    grading.policy_set(year=year)
    moral.moral_template_create(year=year)
    today = timezone.localdate()
    long_name = f"{year.year}年度全县科级领导干部量化考德民主测评（第四季度集中测评）"
    round_ = moral.moral_round_open(
        year=year,
        name=long_name,
        units=[xx.township],
        opens_on=today,
        closes_on=today + dt.timedelta(days=5),
    )
    moral.ballot_codes_issue(round_=round_, unit=xx.township, group="peers", count=4)
    year_pk, round_pk = year.pk, round_.pk
    with_password(xx.office)
    with browser_page() as page:
        log_in(page, live_server.url, xx.office.username)
        page.goto(f"{live_server.url}/assess/years/{year_pk}/grading-policy/")
        shot(page, "policy-1-page")
        policy_text = page.content()
        page.goto(f"{live_server.url}/assess/moral/rounds/{round_pk}/slips/")
        page.emulate_media(media="print")
        shot(page, "slips-1-long-title")
        cut = page.evaluate(
            "Array.from(document.querySelectorAll('.slip .round, .slip .where'))"
            ".filter(e => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)"
            ".length"
        )
        inside = page.evaluate(
            "Array.from(document.querySelectorAll('.slip')).every(s => "
            "Array.from(s.querySelectorAll('.info > *')).every(e => "
            "e.getBoundingClientRect().bottom <= s.getBoundingClientRect().bottom + 0.5))"
        )

    assert "floor(20%" in policy_text or "20%" in policy_text
    assert cut == 0
    assert inside, "a slip's text runs past its bottom edge"


def test_the_template_table_saves_edits_in_two_rows_with_one_button(live_server, xx):
    from assessments.models import MoralItem
    from assessments.services import moral
    from tests.moral_dates import working_year

    year = YearFactory(county=xx.county, year=working_year(), status="in_progress")
    template = moral.moral_template_create(year=year)
    first, second = MoralItem.objects.filter(dimension__template=template).order_by("pk")[:2]
    template_pk, first_pk, second_pk = template.pk, first.pk, second.pk
    with_password(xx.office)
    with browser_page() as page:
        log_in(page, live_server.url, xx.office.username)
        page.goto(f"{live_server.url}/assess/moral/templates/{template_pk}/")
        page.fill(f"input[name=item{first_pk}-name]", "理想信念坚定，对党绝对忠诚")
        page.fill(f"input[name=item{second_pk}-weight_staff]", "3")
        shot(page, "template-1-two-rows-edited")
        page.locator("form#rows button[type=submit]").click()
        page.wait_for_load_state()
        shot(page, "template-2-saved", full_page=False)

    first.refresh_from_db()
    assert first.name == "理想信念坚定，对党绝对忠诚"
    assert second.weights.get(post_kind="staff").weight == 3


def test_who_reported_opens_only_on_demand_in_the_browser(live_server, xx):
    from django.contrib.auth.models import Permission

    from cadres.models import IntegrityReadLog
    from cadres.services import integrity

    entry = integrity.entry_record(
        cadre=xx.cadre,
        source="12380_phone",
        received_on=dt.date(2015, 3, 2),
        summary="反映其在项目验收中收受礼金。",
        by=xx.office,
        reporter_name="赵举报人",
    )
    codenames = ["read_integrity_archive", "read_integrity_reporter", "read_integrity_log"]
    xx.office.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    entry_pk = entry.pk
    with_password(xx.office)
    with browser_page() as page:
        log_in(page, live_server.url, xx.office.username)
        page.goto(f"{live_server.url}/org/integrity/entries/{entry_pk}/")
        before = page.content()
        shot(page, "integrity-1-entry-reporter-hidden")
        page.locator("a[href='?show=reporter#reporter']").click()
        page.wait_for_load_state()
        after = page.content()
        shot(page, "integrity-2-reporter-shown")
        page.locator("nav a[href$='/integrity/log/']").click()
        page.wait_for_load_state()
        shot(page, "integrity-3-read-log-from-the-menu")

    assert "赵举报人" not in before
    assert "赵举报人" in after
    actions = list(IntegrityReadLog.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["entry", "entry", "reporter"]
