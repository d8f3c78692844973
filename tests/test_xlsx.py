"""Excel exports: layout for printing, cell types, and downloads with Chinese names."""

import datetime
from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote

import pytest
from django.utils import translation
from openpyxl import load_workbook

from kaohe.lib.xlsx import (
    CONTENT_TYPE,
    add_sheet,
    build_workbook,
    content_disposition,
    strong_row,
    workbook_response,
)

COLUMNS = [("Rank", 6), ("Unit", 24), ("Score", 10)]


def _open(response):
    return load_workbook(BytesIO(response.content))


def test_response_is_an_xlsx_download_with_the_chinese_name_intact():
    response = workbook_response(
        filename="2026年度 排名.xlsx", title="排名", columns=COLUMNS, rows=[]
    )
    assert response["Content-Type"] == CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "2026年度 排名.xlsx"
    assert 'filename="2026 .xlsx"' in disposition  # ASCII fallback for old clients


def test_extension_is_added_and_a_name_without_ascii_falls_back_to_export():
    response = workbook_response(filename="考核结果", title="t", columns=COLUMNS, rows=[])
    disposition = response["Content-Disposition"]
    assert 'filename="export.xlsx"' in disposition
    assert unquote(disposition.split("''", 1)[1]) == "考核结果.xlsx"


def test_quotes_cannot_break_out_of_the_fallback_name():
    assert 'filename="ab.xlsx"' in content_disposition('a"b.xlsx')


def test_title_subtitle_and_headers_sit_above_the_data():
    response = workbook_response(
        filename="r.xlsx",
        title="2026年度 乡镇排名",
        subtitle="截至 2026-11-29",
        columns=COLUMNS,
        rows=[(1, "龙泉镇", Decimal("95.5")), (2, "城关镇", Decimal("90"))],
    )
    ws = _open(response).active
    assert ws["A1"].value == "2026年度 乡镇排名"
    assert "A1:C1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "截至 2026-11-29"
    assert [c.value for c in ws[3]] == ["Rank", "Unit", "Score"]
    assert [c.value for c in ws[4]] == [1, "龙泉镇", 95.5]
    assert ws["C5"].value == 90
    assert ws.column_dimensions["B"].width == 24


def test_group_headers_are_merged_and_ungrouped_columns_span_both_header_rows():
    columns = [("Rank", 6), ("Unit", 20), ("First", 8), ("Second", 8), ("Total", 8)]
    ws = build_workbook(
        title="t",
        columns=columns,
        rows=[(1, "u", 1, 2, 3)],
        header_groups=[("", 2), ("Thirds", 2), ("", 1)],
    ).active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:E1", "C2:D2", "A2:A3", "B2:B3", "E2:E3"} <= merged
    assert ws["C2"].value == "Thirds"
    assert [ws.cell(row=3, column=c).value for c in (3, 4)] == ["First", "Second"]
    assert ws["A2"].value == "Rank"
    assert ws.print_title_rows == "$2:$3"
    assert ws.freeze_panes == "A4"
    assert ws["A4"].value == 1


def test_group_spans_must_cover_the_columns():
    with pytest.raises(ValueError, match="span 2 columns, not 3"):
        build_workbook(title="t", columns=COLUMNS, rows=[], header_groups=[("g", 2)])


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="row has 2 cells for 3 columns"):
        build_workbook(title="t", columns=COLUMNS, rows=[(1, "u")])


def test_page_is_a4_landscape_fitted_to_one_page_wide_with_repeated_headers():
    ws = build_workbook(title="t", subtitle="s", columns=COLUMNS, rows=[(1, "u", 2)]).active
    wb = load_workbook(_saved(ws.parent))
    ws = wb.active
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == "$3:$3"
    assert ws.freeze_panes == "A4"


def test_portrait_when_asked():
    ws = build_workbook(title="t", columns=COLUMNS, rows=[], landscape=False).active
    assert ws.page_setup.orientation == "portrait"


def test_cells_keep_their_types_with_two_decimals_for_scores():
    aware = datetime.datetime(2026, 11, 29, 1, 30, tzinfo=datetime.UTC)
    columns = [(str(n), 10) for n in range(8)]
    row = (Decimal("1.5"), 2.25, 3, None, datetime.date(2026, 1, 2), aware, True, Decimal("NaN"))
    with translation.override("en"):
        wb = load_workbook(_saved(build_workbook(title="t", columns=columns, rows=[row])))
    cells = list(wb.active[3])
    assert cells[0].value == 1.5
    assert cells[0].number_format == "0.00"
    assert cells[1].value == 2.25
    assert cells[1].number_format == "0.00"
    assert cells[2].value == 3
    assert cells[2].number_format == "0"
    assert cells[3].value is None
    assert cells[4].value.date() == datetime.date(2026, 1, 2)
    assert cells[4].number_format == 'yyyy"年"m"月"d"日"'
    assert (cells[5].value.hour, cells[5].value.minute) == (9, 30)  # Asia/Shanghai
    assert cells[6].value == "Yes"
    assert cells[7].value is None


def test_text_that_looks_like_a_formula_stays_text():
    evil = '=HYPERLINK("http://evil.example","点我")'
    columns = [(evil, 10), ("Unit", 10), ("Score", 10)]
    rows = [(1, evil, 2)]
    wb = build_workbook(title=evil, subtitle=evil, columns=columns, rows=rows)
    ws = load_workbook(_saved(wb)).active
    for cell in (ws["A1"], ws["A2"], ws["A3"], ws["B4"]):
        assert cell.data_type == "s"
        assert cell.value == evil


def test_a_column_can_carry_its_own_number_format():
    columns = [("Share", 10, "0.0%"), ("Name", 10, "0.0%")]
    ws = build_workbook(title="t", columns=columns, rows=[(Decimal("0.5"), "x")]).active
    assert ws["A3"].number_format == "0.0%"
    assert ws["B3"].number_format == "General"


def test_strong_rows_print_bold():
    rows = [(1, "u", 2), strong_row(("", "Total", Decimal("2")))]
    ws = build_workbook(title="t", columns=COLUMNS, rows=rows).active
    assert ws["B3"].font.b is False
    assert ws["B4"].font.b is True
    assert ws["B4"].value == "Total"


def test_rows_with_wrapped_text_are_tall_enough_for_it():
    rows = [(1, "短", 2), (2, "龙泉镇" * 10, 3), (3, "一\n二\n三", 4)]
    ws = build_workbook(title="t", columns=COLUMNS, rows=rows).active
    assert ws.row_dimensions[3].height is None  # one line: the program's default
    assert ws.row_dimensions[4].height > 2 * 14  # 30 CJK characters in 24 units: 3 lines
    assert ws.row_dimensions[5].height > 2 * 14
    assert ws["B4"].alignment.wrap_text


def test_generators_are_accepted_as_rows():
    ws = build_workbook(title="t", columns=COLUMNS, rows=((n, "u", n) for n in range(3))).active
    assert [ws.cell(row=r, column=1).value for r in (3, 4, 5)] == [0, 1, 2]


def test_every_sheet_of_a_workbook_is_styled_alike():
    wb = build_workbook(title="t", columns=COLUMNS, rows=[(1, "u", Decimal("1.5"))])
    add_sheet(wb, title="t", columns=COLUMNS, rows=[strong_row((2, "v", Decimal("2.5")))])
    wb = load_workbook(_saved(wb))
    first, second = wb.worksheets
    for ws in (first, second):
        assert ws["A2"].font.b
        assert ws["A2"].fill.fgColor.rgb.endswith("E7E6E6")
        assert ws["C3"].number_format == "0.00"
        assert ws["C3"].border.left.style == "thin"
        assert ws["A3"].number_format == "0"
        assert ws["B3"].alignment.wrap_text
    assert not first["B3"].font.b
    assert second["B3"].font.b


def test_sheets_get_valid_unique_names():
    wb = build_workbook(title="a/b:c*d?[e]", columns=COLUMNS, rows=[])
    add_sheet(wb, title="a/b:c*d?[e]", columns=COLUMNS, rows=[])
    long = "县直机关工委" * 10
    add_sheet(wb, title="x", sheet_title=long, columns=COLUMNS, rows=[])
    add_sheet(wb, title="x", sheet_title=long, columns=COLUMNS, rows=[])
    names = wb.sheetnames
    assert names[0] == "a_b_c_d__e_"
    assert names[1] == "a_b_c_d__e_ (2)"
    assert len(names[2]) == 31
    assert len(names[3]) == 31
    assert names[3].endswith(" (2)")
    assert wb[names[1]]["A1"].value == "a/b:c*d?[e]"  # the title itself is untouched


def _saved(wb):
    buffer = BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


# -- streamed (write-only) exports ------------------------------------------------------------


def _layout(wb) -> list:
    """Everything a reader sees of each sheet: cells with their styles (a merged range shows
    its first cell), merges, widths, row heights, panes and print settings."""
    sheets = []
    for ws in wb.worksheets:
        hidden = {
            (row, col)
            for merged in ws.merged_cells.ranges
            for row, col in merged.cells
            if (row, col) != (merged.min_row, merged.min_col)
        }
        cells = [
            (
                c.coordinate,
                c.value,
                c.data_type,
                c.number_format,
                c.font.b,
                c.font.sz,
                c.font.name,
                c.border.left.style,
                c.fill.fgColor.rgb,
                c.alignment.horizontal,
                c.alignment.wrap_text,
            )
            for row in ws.iter_rows()
            for c in row
            if (c.value is not None or c.has_style) and (c.row, c.column) not in hidden
        ]
        sheets.append(
            {
                "title": ws.title,
                "cells": cells,
                "merged": sorted(str(r) for r in ws.merged_cells.ranges),
                "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.width},
                "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
                "panes": ws.freeze_panes,
                "titles": ws.print_title_rows,
                "area": ws.print_area,
                "orientation": ws.page_setup.orientation,
                "fit": ws.sheet_properties.pageSetUpPr.fitToPage,
            }
        )
    return sheets


def _export_sheets(n: int):
    from kaohe.lib.xlsx import Sheet

    rows = (
        (
            i,
            f"单位{i}",
            Decimal("95.5") + i,
            datetime.date(2026, 1, i % 28 + 1),
            "=x" if i == 2 else "备",
        )
        for i in range(1, n + 1)
    )
    columns = [("No.", 6), ("Unit", 24), ("Score", 10, "0.0"), ("On", 14), ("Notes", 8)]
    return [
        Sheet(
            title="2026年度 名单",
            subtitle="截至 2026年11月29日",
            columns=columns,
            rows=rows,
            header_groups=[("", 2), ("Figures", 2), ("", 1)],
        ),
        Sheet(title="Second", columns=COLUMNS, rows=[strong_row((1, "总计" * 30, Decimal(3)))]),
    ]


def test_a_streamed_export_reads_exactly_like_the_ordinary_one():
    from kaohe.lib.xlsx import sheets_response

    ordinary = _open(sheets_response(_export_sheets(30), filename="a.xlsx"))
    streamed = sheets_response(_export_sheets(30), filename="名单.xlsx", stream=True)
    assert streamed["Content-Type"] == CONTENT_TYPE
    assert unquote(streamed["Content-Disposition"].split("''", 1)[1]) == "名单.xlsx"
    opened = load_workbook(BytesIO(b"".join(streamed.streaming_content)))
    assert _layout(opened) == _layout(ordinary)
    ws = opened.worksheets[0]
    assert ws["B5"].value == "单位1"
    assert ws["E6"].value == "=x" and ws["E6"].data_type == "s"  # never a formula
    assert ws["C5"].number_format == "0.0"
    assert ws.freeze_panes == "A5"


def _peak_of_streaming(n: int) -> int:
    import tracemalloc

    from kaohe.lib.xlsx import sheets_response

    tracemalloc.start()
    try:
        response = sheets_response(_export_sheets(n)[:1], filename="a.xlsx", stream=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    response.file_to_stream.close()
    return peak


def test_a_streamed_export_takes_no_more_memory_for_ten_times_the_rows():
    _peak_of_streaming(10)  # warm up: imports and caches
    small, large = _peak_of_streaming(300), _peak_of_streaming(3000)
    assert large < small * 1.3, (small, large)
