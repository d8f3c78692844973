"""Template tags for annual results shown on pages of the organization (the cadre's record)."""

from django import template

from ..selectors.grading import published_results as select_published_results

register = template.Library()


@register.simple_tag
def published_results(cadre):
    """The cadre's published annual results: those the view already read (my assessment sets
    ``cadre.published_results`` from the archive), else one query."""
    read = getattr(cadre, "published_results", None)
    return read if read is not None else select_published_results(cadre)
