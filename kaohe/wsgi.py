import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
application = get_wsgi_application()

# Refuse to serve on the public development key (DEBUG off, SECRET_KEY unset).
from kaohe.lib.checks import secret_key_problem  # noqa: E402  (needs the settings loaded above)

if problem := secret_key_problem():
    raise ImproperlyConfigured(problem)
