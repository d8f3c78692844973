"""Labels for the codes a score breakdown stores."""

from decimal import Decimal

from django import template

from kaohe.lib.numbers import half_up

from ..models import Indicator, Inspection, Level

register = template.Library()


@register.filter
def level_label(code: str) -> str:
    return Level(code).label if code in Level.values else code


@register.filter
def method_label(code: str) -> str:
    return Indicator.Method(code).label if code in Indicator.Method.values else code


@register.filter
def inspection_kind_label(code: str) -> str:
    return Inspection.Kind(code).label if code in Inspection.Kind.values else code


@register.filter
def percent(value) -> str:
    """A ratio as a percentage with one decimal."""
    if value in (None, ""):
        return "—"
    return f"{half_up(Decimal(value) * 100, 1):.1f}%"
