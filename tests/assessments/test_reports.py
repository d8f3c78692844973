"""The printable pages' reports: one definition of each row and explanation line, which the
page, the Excel export and the PDF all show."""

import html
import re
import shutil
import subprocess
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import GradingPolicy, Indicator
from assessments.reports import results
from assessments.reports import scorecard as scorecard_report
from assessments.reports.scorecard import Line, input_lines
from assessments.selectors.progress import progress_mean
from tests.assessments.test_archive import head, history  # noqa: F401 - fixtures
from tests.assessments.test_exports import june_10_2015, open_year, score_county  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(xx):
    return open_year(xx)


def text_of(page: bytes) -> str:
    """A page's text as a reader sees it: no tags, entities decoded, white space folded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page.decode())))


def pdf_text(pdf: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed")
    out = subprocess.run(  # noqa: S603 - a fixed program on our own bytes
        [pdftotext, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return re.sub(r"\s+", " ", out)


def sheet_cells(response) -> list[str]:
    ws = load_workbook(BytesIO(response.content)).active
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


# -- explanation lines --------------------------------------------------------------------------


def test_a_ratio_indicator_explains_actual_of_target_and_the_ratio():
    breakdown = {
        "method": Indicator.Method.RATIO,
        "inputs": {
            "report": 7,
            "actual": "2400",
            "target_value": "3000",
            "measure": "亩",
            "month": 5,
            "ratio": "0.8",
        },
    }
    (line,) = input_lines(breakdown)
    assert "2400" in str(line)
    assert "3000" in str(line)
    assert str(line).endswith("→ 80.00%")
    assert line.tone == ""


def test_a_finding_that_fails_the_veto_is_marked_and_coloured_as_a_deduction():
    breakdown = {
        "method": Indicator.Method.DEDUCTION,
        "inputs": {},
        "findings": [
            {
                "date": "2015-05-01",
                "kind": "spot",
                "title": "抽查",
                "points": "-2",
                "vetoes": True,
                "description": "安全事故",
            }
        ],
    }
    method, finding = input_lines(breakdown)
    assert finding.veto
    assert str(finding) == f"{finding.text} {finding.veto}：安全事故"
    assert finding.tone == "danger"
    assert str(method) == method.text


def test_a_line_without_a_veto_mark_is_its_text_and_tail():
    assert str(Line("a", tail="：b")) == "a：b"


# -- the same line on the page and in Excel -----------------------------------------------------


def test_the_scorecard_page_and_excel_show_the_same_lines_and_formula(client, xx, year):
    scores = score_county(xx, year, 3)
    score = next(s for s in scores if s.unit_id == xx.township.pk)
    client.force_login(xx.office)
    page = client.get(reverse("assessments:scorecard", args=[score.year_id, score.unit.code]))
    card = page.context["card"]
    shown = text_of(page.content)
    cells = sheet_cells(
        client.get(reverse("assessments:scorecard_xlsx", args=[score.year_id, score.unit.code]))
    )
    rows = [row for cat in card.categories for row in cat.rows]
    assert rows
    for row in rows:
        assert row.text in cells, row.name
        for line in row.lines:
            assert str(line) in shown, str(line)
    assert any(line.tail for row in rows for line in row.lines)  # a finding is among them
    assert card.formula in shown
    assert any(cell.endswith(card.formula) for cell in cells)
    for cat in card.categories:
        assert cat.subtotal in cells


def test_the_rankings_page_and_excel_share_the_subtitle_and_headers(client, xx, year):
    score_county(xx, year, 3)
    client.force_login(xx.leader)
    page = client.get(reverse("assessments:rankings", args=[year.pk]))
    report = page.context["report"]
    assert report.subtitle in text_of(page.content)
    cells = sheet_cells(client.get(reverse("assessments:rankings_xlsx", args=[year.pk])))
    assert report.subtitle in cells
    (table,) = report.tables
    for label, weight in table.thirds:
        assert f"{label} /{weight}" in text_of(page.content)
        assert f"{label} /{weight}" in cells


def test_all_scorecards_without_scores_are_one_empty_sheet(year):
    (sheet,) = scorecard_report.year_sheets(year, [])
    assert sheet.rows == []


# -- the archive: page, PDF and Excel ----------------------------------------------------------


def test_the_cadre_archive_page_pdf_and_excel_show_the_same_rules_applied(client, xx, history):  # noqa: F811
    client.force_login(xx.office)
    rule = "2015年度规则说明"
    page = client.get(reverse("assessments:cadre_archive", args=[xx.cadre.pk]))
    assert rule in text_of(page.content)
    pdf = client.get(reverse("assessments:cadre_archive_pdf", args=[xx.cadre.pk]))
    assert rule in pdf_text(pdf.content)
    result = next(y.result for y in page.context["archive"]["years"] if y.year == 2015)
    cells = sheet_cells(client.get(reverse("assessments:cadre_archive_xlsx", args=[xx.cadre.pk])))
    assert results.rules_applied(result) in cells


# -- figures ---------------------------------------------------------------------------------


class Status:
    def __init__(self, ratio):
        self.ratio = ratio


def test_progress_is_the_mean_of_capped_ratios_over_numeric_targets():
    statuses = [Status(D("0.5")), Status(D("1.5")), Status(None)]
    assert progress_mean(statuses) == D("0.75")
    assert progress_mean([Status(None)]) is None


def test_the_policy_line_names_the_stage_and_the_weights(year):
    policy = GradingPolicy(year=year, stage="proposed")
    line = results.policy_line(policy)
    assert line.startswith(policy.get_stage_display())
    assert f"{policy.weight_moral}%" in line
    assert results.policy_line(None) == ""
