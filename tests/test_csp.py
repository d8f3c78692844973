"""The Content-Security-Policy: every page forbids inline scripts, so no template may hold one
(nor an on* handler); their behaviour lives in static/js/."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_template_has_an_inline_script_or_handler():
    offenders = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{template.relative_to(TEMPLATES)}: {tag}")
        for handler in re.findall(r"\son[a-z]+\s*=", text):
            offenders.append(f"{template.relative_to(TEMPLATES)}: {handler.strip()}")
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["login", "ballot:enter"])
def test_pages_send_a_policy_without_inline_scripts(client, url):
    policy = client.get(reverse(url))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_a_logged_in_page_sends_the_policy(client, xx):
    client.force_login(xx.office)
    response = client.get(reverse("assessments:overview"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
