"""Celery application. Tasks run inline when no broker (REDIS_URL) is configured."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")

app = Celery("kaohe")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
