"""The outbox that delivers bulletins and warnings by email exactly once per recipient."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cadres.models import Unit

from .bulletins import Bulletin
from .catalog import AssessmentYear
from .warnings import EarlyWarning


class OutboxMessage(models.Model):
    """One email to one recipient. ``key`` names what is sent (e.g. "bulletin:12"); a recipient
    gets each key once: the row is claimed with a conditional update before sending, and
    ``handed_at`` is written before the SMTP transaction, so that a worker that died can be told
    apart from one that never reached the mail server (docs/outbox.md)."""

    class Kind(models.TextChoices):
        BULLETIN = "bulletin", _("Monthly bulletin")
        WARNING = "warning", _("Early warning")
        REMINDER = "reminder", _("Reporting reminder")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # The retry limit was reached: waits for the office's resend.
        HELD = "held", _("Waiting for resend")
        # The sender stopped after handing it to the mail server: probably delivered, never
        # sent again automatically (that could be a duplicate).
        UNCONFIRMED = "unconfirmed", _("Handed over, unconfirmed")

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
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    handed_at = models.DateTimeField(_("handed to the mail server at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outbox")
        ordering = ["-queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "recipient_email"],
                name="assessments_outbox_once_per_recipient",
                violation_error_message=_("This email was already queued for that recipient."),
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="assessments_outbox_sent_has_time",
                violation_error_message=_("A sent email needs its sending time."),
            ),
            models.UniqueConstraint(
                fields=["message_id"],
                condition=~Q(message_id=""),
                name="assessments_outbox_one_message_id",
                violation_error_message=_("Each message has a Message-ID of its own."),
            ),
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self):
        return f"{self.key} → {self.recipient_email}"
