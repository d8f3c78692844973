"""Root pytest configuration: fast hashing, locmem email, and the browser launch arguments."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path):
    from django.core.cache import cache

    cache.clear()  # counters (rate limits) never carry over from one test to the next
    # Pages are cached only in the tests that say so (tests/test_page_cache.py): elsewhere a
    # test may change rows directly between two requests.
    settings.PAGE_CACHE_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
