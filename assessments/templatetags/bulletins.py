"""Helpers for rendering a bulletin's stored content."""

from django import template
from django.utils.translation import gettext as _

from cadres.models import Unit
from kaohe.lib.numbers import percent_text

from ..models import Inspection
from ..selectors.progress import Color

register = template.Library()


# "0.95345" -> "95.35%": the same helper as every other percentage.
pct = register.filter("pct", percent_text)


@register.filter
def color_label(code: str) -> str:
    return Color(code).label if code in Color.values else code


@register.filter
def inspection_kind(code: str) -> str:
    return Inspection.Kind(code).label if code in Inspection.Kind.values else code


@register.filter
def kind_label(code: str) -> str:
    return Unit.Kind(code).label if code in Unit.Kind.values else code


@register.simple_tag
def lag_text(item: dict) -> str:
    """One lagging target in words."""
    if item["color"] == Color.MISSING:
        return _("%(indicator)s: report missing") % {"indicator": item["indicator"]}
    return _("%(indicator)s: %(actual)s of %(plan)s %(measure)s planned (%(pct)s)") % {
        "indicator": item["indicator"],
        "actual": item["actual"] or "0",
        "plan": item["plan"],
        "measure": item["measure"],
        "pct": pct(item["ratio"]),
    }


@register.filter
def outbox_waiting(message) -> str:
    """Why an outbox message is not sent yet, in the office's words ("" once it is sent)."""
    from django.utils import timezone

    from ..models import OutboxMessage
    from ..services.outbox import MAX_ATTEMPTS

    status = OutboxMessage.Status
    if message.status == status.QUEUED:
        return _("Waiting for the mail queue (it is sent when Redis and the worker are up).")
    if message.status == status.SENDING:
        return _("Being sent now.")
    if message.status == status.FAILED:
        when = message.next_attempt_at
        at = timezone.localtime(when).strftime("%H:%M") if when else ""
        return _("Attempt %(n)s of %(max)s failed; next attempt at %(at)s.") % {
            "n": message.attempts,
            "max": MAX_ATTEMPTS,
            "at": at or "—",
        }
    if message.status == status.HELD:
        return _("%(n)s attempts failed: it waits for the office to press “Send what waits”.") % {
            "n": message.attempts
        }
    if message.status == status.UNCONFIRMED:
        return _(
            "The sender stopped after handing it to the mail server: probably delivered, so it "
            "is not sent again automatically. Ask the recipient; send again only if it is "
            "missing."
        )
    return ""
