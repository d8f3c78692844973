"""The monthly bulletin (月度通报), early warnings (预警通报), and the outbox that delivers
them by email exactly once per recipient."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Unit

from .catalog import AssessmentYear
from .targets import Target


class Bulletin(models.Model):
    """One bulletin per year and month. A draft is rebuilt on demand; a published bulletin keeps
    the snapshot it was published with and never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="bulletins",
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    foreword = models.TextField(_("foreword"), blank=True)
    content = models.JSONField(_("content"), default=dict)
    pdf = models.FileField(_("PDF"), upload_to="bulletins/", blank=True)
    built_at = models.DateTimeField(_("built at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the month-end schedule published it."),
    )

    class Meta:
        verbose_name = _("monthly bulletin")
        verbose_name_plural = _("monthly bulletins")
        ordering = ["-year__year", "-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month"], name="assessments_bulletin_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12),
                name="assessments_bulletin_month_range",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="assessments_bulletin_published_has_date",
            ),
        ]

    def __str__(self):
        return _("%(county)s bulletin, %(year)s-%(month)02d") % {
            "county": self.year.county.name,
            "year": self.year.year,
            "month": self.month,
        }


class EarlyWarning(models.Model):
    """A notice to a unit whose target lags or whose report is missing; followed until closed."""

    class Kind(models.TextChoices):
        LAG = "lag", _("Lags behind plan")
        MISSING = "missing", _("Report missing")

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ESCALATED = "escalated", _("Escalated")
        CLOSED = "closed", _("Closed")

    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="warnings",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="warnings"
    )
    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, related_name="warnings"
    )
    month = models.PositiveSmallIntegerField(
        _("period (month)"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    plan = models.DecimalField(
        _("plan to date"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    actual = models.DecimalField(
        _("actual to date"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    ratio = models.DecimalField(
        _("actual / plan"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    issued_on = models.DateField(_("issued on"))
    catch_up_by = models.DateField(_("catch up by"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ISSUED
    )
    catch_up_plan = models.TextField(_("catch-up plan"), blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing record"), blank=True)

    class Meta:
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        ordering = ["-issued_on", "unit__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "month"], name="assessments_warning_one_per_target_and_period"
            ),
            models.CheckConstraint(
                condition=Q(catch_up_by__gte=models.F("issued_on")),
                name="assessments_warning_deadline_after_issue",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(closing_note="")),
                name="assessments_warning_closed_has_record",
            ),
            models.CheckConstraint(
                condition=~Q(status="acknowledged") | ~Q(catch_up_plan=""),
                name="assessments_warning_acknowledged_has_plan",
            ),
        ]

    def __str__(self):
        return f"{self.unit} · {self.target.indicator.name} · {self.month}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class OutboxMessage(models.Model):
    """One email to one recipient. ``key`` names what is sent (e.g. "bulletin:12"); a recipient
    gets each key once: the row is claimed with a conditional update before sending."""

    class Kind(models.TextChoices):
        BULLETIN = "bulletin", _("Monthly bulletin")
        WARNING = "warning", _("Early warning")
        REMINDER = "reminder", _("Reporting reminder")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    key = models.CharField(_("message key"), max_length=100)
    bulletin = models.ForeignKey(
        Bulletin,
        verbose_name=_("bulletin"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    warning = models.ForeignKey(
        EarlyWarning,
        verbose_name=_("early warning"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    year = models.ForeignKey(
        AssessmentYear,
        verbose_name=_("assessment year"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_email = models.EmailField(_("recipient"))
    recipient_name = models.CharField(_("recipient name"), max_length=100, blank=True)
    reason = models.CharField(_("why they receive it"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200)
    body_text = models.TextField(_("plain-text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outbox")
        ordering = ["-queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "recipient_email"], name="assessments_outbox_once_per_recipient"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="assessments_outbox_sent_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self):
        return f"{self.key} → {self.recipient_email}"
