"""Long jobs (后台任务) that leave the web request: an import's preview and confirm, a bulletin's
publication, the all-scorecards export, a unit's archive PDFs. One row per run, owned by the
user who started it; a Celery task runs it (inline when there is no broker) and the page polls
its progress. A result file, when there is one, lives under MEDIA_ROOT/jobs/, which no URL
serves: only the owner downloads it, through the job's view."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    class Kind(models.TextChoices):
        IMPORT_PREVIEW = "import_preview", _("Import preview")
        IMPORT_CONFIRM = "import_confirm", _("Import")
        BULLETIN_PUBLISH = "bulletin_publish", _("Bulletin publication")
        SCORECARDS_EXPORT = "scorecards_export", _("All scorecards export")
        UNIT_ARCHIVE_PDFS = "unit_archive_pdfs", _("Archive PDFs of a unit")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    # What the job works on: ids and plain values only (JSON), e.g. {"year": 3}.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    # Shown to the owner: what is being done, or why it failed (translated; never a traceback).
    message = models.CharField(_("message"), max_length=1000, blank=True)
    # What the page shows once done (counts, the address to go on to): small JSON.
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    result = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("file name"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="assessments_job_owner")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=F("total")) | Q(total=0),
                name="assessments_job_done_within_total",
                violation_error_message=_("A job cannot have done more steps than it has."),
            ),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(status__in=["done", "failed"]),
                name="assessments_job_finished_when_over",
                violation_error_message=_("Only a finished or failed job has an end time."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def over(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0
