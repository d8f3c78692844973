"""The outbox: every email is a row first, then sent exactly once per recipient.

``outbox_queue`` creates the row (a second call with the same key and recipient does nothing);
``outbox_send`` claims it with a conditional UPDATE (queued or failed → sending) so that a retry,
a second beat tick or a second worker can never send it twice, then sends and marks it sent or
failed with the error.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from kaohe.lib.queue import enqueue_all

from ..models import AssessmentYear, Bulletin, EarlyWarning, OutboxMessage

logger = logging.getLogger(__name__)

STALE_CLAIM = dt.timedelta(minutes=15)
MAX_ATTEMPTS = 6
SEND_TASK = "assessments.send_outbox_message"  # the task that sends one message, by name


def outbox_queue(
    *,
    kind: str,
    key: str,
    year: AssessmentYear,
    recipient_email: str,
    recipient_name: str,
    reason: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    bulletin: Bulletin | None = None,
    warning: EarlyWarning | None = None,
    unit=None,
) -> OutboxMessage | None:
    """Queue one email; None when this key was already queued for this recipient."""
    message = OutboxMessage(
        kind=kind,
        key=key,
        year=year,
        recipient_email=recipient_email.strip().lower(),
        recipient_name=recipient_name,
        reason=reason,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        bulletin=bulletin,
        warning=warning,
        unit=unit,
    )
    message.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return None
    return message


def outbox_dispatch(message_ids) -> bool:
    """After the current transaction commits, nudge Celery to send these messages.
    Returns immediately; a broker outage leaves them queued for the periodic flush."""
    ids = list(message_ids)
    transaction.on_commit(lambda: enqueue_all(SEND_TASK, ids))
    return bool(ids)


def outbox_claim(message_id: int) -> bool:
    """Claim a message for sending. Exactly one caller wins; a sent message is never claimed."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(
        Q(status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.FAILED])
        | Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_CLAIM),
        pk=message_id,
    ).update(status=OutboxMessage.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return claimed == 1


def _email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient_email],
        headers={"X-Kaohe-Key": message.key},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    bulletin = message.bulletin
    if bulletin is not None and bulletin.pdf:
        with bulletin.pdf.open("rb") as pdf:
            email.attach(
                f"{bulletin.year.year}年{bulletin.month}月考核进度通报.pdf",
                pdf.read(),
                "application/pdf",
            )
    return email


def outbox_send(message_id: int) -> bool:
    """Send one queued message if this caller can claim it. Returns True when it was sent now;
    False when somebody else has it or it was sent already. A failure is recorded and re-raised
    so the task can retry."""
    if not outbox_claim(message_id):
        return False
    message = OutboxMessage.objects.select_related("bulletin__year").get(pk=message_id)
    try:
        _email(message).send(fail_silently=False)
    except Exception as error:
        OutboxMessage.objects.filter(pk=message_id).update(
            status=OutboxMessage.Status.FAILED, last_error=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def outbox_pending(*, older_than: dt.timedelta = dt.timedelta(0), year=None):
    """Messages that still need sending: queued or failed (below the attempt limit), and
    claims gone stale (a worker died while sending)."""
    now = timezone.now()
    messages = OutboxMessage.objects.filter(year=year) if year else OutboxMessage.objects.all()
    return messages.filter(
        Q(status=OutboxMessage.Status.QUEUED, queued_at__lte=now - older_than)
        | Q(status=OutboxMessage.Status.FAILED, attempts__lt=MAX_ATTEMPTS)
        | Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    )


def outbox_flush(*, older_than: dt.timedelta = dt.timedelta(minutes=1), year=None) -> int:
    """Nudge the sending of everything pending, or of one year's (the periodic safety net)."""
    ids = list(outbox_pending(older_than=older_than, year=year).values_list("pk", flat=True))
    return enqueue_all(SEND_TASK, ids)
