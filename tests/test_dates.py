"""Dates in Chinese format everywhere a person reads them (2015年10月31日, never 2015-10-31):
pages, PDFs, Excel, emails and messages. ISO stays in data and in date inputs only."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from kaohe.lib import xlsx
from kaohe.lib.dates import cn_date

ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.date(2015, 10, 31), "2015年10月31日"),
        (dt.datetime(2015, 1, 5, 9, 30, tzinfo=dt.UTC), "2015年1月5日"),
        ("2015-10-31", "2015年10月31日"),
        (None, ""),
        ("", ""),
        ("not a date", "not a date"),
    ],
)
def test_cn_date(value, text):
    assert cn_date(value) == text


def test_a_bulletins_stored_iso_date_reads_in_chinese():
    rendered = Template("{% load kaohe %}截至{{ d|cn_date }}").render(Context({"d": "2015-10-31"}))
    assert rendered == "截至2015年10月31日"


def test_excel_dates_are_in_chinese_format():
    assert xlsx.DATE_FORMAT == 'yyyy"年"m"月"d"日"'
    assert xlsx.DATETIME_FORMAT.startswith(xlsx.DATE_FORMAT)


def _displayed_iso_dates(text: str) -> list[str]:
    """``|date:"Y-m-d"`` outside a ``value=`` attribute (a date input needs ISO)."""
    found = []
    for match in re.finditer(r"""\|date:["']Y-m-d["']""", text):
        before = text[max(0, match.start() - 80) : match.start()]
        if not re.search(r"value=[\"']\{\{[^}]*$", before):
            found.append(text[max(0, match.start() - 60) : match.end()])
    return found


def test_no_template_shows_an_iso_date():
    offenders = {}
    for path in (ROOT / "templates").rglob("*.*"):
        if path.suffix in (".html", ".txt"):
            found = _displayed_iso_dates(path.read_text())
            if found:
                offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_no_message_formats_a_date_as_iso():
    """``isoformat()`` only builds data (stored content, keys), never a sentence."""
    allowed = {
        "assessments/services/bulletins.py": 1,  # the content's as_of, shown with |cn_date
        "assessments/services/scoring.py": 4,  # the breakdown's dates, shown with cn_date
        "assessments/services/leads.py": 1,  # the outbox key of a reminder
        "kaohe/lib/backup.py": 1,  # the backup manifest's creation time
        "assessments/tasks.py": 2,  # a county task's day as its argument, and the log line
    }
    counts = {}
    for app in ("assessments", "cadres", "kaohe"):
        for path in (ROOT / app).rglob("*.py"):
            n = len(re.findall(r"(?<!from)isoformat\(\)", path.read_text()))
            if n and "migrations" not in path.parts:
                counts[str(path.relative_to(ROOT))] = n
    assert counts == allowed
