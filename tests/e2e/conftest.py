"""Browser tests: Playwright's sync API drives Debian's Chromium against ``live_server``."""

import os

# live_server runs Django in a thread while Playwright's event loop runs in this one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
