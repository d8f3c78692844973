"""The production settings: .env.example's production lines pass `check --deploy`, and the web
server refuses to start on the development key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def example_env(*, production: bool) -> dict[str, str]:
    """The variables of .env.example: its plain lines, overridden by its "#prod " lines."""
    values: dict[str, str] = {}
    prod: dict[str, str] = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        target = values
        if line.startswith("#prod "):
            line, target = line.removeprefix("#prod "), prod
        elif line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        target[key.strip()] = value.strip()
    if production:
        values.update(prod)
    return values


def run_manage(env_vars: dict[str, str], *args: str, code: str | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECRET_KEY"))}
    env.update(env_vars)
    # No database or broker is contacted by these checks; SQLite keeps it so on every machine.
    env["DATABASE_URL"] = "sqlite:///" + str(ROOT / "var" / "deploy-check.sqlite3")
    env.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    # The project's own manage.py with fixed arguments.
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)  # noqa: S603


def test_the_production_lines_of_env_example_pass_check_deploy():
    result = run_manage(example_env(production=True), "check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_reports_each_missing_production_setting():
    result = run_manage(example_env(production=False), "check", "--deploy")
    report = result.stdout + result.stderr
    for check in ("security.W004", "security.W008", "security.W012", "security.W016", "kaohe.E001"):
        assert check in report


def test_the_web_server_refuses_the_development_key_with_debug_off():
    values = example_env(production=True)
    del values["SECRET_KEY"]
    result = run_manage(values, code="import kaohe.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_web_server_starts_with_a_secret_key():
    result = run_manage(example_env(production=True), code="import kaohe.wsgi; print('ready')")
    assert result.returncode == 0, result.stderr
    assert "ready" in result.stdout


def test_without_redis_the_embedded_broker_logs_no_english_warning():
    """kombu warned "No hostname was supplied…" (in English) on every queued task of
    load_demo and check_warnings when the in-memory broker's URL named no host."""
    values = example_env(production=False)
    values["REDIS_URL"] = ""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from kombu import Connection; "
        "print(settings.CELERY_BROKER_URL); Connection(settings.CELERY_BROKER_URL).info()"
    )
    result = run_manage(values, code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("memory://")
    assert "No hostname" not in result.stderr + result.stdout
