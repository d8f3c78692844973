"""The cadre's quarters of the latest year, as a card on their own page (我的考核)."""

from django import template
from django.utils import timezone

from ..selectors.quarterly import my_quarters

register = template.Library()


@register.inclusion_tag("assessments/quarterly/_me_card.html")
def my_quarters_card(cadre):
    years = my_quarters(cadre, timezone.localdate())
    return {"latest": years[0] if years else None}
