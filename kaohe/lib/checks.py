"""System checks of the production settings (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


def secret_key_problem() -> str | None:
    """Why the settings may not serve requests, or None: with DEBUG off the secret key must be
    set, never the public development default."""
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        return "SECRET_KEY is not set: with DEBUG off, set a long random SECRET_KEY."
    return None


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    problem = secret_key_problem()
    return [Error(problem, id="kaohe.E001")] if problem else []
