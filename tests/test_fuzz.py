"""Malformed input is never a 500: every page of the permission matrix that a role opens, with
every query parameter the views read set to malformed values, and every form on that page
submitted with every field malformed. Generated from the URL conf (through the matrix, which a
test keeps complete) and from the pages' own forms, so new pages and fields join by themselves.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.urls import reverse

from tests.matrix.base import url_args
from tests.test_permissions import MATRIX, _fast_and_quiet, media_root, world  # noqa: F401

# What a clerk's typo, a pasted cell or a tampered request can put in a field.
BAD_VALUES = ["abc", "9" * 25, "-1", "1e999", "２０１５", "0x1F", "", " ", "%00", "<b>"]
# Every query parameter a view reads (request.GET in assessments/ and cadres/ views).
QUERY_PARAMS = [
    "page", "kind", "year", "unit", "q", "next", "grade", "category", "status", "parent",
    "cadre", "view", "sort", "month", "indicator", "changed", "bulletin",
]  # fmt: skip


class Forms(HTMLParser):
    """The forms of a page: (method, action, field names)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, list[str]]] = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._open = ((attrs.get("method") or "get").lower(), attrs.get("action") or "", [])
            self.forms.append(self._open)
        elif self._open and tag in ("input", "select", "textarea") and attrs.get("name"):
            if (
                attrs.get("type") not in ("file", "submit")
                and attrs["name"] != "csrfmiddlewaretoken"
            ):
                self._open[2].append(attrs["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def _error(response) -> str:
    exc = getattr(response, "exc_info", None)
    return repr(exc[1])[:160] if exc else ""


def opened_pages():
    for name, (method, obj, expected, data) in sorted(MATRIX.items()):
        if method != "get":
            continue
        for role, status in expected.items():
            if status == 200:
                yield name, obj, role, data


def forms_of(response) -> list[tuple[str, str, list[str]]]:
    """The forms of an HTML page (none for a download)."""
    if response.streaming or not response["Content-Type"].startswith("text/html"):
        return []
    parser = Forms()
    parser.feed(response.content.decode())
    return parser.forms


CASES = list(opened_pages())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "obj", "role", "data"), CASES, ids=[f"{n}-{r}" for n, _o, r, _d in CASES]
)
def test_no_malformed_input_gives_a_500(client, world, name, obj, role, data):  # noqa: F811
    client.raise_request_exception = False  # a 500 is a status to count, not an exception
    client.force_login(world["users"][role])
    url = reverse(name, args=url_args(world[obj]) if obj else [])
    page = client.get(url, data)
    assert page.status_code == 200
    failures = []
    for value in BAD_VALUES:
        response = client.get(url, {**data, **{param: value for param in QUERY_PARAMS}})
        if response.status_code >= 500:
            failures.append(("GET", url, value, _error(response)))
    for method, action, fields in forms_of(page):
        target = urljoin(url, action) if action else url
        if not target.startswith("/") or target.startswith("/logout"):
            continue
        for value in BAD_VALUES:
            response = getattr(client, method)(target, {field: value for field in fields})
            if response.status_code >= 500:
                failures.append((method.upper(), target, value, _error(response)))
            client.force_login(world["users"][role])  # a form may log out or switch nothing
    assert failures == []
