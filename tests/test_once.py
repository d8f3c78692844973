"""A double submit never records twice: the one-time token of every create form
(``kaohe/lib/once.py``, ``{% once_token %}``, the submit guard in ``static/js/kaohe.js``)."""

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse

from assessments import services
from assessments.models import Finding, Inspection
from kaohe.lib import once
from tests.factories import YearFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"
TODAY = dt.datetime(2015, 7, 10, 10, 0, tzinfo=dt.UTC)

# Every create form: (template, the URL name its form posts to, or None for a form that posts
# to its own page). A new create form goes here, with {% once_token %} in it.
CREATE_FORMS = [
    ("assessments/year_form.html", None),
    ("assessments/indicator_form.html", None),
    ("assessments/target_assign.html", None),
    ("assessments/target_detail.html", "target_decide"),
    ("assessments/progress/report_form.html", None),
    ("assessments/inspections/inspection_form.html", None),
    ("assessments/inspections/inspection_detail.html", "finding_add"),
    ("assessments/bonus_list.html", None),
    ("assessments/letter_form.html", None),
    ("assessments/consequences/_record_form.html", "consequence_create"),
    ("assessments/bulletins/list.html", "bulletin_build"),
    ("assessments/moral/home.html", "moral_template_create"),
    ("assessments/moral/round_form.html", None),
    ("assessments/moral/round.html", "moral_codes_issue"),
    ("assessments/moral/template_page.html", "moral_item_create"),
    ("assessments/grading/_review_and_decide.html", "file_url"),
    ("assessments/archive/me.html", "review_file"),
    ("assessments/eligibility/training_pool.html", "training_pool_add"),
    ("cadres/accounts/form.html", None),
    ("cadres/unit_form.html", None),
    ("cadres/cadre_form.html", None),
    ("cadres/cadre_detail.html", "ledger_add"),
    ("cadres/integrity/entry_form.html", None),
    ("cadres/training/assignment_form.html", None),
]

FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(("template", "action"), CREATE_FORMS)
def test_every_create_form_carries_a_one_time_token(template, action):
    source = (TEMPLATES / template).read_text()
    forms = [m for m in FORM.finditer(source)]
    if action is None:
        forms = [m for m in forms if "action=" not in m.group(0).split(">", 1)[0]][:1]
    else:
        forms = [m for m in forms if action in m.group(0).split(">", 1)[0]]
    assert forms, f"no create form found in {template}"
    for form in forms:
        assert "{% once_token %}" in form.group(0), template


def test_a_token_is_claimed_once():
    token = once.new_token()
    assert once.claim(token) is True
    assert once.claim(token) is False
    assert once.claim(once.new_token()) is True


def test_a_refusal_or_a_server_error_frees_the_token_a_redirect_is_remembered():
    for status in (403, 404, 500):
        token = once.new_token()
        once.claim(token)
        once.settle(token, HttpResponse(status=status))
        assert once.claim(token) is True, status
    token = once.new_token()
    once.claim(token)
    once.settle(token, HttpResponseRedirect("/assess/inspections/7/"))
    assert once.first_answer(token) == "/assess/inspections/7/"
    assert once.claim(token) is False


def test_a_second_post_still_being_handled_is_waited_for_then_answered_like_the_first():
    token = once.new_token()
    once.claim(token)
    assert once.first_answer(token, wait=0.2) == ""  # the first never answered: no guess


@pytest.fixture
def inspection(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    return services.inspection_create(
        year=year,
        kind="spot",
        title="抽查",
        held_on=dt.date(2015, 5, 12),
        inspectors="考核办",
        units=[xx.township],
        by=xx.office,
    )


def _token(response) -> str:
    return re.search(r'name="_once" value="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
def test_a_finding_sent_twice_is_recorded_once(client, xx, inspection):
    client.force_login(xx.office)
    detail = reverse("assessments:inspection_detail", args=[inspection.pk])
    with time_machine.travel(TODAY, tick=False):
        token = _token(client.get(detail))
        post = {"unit": xx.township.pk, "description": "台账不全", once.FIELD: token}
        url = reverse("assessments:finding_add", args=[inspection.pk])
        first = client.post(url, post)
        second = client.post(url, post)
    assert first.status_code == 302
    assert second.status_code == 302
    assert second["Location"] == first["Location"]  # the second lands where the first did
    assert Finding.objects.filter(inspection=inspection).count() == 1
    page = client.get(second["Location"])
    assert "_once" in page.content.decode()  # the page offers a fresh token for the next one


@pytest.mark.django_db
def test_a_refused_form_renders_a_new_token_that_can_be_sent(client, xx, inspection, in_english):
    client.force_login(xx.office)
    url = reverse("assessments:inspection_create", args=[inspection.year_id])
    with time_machine.travel(TODAY, tick=False):
        token = _token(client.get(url))
        refused = client.post(url, {"kind": "spot", once.FIELD: token})
        assert refused.status_code == 200
        retry = _token(refused)
        assert retry != token
        post = {
            "kind": "spot",
            "title": "第二次抽查",
            "held_on": "2015-07-01",
            "inspectors": "考核办",
            "units": [xx.township.pk],
            once.FIELD: retry,
        }
        assert client.post(url, post).status_code == 302
        assert client.post(url, post).status_code == 302
    assert Inspection.objects.filter(title="第二次抽查").count() == 1


@pytest.mark.django_db
def test_a_post_without_a_token_or_with_a_malformed_one_goes_through(client, xx, inspection):
    client.force_login(xx.office)
    url = reverse("assessments:finding_add", args=[inspection.pk])
    with time_machine.travel(TODAY, tick=False):
        for token in (None, "x", "<script>" * 10):
            post = {"unit": xx.township.pk, "description": "作风问题"}
            if token:
                post[once.FIELD] = token
            assert client.post(url, post).status_code == 302
    assert Finding.objects.filter(inspection=inspection).count() == 3
