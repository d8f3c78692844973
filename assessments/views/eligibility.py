"""Using the results: the county's eligibility rules (versions, a new version, recompute the
flags), the selection reference list (选用参考名单) with its Excel export, and the key-training
pool that the training flags fill."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.forms.training import TrainingEndForm
from cadres.models import Role, TrainingAssignment, Unit
from cadres.scope import (
    STAFF_ROLES,
    cadres_for,
    counties_for,
    get_for_user,
    role_required,
)
from cadres.selectors import training
from cadres.services.training import training_assign
from kaohe.lib.dates import cn_date
from kaohe.lib.forms import apply_errors
from kaohe.lib.xlsx import workbook_response

from ..forms.eligibility import RulesForm, SelectionFilterForm
from ..models import EligibilityFlag
from ..selectors import eligibility as selectors
from ..services import eligibility


def _rules_created_message(created, today) -> str:
    """What the office is told after saving a new version of the rules."""
    if created.effective_from <= today:
        message = _(
            "Version %(version)s of the rules is in force from %(date)s; the flags are "
            "recomputed with it."
        )
    else:
        message = _(
            "Version %(version)s of the rules takes effect on %(date)s; the flags apply it "
            "from the first recompute on or after that date (the next lock or a click)."
        )
    return message % {"version": created.version, "date": cn_date(created.effective_from)}


@role_required(*STAFF_ROLES)
def rules(request, pk):
    county = get_for_user(request, counties_for, pk, write=request.method == "POST")
    today = timezone.localdate()
    in_force = eligibility.rules_in_force(county, today)
    form = RulesForm(
        request.POST or None,
        initial={name: getattr(in_force, name) for name in eligibility.NUMBERS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = eligibility.rules_create(county=county, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _rules_created_message(created, today))
            return redirect("assessments:eligibility_rules", pk=county.pk)
    context = {
        "county": county,
        "versions": selectors.rules_versions(county),
        "in_force": in_force,
        "form": form,
        "counts": selectors.flag_count_rows(county, today),
        "today": today,
    }
    return render(request, "assessments/eligibility/rules.html", context)


@require_POST
@role_required(Role.OFFICE, write=True)
def recompute(request, pk):
    county = get_for_user(request, counties_for, pk, write=True)
    counts = eligibility.flags_recompute(county=county, on=timezone.localdate())
    messages.success(
        request,
        _("Flags recomputed: %(counts)s.")
        % {
            "counts": ", ".join(
                f"{EligibilityFlag.Kind(kind).label} {n}"
                for kind, n in counts.items()  # every kind, in the model's order
            )
        },
    )
    return redirect("assessments:eligibility_rules", pk=county.pk)


def _selection(request):
    """The filtered selection list (a queryset), the filter form and what the page shows."""
    units = selectors.selection_filter_units(request.user, request.GET.get("unit", ""))
    form = SelectionFilterForm(request.GET or None, units=units)
    data = {}
    if form.is_bound:
        form.is_valid()  # a bad value drops that filter only: the others still apply
        data = form.cleaned_data
    on = data.get("on") or timezone.localdate()
    unit = next((u for u in units if u.pk == data.get("unit")), None)
    cadres = selectors.selection_list(
        request.user,
        on=on,
        kind=data.get("kind", ""),
        unit_kind=data.get("unit_kind", ""),
        unit=unit,
        q=data.get("q", "").strip(),
    )
    context = {
        "form": form,
        "on": on,
        "kind": data.get("kind", ""),
        "kind_label": EligibilityFlag.Kind(data["kind"]).label if data.get("kind") else "",
        "unit": unit,
        "counties": [u for u in units if u.kind == Unit.Kind.COUNTY],
    }
    return cadres, context


@role_required(*STAFF_ROLES)
def selection(request):
    cadres, context = _selection(request)
    page = Paginator(cadres, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/eligibility/selection.html",
        {**context, "page": page, "query": query.urlencode()},
    )


@role_required(*STAFF_ROLES)
def selection_export(request):
    cadres, context = _selection(request)
    on = context["on"]
    filters = [_("flags in force on %(date)s") % {"date": cn_date(on)}]
    if context["kind_label"]:
        filters.append(str(context["kind_label"]))
    if context["unit"]:
        filters.append(context["unit"].name)
    rows = (
        (
            number,
            cadre.name,
            cadre.number,
            cadre.unit.name,
            cadre.title,
            "\n".join(str(flag.get_kind_display()) for flag in cadre.flags_on),
            "\n".join(flag.reason for flag in cadre.flags_on),
        )
        for number, cadre in enumerate(cadres.iterator(chunk_size=500), 1)
    )
    return workbook_response(  # streamed: the whole scope's list at the root
        filename=_("Selection reference list %(date)s.xlsx") % {"date": cn_date(on)},
        title=_("Selection reference list"),
        subtitle=" · ".join(filters),
        columns=[
            (_("No."), 6),
            (_("Full name"), 10),
            (_("Cadre number"), 12),
            (_("Unit"), 22),
            (_("Post"), 16),
            (_("Flags"), 16),
            (_("Reasons"), 60),
        ],
        rows=rows,
        stream=True,
    )


@role_required(*STAFF_ROLES)
def training_pool(request):
    return render(
        request,
        "assessments/eligibility/training_pool.html",
        {
            "pool": training.pool(request.user),
            "candidates": selectors.training_candidates(request.user),
            "end_form": TrainingEndForm(initial={"ended_on": timezone.localdate()}),
            "today": timezone.localdate(),
        },
    )


@require_POST
@role_required(Role.OFFICE, write=True)
def training_pool_add(request, pk):
    """Put a candidate (a cadre with an open key-training flag) into the pool from today."""
    cadre = get_for_user(request, cadres_for, pk, write=True)
    flag = selectors.training_candidates(request.user).filter(cadre=cadre).first()
    try:
        training_assign(
            cadre=cadre,
            kind=TrainingAssignment.Kind.KEY_TRAINING,
            started_on=timezone.localdate(),
            purpose=flag.reason if flag else "",
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is in the key-training pool.") % {"name": cadre.name})
    return redirect("assessments:training_pool")


urlpatterns = [
    path("training/", training_pool, name="training_pool"),
    path("training/pool/add/<int:pk>/", training_pool_add, name="training_pool_add"),
    path("eligibility/counties/<int:pk>/rules/", rules, name="eligibility_rules"),
    path("eligibility/counties/<int:pk>/recompute/", recompute, name="eligibility_recompute"),
    path("eligibility/selection/", selection, name="selection"),
    path("eligibility/selection/export/", selection_export, name="selection_export"),
]
