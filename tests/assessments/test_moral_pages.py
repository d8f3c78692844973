"""Moral-assessment pages: the office sets up the template and rounds, issues and prints codes,
closes a round and reads the results; raters cast anonymous ballots without logging in."""

import datetime as dt
import logging
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import (
    Ballot,
    BallotAnswer,
    BallotCode,
    MoralItem,
    MoralRound,
    MoralTemplate,
)
from assessments.selectors.moral import qr_svg
from assessments.services import moral
from cadres.models import Unit
from tests.conftest import build_county
from tests.factories import CadreFactory, UnitFactory, YearFactory
from tests.moral_dates import working_year

pytestmark = pytest.mark.django_db

BALLOT = "/ballot/"


@pytest.fixture
def year(xx):
    return YearFactory(county=xx.county, year=working_year(), status="in_progress")


@pytest.fixture
def leaders(xx):
    return [
        CadreFactory(
            unit=xx.township,
            name="王书记",
            title="党委书记",
            is_leading=True,
            is_principal=True,
            post_kind="principal",
        ),
        CadreFactory(
            unit=xx.township, name="赵镇长", title="镇长", is_leading=True, post_kind="deputy"
        ),
    ]


def _open_round(year, units, **kwargs):
    if not MoralTemplate.objects.filter(year=year).exists():
        moral.moral_template_create(year=year)
    today = timezone.localdate()
    return moral.moral_round_open(
        year=year,
        name=kwargs.pop("name", "2015年度考德"),
        units=units,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=10),
        **kwargs,
    )


@pytest.fixture
def round_(xx, year, leaders):
    return _open_round(year, [xx.township])


def _issue(round_, unit, group="peers", count=1):
    return [
        c.code for c in moral.ballot_codes_issue(round_=round_, unit=unit, group=group, count=count)
    ]


def _answers(round_, cadres, level="good", judgement="competent"):
    items = MoralItem.objects.filter(dimension__template__year=round_.year)
    data = {}
    for cadre in cadres:
        for item in items:
            data[f"c{cadre.pk}-i{item.pk}"] = level
        data[f"c{cadre.pk}-j"] = judgement
    return data


def _cast(client, code, answers):
    return client.post(BALLOT, {"code": code, "cast": "1", **answers})


# The office's pages -------------------------------------------------------------------------


def test_office_creates_the_default_template_once(client, xx, year):
    client.force_login(xx.office)
    home = reverse("assessments:moral_home", args=[year.pk])
    page = client.get(home)
    assert page.status_code == 200
    assert reverse("assessments:moral_template_create", args=[year.pk]) in page.text

    response = client.post(reverse("assessments:moral_template_create", args=[year.pk]))
    assert response.status_code == 302
    assert response["Location"] == home
    page = client.get(home)
    for text in (
        "政治品德",
        "个人品德",
        "关键时刻、急难险重任务中的表现",
        "廉洁自律，生活作风正派",
    ):
        assert text in page.text
    assert reverse("assessments:moral_round_create", args=[year.pk]) in page.text

    client.post(reverse("assessments:moral_template_create", args=[year.pk]))
    assert MoralTemplate.objects.filter(year=year).count() == 1


def test_office_opens_a_round_of_the_countys_assessed_units(client, xx, pq, year):
    moral.moral_template_create(year=year)
    client.force_login(xx.office)
    url = reverse("assessments:moral_round_create", args=[year.pk])
    form = client.get(url).context["form"]
    choices = set(form.fields["units"].queryset)
    assert {xx.township, xx.department, xx.committee} <= choices
    assert xx.county not in choices
    assert pq.township not in choices

    today = timezone.localdate()
    response = client.post(
        url,
        {
            "name": "2015年第四季度",
            "units": [xx.township.pk, xx.department.pk],
            "leading_only": "on",
            "opens_on": today.isoformat(),
            "closes_on": (today + dt.timedelta(days=7)).isoformat(),
        },
    )
    round_ = MoralRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:moral_round", args=[round_.pk])
    assert set(round_.units.all()) == {xx.township, xx.department}
    assert round_.leading_only


def test_a_round_that_closes_before_it_opens_or_has_foreign_units_is_refused(client, xx, pq, year):
    moral.moral_template_create(year=year)
    client.force_login(xx.office)
    url = reverse("assessments:moral_round_create", args=[year.pk])
    response = client.post(
        url,
        {
            "name": "错",
            "units": [pq.township.pk],
            "opens_on": "2015-12-10",
            "closes_on": "2015-12-01",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"units", "closes_on"}
    assert not MoralRound.objects.exists()


def test_office_issues_codes_and_the_turnout_counts_them(client, xx, round_, leaders):
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:moral_codes_issue", args=[round_.pk]),
        {"unit": xx.township.pk, "group": "public", "count": 5},
    )
    assert response.status_code == 302
    codes = list(BallotCode.objects.filter(round=round_, group="public"))
    assert len(codes) == 5
    _cast(client, codes[0].code, _answers(round_, leaders))

    page = client.get(reverse("assessments:moral_round", args=[round_.pk]))
    row = page.context["turnout"].rows[0]
    assert row.unit == xx.township
    assert row.unit.rated == 2
    public = dict(row.cells)["public"]
    assert (public.issued, public.used, public.percent) == (5, 1, 20)
    assert page.context["turnout"].total.issued == 5
    assert re.search(r"1 / 5\s*</a>\s*<span[^>]*>\(20.00%\)", page.text)


def test_issuing_codes_for_a_unit_outside_the_round_is_refused(client, xx, round_):
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:moral_codes_issue", args=[round_.pk]),
        {"unit": xx.department.pk, "group": "peers", "count": 5},
        follow=True,
    )
    assert response.status_code == 200
    assert not BallotCode.objects.exists()
    assert list(response.context["messages"])[0].level_tag == "error"


def test_slips_print_the_unused_codes_with_a_qr_to_the_fragment_url(client, xx, round_, leaders):
    peers = _issue(round_, xx.township, "peers", 3)
    public = _issue(round_, xx.township, "public", 2)
    _cast(client, peers[0], _answers(round_, leaders))
    client.force_login(xx.office)

    page = client.get(reverse("assessments:moral_slips", args=[round_.pk]))
    assert page.status_code == 200
    assert page.context["count"] == 4
    assert page.text.count("<svg") == 4
    for code in [*peers[1:], *public]:
        assert f'aria-label="{code}"' in page.text
        assert f"<span>{code[:5]}</span><span>{code[5:]}</span>" in page.text
        # The QR encodes <site>/ballot/#<CODE>: the code only in the fragment.
        assert qr_svg(f"http://testserver/ballot/#{code}") in page.text
    assert peers[0] not in page.text
    assert peers[0][:5] + "</span>" not in page.text
    assert "http://testserver/ballot/" in page.text

    page = client.get(
        reverse("assessments:moral_slips", args=[round_.pk]),
        {"unit": xx.township.pk, "group": "public"},
    )
    assert page.context["count"] == 2
    assert page.text.count("<svg") == 2


def test_slips_come_24_to_a_page(client, xx, round_):
    _issue(round_, xx.township, "peers", 30)
    client.force_login(xx.office)
    pages = client.get(reverse("assessments:moral_slips", args=[round_.pk])).context["pages"]
    assert [len(p) for p in pages] == [24, 6]


# The public ballot --------------------------------------------------------------------------


def test_a_rater_casts_a_ballot_with_a_code_once(client, xx, round_, leaders):
    (code,) = _issue(round_, xx.township)
    entry = client.get(BALLOT)
    assert entry.status_code == 200
    assert 'name="code"' in entry.text
    assert "js/ballot.js" in entry.text  # fills the field from the QR code's #fragment
    assert "navbar" not in entry.text

    ballot = client.post(BALLOT, {"code": code.lower()})
    assert ballot.status_code == 200
    for cadre in leaders:
        assert cadre.name in ballot.text
        assert cadre.title in ballot.text
        assert f'name="c{cadre.pk}-j"' in ballot.text
    assert "政治品德" in ballot.text
    assert "理想信念坚定，对党忠诚" in ballot.text
    assert 'name="csrfmiddlewaretoken"' in ballot.text
    assert f'type="hidden" name="code" value="{code}"' in ballot.text

    done = _cast(client, code, _answers(round_, leaders, "fair", "excellent"))
    assert done.status_code == 302
    assert done["Location"] == reverse("ballot:done")
    assert Ballot.objects.filter(round=round_, group="peers").count() == 2
    assert BallotAnswer.objects.filter(level="fair").count() == 2 * 10
    assert BallotCode.objects.get(code=code).used

    thanks = client.get(done["Location"])
    assert thanks.status_code == 200
    assert "ballot-done" in thanks.text
    assert round_.name not in thanks.text
    assert xx.township.name not in thanks.text

    again = _cast(client, code, _answers(round_, leaders))
    assert again.status_code == 200
    assert again.context["form"].errors["code"]
    assert leaders[0].name not in again.text
    assert Ballot.objects.count() == 2


def test_a_wrong_code_shows_only_the_error(client, xx, round_, leaders):
    response = client.post(BALLOT, {"code": "ZZZZZ99999"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert 'id="code-error"' in response.text
    assert leaders[0].name not in response.text
    assert round_.name not in response.text


def test_twenty_wrong_codes_from_one_address_stop_code_entry_there(client, xx, round_, leaders):
    (code,) = _issue(round_, xx.township)
    for n in range(20):
        client.post(BALLOT, {"code": f"ZZZZZ{n:05d}"}, REMOTE_ADDR="10.1.1.1")
    blocked = client.post(BALLOT, {"code": code}, REMOTE_ADDR="10.1.1.1")
    assert blocked.status_code == 429
    assert "输错测评码的次数过多" in blocked.text
    assert leaders[0].name not in blocked.text
    # Another computer enters its right code as usual, and the code was not used up.
    assert client.post(BALLOT, {"code": code}, REMOTE_ADDR="10.1.1.2").status_code == 200
    assert not BallotCode.objects.get(code=code).used


def test_a_code_of_a_unit_without_cadres_to_rate_is_not_used_up(client, xx, year):
    round_ = _open_round(year, [xx.department])
    (code,) = _issue(round_, xx.department)
    response = client.post(BALLOT, {"code": code, "cast": "1"})
    assert response.context["form"].errors["code"]
    assert not BallotCode.objects.get(code=code).used


def test_a_code_of_a_closed_round_is_refused(client, xx, round_, leaders):
    (code,) = _issue(round_, xx.township)
    moral.moral_round_close(round_=round_)
    response = client.post(BALLOT, {"code": code})
    assert response.context["form"].errors["code"]
    assert leaders[0].name not in response.text


def test_an_incomplete_ballot_keeps_the_answers_and_saves_nothing(client, xx, round_, leaders):
    (code,) = _issue(round_, xx.township)
    answers = _answers(round_, leaders, "fairly_poor")
    first_item = MoralItem.objects.filter(dimension__template__year=round_.year).first()
    missing_item = f"c{leaders[1].pk}-i{first_item.pk}"
    del answers[missing_item]
    del answers[f"c{leaders[1].pk}-j"]

    response = _cast(client, code, answers)
    assert response.status_code == 200
    assert response.context["error"]
    assert 'id="ballot-error"' in response.text
    assert set(response.context["form"].errors) == {missing_item, f"c{leaders[1].pk}-j"}
    kept = re.findall(r'<input[^>]*value="fairly_poor"[^>]*checked', response.text)
    assert len(kept) == 2 * 10 - 1
    sheets = response.context["form"].sheets()
    assert [s["incomplete"] for s in sheets] == [False, True]
    assert not Ballot.objects.exists()
    assert not BallotCode.objects.get(code=code).used


def test_the_code_never_appears_in_a_url_or_a_log(client, xx, round_, leaders, caplog):
    (code,) = _issue(round_, xx.township)
    caplog.set_level(logging.DEBUG)
    responses = [
        client.get(BALLOT),
        client.post(BALLOT, {"code": code}),
        _cast(client, code, {}),
        _cast(client, code, _answers(round_, leaders)),
        _cast(client, code, _answers(round_, leaders)),
    ]
    responses.append(client.get(responses[3]["Location"]))
    for response in responses:
        request = response.wsgi_request
        assert code not in request.get_full_path()
        assert code.lower() not in request.get_full_path().lower()
        assert code not in response.get("Location", "")
    assert code not in caplog.text
    assert all(code not in r.getMessage() for r in caplog.records)


def test_the_ballot_needs_no_login_and_keeps_csrf(xx, round_, leaders):
    from django.test import Client

    (code,) = _issue(round_, xx.township)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(BALLOT, {"code": code}).status_code == 403
    token = strict.get(BALLOT).cookies["csrftoken"].value
    assert strict.post(BALLOT, {"code": code, "csrfmiddlewaretoken": token}).status_code == 200


# Results ------------------------------------------------------------------------------------


def test_after_closing_the_round_page_shows_each_cadres_result(client, xx, round_, leaders):
    wang, zhao = leaders
    for group, judgement in [("superiors", "excellent"), ("peers", "incompetent")]:
        (code,) = _issue(round_, xx.township, group)
        answers = _answers(round_, [wang], "good", "excellent")
        answers.update(_answers(round_, [zhao], "fairly_poor", judgement))
        assert _cast(client, code, answers).status_code == 302
    client.force_login(xx.office)

    url = reverse("assessments:moral_round", args=[round_.pk])
    assert client.get(url).context["results"] is None
    response = client.post(reverse("assessments:moral_round_close", args=[round_.pk]))
    assert response.status_code == 302
    assert MoralRound.objects.get(pk=round_.pk).status == "closed"

    page = client.get(url)
    rows = {r.result.cadre: r for r in page.context["results"].rows}
    assert set(rows) == {wang, zhao}
    assert rows[wang].result.score == 100
    assert rows[zhao].result.score == 60
    assert rows[wang].result.ballots == 2
    assert rows[wang].by_group[:2] == [100, 100]
    assert rows[wang].by_group[2:] == [None, None]
    assert rows[zhao].by_dimension == [60] * 5
    assert rows[wang].judgements == [2, 0, 0, 0]
    assert rows[zhao].judgements == [1, 0, 0, 1]
    assert not rows[wang].result.threshold_breached
    assert rows[zhao].result.threshold_breached
    results = page.text[page.text.index('id="results"') :]
    assert "王书记" in results
    assert "赵镇长" in results
    assert "100.00" in results
    assert "60.00" in results
    assert results.count("badge text-bg-danger") == 1
    assert reverse("assessments:moral_codes_issue", args=[round_.pk]) not in page.text
    assert reverse("assessments:moral_round_close", args=[round_.pk]) not in page.text


def test_service_closing_a_round_works_on_every_database(round_):
    assert moral.moral_round_close(round_=round_) == []
    assert MoralRound.objects.get(pk=round_.pk).status == "closed"


def test_service_exactly_one_third_incompetent_is_not_more_than_a_third(xx, round_, leaders):
    for judgement in ("incompetent", "competent", "competent"):
        (code,) = _issue(round_, xx.township)
        moral.ballot_cast(
            code=code,
            answers={
                c.pk: {
                    "levels": {
                        i.pk: "good"
                        for i in MoralItem.objects.filter(dimension__template__year=round_.year)
                    },
                    "judgement": judgement,
                }
                for c in leaders
            },
        )
    results = moral.moral_round_close(round_=round_)
    assert not any(r.threshold_breached for r in results)


# Scope and permissions ----------------------------------------------------------------------


def test_another_countys_office_gets_404(client, xx, pq, year, round_):
    client.force_login(pq.office)
    assert client.get(reverse("assessments:moral_home", args=[year.pk])).status_code == 404
    for name in ("moral_round", "moral_slips"):
        url = reverse(f"assessments:{name}", args=[round_.pk])
        assert client.get(url).status_code == 404, name
    for name in ("moral_codes_issue", "moral_round_close"):
        url = reverse(f"assessments:{name}", args=[round_.pk])
        assert (
            client.post(url, {"unit": xx.township.pk, "group": "peers", "count": 1}).status_code
            == 404
        )
    assert not BallotCode.objects.exists()
    assert MoralRound.objects.get().status == "open"


def test_a_leader_reads_but_gets_403_on_every_write(client, xx, year, round_):
    client.force_login(xx.leader)
    assert client.get(reverse("assessments:moral_home", args=[year.pk])).status_code == 200
    page = client.get(reverse("assessments:moral_round", args=[round_.pk]))
    assert page.status_code == 200
    assert page.context["issue_form"] is None
    assert reverse("assessments:moral_slips", args=[round_.pk]) not in page.text
    posts = [
        ("moral_template_create", year.pk),
        ("moral_round_create", year.pk),
        ("moral_codes_issue", round_.pk),
        ("moral_round_close", round_.pk),
    ]
    for name, pk in posts:
        url = reverse(f"assessments:{name}", args=[pk])
        assert (
            client.post(url, {"unit": xx.township.pk, "group": "peers", "count": 1}).status_code
            == 403
        )
    assert client.get(reverse("assessments:moral_slips", args=[round_.pk])).status_code == 403
    assert not BallotCode.objects.exists()
    assert MoralRound.objects.get().status == "open"


# Query counts -------------------------------------------------------------------------------

# page -> pinned number of queries (session, user and account first, for the office's pages)
QUERIES = {"open round": 7, "slips": 6, "home": 11, "ballot": 3}  # home: with the year switcher
CLOSED_ROUND_QUERIES = 8


def _world(city, code, n, *, close):
    """A county whose township has ``n`` leading cadres, in two rounds over three units, each
    with codes issued and three ballots cast; the first round is closed if ``close``."""
    county = build_county(city, code, code)
    year = YearFactory(county=county.county, year=working_year(), status="in_progress")
    cadres = [
        CadreFactory(unit=county.township, is_leading=True, post_kind="deputy") for _ in range(n)
    ]
    extra = [UnitFactory(kind=Unit.Kind.TOWNSHIP, parent=county.county) for _ in range(2)]
    first = _open_round(year, [county.township, *extra])
    second = _open_round(year, [county.township, *extra], name="第二轮")
    levels = {i.pk: "good" for i in MoralItem.objects.filter(dimension__template__year=year)}
    for round_ in (first, second):
        for group in ("superiors", "peers", "public"):
            codes = _issue(round_, county.township, group, 2)
            moral.ballot_cast(
                code=codes[0],
                answers={c.pk: {"levels": levels, "judgement": "competent"} for c in cadres},
            )
        for unit in extra:
            _issue(round_, unit, "peers", 3)
    if close:
        moral.moral_round_close(round_=first)
    return county, year, first, second


def _count(client, url, data=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data) if data else client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_query_counts_do_not_grow_with_cadres_codes_or_rounds(client, city):
    """The open round's page, its slips, the year's moral page and the ballot."""
    counts = []
    for code, n in (("A", 3), ("B", 30)):
        county, year, _first, opened = _world(city, code, n, close=False)
        unused = opened.codes.filter(used=False, unit=county.township).first().code
        ballot, response = _count(client, BALLOT, {"code": unused})
        assert len(response.context["form"].cadres) == n
        client.force_login(county.office)
        page = {
            "open round": reverse("assessments:moral_round", args=[opened.pk]),
            "slips": reverse("assessments:moral_slips", args=[opened.pk]),
            "home": reverse("assessments:moral_home", args=[year.pk]),
        }
        got = {name: _count(client, url) for name, url in page.items()}
        assert got["slips"][1].context["count"] == 3 + 6
        counts.append({"ballot": ballot, **{name: c for name, (c, _r) in got.items()}})
        client.logout()
    assert counts == [QUERIES, QUERIES], counts


def test_query_count_of_a_closed_rounds_results_does_not_grow_with_cadres(client, city):
    counts = []
    for code, n in (("A", 3), ("B", 30)):
        county, _year, closed, _second = _world(city, code, n, close=True)
        client.force_login(county.office)
        count, response = _count(client, reverse("assessments:moral_round", args=[closed.pk]))
        assert len(response.context["results"].rows) == n
        counts.append(count)
    assert counts == [CLOSED_ROUND_QUERIES, CLOSED_ROUND_QUERIES], counts
