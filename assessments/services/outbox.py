"""The outbox: every email is a row first, then sent at most once automatically, and never lost.

The design (docs/outbox.md has the whole argument):

- ``outbox_queue`` creates the row with its own Message-ID (a second call with the same key and
  recipient does nothing). Every attempt sends that same Message-ID.
- ``outbox_send`` claims the row with a conditional UPDATE (queued or due-for-retry → sending)
  so that two workers, a retry and a beat tick can never send it at once; it opens the
  connection to the mail server, then commits ``handed_at`` *before* the SMTP transaction
  (MAIL, RCPT, DATA) and marks the row sent after the server's 250.
- A worker that dies leaves a claim behind. ``outbox_recover`` resolves a stale claim without
  sending: with no ``handed_at`` the server never saw the message, so it is queued again; with
  ``handed_at`` it may have been delivered, so it becomes *unconfirmed* and is not sent again
  automatically: a duplicate is never made by the machine, and the office sees the row.
- A failure the server answered (a refusal, a connection refused) is retried with backoff up to
  ``MAX_ATTEMPTS``; the row itself carries ``next_attempt_at``, so the task's retry and the
  periodic flush never start two chains. Past the limit it is *held*: it waits for the office's
  resend (``outbox_resend``), which queues it again with a fresh count.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.lib.queue import enqueue_all

from ..models import AssessmentYear, Bulletin, EarlyWarning, OutboxMessage

logger = logging.getLogger(__name__)

# A claim older than this belongs to a dead worker: longer than the send task's hard time limit
# (90 s) so that a live sender is never taken for dead.
STALE_CLAIM = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 6
MAX_RETRY_DELAY = 3600  # seconds
SEND_TASK = "assessments.send_outbox_message"  # the task that sends one message, by name

# Errors that prove the server did not take the message: it answered with a refusal, or no
# connection was made. Any other error after the hand-over (a timeout, a dropped connection)
# leaves the message possibly delivered.
_NOT_DELIVERED = (
    smtplib.SMTPResponseException,  # sender refused, DATA refused, HELO, auth, connect codes
    smtplib.SMTPRecipientsRefused,
    ConnectionRefusedError,
)


def _new_message_id() -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].rstrip(">").strip() or "kaohe"
    return f"<{uuid.uuid4().hex}.outbox@{domain}>"


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
        message_id=_new_message_id(),
    )
    message.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        return None
    return message


# The foreign keys of a message: the caller hands over saved objects (the bulletin being
# published, its year, the units it names), so they are not looked up again row by row
# (bulk_create refuses an unsaved one).
_FOREIGN_KEYS = ["year", "bulletin", "warning", "unit"]


def outbox_queue_many(messages: list[OutboxMessage]) -> list[OutboxMessage]:
    """Queue several emails at once (unsaved ``OutboxMessage`` rows): the same rules as
    ``outbox_queue`` in a fixed number of queries, whatever the number of rows. Each row gets
    its own Message-ID; a row whose key a recipient already has, or that repeats one earlier in
    the list, is left out. Returns the rows queued now."""
    if not messages:
        return []
    for message in messages:
        message.recipient_email = message.recipient_email.strip().lower()
        message.message_id = _new_message_id()
        # Every field but the foreign keys, whose objects are known (no SELECT per row).
        message.clean_fields(exclude=_FOREIGN_KEYS)
        if message.year_id is None:
            raise ValueError("outbox: a message needs its year")
    seen = _queued_pairs({m.key for m in messages})
    fresh = []
    for message in messages:
        if (message.key, message.recipient_email) not in seen:
            seen.add((message.key, message.recipient_email))
            fresh.append(message)
    if not fresh:
        return []
    try:
        with transaction.atomic():
            return OutboxMessage.objects.bulk_create(fresh)
    except IntegrityError:
        # Another transaction queued some of them meanwhile: one by one, each left out if
        # its recipient has it now (the database's rule decides, as in ``outbox_queue``).
        queued = []
        for message in fresh:
            try:
                with transaction.atomic():
                    message.save(force_insert=True)
            except IntegrityError:
                continue
            queued.append(message)
        return queued


def _queued_pairs(keys: set[str]) -> set[tuple[str, str]]:
    """(key, recipient) of the messages already queued under ``keys``: one query."""
    return set(OutboxMessage.objects.filter(key__in=keys).values_list("key", "recipient_email"))


def outbox_dispatch(message_ids) -> bool:
    """After the current transaction commits, nudge Celery to send these messages.
    Returns immediately; a broker outage leaves them queued for the periodic flush."""
    ids = list(message_ids)
    transaction.on_commit(lambda: enqueue_all(SEND_TASK, ids))
    return bool(ids)


def retry_delay(attempts: int) -> int:
    """Seconds before the next attempt after ``attempts`` failed ones (doubling, capped)."""
    base = getattr(settings, "OUTBOX_RETRY_DELAY", 30)
    return min(MAX_RETRY_DELAY, base * 2 ** max(0, attempts - 1))


def _sendable(now) -> Q:
    return Q(status=OutboxMessage.Status.QUEUED) | Q(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status=OutboxMessage.Status.FAILED,
        attempts__lt=MAX_ATTEMPTS,
    )


def outbox_claim(message_id: int) -> bool:
    """Claim a message for sending. Exactly one caller wins; a message that is sent, being
    sent, unconfirmed, held or not yet due for its retry is never claimed."""
    now = timezone.now()
    claimed = OutboxMessage.objects.filter(_sendable(now), pk=message_id).update(
        status=OutboxMessage.Status.SENDING,
        claimed_at=now,
        handed_at=None,
        attempts=F("attempts") + 1,
    )
    return claimed == 1


def outbox_recover(*, stale_after: dt.timedelta = STALE_CLAIM, message_id=None) -> int:
    """Resolve the claims of dead senders without sending anything: never handed to the mail
    server → queued again; handed over → unconfirmed (kept for the office). Returns how many."""
    stale = OutboxMessage.objects.filter(
        status=OutboxMessage.Status.SENDING, claimed_at__lt=timezone.now() - stale_after
    )
    if message_id is not None:
        stale = stale.filter(pk=message_id)
    requeued = stale.filter(handed_at__isnull=True).update(
        status=OutboxMessage.Status.QUEUED, claimed_at=None
    )
    unconfirmed = stale.filter(handed_at__isnull=False).update(
        status=OutboxMessage.Status.UNCONFIRMED,
        last_error="the sender stopped after handing it to the mail server",
    )
    if requeued or unconfirmed:
        logger.warning(
            "outbox: %s stale claims queued again, %s unconfirmed", requeued, unconfirmed
        )
    return requeued + unconfirmed


def _attach_bulletin(email: EmailMultiAlternatives, bulletin: Bulletin) -> None:
    """The bulletin's PDF; rebuilt when the stored file is missing (a restore without media),
    and left out with a line in the body when even that fails."""
    data = None
    if bulletin.pdf:
        try:
            with bulletin.pdf.open("rb") as pdf:
                data = pdf.read()
        except OSError:
            logger.warning("outbox: bulletin %s PDF file is missing; rebuilding it", bulletin.pk)
    if data is None:
        from .bulletins import render_bulletin_pdf

        try:
            data = render_bulletin_pdf(bulletin)
        except Exception:
            logger.exception("outbox: bulletin %s PDF could not be rebuilt", bulletin.pk)
    if data:
        email.attach(
            f"{bulletin.year.year}年{bulletin.month}月考核进度通报.pdf", data, "application/pdf"
        )
    else:
        email.body += "\n\n" + _(
            "The PDF of this bulletin could not be attached; it is on the bulletin page."
        )


def _email(message: OutboxMessage, connection=None) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient_email],
        headers={
            "X-Kaohe-Key": message.key,
            "Message-ID": message.message_id or f"<outbox-{message.pk}.outbox@kaohe>",
        },
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.bulletin is not None:
        _attach_bulletin(email, message.bulletin)
    return email


def _record_failure(message_id: int, error: Exception, *, handed: bool) -> None:
    text = f"{type(error).__name__}: {error}"[:2000]
    rows = OutboxMessage.objects.filter(pk=message_id, status=OutboxMessage.Status.SENDING)
    if handed and not isinstance(error, _NOT_DELIVERED):
        rows.update(status=OutboxMessage.Status.UNCONFIRMED, last_error=text)
        return
    message = OutboxMessage.objects.only("attempts").get(pk=message_id)
    if message.attempts >= MAX_ATTEMPTS:
        rows.update(status=OutboxMessage.Status.HELD, last_error=text, next_attempt_at=None)
        return
    rows.update(
        status=OutboxMessage.Status.FAILED,
        last_error=text,
        next_attempt_at=timezone.now() + dt.timedelta(seconds=retry_delay(message.attempts)),
    )


def outbox_send(message_id: int) -> bool:
    """Send one message if this caller can claim it. Returns True when it was sent now; False
    when somebody else has it, it was sent already or it waits. A failure is recorded and
    re-raised so the task can retry."""
    if not outbox_claim(message_id):
        outbox_recover(message_id=message_id)  # a dead sender's claim: resolved, not resent
        return False
    message = OutboxMessage.objects.select_related("bulletin__year").get(pk=message_id)
    connection = get_connection(fail_silently=False)
    email = _email(message, connection=connection)
    handed = False
    try:
        connection.open()
        # Committed (autocommit) before the SMTP transaction: from here on, a dead sender
        # leaves an unconfirmed message, never one that is sent again.
        OutboxMessage.objects.filter(pk=message_id).update(handed_at=timezone.now())
        handed = True
        email.send(fail_silently=False)
    except Exception as error:
        _record_failure(message_id, error, handed=handed)
        raise
    finally:
        connection.close()
    OutboxMessage.objects.filter(
        pk=message_id,
        status__in=[OutboxMessage.Status.SENDING, OutboxMessage.Status.UNCONFIRMED],
    ).update(status=OutboxMessage.Status.SENT, sent_at=timezone.now(), last_error="")
    return True


def retry_countdown(message_id: int) -> int | None:
    """Seconds until a failed message's next attempt, or None when it is not to be retried."""
    message = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.FAILED, attempts__lt=MAX_ATTEMPTS
    ).first()
    if message is None:
        return None
    due = message.next_attempt_at or timezone.now()
    return max(0, round((due - timezone.now()).total_seconds()))


def outbox_pending(*, older_than: dt.timedelta = dt.timedelta(0), year=None):
    """Messages the flush hands over: queued (for longer than ``older_than``) and failed ones
    whose retry is due. Held and unconfirmed messages wait for the office."""
    now = timezone.now()
    messages = OutboxMessage.objects.filter(year=year) if year else OutboxMessage.objects.all()
    return messages.filter(_sendable(now)).exclude(
        status=OutboxMessage.Status.QUEUED, queued_at__gt=now - older_than
    )


def outbox_flush(
    *,
    older_than: dt.timedelta = dt.timedelta(minutes=1),
    year=None,
    stale_after: dt.timedelta = STALE_CLAIM,
) -> int:
    """The periodic safety net: resolve dead senders' claims, then nudge everything pending (or
    one year's). Returns how many were handed to the queue."""
    outbox_recover(stale_after=stale_after)
    ids = list(outbox_pending(older_than=older_than, year=year).values_list("pk", flat=True))
    return enqueue_all(SEND_TASK, ids)


def outbox_requeue(*, messages, unconfirmed: bool = False) -> int:
    """Queue the held and failed ones of ``messages`` (and the unconfirmed ones when asked)
    again with a fresh attempt count. Returns how many."""
    statuses = [OutboxMessage.Status.HELD, OutboxMessage.Status.FAILED]
    if unconfirmed:
        statuses.append(OutboxMessage.Status.UNCONFIRMED)
    return messages.filter(status__in=statuses).update(
        status=OutboxMessage.Status.QUEUED, attempts=0, next_attempt_at=None
    )


@transaction.atomic
def outbox_resend(*, year: AssessmentYear, unconfirmed: bool = False, bulletin=None) -> int:
    """The office's resend: held and failed messages (and, when asked, unconfirmed ones, which a
    recipient may then get twice) are queued again with a fresh attempt count, then handed over
    with everything else pending. Never a sent message. Returns how many were handed over."""
    rows = OutboxMessage.objects.filter(year=year)
    if bulletin is not None:
        rows = rows.filter(bulletin=bulletin)
    outbox_requeue(messages=rows, unconfirmed=unconfirmed)
    pending = outbox_pending(year=year)
    if bulletin is not None:
        pending = pending.filter(bulletin=bulletin)
    ids = list(pending.values_list("pk", flat=True))
    transaction.on_commit(lambda: enqueue_all(SEND_TASK, ids))
    return len(ids)
