"""``manage.py loadtest --base http://127.0.0.1:8010 --users 5 --seconds 30``: simulated users
of each role on the main pages of the demo county, against a running server on loopback.

Each simulated user logs in with its role's demo login (its own session), then requests its
role's pages in turn as fast as answers come, until the time is up. Prints the requests,
errors (status >= 400 or no answer), and the p50 / p95 / max latency per page and overall.
Bounded: loopback only, at most 100 users per role and 600 seconds. ``make loadtest`` starts
gunicorn on PostgreSQL and runs this against it.
"""

from __future__ import annotations

import http.cookiejar
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from assessments.models import AssessmentYear
from kaohe.demo import data

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _pages(year: AssessmentYear) -> dict[str, list[tuple[str, str]]]:
    """Each role's main pages (label, path): its home and what it reads most."""
    dashboard = ("dashboard", reverse("assessments:dashboard"))
    progress = ("progress overview", reverse("assessments:progress_overview", args=[year.pk]))
    rankings = ("rankings", reverse("assessments:rankings", args=[year.pk]))
    return {
        "office": [("home", "/"), dashboard, progress, rankings],
        "leader": [("home", "/"), dashboard, progress, rankings],
        "liaison": [("home", "/"), ("my unit", reverse("assessments:my_unit"))],
        "cadre": [("home", "/"), ("my records", reverse("assessments:me"))],
    }


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class _User(threading.Thread):
    def __init__(self, base, username, pages, start, results, lock):
        super().__init__(daemon=True)
        self.base, self.username, self.pages = base, username, pages
        self.start_barrier, self.results, self.lock = start, results, lock
        self.clock: dict = {}  # "deadline": set by the barrier once everybody has logged in
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.jar = jar

    def _fetch(self, path, body=None):
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 (loopback)
        if body is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, b""
        except OSError:
            return 0, b""

    def login(self) -> bool:
        status, page = self._fetch("/login/")
        token = CSRF.search(page or b"")
        if status != 200 or not token:
            return False
        form = {
            "username": self.username,
            "password": data.PASSWORD,
            "csrfmiddlewaretoken": token.group(1).decode(),
        }
        status, _ = self._fetch("/login/", urllib.parse.urlencode(form).encode())
        return status == 200 and any(c.name == "sessionid" for c in self.jar)

    def run(self):
        logged_in = self.login()
        self.start_barrier.wait()  # the clock starts when every user has logged in
        if not logged_in:
            with self.lock:
                self.results["login failed"].append((0, 0.0))
            return
        i = 0
        while time.monotonic() < self.clock["deadline"]:
            label, path = self.pages[i % len(self.pages)]
            i += 1
            started = time.monotonic()
            status, _ = self._fetch(path)
            with self.lock:
                self.results[label].append((status, time.monotonic() - started))


class Command(BaseCommand):
    help = "Simulated users of each role on the main pages of a running demo server (loopback)."

    def add_arguments(self, parser):
        parser.add_argument("--base", default="http://127.0.0.1:8010")
        parser.add_argument("--users", type=int, default=5, help="simulated users per role")
        parser.add_argument("--seconds", type=int, default=30)

    def handle(self, *args, base, users, seconds, **options):
        host = urllib.parse.urlsplit(base).hostname
        if host not in LOOPBACK:
            raise CommandError("The load test only runs against a server on loopback.")
        if not 1 <= users <= 100 or not 1 <= seconds <= 600:
            raise CommandError("At most 100 users per role and 600 seconds.")
        year = AssessmentYear.objects.filter(year=2015, county__code="XX").first()
        if year is None:
            raise CommandError("Load the demo county first (manage.py load_demo).")
        logins = {role: name for name, role, _unit, _cadre in data.ACCOUNTS if name != "cityoffice"}
        pages = _pages(year)
        results: dict[str, list[tuple[int, float]]] = defaultdict(list)
        lock = threading.Lock()
        clock: dict = {}
        # The clock starts when every user has logged in (logins are slow on purpose: PBKDF2).
        start = threading.Barrier(
            users * len(pages),
            action=lambda: clock.update(deadline=time.monotonic() + seconds),
            timeout=600,
        )
        threads = [
            _User(base.rstrip("/"), logins[role], pages[role], start, results, lock)
            for role in pages
            for _ in range(users)
        ]
        for thread in threads:
            thread.clock = clock
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 660)
        self._report(results, users=users, roles=len(pages), seconds=seconds)

    def _report(self, results, *, users, roles, seconds):
        everything = [r for rows in results.values() for r in rows]
        errors = sum(1 for status, _ in everything if not 200 <= status < 400)
        times = [t for _, t in everything]
        self.stdout.write(
            f"{users * roles} users ({users} per role) for {seconds} s: {len(everything)} "
            f"requests, {errors} errors, p50 {_percentile(times, 0.5):.2f} s, "
            f"p95 {_percentile(times, 0.95):.2f} s, max {max(times, default=0):.2f} s"
        )
        for label, rows in sorted(results.items()):
            page_times = [t for _, t in rows]
            bad = sum(1 for status, _ in rows if not 200 <= status < 400)
            self.stdout.write(
                f"  {label:18} {len(rows):5} requests {bad:3} errors  "
                f"p50 {statistics.median(page_times) if page_times else 0:.2f} s  "
                f"p95 {_percentile(page_times, 0.95):.2f} s"
            )
