"""Excel imports: units, cadres, the catalog with weights, targets, monthly progress.
All or nothing, every problem listed by sheet, row and column; re-importing changes nothing."""

import datetime as dt
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments import services
from assessments.imports import KINDS, FileRefused, run_import
from assessments.models import (
    AssessmentYear,
    CategoryWeights,
    Indicator,
    Milestone,
    ProgressReport,
    Target,
)
from cadres.models import Cadre, Post, Role, Unit
from tests.factories import IndicatorFactory, YearFactory, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

UNIT_HEADERS = ["单位代码", "单位名称", "简称", "单位类别", "上级单位代码", "排序", "成立日期"]
CADRE_HEADERS = [
    "干部编号",
    "姓名",
    "性别",
    "出生日期",
    "是否党员",
    "单位代码",
    "职务",
    "职级",
    "职务类别",
    "是否领导干部",
    "是否主要负责人",
    "任职日期",
]
WEIGHT_HEADERS = ["单位类别", "党的建设", "主导产业", "部门任务和社会管理"]
INDICATOR_HEADERS = [
    "指标代码",
    "指标名称",
    "上级指标代码",
    "类别",
    "计分方法",
    "满分",
    "适用单位类别",
    "牵头考核部门代码",
    "一票否决",
]
TARGET_HEADERS = [
    "单位代码",
    "指标代码",
    "目标值",
    "计量单位",
    "截止日期",
    "6月计划值",
    "12月计划值",
]
PROGRESS_HEADERS = [
    "单位代码",
    "指标代码",
    "月份",
    "累计完成值",
    "进展情况",
    "报送日期",
    "审核通过",
]


def xlsx(sheets: dict, name: str = "导入.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def run(kind, upload, user, year=None, commit=True):
    upload.seek(0)
    return run_import(KINDS[kind](user=user, year=year), upload, commit=commit)


def counts(result):
    return (result.created, result.changed, result.unchanged)


def where(result):
    return {(p.sheet, p.row, p.column) for p in result.problems}


@pytest.fixture
def year(xx):
    return YearFactory(county=xx.county, year=2015, status="in_progress")


@pytest.fixture
def catalog(year, xx):
    ratio = IndicatorFactory(
        year=year, code="I-1", category="industry", method="ratio", unit_kinds=["township"]
    )
    levels = IndicatorFactory(
        year=year, code="P-1", category="party", method="levels", unit_kinds=["township"]
    )
    return ratio, levels


# --- units --------------------------------------------------------------------------------


def units_file():
    return xlsx(
        {
            "单位": [
                UNIT_HEADERS,
                # The branch comes before its township: the import orders parents first.
                ["XX-G1", "城关镇机关支部", "", "基层党组织", "XX-T2", 1, None],
                ["XX-T2", "城关镇", "城关", "乡镇", "XX", 2, dt.date(2001, 1, 1)],
                ["XX-T1", "龙泉镇（新名）", "", "乡镇", "XX", 0, None],
            ]
        }
    )


def test_units_import_builds_the_tree_and_updates_known_units(xx):
    result = run("units", units_file(), xx.office)
    assert result.ok
    assert result.committed
    assert counts(result) == (2, 1, 0)
    town = Unit.objects.get(code="XX-T2")
    branch = Unit.objects.get(code="XX-G1")
    assert branch.parent == town
    assert branch.path.startswith(town.path)
    assert town.parent == xx.county
    assert town.established_on == dt.date(2001, 1, 1)
    assert town.short_name == "城关"
    assert town.kind == Unit.Kind.TOWNSHIP
    assert Unit.objects.get(code="XX-T1").name == "龙泉镇（新名）"


def test_importing_the_same_units_file_twice_changes_nothing(xx):
    run("units", units_file(), xx.office)
    again = run("units", units_file(), xx.office)
    assert again.ok
    assert counts(again) == (0, 0, 3)


def test_a_known_unit_with_a_new_parent_moves_with_its_subtree(xx):
    rows = [UNIT_HEADERS, ["XX-D1", xx.department.name, "", "县直单位", "XX", 0, None]]
    result = run("units", xlsx({"单位": rows}), xx.office)
    assert counts(result) == (0, 1, 0)
    moved = Unit.objects.get(code="XX-D1")
    assert moved.parent == xx.county
    assert moved.depth == xx.county.depth + 1


def test_units_with_errors_in_several_rows_write_nothing_and_list_every_problem(xx, pq):
    before = Unit.objects.count()
    rows = [
        UNIT_HEADERS,
        ["XX-N1", "新单位一", "", "村", "ZZ-9", 0, None],  # row 2: unknown kind and parent
        ["XX-N2", None, "", "乡镇", "XX", 0, None],  # row 3: no name
        ["XX-N3", "新单位三", "", "乡镇", "ZZ-404", 0, None],  # row 4: unknown parent
        ["XX-N4", "新单位四", "", "乡镇", "PX", 0, None],  # row 5: parent outside scope
        ["XX-N5", "新单位五", "", "乡镇", "XX", "第一", None],  # row 6: order not a number
        ["XX-N6", "新单位六", "", "乡镇", "XX", 0, None],  # row 7: fine
        ["XX-N6", "新单位六", "", "乡镇", "XX", 0, None],  # row 8: repeats row 7
        ["XX-N7", "新单位七", "", "乡镇", "", 0, None],  # row 9: a new unit needs a parent
    ]
    result = run("units", xlsx({"单位": rows}), xx.office)
    assert not result.ok
    assert not result.committed
    assert Unit.objects.count() == before
    assert where(result) == {
        ("单位", 2, "单位类别"),
        ("单位", 2, "上级单位代码"),
        ("单位", 3, "单位名称"),
        ("单位", 4, "上级单位代码"),
        ("单位", 5, "上级单位代码"),
        ("单位", 6, "排序"),
        ("单位", 8, "单位代码"),
        ("单位", 9, "上级单位代码"),
    }
    messages = {p.row: p.message for p in result.problems if p.column != "上级单位代码"}
    # The allowed labels are listed:
    assert "村" in messages[2]
    assert "乡镇" in messages[2]
    assert "7" in messages[8]
    assert any("ZZ-404" in p.message for p in result.problems if p.row == 4)


def test_a_unit_code_of_another_county_is_refused_without_touching_it(xx, pq):
    rows = [UNIT_HEADERS, ["PX-T1", "改名", "", "乡镇", "XX", 0, None]]
    result = run("units", xlsx({"单位": rows}), xx.office)
    assert where(result) == {("单位", 2, "单位代码")}
    assert Unit.objects.get(code="PX-T1").name == pq.township.name


# --- cadres -------------------------------------------------------------------------------


def cadres_file():
    return xlsx(
        {
            "干部": [
                CADRE_HEADERS,
                [
                    "XX-0100",
                    "王新",
                    "女",
                    dt.date(1985, 6, 1),
                    "是",
                    "XX-T1",
                    "副镇长",
                    "副科级",
                    "班子成员",
                    "是",
                    "否",
                    dt.date(2014, 1, 1),
                ],
                [
                    "XX-0001",
                    "隰县张三",
                    "男",
                    None,
                    "是",
                    "XX-D1",
                    "副局长",
                    "副科级",
                    "班子成员",
                    "是",
                    "否",
                    "2015-05-01",
                ],
            ]
        }
    )


def test_cadres_import_creates_cadres_and_records_a_move(xx):
    result = run("cadres", cadres_file(), xx.office)
    assert result.ok, result.problems
    assert counts(result) == (1, 1, 0)
    new = Cadre.objects.get(number="XX-0100")
    assert (new.gender, new.unit, new.is_leading) == ("f", xx.township, True)
    assert new.posts.get().started_on == dt.date(2014, 1, 1)
    moved = Cadre.objects.get(number="XX-0001")
    assert moved.unit == xx.department
    assert moved.title == "副局长"
    posts = list(Post.objects.filter(cadre=moved).order_by("started_on"))
    assert len(posts) == 2
    assert posts[0].ended_on == dt.date(2015, 4, 30)
    again = run("cadres", cadres_file(), xx.office)
    assert counts(again) == (0, 0, 2)


def test_cadres_with_errors_write_nothing(xx):
    rows = [
        CADRE_HEADERS,
        # row 2: rank unknown; row 3: unit unknown; row 4: a move dated before the current post
        [
            "XX-0200",
            "甲",
            "男",
            None,
            "是",
            "XX-T1",
            "科员",
            "处长",
            "一般干部",
            "否",
            "否",
            "2015-01-01",
        ],
        [
            "XX-0201",
            "乙",
            "男",
            None,
            "是",
            "ZZ",
            "科员",
            "办事员",
            "一般干部",
            "否",
            "否",
            "2015-01-01",
        ],
        [
            "XX-0002",
            "隰县李四",
            "男",
            None,
            "是",
            "XX-D1",
            "科员",
            "办事员",
            "一般干部",
            "否",
            "否",
            "2010-01-01",
        ],
        [
            "XX-0203",
            "丁",
            "男",
            None,
            "是",
            "XX-T1",
            "科员",
            "办事员",
            "一般干部",
            "否",
            "否",
            "2015-01-01",
        ],
        # row 6: a principal leader who is not a leading cadre
        [
            "XX-0204",
            "戊",
            "男",
            None,
            "是",
            "XX-T1",
            "镇长",
            "正科级",
            "主要负责人",
            "否",
            "是",
            "2015-01-01",
        ],
    ]
    before = (Cadre.objects.count(), Post.objects.count())
    result = run("cadres", xlsx({"干部": rows}), xx.office)
    assert where(result) == {
        ("干部", 2, "职级"),
        ("干部", 3, "单位代码"),
        ("干部", 4, "任职日期"),
        ("干部", 6, "是否主要负责人"),
    }
    assert (Cadre.objects.count(), Post.objects.count()) == before
    assert Cadre.objects.get(number="XX-0002").unit == xx.township


# --- catalog ------------------------------------------------------------------------------


def catalog_file(weights=(30, 40, 30)):
    return xlsx(
        {
            "权重": [WEIGHT_HEADERS, ["乡镇", *weights], ["县直单位", 20, 40, 40]],
            "指标": [
                INDICATOR_HEADERS,
                ["P-1", "基层组织建设", "P", "党的建设", "等次评定", 10, "乡镇", None, "否"],
                ["P", "党的建设", None, "党的建设", "等次评定", 30, "乡镇、县直单位", None, "否"],
                [
                    "I-1",
                    "玉露香梨新增面积",
                    None,
                    "主导产业",
                    "完成率",
                    20.5,
                    "乡镇",
                    "XX-D1",
                    "否",
                ],
                ["T-1", "安全生产", None, "部门任务和社会管理", "扣分", 15, "乡镇", None, "是"],
            ],
        }
    )


def test_catalog_import_sets_weights_and_the_indicator_tree(xx, year):
    result = run("catalog", catalog_file(), xx.office, year)
    assert result.ok, result.problems
    assert counts(result) == (6, 0, 0)
    township = CategoryWeights.objects.get(year=year, unit_kind="township")
    assert (township.party, township.industry, township.tasks) == (30, 40, 30)
    child = Indicator.objects.get(year=year, code="P-1")
    assert child.parent.code == "P"
    assert child.method == "levels"
    pears = Indicator.objects.get(year=year, code="I-1")
    assert pears.max_points == Decimal("20.5")
    assert pears.lead_department == xx.department
    assert Indicator.objects.get(year=year, code="T-1").is_veto
    assert Indicator.objects.get(year=year, code="P").unit_kinds == ["township", "department"]
    again = run("catalog", catalog_file(), xx.office, year)
    assert counts(again) == (0, 0, 6)
    changed = run("catalog", catalog_file(weights=(20, 50, 30)), xx.office, year)
    assert counts(changed) == (0, 1, 5)
    assert changed.sheets[0].changed[0].fields[0] == ("党的建设", "30", "20")


def test_catalog_errors_from_the_services_are_listed_and_nothing_is_written(xx, year):
    upload = xlsx(
        {
            "权重": [WEIGHT_HEADERS, ["乡镇", 30, 40, 40]],  # adds up to 110
            "指标": [
                INDICATOR_HEADERS,
                ["A", "甲", None, "主导产业", "完成率", 10, "乡镇", "XX-T1", "否"],  # not a dept
                ["B", "乙", "ZZ", "主导产业", "完成率", 10, "乡镇", None, "否"],  # no parent
                ["C", "丙", None, "主导产业", "完成率", 0, "乡镇", None, "否"],  # 0 points
                ["D", "丁", None, "主导产业", "完成率", 10, "乡镇", None, "否"],  # fine
            ],
        }
    )
    result = run("catalog", upload, xx.office, year)
    assert where(result) == {
        ("权重", 2, ""),
        ("指标", 2, "牵头考核部门代码"),
        ("指标", 3, "上级指标代码"),
        ("指标", 4, "满分"),
    }
    assert any("100" in p.message for p in result.problems)
    assert not Indicator.objects.filter(year=year).exists()
    assert not CategoryWeights.objects.filter(year=year).exists()


def test_a_closed_years_catalog_is_refused(xx, year):
    AssessmentYear.objects.filter(pk=year.pk).update(status="closed")
    year.refresh_from_db()
    result = run("catalog", catalog_file(), xx.office, year)
    assert not result.ok
    assert not Indicator.objects.filter(year=year).exists()


# --- targets ------------------------------------------------------------------------------


def targets_file(value=3000):
    return xlsx(
        {
            "目标任务": [
                TARGET_HEADERS,
                ["XX-T1", "I-1", value, "亩", dt.date(2015, 12, 31), 1500, 3000],
                ["XX-T1", "P-1", None, "", None, None, None],
            ]
        }
    )


def test_targets_import_assigns_targets_with_milestones(xx, year, catalog):
    result = run("targets", targets_file(), xx.office, year)
    assert result.ok, result.problems
    assert counts(result) == (2, 0, 0)
    target = Target.objects.get(unit=xx.township, indicator__code="I-1")
    assert target.target_value == 3000
    assert target.measure == "亩"
    assert dict(Milestone.objects.filter(target=target).values_list("month", "planned_value")) == {
        6: Decimal(1500),
        12: Decimal(3000),
    }
    assert counts(run("targets", targets_file(), xx.office, year)) == (0, 0, 2)
    changed = run("targets", targets_file(value=3200), xx.office, year)
    assert counts(changed) == (0, 1, 1)
    target.refresh_from_db()
    assert target.target_value == 3200


def test_targets_with_errors_write_nothing(xx, year, catalog):
    upload = xlsx(
        {
            "目标任务": [
                TARGET_HEADERS,
                ["XX-T1", "I-1", None, "亩", None, None, None],  # ratio without a value
                ["XX-D1", "P-1", None, "", None, None, None],  # not for a department
                ["PX-T1", "P-1", None, "", None, None, None],  # not in scope
                ["XX-T1", "P-1", None, "", "明年", None, None],  # not a date
            ]
        }
    )
    result = run("targets", upload, xx.office, year)
    assert {(p.row, p.column) for p in result.problems} >= {
        (2, "目标值"),
        (3, "单位代码"),
        (4, "单位代码"),
        (5, "截止日期"),
    }
    assert not Target.objects.filter(year=year).exists()


def test_milestones_that_decrease_are_refused(xx, year, catalog):
    upload = xlsx({"目标任务": [TARGET_HEADERS, ["XX-T1", "I-1", 3000, "亩", None, 2000, 1000]]})
    result = run("targets", upload, xx.office, year)
    assert where(result) == {("目标任务", 2, "")}
    assert not Target.objects.filter(year=year).exists()


# --- progress -----------------------------------------------------------------------------


@pytest.fixture
def target(xx, catalog):
    return services.target_assign(indicator=catalog[0], unit=xx.township, target_value=3000)


def progress_file(narrative="新栽植250亩"):
    return xlsx(
        {
            "月度进度": [
                PROGRESS_HEADERS,
                ["XX-T1", "I-1", 1, 100, "新栽植100亩", dt.date(2015, 1, 20), "是"],
                ["XX-T1", "I-1", "2月", 250, narrative, dt.date(2015, 2, 27), "否"],
            ]
        }
    )


def test_progress_import_records_reports(xx, year, target):
    result = run("progress", progress_file(), xx.office, year)
    assert result.ok, result.problems
    assert counts(result) == (2, 0, 0)
    january, february = ProgressReport.objects.filter(target=target).order_by("month")
    assert january.status == "approved"
    assert january.reviewed_by == xx.office
    assert not january.is_late
    assert february.status == "submitted"
    assert february.is_late
    assert february.actual_value == 250
    assert february.submitted_by == xx.office
    assert counts(run("progress", progress_file(), xx.office, year)) == (0, 0, 2)


def test_progress_cannot_overwrite_a_submitted_report_but_resubmits_a_returned_one(
    xx, year, target
):
    run("progress", progress_file(), xx.office, year)
    refused = run("progress", progress_file(narrative="改过的"), xx.office, year)
    assert where(refused) == {("月度进度", 3, "")}
    february = ProgressReport.objects.get(target=target, month=2)
    services.progress_return(report=february, by=xx.office, reason="数据不实")
    resubmitted = run("progress", progress_file(narrative="改过的"), xx.office, year)
    assert counts(resubmitted) == (0, 1, 1)
    february.refresh_from_db()
    assert (february.status, february.narrative, february.revision) == ("submitted", "改过的", 2)


def test_progress_with_errors_writes_nothing(xx, year, target):
    upload = xlsx(
        {
            "月度进度": [
                PROGRESS_HEADERS,
                ["XX-T1", "I-1", 13, 100, "x", None, "否"],  # no month 13
                ["XX-T1", "I-1", 3, None, "x", None, "否"],  # ratio needs the actual
                ["XX-T1", "P-1", 3, None, "x", None, "否"],  # no such target
                ["XX-T1", "I-1", 4, 100, None, None, "否"],  # no narrative
                ["XX-T1", "I-1", 5, 100, "x", dt.date(2015, 4, 30), "否"],  # before May began
                ["XX-T1", "I-1", 6, 100, "x", None, "也许"],  # not yes/no
                ["XX-T1", "I-1", 7, 100, "x", None, "否"],  # fine
            ]
        }
    )
    result = run("progress", upload, xx.office, year)
    assert where(result) == {
        ("月度进度", 2, "月份"),
        ("月度进度", 3, "累计完成值"),
        ("月度进度", 4, "指标代码"),
        ("月度进度", 5, "进展情况"),
        ("月度进度", 6, "月份"),
        ("月度进度", 7, "审核通过"),
    }
    assert not ProgressReport.objects.exists()


# --- files that cannot be read --------------------------------------------------------------


@pytest.mark.parametrize(
    ("upload", "says"),
    [
        (SimpleUploadedFile("单位.csv", "单位代码,单位名称\n".encode()), ".xlsx"),
        (SimpleUploadedFile("单位.xlsx", "单位代码,单位名称\n".encode()), "cannot be read"),
        (SimpleUploadedFile("单位.xlsx", b"PK\x03\x04 not really a zip"), "cannot be read"),
    ],
    ids=["csv", "text-renamed-xlsx", "broken-zip"],
)
def test_a_file_that_is_not_a_workbook_is_refused(xx, upload, says):
    with pytest.raises(FileRefused, match=says):
        run("units", upload, xx.office)


@pytest.mark.parametrize(
    ("sheets", "says"),
    [
        ({"Sheet1": [UNIT_HEADERS]}, "no sheet named"),
        ({"单位": []}, "is empty"),
        ({"单位": [UNIT_HEADERS]}, "no data rows"),
        (
            {"单位": [[*UNIT_HEADERS, "备注栏"], ["XX-N", "甲", "", "乡镇", "XX", 0, None]]},
            "备注栏",
        ),
        ({"单位": [["单位代码", "单位类别"], ["XX-N", "乡镇"]]}, "单位名称"),
    ],
    ids=["missing-sheet", "empty-sheet", "header-only", "unknown-header", "missing-header"],
)
def test_a_workbook_of_the_wrong_shape_is_refused(xx, sheets, says):
    with pytest.raises(FileRefused, match=says):
        run("units", xlsx(sheets), xx.office)


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_read(xx, monkeypatch):
    """A decompression bomb: what counts is the unpacked size, not the upload's."""
    from assessments.imports import base

    # Twenty cells of 90 KB each (Excel's longest cell), compressing to a few KB.
    rows = [[f"XX-N{i}", "梨" * 30_000, "", "乡镇", "XX", 0] for i in range(20)]
    upload = xlsx({"单位": [UNIT_HEADERS, *rows]})
    assert upload.size < 100_000
    monkeypatch.setattr(base, "MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    opened = []
    monkeypatch.setattr(base, "load_workbook", lambda *a, **k: opened.append(a))
    with pytest.raises(FileRefused, match="unpacks to more than"):
        run("units", upload, xx.office)
    assert opened == []
    assert not Unit.objects.filter(code__startswith="XX-N").exists()


def test_a_cell_longer_than_the_limit_is_a_problem_of_its_row(xx, monkeypatch):
    from assessments.imports import base

    monkeypatch.setattr(base, "MAX_CELL_CHARS", 20)
    upload = xlsx({"单位": [UNIT_HEADERS, ["XX-N", "甲" * 21, "", "乡镇", "XX", 0]]})
    result = run("units", upload, xx.office)
    assert not result.ok
    assert [(p.row, p.column) for p in result.problems] == [(2, "单位名称")]
    assert "20" in result.problems[0].message
    assert not Unit.objects.filter(code="XX-N").exists()


def test_blank_rows_count_toward_the_row_limit(xx, monkeypatch):
    from assessments.imports import base

    monkeypatch.setattr(base, "MAX_ROWS", 10)
    rows = [UNIT_HEADERS] + [[None] * 6] * 12 + [["XX-N", "甲", "", "乡镇", "XX", 0]]
    with pytest.raises(FileRefused, match="more than 10 rows"):
        run("units", xlsx({"单位": rows}), xx.office)
    assert not Unit.objects.filter(code="XX-N").exists()


# --- pages --------------------------------------------------------------------------------


def test_the_import_centre_is_for_office_staff(client, xx, year, django_assert_num_queries):
    client.force_login(xx.office)
    url = reverse("assessments:import_centre")
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200
    for name, kind in KINDS.items():
        assert f"?kind={name}" in response.content.decode()
        assert str(kind.title) in response.content.decode()
    for user in (xx.leader, xx.liaison, xx.cadre_user):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_a_year_out_of_scope_is_404(client, xx, pq):
    other = YearFactory(county=pq.county, year=2015)
    client.force_login(xx.office)
    assert client.get(reverse("assessments:import_centre"), {"year": other.pk}).status_code == 404
    response = client.post(
        reverse("assessments:import_preview"),
        {"kind": "targets", "year": other.pk, "file": targets_file()},
        follow=True,
    )
    assert response.status_code == 404


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_template_downloads_with_its_headers_and_notes(client, xx, kind):
    client.force_login(xx.office)
    response = client.get(reverse("assessments:import_template"), {"kind": kind})
    assert response.status_code == 200
    wb = load_workbook(BytesIO(response.content))
    importer = KINDS[kind]
    assert wb.sheetnames == [s.name for s in importer.sheets] + ["说明"]
    for spec in importer.sheets:
        ws = wb[spec.name]
        headers = [c.value.rstrip("*") for c in ws[1]]
        assert headers == [c.header for c in spec.columns]
        assert ws.freeze_panes == "A2"
    notes = [row[1] for row in wb["说明"].iter_rows(min_row=3, values_only=True)]
    assert set(c.header for s in importer.sheets for c in s.columns) <= set(notes)


def test_unknown_template_kind_is_404(client, xx):
    client.force_login(xx.office)
    assert client.get(reverse("assessments:import_template"), {"kind": "x"}).status_code == 404


def test_upload_preview_confirm_imports_and_deletes_the_file(client, xx, settings):
    client.force_login(xx.office)
    upload = units_file()
    response = client.post(
        reverse("assessments:import_preview"), {"kind": "units", "file": upload}, follow=True
    )
    assert response.status_code == 200
    assert not Unit.objects.filter(code="XX-T2").exists()  # the preview wrote nothing
    token = response.context["token"]
    stored = Path(settings.MEDIA_ROOT) / "imports" / f"{token}.xlsx"
    assert stored.exists()
    page = response.content.decode()
    assert "XX-T2 城关镇" in page
    assert "龙泉镇（新名）" in page
    response = client.post(reverse("assessments:import_confirm"), {"token": token}, follow=True)
    assert response.status_code == 200
    assert response.context["done"]
    assert Unit.objects.filter(code__in=["XX-T2", "XX-G1"]).count() == 2
    assert not stored.exists()
    # The token is spent: confirming again imports nothing more.
    response = client.post(reverse("assessments:import_confirm"), {"token": token})
    assert response.status_code == 302


def test_a_long_preview_lists_the_first_rows_and_counts_the_rest(client, xx, monkeypatch):
    monkeypatch.setattr("assessments.views.imports.MAX_PREVIEW_ITEMS", 1)
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:import_preview"), {"kind": "units", "file": units_file()}, follow=True
    )
    sheet = response.context["sheets"][0]
    assert sheet["counts"] == (2, 1, 0)
    assert len(sheet["created"]) == 1
    assert sheet["created_more"] == 1


def test_a_preview_with_problems_keeps_no_file_and_offers_no_confirm(client, xx, settings):
    client.force_login(xx.office)
    rows = [UNIT_HEADERS, ["XX-N1", "甲", "", "村", "XX", 0, None]]
    response = client.post(
        reverse("assessments:import_preview"),
        {"kind": "units", "file": xlsx({"单位": rows})},
        follow=True,
    )
    assert response.status_code == 200
    assert response.context["token"] == ""
    assert "单位类别" in response.content.decode()
    assert not list((Path(settings.MEDIA_ROOT) / "imports").glob("*.xlsx"))


def test_a_refused_file_shows_the_reason_on_the_centre(client, xx):
    client.force_login(xx.office)
    upload = SimpleUploadedFile("单位.xlsx", b"just text")
    response = client.post(
        reverse("assessments:import_preview"), {"kind": "units", "file": upload}, follow=True
    )
    assert response.status_code == 200
    assert response.context["error_kind"] == "units"
    assert "单位.xlsx" in response.context["error"]


def test_another_users_token_imports_nothing(client, xx, settings):
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:import_preview"), {"kind": "units", "file": units_file()}, follow=True
    )
    token = response.context["token"]
    colleague = make_user(Role.OFFICE, xx.county, username="office-2")
    client.force_login(colleague)
    assert client.post(reverse("assessments:import_confirm"), {"token": token}).status_code == 302
    assert client.post(reverse("assessments:import_cancel"), {"token": token}).status_code == 302
    assert not Unit.objects.filter(code="XX-T2").exists()
    assert (Path(settings.MEDIA_ROOT) / "imports" / f"{token}.xlsx").exists()


def test_cancel_deletes_the_waiting_file(client, xx, settings):
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:import_preview"), {"kind": "units", "file": units_file()}, follow=True
    )
    token = response.context["token"]
    assert client.post(reverse("assessments:import_cancel"), {"token": token}).status_code == 302
    assert not (Path(settings.MEDIA_ROOT) / "imports" / f"{token}.xlsx").exists()
    assert not Unit.objects.filter(code="XX-T2").exists()


def test_year_bound_imports_take_the_year_from_the_page(client, xx, year, catalog):
    client.force_login(xx.office)
    response = client.post(
        reverse("assessments:import_preview"),
        {"kind": "targets", "file": targets_file()},
        follow=True,
    )
    assert response.status_code == 200
    assert response.context["error_kind"] == "targets"
    response = client.post(
        reverse("assessments:import_preview"),
        {"kind": "targets", "year": year.pk, "file": targets_file()},
        follow=True,
    )
    client.post(
        reverse("assessments:import_confirm"), {"token": response.context["token"]}, follow=True
    )
    assert Target.objects.filter(year=year).count() == 2


def test_an_unchanged_reimport_preview_costs_the_same_queries_for_more_rows(
    client, xx, year, catalog, django_assert_num_queries
):
    rows = [TARGET_HEADERS, ["XX-T1", "P-1", None, "", None, None, None]]
    small = xlsx({"目标任务": rows})
    run("targets", small, xx.office, year)
    for code in ("P-2", "P-3"):
        IndicatorFactory(
            year=year, code=code, category="party", method="levels", unit_kinds=["township"]
        )
        rows.append(["XX-T1", code, None, "", None, None, None])
    big = xlsx({"目标任务": rows})
    run("targets", big, xx.office, year)
    client.force_login(xx.office)
    url = reverse("assessments:import_preview")
    # Both requests: the upload, its job run inline (no broker; with the sweep of old result
    # files), and the job's page.
    small.seek(0)
    big.seek(0)
    with django_assert_num_queries(30):
        response = client.post(
            url, {"kind": "targets", "year": year.pk, "file": small}, follow=True
        )
    assert counts(response.context["result"]) == (0, 0, 1)
    with django_assert_num_queries(30):
        response = client.post(url, {"kind": "targets", "year": year.pk, "file": big}, follow=True)
    assert counts(response.context["result"]) == (0, 0, 3)


# --- numbers too large for a cell (review) --------------------------------------------------


@pytest.mark.parametrize("value", ["1e30", 1e30, "inf", "sNaN", "123456789012345678901234567890"])
def test_a_number_too_large_or_not_finite_is_a_cell_problem_not_a_crash(xx, year, catalog, value):
    upload = xlsx({"目标任务": [TARGET_HEADERS, ["XX-T1", "I-1", value, "亩", None, None, None]]})
    result = run("targets", upload, xx.office, year)
    assert where(result) == {("目标任务", 2, "目标值")}
    assert not Target.objects.filter(year=year).exists()


@pytest.mark.parametrize("value", ["inf", "sNaN", "1e400", 10**30])
def test_an_order_too_large_or_not_finite_is_a_cell_problem_not_a_crash(xx, value):
    before = Unit.objects.count()
    rows = [UNIT_HEADERS, ["XX-N1", "新单位一", "", "乡镇", "XX", value, None]]
    result = run("units", xlsx({"单位": rows}), xx.office)
    assert where(result) == {("单位", 2, "排序")}
    assert Unit.objects.count() == before


@pytest.mark.parametrize("status", ["closed", "published"])
def test_a_closed_years_targets_are_refused_as_a_whole(xx, year, catalog, status):
    """Like the catalog and the progress imports (and the targets pages, which offer no
    assignment once the year is closed): nothing changes, not even an existing target."""
    run("targets", targets_file(), xx.office, year)
    AssessmentYear.objects.filter(pk=year.pk).update(status=status)
    year.refresh_from_db()
    Target.objects.filter(year=year, indicator__code="P-1").delete()
    result = run("targets", targets_file(value=3200), xx.office, year)
    assert not result.ok
    assert not result.committed
    assert where(result) == {("目标任务", None, "")}
    assert Target.objects.get(year=year, indicator__code="I-1").target_value == 3000
    assert not Target.objects.filter(year=year, indicator__code="P-1").exists()


@pytest.mark.parametrize("odd", ["²", "١٢"])
def test_a_year_that_is_not_a_plain_number_is_ignored_not_a_crash(client, xx, year, odd):
    """str.isdigit() is true for "²" and "١٢": the centre and the preview treat them as no
    year at all."""
    client.force_login(xx.office)
    centre = client.get(reverse("assessments:import_centre"), {"year": odd})
    assert centre.status_code == 200
    assert centre.context["chosen_year"] == year
    preview = client.post(
        reverse("assessments:import_preview"),
        {"kind": "targets", "year": odd, "file": targets_file()},
        follow=True,
    )
    assert preview.status_code == 200
    assert not Target.objects.exists()
