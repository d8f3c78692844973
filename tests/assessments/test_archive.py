"""The assessment archive (考核档案): a cadre's and a team's record year after year, the annual
registration form, their PDF and Excel exports, the team analysis reports, and the cadre's own
page ("my assessment")."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import (
    CadreResult,
    CategoryWeights,
    Consequence,
    EligibilityFlag,
    EligibilityRules,
    Finding,
    GradeChange,
    GradingPolicy,
    Inspection,
    MoralResult,
    MoralRound,
    Rectification,
    ReviewRequest,
    TeamAnalysis,
    UnitResult,
    UnitScore,
)
from assessments.selectors import archive as selectors_archive
from assessments.services import archive as services_archive
from cadres.models import LedgerNote, PostKind
from cadres.models.training import TrainingAssignment
from cadres.services import integrity
from tests.factories import CadreFactory, IndicatorFactory, YearFactory

pytestmark = pytest.mark.django_db

SECRET_SUMMARY = "反映其在项目验收中收受施工方礼金。"
SECRET_REPORTER = "赵举报人"


def build_year(xx, number: int, head, *, stage="locked"):
    """One year of history for the township: the county's year with its settings, results of
    the cadre, the other cadre and the township head, a moral round, an inspection with a
    finding naming the cadre and its rectification, the unit's score and grade, a team analysis,
    a consequence, a training assignment and a ledger note."""
    office = xx.office
    year = YearFactory(county=xx.county, year=number, status="closed")
    GradingPolicy.objects.create(year=year, stage=stage)
    CategoryWeights.objects.create(year=year, unit_kind="township", party=30, industry=40, tasks=30)
    results = {}
    for cadre, grade, composite in (
        (xx.cadre, "excellent", Decimal("91.2345")),
        (xx.other_cadre, "basic", Decimal("55.5")),
        (head, "competent", Decimal("78")),
    ):
        results[cadre.pk] = CadreResult.objects.create(
            year=year,
            cadre=cadre,
            unit=xx.township,
            quota_group=f"unit:{xx.township.pk}",
            moral=Decimal("88.5"),
            integrity=Decimal("100"),
            performance=Decimal("90"),
            unit_score=Decimal("86"),
            composite=composite,
            rank=1,
            proposed_grade=grade,
            grade=grade,
            caps=[{"rule": "unit", "max": "competent", "text": f"{number}年度规则说明"}],
        )
    mine = results[xx.cadre.pk]
    GradeChange.objects.create(
        result=mine,
        kind="review",
        before="competent",
        after="excellent",
        reason=f"{number}年复核改定",
        changed_at=timezone.now(),
        changed_by=office,
    )
    ReviewRequest.objects.create(
        result=mine,
        reasons=f"{number}年申请复核理由",
        filed_at=timezone.now(),
        outcome="changed",
        answer=f"{number}年复核答复",
        answered_at=timezone.now(),
        answered_by=office,
    )
    round_ = MoralRound.objects.create(
        year=year,
        name=f"{number}年度测评",
        opens_on=dt.date(number, 11, 1),
        closes_on=dt.date(number, 11, 30),
        status="closed",
    )
    MoralResult.objects.create(
        round=round_,
        cadre=xx.cadre,
        score=Decimal("88.5"),
        by_group={"superiors": "90.1", "peers": "87.2"},
        by_dimension={"政治品德": "91.3", "个人品德": "86.4"},
        ballots=12,
        judgements={"excellent": 10, "competent": 2},
    )
    inspection = Inspection.objects.create(
        year=year,
        kind="spot",
        title=f"{number}年随机抽查",
        held_on=dt.date(number, 5, 10),
        inspectors="督导组",
        recorded_by=office,
    )
    indicator = IndicatorFactory(year=year)
    finding = Finding.objects.create(
        inspection=inspection,
        unit=xx.township,
        cadre=xx.cadre,
        indicator=indicator,
        points=Decimal("-1.5"),
        description=f"{number}年值班记录不全",
    )
    Rectification.objects.create(
        year=year,
        unit=xx.township,
        finding=finding,
        description=f"{number}年完善值班制度",
        deadline=dt.date(number, 6, 30),
    )
    UnitScore.objects.create(
        year=year,
        unit=xx.township,
        unit_kind="township",
        party=Decimal("27.5"),
        industry=Decimal("33.25"),
        tasks=Decimal("26"),
        bonus=Decimal("1.5"),
        total=Decimal("88.25"),
        rank=2,
        proposed_grade="fair",
        computed_at=timezone.now(),
    )
    UnitResult.objects.create(
        year=year, unit=xx.township, total=Decimal("88.25"), proposed_grade="fair", grade="fair"
    )
    TeamAnalysis.objects.create(
        unit=xx.township,
        year=year,
        written_on=dt.date(number + 1, 1, 15),
        strengths=f"{number}年班子团结",
        weaknesses="信访化解不及时",
        conclusion=f"{number}年总体较好",
        recorded_by=office,
    )
    Consequence.objects.create(
        cadre=xx.cadre,
        year=year,
        kind="rectification",
        decided_on=dt.date(number + 1, 2, 1),
        summary=f"{number}年限期整改事项",
        deadline=dt.date(number + 1, 5, 1),
        result=mine,
        recorded_by=office,
    )
    TrainingAssignment.objects.create(
        cadre=xx.cadre,
        kind="secondment",
        place=f"洛川县{number}",
        purpose="学习果园管理",
        started_on=dt.date(number, 4, 1),
        ended_on=dt.date(number, 6, 30),
        recorded_by=office,
    )
    LedgerNote.objects.create(
        cadre=xx.cadre,
        noted_on=dt.date(number, 7, 1),
        kind="hard_task",
        note=f"{number}年抗洪冲在一线",
        points=3,
        recorded_by=office,
    )
    return year


@pytest.fixture
def head(xx):
    return CadreFactory(
        unit=xx.township,
        name="龙泉镇书记",
        title="党委书记",
        post_kind=PostKind.PRINCIPAL,
        is_leading=True,
        is_principal=True,
    )


@pytest.fixture
def history(xx, head):
    """Three years of history (2013–2015) and a flag on each of the two cadres."""
    years = [build_year(xx, n, head) for n in (2013, 2014, 2015)]
    rules = EligibilityRules.objects.create(
        county=xx.county, version=1, effective_from=dt.date(2015, 1, 1)
    )
    EligibilityFlag.objects.create(
        cadre=xx.cadre,
        kind="priority",
        rules=rules,
        years=[2013, 2014, 2015],
        reason="提拔优先：连续三年优秀",
        valid_from=dt.date(2016, 1, 10),
    )
    EligibilityFlag.objects.create(
        cadre=xx.other_cadre,
        kind="not_promotable",
        rules=rules,
        years=[2015],
        reason="不得提拔：李四2015年度基本称职",
        valid_from=dt.date(2016, 1, 10),
    )
    return years


def archive_urls(xx, unit=None):
    cadre, unit = xx.cadre.pk, (unit or xx.township).pk
    return [
        reverse("assessments:cadre_archive", args=[cadre]),
        reverse("assessments:cadre_archive_pdf", args=[cadre]),
        reverse("assessments:cadre_archive_xlsx", args=[cadre]),
        reverse("assessments:cadre_registration", args=[cadre]),
        reverse("assessments:cadre_registration", args=[cadre, 2015]),
        reverse("assessments:cadre_registration_pdf", args=[cadre]),
        reverse("assessments:cadre_registration_pdf", args=[cadre, 2015]),
        reverse("assessments:unit_archive", args=[unit]),
        reverse("assessments:unit_archive_pdf", args=[unit]),
        reverse("assessments:unit_archive_xlsx", args=[unit]),
        reverse("assessments:team_analysis_edit", args=[unit]),
    ]


# The cadre's archive --------------------------------------------------------------------------


def test_office_reads_a_cadres_archive_year_after_year_newest_first(client, xx, history):
    client.force_login(xx.office)
    page = client.get(reverse("assessments:cadre_archive", args=[xx.cadre.pk])).content.decode()
    assert (
        page.index("2015年复核改定") < page.index("2014年复核改定") < page.index("2013年复核改定")
    )
    for text in (
        "91.23",  # composite, two places
        "88.50",  # 德
        "30%",  # weight of 德 (the policy's default)
        "2015年度规则说明",  # the rules applied
        "2015年申请复核理由",
        "2015年复核答复",
        "政治品德",  # moral result by dimension
        "90.10",  # by rater group
        "2015年值班记录不全",  # finding naming the cadre
        "2015年限期整改事项",  # consequence with its follow-up
        "洛川县2015",  # training
        "提拔优先：连续三年优秀",  # open flag with its reason
        "2015年抗洪冲在一线",  # ledger note
    ):
        assert text in page, text
    assert "不得提拔：李四2015年度基本称职" not in page


def test_a_closed_rectification_shows_when_and_how_it_was_closed(client, xx, history):
    Consequence.objects.filter(summary="2014年限期整改事项").update(
        closed_on=dt.date(2015, 4, 1), closing_note="已整改到位"
    )
    client.force_login(xx.office)
    page = client.get(reverse("assessments:cadre_archive", args=[xx.cadre.pk])).content.decode()
    assert "已整改到位" in page
    assert "2015年4月1日" in page
    archive = selectors_archive.cadre_archive(xx.cadre)
    assert [c.summary for c in archive["rectifications"]] == [
        "2015年限期整改事项",
        "2014年限期整改事项",
        "2013年限期整改事项",
    ]


def test_the_cadre_archive_takes_the_same_queries_for_one_year_and_for_three(
    client, xx, head, django_assert_num_queries
):
    build_year(xx, 2015, head)
    client.force_login(xx.office)
    url = reverse("assessments:cadre_archive", args=[xx.cadre.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    build_year(xx, 2014, head)
    build_year(xx, 2013, head)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    assert len(one) == len(three)
    with django_assert_num_queries(9):
        selectors_archive.cadre_archive(xx.cadre)
    with django_assert_num_queries(7):
        selectors_archive.cadre_archive(xx.cadre, own=True)


def test_the_team_archive_takes_the_same_queries_for_one_year_and_for_three(
    client, xx, head, django_assert_num_queries
):
    build_year(xx, 2015, head)
    client.force_login(xx.office)
    url = reverse("assessments:unit_archive", args=[xx.township.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    build_year(xx, 2014, head)
    build_year(xx, 2013, head)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(one) == len(three)
    with django_assert_num_queries(9):
        selectors_archive.team_archive(xx.township)


def test_archive_pdf_renders_a4_pages(client, xx, history):
    client.force_login(xx.office)
    response = client.get(reverse("assessments:cadre_archive_pdf", args=[xx.cadre.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert _pages(response.content) >= 2  # three years of history do not fit on one page


def test_the_registration_form_is_one_a4_page_with_the_years_results(client, xx, history):
    client.force_login(xx.leader)
    html = client.get(reverse("assessments:cadre_registration", args=[xx.cadre.pk, 2014]))
    page = html.content.decode()
    assert xx.cadre.name in page
    assert "91.23" in page
    assert "88.50" in page
    assert "2014年度规则说明" in page
    assert "2015年度规则说明" not in page
    assert html.context["section"].result.year.year == 2014
    pdf = client.get(reverse("assessments:cadre_registration_pdf", args=[xx.cadre.pk, 2014]))
    assert pdf.content.startswith(b"%PDF")
    assert _pages(pdf.content) == 1


def test_the_registration_form_without_a_year_is_the_latest_results(client, xx, history):
    client.force_login(xx.office)
    response = client.get(reverse("assessments:cadre_registration", args=[xx.cadre.pk]))
    assert response.context["year"].year == 2015


def test_a_registration_form_for_a_year_the_county_does_not_have_is_404(client, xx, history):
    client.force_login(xx.office)
    url = reverse("assessments:cadre_registration", args=[xx.cadre.pk, 2009])
    assert client.get(url).status_code == 404


def test_a_registration_form_before_grading_leaves_the_grades_blank(client, xx, head):
    build_year(xx, 2015, head, stage="proposed")
    client.force_login(xx.office)
    response = client.get(reverse("assessments:cadre_registration", args=[xx.cadre.pk, 2015]))
    assert response.context["section"].published is False
    page = response.content.decode()
    assert "91.23" in page  # the composite is known
    assert page.count('class="reg-grade"></span>') == 1  # the final grade is not


def test_the_cadre_archive_excel_has_a_row_per_year_and_the_consequences(client, xx, history):
    client.force_login(xx.office)
    response = client.get(reverse("assessments:cadre_archive_xlsx", args=[xx.cadre.pk]))
    wb = load_workbook(BytesIO(response.content))
    results = wb.worksheets[0]
    values = [[c.value for c in row] for row in results.iter_rows()]
    years = [row[0] for row in values if isinstance(row[0], int)]
    assert years == [2015, 2014, 2013]
    row_2015 = next(row for row in values if row[0] == 2015)
    assert row_2015[3] == pytest.approx(91.2345)
    assert "2015年度规则说明" in row_2015[9]
    consequences = [[c.value for c in row] for row in wb.worksheets[1].iter_rows()]
    assert any(row[3] == "2015年限期整改事项" for row in consequences)
    flags = [[c.value for c in row] for row in wb.worksheets[3].iter_rows()]
    assert any(row[1] == "提拔优先：连续三年优秀" for row in flags)


# The team archive ------------------------------------------------------------------------------


def test_office_reads_the_team_archive(client, xx, head, history):
    client.force_login(xx.office)
    page = client.get(reverse("assessments:unit_archive", args=[xx.township.pk])).content.decode()
    for text in (
        "88.25",  # total
        "27.50",  # party building
        "(40%)",  # leading industry's weight
        head.name,  # leading cadre
        "2015年值班记录不全",
        "2015年完善值班制度",
        "2015年班子团结",
        "2013年总体较好",
    ):
        assert text in page, text
    # Only the leadership team's grades are in the grid, not an ordinary cadre's.
    assert xx.other_cadre.name not in page


def test_team_archive_excel_and_pdf(client, xx, head, history):
    client.force_login(xx.leader)
    response = client.get(reverse("assessments:unit_archive_xlsx", args=[xx.township.pk]))
    wb = load_workbook(BytesIO(response.content))
    rows = [[c.value for c in row] for row in wb.worksheets[0].iter_rows()]
    row_2014 = next(row for row in rows if row[0] == 2014)
    assert row_2014[3] == pytest.approx(88.25)
    assert row_2014[12] == "2014年总体较好"
    grid = [[c.value for c in row] for row in wb.worksheets[1].iter_rows()]
    assert any(row[0] == head.name and "称职" in str(row[2]) for row in grid)
    pdf = client.get(reverse("assessments:unit_archive_pdf", args=[xx.township.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_office_adds_then_edits_a_team_analysis_report(client, xx, head, history):
    client.force_login(xx.office)
    year = history[2]
    url = reverse("assessments:team_analysis_edit", args=[xx.township.pk])
    form = client.get(url, {"year": year.pk})
    assert form.context["form"].initial["strengths"] == "2015年班子团结"
    response = client.post(
        url,
        {
            "year": year.pk,
            "written_on": "2016-01-20",
            "strengths": "班子战斗力强",
            "weaknesses": "",
            "conclusion": "建议调整分工",
        },
    )
    assert response.status_code == 302
    analysis = TeamAnalysis.objects.get(unit=xx.township, year=year)
    assert analysis.strengths == "班子战斗力强"
    assert analysis.recorded_by == xx.office
    assert TeamAnalysis.objects.filter(unit=xx.township).count() == 3


def test_a_team_analysis_needs_its_conclusion_and_changes_nothing_without_it(client, xx, history):
    client.force_login(xx.office)
    url = reverse("assessments:team_analysis_edit", args=[xx.township.pk])
    response = client.post(
        url,
        {"year": history[0].pk, "written_on": "2016-01-20", "strengths": "好", "conclusion": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["conclusion"]
    assert (
        TeamAnalysis.objects.get(unit=xx.township, year=history[0]).conclusion == "2013年总体较好"
    )


def test_a_team_analysis_for_another_countys_year_is_refused(xx, pq):
    year = YearFactory(county=pq.county, year=2015)
    with pytest.raises(ValidationError) as error:
        services_archive.team_analysis_save(
            unit=xx.township,
            year=year,
            by=xx.office,
            written_on=dt.date(2016, 1, 1),
            strengths="好",
            conclusion="好",
        )
    assert "year" in error.value.message_dict
    assert not TeamAnalysis.objects.exists()


def test_a_leader_reads_the_team_archive_but_cannot_write_a_report(client, xx, history):
    client.force_login(xx.leader)
    assert client.get(reverse("assessments:unit_archive", args=[xx.township.pk])).status_code == 200
    url = reverse("assessments:team_analysis_edit", args=[xx.township.pk])
    assert client.post(url, {"year": history[0].pk}).status_code == 403


# Who may not -------------------------------------------------------------------------------------


# A cadre's own archive page and PDF, and their registration form (page and PDF): the own view.
OWN_URLS = {0, 1, 3, 4, 5, 6}


@pytest.mark.parametrize("role", ["cadre_user", "liaison"])
def test_cadres_and_liaisons_reach_no_archive_url_but_a_cadre_their_own(client, xx, history, role):
    client.force_login(getattr(xx, role))
    for i, url in enumerate(archive_urls(xx)):
        expected = 200 if role == "cadre_user" and i in OWN_URLS else 404
        assert client.get(url).status_code == expected, url
    other = reverse("assessments:cadre_archive", args=[xx.other_cadre.pk])
    assert client.get(other).status_code == 404
    post = client.post(
        reverse("assessments:team_analysis_edit", args=[xx.township.pk]),
        {"year": history[0].pk, "written_on": "2016-01-01", "strengths": "x", "conclusion": "x"},
    )
    assert post.status_code == 404
    assert TeamAnalysis.objects.count() == 3


def test_another_countys_office_gets_404_on_every_archive_url(client, xx, pq, history):
    client.force_login(pq.office)
    for url in archive_urls(xx):
        assert client.get(url).status_code == 404, url


def test_the_cadre_detail_and_unit_detail_pages_link_to_the_archives(client, xx):
    client.force_login(xx.office)
    cadre_page = client.get(reverse("cadres:cadre_detail", args=[xx.cadre.pk])).content.decode()
    assert reverse("assessments:cadre_archive", args=[xx.cadre.pk]) in cadre_page
    unit_page = client.get(reverse("cadres:unit_detail", args=[xx.township.pk])).content.decode()
    assert reverse("assessments:unit_archive", args=[xx.township.pk]) in unit_page
    client.force_login(xx.liaison)
    unit_page = client.get(reverse("cadres:unit_detail", args=[xx.township.pk])).content.decode()
    assert reverse("assessments:unit_archive", args=[xx.township.pk]) not in unit_page


# My assessment ---------------------------------------------------------------------------------


@pytest.fixture
def secret(xx):
    """A verified integrity violation of the cadre, with a named reporter."""
    entry = integrity.entry_record(
        cadre=xx.cadre,
        source="12380_phone",
        received_on=dt.date(2015, 3, 2),
        summary=SECRET_SUMMARY,
        by=xx.office,
        reporter_name=SECRET_REPORTER,
    )
    integrity.entry_set_status(entry=entry, status="verifying", by=xx.office)
    return integrity.entry_set_status(
        entry=entry,
        status="verified",
        by=xx.office,
        verified_on=dt.date(2015, 5, 20),
        conclusion="经核查属实",
    )


def test_my_assessment_shows_my_grades_flags_training_and_rectifications(
    client, xx, history, secret
):
    client.force_login(xx.cadre_user)
    response = client.get(reverse("assessments:me"))
    page = response.content.decode()
    for text in (
        "91.23",
        "2015年度规则说明",
        "2015年复核改定",
        "2015年申请复核理由",
        "2015年复核答复",
        "提拔优先：连续三年优秀",
        "洛川县2013",
        "2015年限期整改事项",
        "2016年5月1日",  # its deadline
        "data-print",  # the print button
    ):
        assert text in page, text
    # Nothing about anyone else, nothing office-only, nothing from the integrity archive: on
    # my assessment, nor on my own archive it links to.
    assert reverse("assessments:cadre_archive", args=[xx.cadre.pk]) in page
    own = client.get(reverse("assessments:cadre_archive", args=[xx.cadre.pk])).content.decode()
    for text in (
        xx.other_cadre.name,
        "不得提拔：李四2015年度基本称职",
        xx.office.username,
        "2015年抗洪冲在一线",  # ledger
        "2015年值班记录不全",  # inspection finding
        f"unit:{xx.township.pk}",  # the quota group
        SECRET_SUMMARY,
        SECRET_REPORTER,
        "经核查属实",
        "12380",
    ):
        assert text not in page, text
        assert text not in own, text


def test_my_assessment_shows_only_published_grades(client, xx, head):
    build_year(xx, 2014, head)
    build_year(xx, 2015, head, stage="proposed")
    client.force_login(xx.cadre_user)
    response = client.get(reverse("assessments:me"))
    assert [r.year.year for r in response.context["cadre"].published_results] == [2014]
    assert "2015年度规则说明" not in response.content.decode()


def test_my_assessment_offers_the_review_form_during_notice_and_it_files(client, xx, head):
    year = build_year(xx, 2015, head, stage="notice")
    GradingPolicy.objects.filter(year=year).update(review_until=timezone.localdate())
    ReviewRequest.objects.filter(result__year=year).delete()
    mine = CadreResult.objects.get(cadre=xx.cadre, year=year)
    client.force_login(xx.cadre_user)
    page = client.get(reverse("assessments:me")).content.decode()
    action = reverse("assessments:review_file", args=[mine.pk])
    assert action in page
    client.post(action, {"reasons": "德的测评有误"})
    assert ReviewRequest.objects.get(result=mine).reasons == "德的测评有误"
    page = client.get(reverse("assessments:me")).content.decode()
    assert action not in page
    assert "德的测评有误" in page


def test_my_assessment_takes_the_same_queries_for_one_year_and_for_three(client, xx, head):
    build_year(xx, 2015, head)
    client.force_login(xx.cadre_user)
    url = reverse("assessments:me")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    build_year(xx, 2014, head)
    build_year(xx, 2013, head)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(one) == len(three)


def _pages(pdf: bytes) -> int:
    """Pages of a PDF: pdfinfo when installed, else the page objects counted."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        out = subprocess.run(  # noqa: S603 - a fixed program on our own bytes
            [pdfinfo, "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages")))
    return pdf.count(b"/Type /Page\n") or pdf.count(b"/Type/Page")


def test_a_flag_closed_today_is_no_longer_in_force_in_the_archive(xx, history):
    """A recompute today that changes a flag closes the old one on today's date and opens the
    new one: the archive (and my assessment) list only the new one, as the selection list
    does."""
    today = timezone.localdate()
    old = EligibilityFlag.objects.get(cadre=xx.cadre, kind="priority")
    old.valid_until = today
    old.save()
    new = EligibilityFlag.objects.create(
        cadre=xx.cadre,
        kind="priority",
        rules=old.rules,
        years=[2013, 2014, 2015],
        reason="提拔优先：改正后的理由",
        valid_from=today,
    )
    for own in (False, True):
        flags = selectors_archive.cadre_archive(xx.cadre, own=own, today=today)["flags"]
        assert flags == [new]


@pytest.mark.parametrize("odd", ["²", "١٢"])
def test_a_team_analysis_year_that_is_not_a_plain_number_is_ignored(client, xx, history, odd):
    client.force_login(xx.office)
    url = reverse("assessments:team_analysis_edit", args=[xx.township.pk])
    response = client.get(url, {"year": odd})
    assert response.status_code == 200
    assert response.context["form"].instance.pk is None
