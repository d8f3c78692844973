from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")

    def ready(self) -> None:
        # Register the Celery tasks in every process (web and worker alike): services queue
        # them by name through kaohe.lib.queue and never import them.
        from . import page_inputs, tasks, tasks_jobs  # noqa: F401

        # Writes to the rows the dashboard and progress overview are computed from forget
        # their cached copies (assessments/page_inputs.py).
        page_inputs.connect()
