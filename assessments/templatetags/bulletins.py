"""Helpers for rendering a bulletin's stored content."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from cadres.models import Unit
from kaohe.lib.numbers import half_up

from ..models import Inspection
from ..selectors.progress import Color

register = template.Library()


@register.filter
def pct(value) -> str:
    """ "0.9534" -> "95.3%"."""
    if value in (None, ""):
        return "—"
    return f"{half_up(Decimal(value) * 100, 1):.1f}%"


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
