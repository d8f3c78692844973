"""The year switcher every year-bound page shows (DOMAIN "Several years open at once").

``{% year_switcher %}`` links the page to the same page of each other year of the county, so
the year stays in the address: a page addressed by its year (``years/<pk>/…``) swaps the pk, a
page of one object of a year (a bulletin, a scorecard) opens that part's list of the other year,
and a page without a year in its path (the liaison's home, the dashboard) takes ``?year=``.
"""

from django import template
from django.urls import NoReverseMatch, reverse

from ..selectors.catalog import year_switch_options

register = template.Library()

# Pages of one object of a year (their pk is not the year's): switching opens the list of the
# same part of the other year; any other such page the other year's catalog.
OBJECT_TO_LIST = {
    "bulletin_detail": "bulletin_list",
    "warning_detail": "warning_list",
    "inspection_detail": "inspection_list",
    "rectification_close": "rectification_list",
    "result_detail": "results",
    "unit_result_detail": "results",
    "scorecard": "rankings",
    "target_detail": "target_list",
    "moral_round": "moral_home",
}
# Query parameters that name something of one year only and do not carry over.
DROPPED = ("page", "year", "unit", "month")


def switch_url(request, year, other) -> str:
    """The address of this page for ``other`` instead of ``year``."""
    match = request.resolver_match
    query = request.GET.copy()
    for name in DROPPED:
        query.pop(name, None)
    if "pk" not in match.kwargs:
        query["year"] = other.pk
        return f"{request.path}?{query.urlencode()}"
    same_page = match.url_name not in OBJECT_TO_LIST  # a scorecard of the year and a unit too:
    # the other year may have no score of that unit, so its rankings open instead
    if same_page and "years/<int:pk>/" in match.route and str(match.kwargs["pk"]) == str(year.pk):
        name, kwargs = match.view_name, {**match.kwargs, "pk": other.pk}
    else:
        name = f"{match.namespace}:{OBJECT_TO_LIST.get(match.url_name, 'catalog')}"
        kwargs, query = {"pk": other.pk}, query.__class__()
    try:
        url = reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        url = reverse("assessments:catalog", kwargs={"pk": other.pk})
    return f"{url}?{query.urlencode()}" if query else url


@register.inclusion_tag("includes/year_switcher.html", takes_context=True)
def year_switcher(context, year=None, years=None):
    """Links to the other years of ``year``'s county (``year`` from the page by default);
    nothing when the county has a single year. A page that has read the user's years already
    passes them as ``years`` (newest first), saving the query."""
    request = context["request"]
    year = year or context.get("year")
    if not year or not getattr(request, "resolver_match", None):
        return {"links": []}
    if years is None:
        years = year_switch_options(request.user, year)
    else:
        years = [y for y in years if y.county_id == year.county_id]
    if len(years) < 2:
        return {"links": []}
    return {
        "year": year,
        "links": [(y, switch_url(request, year, y)) for y in years],
    }
