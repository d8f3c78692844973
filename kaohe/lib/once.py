"""A double submit never records twice: one-time form tokens, checked on the server.

Every create form carries a fresh token (``{% once_token %}``, a hidden ``_once`` field). The
first POST carrying a token claims it in the cache (``cache.add``: atomic, and shared by every
web worker when the cache is Redis); a second POST with the same token (a double click, a
reload that resends the form, a retry) does not reach the view: it is sent where the first one
went (its redirect), with a message that the form was recorded once. A refused form renders a
new token, so correcting and resubmitting works; a server error frees the token again.

``static/js/kaohe.js`` also disables a form's buttons once it is sent; this module is what
holds when the browser does not.
"""

from __future__ import annotations

import re
import secrets
import time

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils.translation import gettext as _

FIELD = "_once"
TTL = 60 * 60 * 24  # a day: longer than any page stays open before it is sent
PENDING = "pending"
# How long a second POST waits for the first one's answer (a double click arrives while the
# first is still being handled; the browser shows the second answer).
WAIT_SECONDS = 5.0
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_token() -> str:
    return secrets.token_urlsafe(18)


def _key(token: str) -> str:
    return f"kaohe:once:{token}"


def claim(token: str) -> bool:
    """True for the first claim of ``token``, False for every later one."""
    return cache.add(_key(token), PENDING, TTL)


def settle(token: str, response) -> None:
    """Remember where the first POST went (its redirect), or free the token after a refusal
    (403, 404) or a server error so that the user can send the form again."""
    if response.status_code >= 400:  # refused or failed: nothing was recorded
        cache.delete(_key(token))
    elif response.status_code in (301, 302, 303) and response.get("Location"):
        cache.set(_key(token), response["Location"], TTL)
    else:
        cache.set(_key(token), "", TTL)


def first_answer(token: str, *, wait: float = WAIT_SECONDS) -> str:
    """Where the first POST with ``token`` went ("" when it did not redirect); waits up to
    ``wait`` seconds while the first one is still being handled."""
    deadline = time.monotonic() + wait
    value = cache.get(_key(token), "")
    while value == PENDING and time.monotonic() < deadline:
        time.sleep(0.1)
        value = cache.get(_key(token), "")
    return "" if value == PENDING else value


class OnceMiddleware:
    """Refuse the second POST of a one-time token before any view sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request.POST.get(FIELD, "") if request.method == "POST" else ""
        if not _TOKEN.fullmatch(token):
            return self.get_response(request)
        if not claim(token):
            messages.info(request, _("This form was already sent; it was recorded only once."))
            return redirect(first_answer(token) or request.get_full_path())
        response = self.get_response(request)
        settle(token, response)
        return response
