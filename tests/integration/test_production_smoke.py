"""README's production steps, run as an operator types them: a database of its own on the local
PostgreSQL, Redis, `migrate`, `collectstatic` with the manifest storage, gunicorn, `make worker`
and `make beat`. Then the login page, a static file and one page as each role answer 200, and
everything stops.

Runs with the other integration tests (PostgreSQL and Redis required in CI).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from .conftest import free_port, require_services, wait_until

ROOT = Path(__file__).resolve().parents[2]
SMOKE_DB = "kaohe_smoke"
REDIS_DB_URL = "redis://127.0.0.1:6379/14"
PASSWORD = "Smoke-test-pass-1"
ROLES = {  # login -> (role, the page its home lands on)
    "smoke-office": ("office", "/assess/"),
    "smoke-leader": ("leader", "/assess/"),
    "smoke-liaison": ("liaison", "/assess/my-unit/"),
    "smoke-cadre": ("cadre", "/assess/me/"),
}

SETUP = f"""
from cadres import services
from cadres.models import Unit
import datetime as dt
city = services.unit_create(code="SM", name="烟测市", kind=Unit.Kind.CITY)
county = services.unit_create(code="SM-X", name="烟测县", kind=Unit.Kind.COUNTY, parent=city)
town = services.unit_create(code="SM-T", name="烟测镇", kind=Unit.Kind.TOWNSHIP, parent=county)
cadre = services.cadre_create(
    number="SM0001", name="王烟测", gender="m", unit=town, title="党委书记", rank="sec_chief",
    post_kind="principal", started_on=dt.date(2015, 1, 1), is_leading=True, is_principal=True,
)
for name, role, unit in [("smoke-office", "office", county), ("smoke-leader", "leader", county),
                         ("smoke-liaison", "liaison", town)]:
    services.account_create(username=name, password={PASSWORD!r}, role=role, unit=unit)
services.account_create(username="smoke-cadre", password={PASSWORD!r}, role="cadre", cadre=cadre)
"""


def _server_url() -> str:
    """The PostgreSQL server the tests use, with the smoke test's own database."""
    db = connection.settings_dict
    user = urllib.parse.quote(db.get("USER") or "postgres", safe="")
    password = f":{urllib.parse.quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{SMOKE_DB}"


def _recreate_database() -> None:
    """A new, empty database of the smoke test's own on the same server (autocommit: CREATE
    DATABASE cannot run in a transaction)."""
    import psycopg

    db = connection.settings_dict
    with psycopg.connect(
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        user=db.get("USER") or "postgres",
        password=db.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    ) as server:
        server.execute(f"DROP DATABASE IF EXISTS {SMOKE_DB} WITH (FORCE)")
        server.execute(f"CREATE DATABASE {SMOKE_DB}")


def _run(env, *command, timeout=300):
    result = subprocess.run(  # noqa: S603  (the project's own commands, fixed arguments)
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{command}: {result.stdout[-2000:]}{result.stderr[-2000:]}"
    return result


def _start(env, log: Path, *command) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class Browser:
    """Enough of a browser for the smoke test: cookies, CSRF, redirects."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str):
        try:
            response = self.opener.open(self.base + path, timeout=20)
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode(errors="replace")
        return response.status, response.url, response.read().decode(errors="replace")

    def log_in(self, username: str) -> tuple[int, str, str]:
        self.get("/login/")
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(  # noqa: S310  (http://127.0.0.1 of this test)
            self.base + "/login/", data=body, headers={"Referer": self.base + "/login/"}
        )
        try:
            response = self.opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode(errors="replace")
        return response.status, response.url, response.read().decode(errors="replace")


@pytest.mark.integration
def test_the_readme_production_steps_serve_every_role(tmp_path):
    require_services()
    _recreate_database()
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "DEBUG": "false",
        "SECRET_KEY": "smoke-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": _server_url(),
        "REDIS_URL": REDIS_DB_URL,
        "STATICFILES_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "EMAIL_URL": "",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    python = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
    bin_dir = Path(python).parent
    # README: make venv (done), migrate, collectstatic; the accounts an office would create.
    _run(env, python, "manage.py", "migrate", "--noinput")
    _run(env, python, "manage.py", "collectstatic", "--noinput", "-v0")
    _run(env, python, "manage.py", "shell", "-c", SETUP)
    processes = []
    try:
        processes.append(
            _start(
                env,
                tmp_path / "gunicorn.log",
                str(bin_dir / "gunicorn"),
                "kaohe.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{port}",
            )
        )
        processes.append(_start(env, tmp_path / "worker.log", "make", "worker"))
        processes.append(_start(env, tmp_path / "beat.log", "make", "beat"))
        browser = Browser(f"http://127.0.0.1:{port}")

        def login_page():
            try:
                return browser.get("/login/")[0] == 200
            except OSError:
                return False

        wait_until(login_page, timeout=60, what=lambda: (tmp_path / "gunicorn.log").read_text())
        status, _url, page = browser.get("/login/")
        assert status == 200
        assert "登录" in page
        hashed = r'href="(/static/vendor/bootstrap/css/bootstrap\.min\.[0-9a-f]+\.css)"'
        stylesheet = re.search(hashed, page)
        assert stylesheet, "the login page links the manifest's hashed stylesheet"
        assert browser.get(stylesheet.group(1))[0] == 200

        for username, (_role, home) in ROLES.items():
            visitor = Browser(browser.base)
            status, url, page = visitor.log_in(username)
            assert status == 200, (username, status, page[-500:])
            assert urllib.parse.urlsplit(url).path == home, (username, url)

        def ping() -> bool:
            result = subprocess.run(  # noqa: S603
                [str(bin_dir / "celery"), "-A", "kaohe", "inspect", "ping", "-t", "2"],
                cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            return "pong" in result.stdout

        wait_until(ping, timeout=60, what=lambda: (tmp_path / "worker.log").read_text()[-2000:])
        wait_until(
            lambda: "beat: Starting" in (tmp_path / "beat.log").read_text(),
            timeout=60,
            what=lambda: (tmp_path / "beat.log").read_text()[-2000:],
        )
        for process in processes:
            assert process.poll() is None, "a process of the stack stopped on its own"
    finally:
        for process in processes:
            _stop(process)
    assert all(p.poll() is not None for p in processes)
