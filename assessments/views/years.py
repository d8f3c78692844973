"""Several years open at once: the year a page opens on, and the confirmation before a year is
started, closed, reopened or published (what changes, for whom)."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from cadres.models import Role
from cadres.scope import get_for_user, role_required

from .. import services
from ..models import AssessmentYear
from ..selectors.catalog import default_year, year_detail


def chosen_year(request, in_scope=year_detail) -> AssessmentYear | None:
    """The year named by ``?year=`` among ``in_scope(user)`` (404 when it is not one of them),
    else the user's default year (``default_year``: the year they work in); None when there
    is no year at all."""
    if "year" in request.GET:
        return get_for_user(request, in_scope, request.GET["year"])
    return default_year(request.user, today=timezone.localdate(), years=in_scope(request.user))


@role_required(Role.OFFICE, write=True)
def year_status_confirm(request, pk):
    """What starting, closing, reopening or publishing the year changes, for whom; its button
    makes the change (``catalog.year_status``)."""
    year = get_for_user(request, year_detail, pk, write=True)
    status = request.GET.get("status", "")
    if status not in services.STATUS_FLOW[year.status]:
        raise Http404
    today = timezone.localdate()
    others = (
        year_detail(request.user)
        .filter(county_id=year.county_id, status=AssessmentYear.Status.IN_PROGRESS)
        .exclude(pk=year.pk)
        .order_by("-year")
    )
    return render(
        request,
        "assessments/year_status_confirm.html",
        {
            "year": year,
            "status": status,
            "Status": AssessmentYear.Status,
            "others": list(others),
            "begins_later": year.year > today.year,
        },
    )


urlpatterns = [
    path("years/<int:pk>/status/confirm/", year_status_confirm, name="year_status_confirm"),
]
