"""Template tags for annual results shown on pages of the organization (the cadre's record)."""

from django import template
from django.utils.translation import gettext as _

from cadres.templatetags.kaohe import points

from ..selectors.grading import published_results as select_published_results

register = template.Library()


@register.simple_tag
def published_results(cadre):
    """The cadre's published annual results: those the view already read (my assessment sets
    ``cadre.published_results`` from the archive), else one query."""
    read = getattr(cadre, "published_results", None)
    return read if read is not None else select_published_results(cadre)


@register.filter
def moral_points(value) -> str:
    """A 德 score as the pages show it: two places, or 无测评结果 when the cadre has none (the
    composite is then incomplete: no composite, no rank)."""
    if value is None or value == "":
        return _("no moral-assessment result")
    return points(value)
