"""Labels for the codes a score breakdown stores."""

from django import template

from kaohe.lib.numbers import percent_text

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


# A 0–1 ratio as a percentage, two places half up (one helper for every output).
percent = register.filter("percent", percent_text)
