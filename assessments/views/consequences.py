"""Using the results (结果运用): a year's due and recorded consequences, and the county's
rectifications tracked to closure. Office staff record; leaders read."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import Role
from cadres.scope import STAFF_ROLES, can_write, get_for_user, role_required
from kaohe.lib.forms import apply_errors

from ..forms.consequences import ConsequenceForm, RectificationCloseForm, RectificationFilterForm
from ..models import Consequence
from ..selectors import consequences as selectors
from ..selectors.catalog import year_detail
from ..services.consequences import consequence_record, rectification_close

DEFAULT_DEADLINE_DAYS = 90


def _form_errors(request, form) -> None:
    messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))


@role_required(*STAFF_ROLES)
def results_use(request, pk):
    year = get_for_user(request, year_detail, pk)
    today = timezone.localdate()
    return render(
        request,
        "assessments/consequences/results_use.html",
        {
            "year": year,
            "use": selectors.results_use(year),
            "today": today,
            "default_deadline": today + dt.timedelta(days=DEFAULT_DEADLINE_DAYS),
            "Kind": Consequence.Kind,
        },
    )


@require_POST
@role_required(Role.OFFICE, write=True)
def consequence_create(request, pk):
    year = get_for_user(request, year_detail, pk, write=True)
    form = ConsequenceForm(request.POST, year=year)
    if form.is_valid():
        try:
            consequence = consequence_record(year=year, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
    if form.errors:
        _form_errors(request, form)
    else:
        messages.success(
            request,
            _("%(kind)s recorded for %(name)s.")
            % {"kind": consequence.get_kind_display(), "name": consequence.cadre.name},
        )
    return redirect(reverse("assessments:results_use", args=[year.pk]) + "#due")


@role_required(*STAFF_ROLES)
def rectification_tracker(request, pk):
    year = get_for_user(request, year_detail, pk)
    today = timezone.localdate()
    form = RectificationFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    items = selectors.rectifications(year.county, status=status, today=today)
    page = Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    for item in page:
        item.days_left = (item.deadline - today).days
        item.days_over = -item.days_left
    return render(
        request,
        "assessments/consequences/rectifications.html",
        {
            "year": year,
            "form": form,
            "page": page,
            "query": f"status={status}" if status else "",
            "counts": selectors.rectification_counts(year.county, today=today),
            "close_form": RectificationCloseForm() if can_write(request.user) else None,
            "today": today,
        },
    )


@require_POST
@role_required(Role.OFFICE, write=True)
def consequence_close(request, pk):
    consequence = get_for_user(request, selectors.consequence_detail, pk, write=True)
    form = RectificationCloseForm(request.POST)
    if form.is_valid():
        try:
            rectification_close(consequence=consequence, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
    if form.errors:
        _form_errors(request, form)
    else:
        messages.success(
            request, _("Rectification of %(name)s closed.") % {"name": consequence.cadre.name}
        )
    back = request.POST.get("year", "")
    year_pk = back if back.isascii() and back.isdigit() else consequence.year_id
    return redirect("assessments:consequence_rectifications", pk=year_pk)


urlpatterns = [
    path("years/<int:pk>/results-use/", results_use, name="results_use"),
    path("years/<int:pk>/results-use/record/", consequence_create, name="consequence_create"),
    path(
        "years/<int:pk>/results-use/rectifications/",
        rectification_tracker,
        name="consequence_rectifications",
    ),
    path("consequences/<int:pk>/close/", consequence_close, name="consequence_close"),
]
