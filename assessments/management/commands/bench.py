"""``make bench``: time, queries and memory of the heavy operations on the demo county.

Run on a fresh database (the Makefile target uses its own SQLite file), so the first step is the
demo load itself. Every step prints its wall time, its number of SQL queries and the process's
peak resident memory after it. Nothing here is asserted: tests pin query counts, this measures.
"""

import datetime as dt
import resource
import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import AssessmentYear
from assessments.services import bulletins, grading, scoring
from kaohe.demo import data
from kaohe.demo.loader import load_demo


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Measure time, queries and memory of the heavy operations on the demo county."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=3, help="runs of each timed step")

    def _step(self, label: str, fn: Callable[[], object], *, repeat: int = 1) -> object:
        times, result, queries = [], None, 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                result = fn()
                times.append(time.perf_counter() - started)
            queries = len(ctx.captured_queries)
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

        client = Client(SERVER_NAME="localhost")
        client.force_login(get_user_model().objects.get(username="office"))
        pages = [
            ("overview", reverse("assessments:overview")),
            ("rankings", reverse("assessments:rankings", args=[year.pk])),
            ("progress overview", reverse("assessments:progress_overview", args=[year.pk])),
            ("annual results", reverse("assessments:results", args=[year.pk])),
            ("cadre list", reverse("cadres:cadre_list")),
        ]
        for label, url in pages:
            self._page(client, label, url, repeat)
