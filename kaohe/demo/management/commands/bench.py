"""``make bench SCALE=county|city|province``: time, queries and memory of the heavy operations.

Run on a fresh database (the Makefile target makes one), so the first step is the demo load
itself; ``--scale`` then copies the demo county into a city (10 counties) or a province (110,
see ``kaohe/demo/scale.py``). Every step prints its median wall time over ``--repeat`` runs,
its number of SQL queries, the peak of Python memory it allocated (tracemalloc, in one more run
of its own after the timed ones, so tracing does not slow them; skipped for a step over
``--trace-max`` seconds), the process's peak resident memory so far and, where one exists,
the time of a hand-written SQL query for the same figures (``kaohe/demo/baselines.py``) with
the ratio and whether the figures agree. Steps that write (bulletins, warnings, scores) run
in a transaction that is rolled back, so every run starts from the same data. Nothing here is
asserted: tests pin query counts, this measures. ``docs/bench.md`` explains the steps and
keeps the results.
"""

import datetime as dt
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse

from assessments.imports import KINDS, run_import
from assessments.models import (
    AssessmentYear,
    EligibilityFlag,
    IndicatorScore,
    ProgressReport,
    Target,
    UnitScore,
)
from assessments.selectors.dashboard import dashboard
from assessments.services import bulletins, grading, scoring
from assessments.services.eligibility import flags_recompute
from assessments.services.warnings import warnings_check
from cadres.models import Cadre, Unit
from kaohe.demo import baselines, data
from kaohe.demo.loader import load_demo
from kaohe.demo.scale import SCALES, root_office_username, scale_up


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
    """The process's peak resident memory so far (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _analyze() -> None:
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def _rolled_back(fn: Callable[[], object]) -> Callable[[], object]:
    """``fn`` in a transaction that is undone afterwards (its emails are never queued)."""

    def run():
        with transaction.atomic():
            result = fn()
            transaction.set_rollback(True)
        return result

    return run


def _issued(on: dt.date) -> set[int]:
    """The ids of the targets the warnings check of ``on`` puts on its notices."""
    run = warnings_check(on=on)
    return {item.target_id for notice in run.issued for item in notice.lagging}


def _same_targets(got: set[int], expected: set[int]) -> str:
    if got == expected:
        return f"agree ({len(got)} targets)"
    return f"DISAGREE ({len(got)} warned vs {len(expected)} candidates)"


def _get(client: Client, url: str) -> bytes:
    response: Any = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _agree(a: dict, b: dict, places: int = 4) -> str:
    """Whether two {key: Decimal} maps hold the same keys and values to ``places`` decimals."""
    if a.keys() != b.keys():
        return f"DISAGREE ({len(a)} vs {len(b)} units)"
    tolerance = Decimal(1).scaleb(-places)
    off = [k for k in a if abs(Decimal(a[k]) - Decimal(b[k])) > tolerance]
    return f"agree ({len(a)} units)" if not off else f"DISAGREE ({len(off)} of {len(a)} units)"


@dataclass
class Measured:
    label: str
    seconds: float
    queries: int
    traced_mib: float | None
    result: object = None
    baseline: float | None = None
    agreement: str = ""


class Command(BaseCommand):
    help = "Measure time, queries and memory of the heavy operations, county to province."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3, help="timed runs of each step")
        parser.add_argument(
            "--scale", choices=list(SCALES), default="county", help="how many demo counties"
        )
        parser.add_argument(
            "--no-trace", action="store_true", help="skip the tracemalloc run of each step"
        )
        parser.add_argument(
            "--trace-max",
            type=float,
            default=10.0,
            help="skip the tracemalloc run of a step whose timed runs took longer (seconds)",
        )
        parser.add_argument(
            "--built",
            action="store_true",
            help="measure on a database an earlier run has built (no load, no copies)",
        )
        parser.add_argument(
            "--skip",
            action="append",
            default=[],
            metavar="WORDS",
            help="skip the steps whose label contains these words (repeatable)",
        )
        parser.add_argument(
            "--only-scale-steps",
            action="store_true",
            help="skip the one-county steps after the scale steps (imports, pages, PDF)",
        )

    def _run(self, fn: Callable[[], object], repeat: int) -> tuple[list[float], int, object]:
        times, result, queries = [], None, 0
        for _ in range(repeat):
            counter = _QueryCounter()
            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                result = fn()
                times.append(time.perf_counter() - started)
            queries = counter.count
        return times, queries, result

    def _traced(self, fn: Callable[[], object]) -> float | None:
        if self.no_trace:
            return None
        tracemalloc.start()
        try:
            fn()
            return tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()

    def _step(
        self,
        label: str,
        fn: Callable[[], Any],
        *,
        repeat: int = 1,
        baseline: Callable[[], Any] | None = None,
        compare: Callable[[Any, Any], str] | None = None,
        also: tuple[tuple[str, Callable[[], Any], Callable[[Any, Any], str]], ...] = (),
        trace: bool = True,
    ) -> Any:
        if any(word in label for word in self.skip):
            self.stdout.write(f"{label:<46} skipped (--skip)")
            return None
        times, queries, result = self._run(fn, repeat)
        median = statistics.median(times)
        # One more run under tracemalloc (which slows Python code down), unless too long.
        traced = self._traced(fn) if trace and median <= self.trace_max else None
        m = Measured(label, median, queries, traced, result)
        line = (
            f"{label:<46} {m.seconds:8.3f} s (n={repeat}, max {max(times):7.3f})"
            f" {queries:7d} q  "
            + (f"traced {traced:7.1f} MiB" if traced is not None else " " * 18)
            + f"  rss {_peak_mib():7.1f} MiB"
        )
        if baseline is not None:
            base_times, _q, expected = self._run(baseline, repeat)
            m.baseline = statistics.median(base_times)
            m.agreement = compare(result, expected) if compare else ""
            line += (
                f"\n    SQL baseline {m.baseline:8.3f} s (1 query)  ratio "
                f"{m.seconds / m.baseline if m.baseline else float('inf'):7.1f}x  {m.agreement}"
            )
        # Further baselines: the same figures by other hand-written SQL (several statements).
        for name, other, agree in also:
            base_times, base_queries, expected = self._run(other, repeat)
            seconds = statistics.median(base_times)
            line += (
                f"\n    SQL {name} {seconds:8.3f} s ({base_queries} q)  ratio "
                f"{m.seconds / seconds if seconds else float('inf'):7.1f}x  "
                + agree(result, expected)
            )
        self.stdout.write(line)
        self.stdout.flush()  # a long run shows each step as it ends
        self.measured.append(m)
        return result

    def handle(self, *args, **options):
        repeat = options["repeat"]
        self.no_trace = options["no_trace"]
        self.trace_max = options["trace_max"]
        self.measured: list[Measured] = []
        self.skip = options["skip"]
        built = options["built"]
        if built and not Unit.objects.filter(code=data.COUNTY[0]).exists():
            raise CommandError("--built needs a database a bench run has built.")
        if not built and Unit.objects.exists():
            # It measures the first load, and it would leave the demo county in real data.
            raise CommandError("bench needs an empty database: run `make bench`.")
        counties = Unit.objects.filter(kind=Unit.Kind.COUNTY).count() if built else None
        self.stdout.write(
            f"bench: scale {options['scale']} ({counties or SCALES[options['scale']]} counties), "
            f"{connection.vendor}, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
            + (" (on the database built before)" if built else "")
        )
        if not built:
            self._build(options["scale"])
        self._scale_steps(repeat)
        if not options["only_scale_steps"]:
            self._county_steps(repeat)

    def _build(self, scale: str) -> None:
        self._step("load_demo (first run, creates everything)", load_demo, trace=False)
        self._step("load_demo (second run, creates nothing)", load_demo, trace=False)
        counties = SCALES[scale]
        if counties > 1:
            self._step(
                f"scale_up to {counties} counties (bulk SQL)",
                lambda: scale_up(counties, stdout=self.stdout),
                trace=False,
            )
            # The copies' stored scores name the demo county's ids in their breakdowns: the
            # first sweep of the years in progress rewrites them, as on a database in use
            # (committed; a closed year's scores are locked and never recomputed).
            self._step(
                "scores of the copies, first computed",
                lambda: [
                    scoring.scores_compute(year=y)
                    for y in AssessmentYear.objects.filter(
                        status=AssessmentYear.Status.IN_PROGRESS
                    ).exclude(county__code=data.COUNTY[0])
                ],
                trace=False,
            )
        # Fresh planner statistics, as autovacuum would have them on a database in use.
        self._step("ANALYZE", _analyze, trace=False)
        self.stdout.write(
            f"    {Unit.objects.count()} units, {Cadre.objects.count()} cadres, "
            f"{ProgressReport.objects.count()} progress reports, "
            f"{AssessmentYear.objects.count()} assessment years"
        )

    def _scale_steps(self, repeat: int) -> None:
        """The steps whose work grows with the number of counties (issue #18)."""
        year = AssessmentYear.objects.get(county__code=data.COUNTY[0], year=data.PROGRESS_YEAR)
        month_end = dt.date(data.PROGRESS_YEAR, 10, 31)
        self._step(
            "month-end bulletins, all counties (Oct 31)",
            _rolled_back(lambda: bulletins.bulletins_month_end(today=month_end)),
            repeat=repeat,
        )

        def one_bulletin():
            bulletin = bulletins.bulletin_build(year=year, month=10, today=month_end)
            return bulletins.bulletin_publish(bulletin=bulletin, today=month_end)

        self._step("bulletin build+publish, one county", _rolled_back(one_bulletin), repeat=repeat)

        # November's reports are due on the 25th and the demo stops at October: every target
        # is a candidate (the heaviest check: one notice per unit, every target on it).
        on = dt.date(data.PROGRESS_YEAR, 11, 26)

        self._step(
            "warnings check, all counties (Nov 26)",
            _rolled_back(lambda: _issued(on)),
            repeat=repeat,
            baseline=lambda: baselines.warning_candidates(on),
            compare=_same_targets,
            also=(
                (
                    "with the writes",
                    _rolled_back(lambda: baselines.warning_writes(on)),
                    lambda got, written: _same_targets(got, set(written)),
                ),
            ),
        )
        # The day after (what most days of a month are): the 26th's notices stand, so the
        # check finds nothing new to warn of and nothing is due to escalate.
        with transaction.atomic():
            warnings_check(on=on)
            self._step(
                "warnings check, all counties, next day",
                _rolled_back(lambda: _issued(on + dt.timedelta(days=1))),
                repeat=repeat,
                baseline=lambda: baselines.warning_candidates(on + dt.timedelta(days=1)),
                compare=_same_targets,
            )
            transaction.set_rollback(True)

        in_progress = list(
            AssessmentYear.objects.filter(status=AssessmentYear.Status.IN_PROGRESS).order_by("pk")
        )

        def totals(scores) -> dict:
            return {(s.year_id, s.unit_id): s.total for s in scores}

        def every_year():
            return totals([s for y in in_progress for s in scoring.scores_compute(year=y)])

        self._step(
            f"scores, every county year ({len(in_progress)} years)",
            _rolled_back(every_year),
            repeat=repeat,
            baseline=lambda: baselines.score_totals([y.pk for y in in_progress]),
            compare=_agree,
        )
        self._step(
            "scores, one county year",
            _rolled_back(lambda: totals(scoring.scores_compute(year=year))),
            repeat=repeat,
            baseline=lambda: baselines.score_totals([year.pk]),
            compare=_agree,
        )
        # The same with every stored row out of date (as after a catalog change): each unit's
        # and each indicator's score is written again.
        with transaction.atomic():
            IndicatorScore.objects.filter(unit_score__year=year).update(breakdown={})
            UnitScore.objects.filter(year=year).update(bonus=F("bonus") + 1)
            self._step(
                "scores, one county year, every row rewritten",
                _rolled_back(lambda: totals(scoring.scores_compute(year=year))),
                repeat=repeat,
                baseline=lambda: baselines.score_totals([year.pk]),
                compare=_agree,
            )
            transaction.set_rollback(True)

        root = get_user_model().objects.get(username=root_office_username())
        client = Client(SERVER_NAME="localhost")
        client.force_login(root)
        on_flags = dt.date(data.PROGRESS_YEAR, 2, 1)
        self._step(
            f"page: unit tree at the root ({root.username})",
            lambda: _get(client, reverse("cadres:unit_list")),
            repeat=repeat,
        )
        self._step(
            f"page: selection list Excel at the root ({root.username})",
            lambda: _get(client, reverse("assessments:selection_export") + f"?on={on_flags}"),
            repeat=repeat,
        )
        today = dt.date(data.PROGRESS_YEAR, 11, 1)
        self._step(
            "dashboard selector, one county (October)",
            lambda: dashboard(year, month=10, today=today),
            repeat=repeat,
        )
        office = Client(SERVER_NAME="localhost")
        office.force_login(get_user_model().objects.get(username="office"))
        self._step(
            "page: dashboard, one county (office)",
            lambda: _get(office, reverse("assessments:dashboard") + f"?year={year.pk}&month=10"),
            repeat=repeat,
        )

    def _county_steps(self, repeat: int) -> None:
        """The demo county's own heavy operations: the same work at every scale."""
        self.stdout.write("one county (隰县):")
        year = AssessmentYear.objects.get(county__code=data.COUNTY[0], year=data.PROGRESS_YEAR)
        step = self._step
        step(
            "results_propose (all cadres' grades)",
            _rolled_back(lambda: grading.results_propose(year=year)),
            repeat=repeat,
        )
        today = dt.date(data.PROGRESS_YEAR, 11, 1)
        step(
            "bulletin_content (October)",
            lambda: bulletins.bulletin_content(year=year, month=10, today=today),
            repeat=repeat,
        )
        bulletin = bulletins.bulletin_build(year=year, month=10, today=today)
        step(
            "bulletin PDF (A4, Noto CJK)",
            lambda: bulletins.render_bulletin_pdf(bulletin),
            repeat=1,
            trace=False,
        )

        county = year.county
        on = dt.date(data.PROGRESS_YEAR, 2, 1)
        step(
            "flags_recompute (577 cadres, 3 locked years)",
            _rolled_back(lambda: flags_recompute(county=county, on=on)),
            repeat=repeat,
        )

        office = get_user_model().objects.get(username="office")
        files = _import_files(county, year)
        for kind, upload in files.items():
            importer = KINDS[kind]
            label = f"import preview: {kind} (all unchanged)"

            def preview(importer=importer, upload=upload):
                return run_import(importer(user=office, year=year), upload, commit=False)

            result = step(label, preview, trace=False)
            self.stdout.write(f"    {result.unchanged} unchanged, {len(result.problems)} problems")
        wipes = {
            "targets": Target.objects.filter(year=year),
            "progress": ProgressReport.objects.filter(target__year=year),
        }
        for kind, rows in wipes.items():
            importer = KINDS[kind]

            def fresh(importer=importer, rows=rows, kind=kind):
                # Into an empty year (the wipe and the import are rolled back afterwards).
                rows.delete()
                return run_import(importer(user=office, year=year), files[kind], commit=True)

            result = step(f"import into an empty year: {kind}", _rolled_back(fresh), trace=False)
            self.stdout.write(f"    {result.created} created, {len(result.problems)} problems")

        client = Client(SERVER_NAME="localhost")
        client.force_login(office)
        history = AssessmentYear.objects.get(county=county, year=data.PROGRESS_YEAR - 1)
        flagged = (
            EligibilityFlag.objects.filter(
                kind="priority", cadre__unit__path__startswith=county.path
            )
            .values_list("cadre", flat=True)
            .first()
        )
        town = Unit.objects.filter(kind=Unit.Kind.TOWNSHIP, path__startswith=county.path)[0]
        pages = [
            ("overview", reverse("assessments:overview")),
            ("rankings", reverse("assessments:rankings", args=[year.pk])),
            ("progress overview", reverse("assessments:progress_overview", args=[year.pk])),
            ("annual results", reverse("assessments:results", args=[year.pk])),
            ("cadre list", reverse("cadres:cadre_list")),
            ("selection list", reverse("assessments:selection") + f"?on={on}"),
            ("results use 2014", reverse("assessments:results_use", args=[history.pk])),
            ("cadre archive (3 years)", reverse("assessments:cadre_archive", args=[flagged])),
            ("team archive", reverse("assessments:unit_archive", args=[town.pk])),
            ("rankings.xlsx", reverse("assessments:rankings_xlsx", args=[year.pk])),
            ("results.xlsx", reverse("assessments:results_xlsx", args=[year.pk])),
            ("cadre archive PDF", reverse("assessments:cadre_archive_pdf", args=[flagged])),
        ]
        for label, url in pages:
            step(f"page: {label}", lambda url=url: _get(client, url), repeat=repeat, trace=False)
