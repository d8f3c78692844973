"""The scoring window and the lead departments' sheets: fill in (page and Excel round trip, all
or nothing), submit, return with a reason, resubmit, accept; only accepted sheets feed the
scores; the office's board and reminders through the outbox."""

import datetime as dt
from decimal import Decimal as D
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.imports.leads import sheet_import, sheet_workbook
from assessments.models import (
    DeductionEntry,
    IndicatorScore,
    OutboxMessage,
    ScoringSheet,
    SheetEvent,
    SheetRow,
)
from assessments.selectors.leads import sheet_board
from cadres.models import Role, Unit
from tests.factories import IndicatorFactory, UnitFactory, WeightsFactory, YearFactory, make_user

pytestmark = pytest.mark.django_db
IN_WINDOW = dt.datetime(2015, 12, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _in_the_window():
    with time_machine.travel(IN_WINDOW, tick=False):
        yield


@pytest.fixture
def world(xx):
    year = YearFactory(county=xx.county, year=2015, status="in_progress")
    WeightsFactory(year=year, unit_kind="township")
    bureau = UnitFactory(
        code="XX-NY", name="隰县农业农村局", kind=Unit.Kind.DEPARTMENT, parent=xx.committee
    )
    towns = [xx.township] + [
        UnitFactory(code=f"XX-T{n}", name=f"镇{n}", kind=Unit.Kind.TOWNSHIP, parent=xx.county)
        for n in (2, 3)
    ]

    def indicator(code, method):
        return IndicatorFactory(
            year=year,
            code=code,
            category="industry",
            method=method,
            max_points=D(10),
            lead_department=bureau,
            unit_kinds=["township"],
        )

    orchard, petitions = indicator("I2", "levels"), indicator("T1", "deduction")
    for ind in (orchard, petitions):
        for town in towns:
            services.target_assign(indicator=ind, unit=town)
    lead = make_user(Role.LEAD, bureau, username="ny01")
    lead.email = "ny01@example.cn"
    lead.save()
    services.window_open(
        year=year, opens_on=dt.date(2015, 12, 1), closes_on=dt.date(2015, 12, 20), by=xx.office
    )
    return {"year": year, "lead": lead, "orchard": orchard, "petitions": petitions, "towns": towns}


def _xlsx(rows, headers):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "评分表"
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("评分表.xlsx", buffer.getvalue())


LEVEL_HEADERS = ["单位代码*", "单位名称", "等次*", "理由*"]
DEDUCTION_HEADERS = ["单位代码*", "单位名称", "日期", "扣分", "扣分事由", "来源", "一票否决"]


def _fill_levels(world):
    for town, level in zip(world["towns"], ("good", "fair", "average"), strict=True):
        target = world["orchard"].targets.get(unit=town)
        services.sheet_row_set(target=target, level=level, reason="果园管理", by=world["lead"])
    return ScoringSheet.objects.get(indicator=world["orchard"])


def test_a_sheet_is_submitted_returned_resubmitted_and_accepted(world, xx):
    sheet = _fill_levels(world)
    services.sheet_submit(sheet=sheet, by=world["lead"])
    with pytest.raises(ValidationError):  # submitted: the department can no longer change it
        services.sheet_row_set(
            target=world["orchard"].targets.first(), level="good", reason="x", by=world["lead"]
        )
    with pytest.raises(ValidationError):
        services.sheet_return(sheet=sheet, reason=" ", by=xx.office)
    services.sheet_return(sheet=sheet, reason="镇3理由不充分", by=xx.office)
    sheet.refresh_from_db()
    assert sheet.status == "returned" and sheet.return_reason == "镇3理由不充分"
    target = world["orchard"].targets.get(unit=world["towns"][2])
    services.sheet_row_set(target=target, level="fair", reason="补充说明", by=world["lead"])
    services.sheet_submit(sheet=sheet, by=world["lead"])
    services.sheet_accept(sheet=sheet, by=xx.office)
    sheet.refresh_from_db()
    assert sheet.status == "accepted"
    assert [e.action for e in sheet.events.all()] == [
        "submitted", "returned", "submitted", "accepted"
    ]  # fmt: skip
    target.decision.refresh_from_db()
    assert target.decision.level == "fair" and target.decision.decided_by == world["lead"]


def test_a_sheet_with_a_unit_missing_cannot_be_submitted(world):
    target = world["orchard"].targets.get(unit=world["towns"][0])
    services.sheet_row_set(target=target, level="good", reason="好", by=world["lead"])
    sheet = ScoringSheet.objects.get()
    with pytest.raises(ValidationError) as error:
        services.sheet_submit(sheet=sheet, by=world["lead"])
    assert "镇2" in str(error.value)


def test_nothing_changes_outside_the_scoring_window(world):
    target = world["orchard"].targets.first()
    with time_machine.travel(dt.datetime(2015, 12, 21, 10, tzinfo=dt.UTC), tick=False):
        with pytest.raises(ValidationError):
            services.sheet_row_set(target=target, level="good", reason="好", by=world["lead"])
    assert not SheetRow.objects.exists()


def test_entries_on_a_sheet_count_only_once_it_is_accepted(world, xx):
    target = world["petitions"].targets.get(unit=xx.township)
    services.deduction_enter(
        target=target,
        occurred_on=dt.date(2015, 6, 1),
        points=D(3),
        reason="越级上访",
        by=world["lead"],
        on_sheet=True,
    )
    year = world["year"]

    def points():
        services.scores_compute(year=year)
        return IndicatorScore.objects.get(target=target).points

    assert points() == 10
    sheet = ScoringSheet.objects.get(indicator=world["petitions"])
    services.sheet_submit(sheet=sheet, by=world["lead"])
    assert points() == 10
    services.sheet_accept(sheet=sheet, by=xx.office)
    assert points() == 7


def test_the_download_lists_every_unit_and_the_upload_fills_the_sheet(world):
    wb = sheet_workbook(world["orchard"])
    ws = wb["评分表"]
    assert [c.value for c in ws[1]] == LEVEL_HEADERS
    assert [r[0] for r in ws.iter_rows(min_row=2, values_only=True)] == ["XX-T1", "XX-T2", "XX-T3"]
    for number, level in zip((2, 3, 4), ("好", "较好", "一般"), strict=True):
        ws.cell(row=number, column=3, value=level)
        ws.cell(row=number, column=4, value="现场核查")
    buffer = BytesIO()
    wb.save(buffer)
    upload = SimpleUploadedFile("填好的评分表.xlsx", buffer.getvalue())
    result = sheet_import(
        user=world["lead"], indicator=world["orchard"], upload=upload, commit=True
    )
    assert result.committed and result.created == 3
    assert sorted(SheetRow.objects.values_list("level", flat=True)) == ["average", "fair", "good"]
    again = sheet_workbook(world["orchard"])["评分表"]
    assert again.cell(row=2, column=3).value == "好"


def test_an_upload_with_bad_rows_writes_nothing_and_names_each_row_and_column(world):
    upload = _xlsx(
        [
            ["XX-T1", "", "好", "核查"],
            ["XX-T2", "", "优", "核查"],  # not a level
            ["XX-ZZ", "", "好", "核查"],  # not assessed on it
            ["XX-T3", "", "好", ""],  # no reason
        ],
        LEVEL_HEADERS,
    )
    result = sheet_import(
        user=world["lead"], indicator=world["orchard"], upload=upload, commit=True
    )
    assert not result.committed
    problems = {(p.row, p.column) for p in result.problems}
    assert {(3, "等次"), (4, "单位代码"), (5, "理由")} <= problems
    assert not SheetRow.objects.exists()
    assert not ScoringSheet.objects.exists()


def test_a_deduction_sheet_round_trip_replaces_the_entries_it_no_longer_lists(world, xx):
    upload = _xlsx(
        [
            ["XX-T1", "", "2015-03-02", 2, "越级上访", "交办单1", "否"],
            ["XX-T1", "", "2015-05-06", 2, "越级上访", None, None],
            ["XX-T2", "", None, None, None, None, None],
        ],
        DEDUCTION_HEADERS,
    )
    petitions = world["petitions"]
    result = sheet_import(user=world["lead"], indicator=petitions, upload=upload, commit=True)
    assert result.committed and result.created == 2
    wb = sheet_workbook(petitions)
    rows = list(wb["评分表"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["XX-T1", "XX-T1", "XX-T2", "XX-T3"]
    kept = _xlsx([["XX-T1", "", "2015-03-02", 2, "越级上访", "交办单1", "否"]], DEDUCTION_HEADERS)
    result = sheet_import(user=world["lead"], indicator=petitions, upload=kept, commit=True)
    assert result.committed and result.unchanged == 1 and result.changed == 1
    assert DeductionEntry.objects.filter(withdrawn_at__isnull=True).count() == 1
    gone = DeductionEntry.objects.get(withdrawn_at__isnull=False)
    assert gone.withdrawal_reason and gone.withdrawn_by == world["lead"]


def test_the_board_shows_every_status_and_reminders_go_to_those_not_submitted(world, xx):
    sheet = _fill_levels(world)
    services.sheet_submit(sheet=sheet, by=world["lead"])
    board = dict((i.code, status) for i, status in sheet_board(world["year"]))
    assert board == {"I2": "submitted", "T1": "not_started"}
    assert services.sheets_remind(year=world["year"], by=xx.office) == 1
    message = OutboxMessage.objects.get()
    assert message.recipient_email == "ny01@example.cn"
    assert "T1" in message.body_text and "I2" not in message.body_text
    assert services.sheets_remind(year=world["year"], by=xx.office) == 0  # once a day


def test_the_lead_checks_then_uploads_on_the_page_and_the_office_returns(client, world, xx):
    client.force_login(world["lead"])
    url = reverse("assessments:sheet_upload", args=[world["orchard"].pk])
    rows = [["XX-T1", "", "好", "核查"], ["XX-T2", "", "好", "核查"], ["XX-T3", "", "好", ""]]
    page = client.post(url, {"file": _xlsx(rows, LEVEL_HEADERS), "action": "import"})
    assert page.status_code == 200 and "理由" in page.content.decode()
    assert not SheetRow.objects.exists()
    rows[2][3] = "核查"
    checked = client.post(url, {"file": _xlsx(rows, LEVEL_HEADERS), "action": "check"})
    assert checked.status_code == 200 and not SheetRow.objects.exists()
    client.post(url, {"file": _xlsx(rows, LEVEL_HEADERS), "action": "import"})
    assert SheetRow.objects.count() == 3
    client.post(reverse("assessments:sheet_submit", args=[world["orchard"].pk]))
    client.force_login(xx.office)
    back = reverse("assessments:sheet_return", args=[world["orchard"].pk])
    client.post(back, {"reason": "请补充依据"})
    assert ScoringSheet.objects.get().status == "returned"
    assert SheetEvent.objects.filter(action="returned", reason="请补充依据").exists()
    board = client.get(reverse("assessments:sheet_board", args=[world["year"].pk]))
    assert "请补充依据" in board.content.decode()


def _accepted(world, xx):
    sheet = _fill_levels(world)
    services.sheet_submit(sheet=sheet, by=world["lead"])
    services.sheet_accept(sheet=sheet, by=xx.office)
    return sheet


def test_the_office_reopens_an_accepted_sheet_and_it_is_fixed_and_accepted_again(world, xx):
    sheet = _accepted(world, xx)
    target = world["orchard"].targets.get(unit=world["towns"][0])
    with pytest.raises(ValidationError):  # a reason is required
        services.sheet_reopen(sheet=sheet, reason="  ", by=xx.office)
    services.sheet_reopen(sheet=sheet, reason="镇1等次有误", by=xx.office)
    sheet.refresh_from_db()
    assert sheet.status == "returned" and sheet.return_reason == "镇1等次有误"
    target.decision.refresh_from_db()
    assert target.decision.level == "good"  # the scores keep what the sheet last fed
    with pytest.raises(ValidationError):  # only an accepted sheet reopens
        services.sheet_reopen(sheet=sheet, reason="再次", by=xx.office)
    services.sheet_row_set(target=target, level="fair", reason="复核后调整", by=world["lead"])
    services.sheet_submit(sheet=sheet, by=world["lead"])
    services.sheet_accept(sheet=sheet, by=xx.office)
    target.decision.refresh_from_db()
    assert target.decision.level == "fair"
    assert [e.action for e in sheet.events.all()] == [
        "submitted", "accepted", "reopened", "submitted", "accepted"
    ]  # fmt: skip


def test_an_accepted_sheet_of_a_closed_year_does_not_reopen(world, xx):
    sheet = _accepted(world, xx)
    world["year"].status = "closed"
    world["year"].save(update_fields=["status"])
    with pytest.raises(ValidationError):
        services.sheet_reopen(sheet=sheet, reason="镇1等次有误", by=xx.office)
    sheet.refresh_from_db()
    assert sheet.status == "accepted"


def test_the_office_reopens_on_the_page_and_the_lead_cannot(client, world, xx):
    sheet = _accepted(world, xx)
    url = reverse("assessments:sheet_reopen", args=[world["orchard"].pk])
    client.force_login(world["lead"])
    assert client.post(url, {"reason": "自己改"}).status_code == 403
    client.force_login(xx.office)
    page = client.get(reverse("assessments:lead_indicator", args=[world["orchard"].pk]))
    assert url in page.content.decode()
    client.post(url, {"reason": "镇2等次有误"})
    sheet.refresh_from_db()
    assert sheet.status == "returned" and sheet.return_reason == "镇2等次有误"
    client.force_login(world["lead"])
    page = client.get(reverse("assessments:lead_indicator", args=[world["orchard"].pk]))
    assert "镇2等次有误" in page.content.decode()


PDF = b"%PDF-1.4 attachment of a sheet row"


def test_a_row_saved_on_the_page_keeps_its_attachment_for_the_office_to_download(client, world, xx):
    target = world["orchard"].targets.get(unit=world["towns"][0])
    client.force_login(world["lead"])
    url = reverse("assessments:sheet_row", args=[target.pk])
    upload = SimpleUploadedFile("果园台账.pdf", PDF)
    client.post(url, {"level": "good", "reason": "果园管理", "attachment": upload})
    row = SheetRow.objects.get(target=target)
    assert row.attachment and row.level == "good"
    client.post(url, {"level": "fair", "reason": "改为一般"})  # saved again without a file
    row.refresh_from_db()
    assert row.level == "fair" and row.attachment  # it keeps the one it had
    download = reverse("assessments:sheet_row_attachment", args=[target.pk])
    client.force_login(xx.office)
    page = client.get(reverse("assessments:lead_indicator", args=[world["orchard"].pk]))
    assert download in page.content.decode()
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    other = world["orchard"].targets.get(unit=world["towns"][1])  # no row, no file
    assert (
        client.get(reverse("assessments:sheet_row_attachment", args=[other.pk])).status_code == 404
    )


def test_a_renamed_file_is_refused_on_the_row_and_nothing_is_written(client, world):
    target = world["orchard"].targets.get(unit=world["towns"][0])
    client.force_login(world["lead"])
    fake = SimpleUploadedFile("台账.pdf", b"MZ\x90\x00 not a pdf")
    page = client.post(
        reverse("assessments:sheet_row", args=[target.pk]),
        {"level": "good", "reason": "果园管理", "attachment": fake},
        follow=True,
    )
    assert "台账.pdf并非真正的PDF文件" in page.content.decode()
    assert not SheetRow.objects.filter(target=target).exists()


def test_a_deduction_attachment_downloads_in_scope_only(client, world, xx):
    target = world["petitions"].targets.get(unit=world["towns"][0])
    entry = services.deduction_enter(
        target=target,
        occurred_on=dt.date(2015, 6, 3),
        points=D(2),
        reason="越级上访",
        by=xx.office,
        attachment=SimpleUploadedFile("来信.pdf", PDF),
    )
    url = reverse("assessments:deduction_attachment", args=[entry.pk])
    client.force_login(world["lead"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(xx.liaison)
    assert client.get(url).status_code in (403, 404)
    with pytest.raises(ValidationError):
        services.deduction_enter(
            target=target,
            occurred_on=dt.date(2015, 6, 4),
            points=D(1),
            reason="重复",
            by=xx.office,
            attachment=SimpleUploadedFile("来信.pdf", b"not a pdf"),
        )
