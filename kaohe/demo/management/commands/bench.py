"""``make bench``: time, queries and memory of the heavy operations on the demo county.

Run on a fresh database (the Makefile target uses its own SQLite file), so the first step is the
demo load itself. Every step prints its wall time, its number of SQL queries and the process's
peak resident memory after it. Nothing here is asserted: tests pin query counts, this measures.
"""

import datetime as dt
import resource
import time
from collections.abc import Callable
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from assessments.imports import KINDS, run_import
from assessments.models import AssessmentYear, EligibilityFlag, ProgressReport, Target
from assessments.selectors.dashboard import dashboard
from assessments.services import bulletins, grading, scoring
from assessments.services.eligibility import flags_recompute
from cadres.models import Cadre, Unit
from kaohe.demo import data
from kaohe.demo.loader import load_demo


def _workbook(name: str, sheet: str, headers: list[str], rows) -> SimpleUploadedFile:
    """An import file as a clerk would upload it."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return SimpleUploadedFile(f"{name}.xlsx", out.getvalue())


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _import_files(county: Unit, year: AssessmentYear) -> dict[str, SimpleUploadedFile]:
    """The demo county's cadres, targets and progress written back as import files."""
    cadres = (
        Cadre.objects.filter(unit__path__startswith=county.path)
        .select_related("unit")
        .prefetch_related("posts")
    )
    targets = Target.objects.filter(year=year).select_related("unit", "indicator")
    reports = ProgressReport.objects.filter(target__year=year).select_related(
        "target__unit", "target__indicator"
    )
    cadre_headers = ["干部编号", "姓名", "性别", "出生日期", "是否党员", "学历", "单位代码"]
    cadre_headers += ["职务", "职级", "职务类别", "是否领导干部", "是否主要负责人", "任职日期"]
    return {
        "cadres": _workbook(
            "cadres",
            "干部",
            cadre_headers,
            (
                [
                    c.number,
                    c.name,
                    c.get_gender_display(),
                    c.birth_date,
                    _yes(c.party_member),
                    c.education,
                    c.unit.code,
                    c.title,
                    c.get_rank_display(),
                    c.get_post_kind_display(),
                    _yes(c.is_leading),
                    _yes(c.is_principal),
                    next(p.started_on for p in c.posts.all() if p.ended_on is None),
                ]
                for c in cadres
            ),
        ),  # fmt: skip
        "targets": _workbook(
            "targets",
            "目标任务",
            ["单位代码", "指标代码", "目标值", "计量单位", "截止日期"],
            (
                [t.unit.code, t.indicator.code, t.target_value, t.measure, t.deadline]
                for t in targets
            ),
        ),
        "progress": _workbook(
            "progress",
            "月度进度",
            ["单位代码", "指标代码", "月份", "累计完成值", "进展情况", "报送日期", "审核通过"],
            (
                [
                    r.target.unit.code,
                    r.target.indicator.code,
                    r.month,
                    r.actual_value,
                    r.narrative,
                    r.submitted_at.date(),
                    _yes(r.status == "approved"),
                ]
                for r in reports
            ),
        ),  # fmt: skip
    }


class _QueryCounter:
    """Counts the SQL statements run (a wrapper: no query log, no limit)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Measure time, queries and memory of the heavy operations on the demo county."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3, help="runs of each timed step")

    def _step(self, label: str, fn: Callable[[], object], *, repeat: int = 1) -> object:
        times, result, queries = [], None, 0
        for _ in range(repeat):
            counter = _QueryCounter()
            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                result = fn()
                times.append(time.perf_counter() - started)
            queries = counter.count
        best, worst = min(times), max(times)
        self.stdout.write(
            f"{label:<44} {best:8.3f} s  (max {worst:6.3f}, n={repeat})  "
            f"{queries:6d} queries  peak {_peak_mib():7.1f} MiB"
        )
        return result

    def _page(self, client: Client, label: str, url: str, repeat: int) -> None:
        def get():
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            return response

        self._step(f"page: {label}", get, repeat=repeat)

    def handle(self, *args, **options):
        repeat = options["repeat"]
        if Unit.objects.exists():
            # It measures the first load, and it would leave the demo county in real data.
            raise CommandError("bench needs an empty database: run `make bench`.")
        self.stdout.write(f"{'step':<44} {'best':>8}    {'':>16}  {'SQL':>6}")
        self._step("load_demo (first run, creates everything)", load_demo)
        self._step("load_demo (second run, creates nothing)", load_demo)

        year = AssessmentYear.objects.get(county__code=data.COUNTY[0], year=data.PROGRESS_YEAR)
        self._step(
            "scores_compute (all units of the year)",
            lambda: scoring.scores_compute(year=year),
            repeat=repeat,
        )
        self._step(
            "results_propose (all cadres' grades)",
            lambda: grading.results_propose(year=year),
            repeat=repeat,
        )
        today = dt.date(data.PROGRESS_YEAR, 11, 1)
        self._step(
            "bulletin_content (October)",
            lambda: bulletins.bulletin_content(year=year, month=10, today=today),
            repeat=repeat,
        )
        bulletin = bulletins.bulletin_build(year=year, month=10, today=today)
        self._step(
            "bulletin PDF (A4, Noto CJK)", lambda: bulletins.render_bulletin_pdf(bulletin), repeat=1
        )

        county = year.county
        on = dt.date(data.PROGRESS_YEAR, 2, 1)
        self._step(
            "flags_recompute (577 cadres, 3 locked years)",
            lambda: flags_recompute(county=county, on=on),
            repeat=repeat,
        )
        self._step(
            "dashboard selector (October)",
            lambda: dashboard(year, month=10, today=today),
            repeat=repeat,
        )

        office = get_user_model().objects.get(username="office")
        files = _import_files(county, year)
        for kind, upload in files.items():
            importer = KINDS[kind]
            rows = {"cadres": Cadre, "targets": Target, "progress": ProgressReport}[kind]
            label = f"import preview: {kind} (all unchanged)"

            def preview(importer=importer, upload=upload):
                return run_import(importer(user=office, year=year), upload, commit=False)

            result = self._step(label, preview, repeat=1)
            self.stdout.write(
                f"    {result.unchanged} unchanged of {rows.objects.count()} rows, "
                f"{len(result.problems)} problems"
            )
        wipes = {
            "targets": Target.objects.filter(year=year),
            "progress": ProgressReport.objects.filter(target__year=year),
        }
        for kind, rows in wipes.items():
            importer = KINDS[kind]

            def fresh(importer=importer, rows=rows, kind=kind):
                # Into an empty year (the wipe and the import are rolled back afterwards).
                with transaction.atomic():
                    rows.delete()
                    result = run_import(importer(user=office, year=year), files[kind], commit=True)
                    transaction.set_rollback(True)
                return result

            result = self._step(f"import into an empty year: {kind}", fresh, repeat=1)
            self.stdout.write(f"    {result.created} created, {len(result.problems)} problems")

        client = Client(SERVER_NAME="localhost")
        client.force_login(office)
        history = AssessmentYear.objects.get(county=county, year=data.PROGRESS_YEAR - 1)
        flagged = EligibilityFlag.objects.filter(kind="priority").values_list("cadre", flat=True)[0]
        town = Unit.objects.filter(kind=Unit.Kind.TOWNSHIP, path__startswith=county.path)[0]
        pages = [
            ("overview", reverse("assessments:overview")),
            ("rankings", reverse("assessments:rankings", args=[year.pk])),
            ("progress overview", reverse("assessments:progress_overview", args=[year.pk])),
            ("annual results", reverse("assessments:results", args=[year.pk])),
            ("cadre list", reverse("cadres:cadre_list")),
            ("dashboard", reverse("assessments:dashboard") + f"?year={year.pk}&month=10"),
            ("selection list", reverse("assessments:selection") + f"?on={on}"),
            ("results use 2014", reverse("assessments:results_use", args=[history.pk])),
            ("cadre archive (3 years)", reverse("assessments:cadre_archive", args=[flagged])),
            ("team archive", reverse("assessments:unit_archive", args=[town.pk])),
            ("rankings.xlsx", reverse("assessments:rankings_xlsx", args=[year.pk])),
            ("results.xlsx", reverse("assessments:results_xlsx", args=[year.pk])),
            ("cadre archive PDF", reverse("assessments:cadre_archive_pdf", args=[flagged])),
        ]
        for label, url in pages:
            self._page(client, label, url, repeat)
