"""Targets: assigning catalog indicators to units, milestones, and decisions on graded and
manual indicators."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import ASSESSED_KINDS, Role, Unit
from cadres.scope import STAFF_ROLES, can_write, get_for_user, role_required
from kaohe.lib.forms import apply_errors
from kaohe.lib.xlsx import xlsx_response

from .. import services
from ..forms.targets import (
    DecisionForm,
    GridPickForm,
    MilestonesForm,
    TargetAssignForm,
    TargetForm,
    TargetGridForm,
)
from ..imports.targets import grid_workbook
from ..models import Category, Indicator, Target
from ..selectors import default_month, target_statuses
from ..selectors.catalog import year_detail
from ..selectors.targets import grid_indicators, grid_rows
from ..selectors.targets import target_detail as select_target
from ..selectors.targets import target_list as select_targets


@role_required(*STAFF_ROLES)
def target_list(request, pk):
    year = get_for_user(request, year_detail, pk)
    filters = {
        "kind": request.GET.get("kind", ""),
        "category": request.GET.get("category", ""),
        "q": request.GET.get("q", "").strip(),
    }
    page = Paginator(select_targets(year, **filters), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/target_list.html",
        {
            "year": year,
            "page": page,
            "query": query.urlencode(),
            "filters": filters,
            "kinds": [(k, Unit.Kind(k).label) for k in ASSESSED_KINDS],
            "categories": Category.choices,
        },
    )


@role_required(Role.OFFICE, write=True)
def target_assign(request, pk):
    year = get_for_user(request, year_detail, pk, write=True)
    form = TargetAssignForm(
        request.POST or None, year=year, initial={"indicator": request.GET.get("indicator")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "target_value": data["target_value"],
            "measure": data["measure"],
            "deadline": data["deadline"],
        }
        try:
            with transaction.atomic():
                if data["unit"]:
                    services.target_assign(indicator=data["indicator"], unit=data["unit"], **common)
                    count = 1
                else:
                    count = sum(
                        len(
                            services.targets_assign_bulk(
                                indicator=data["indicator"], unit_kind=kind, **common
                            )
                        )
                        for kind in data["unit_kinds"]
                    )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)s targets assigned for %(indicator)s.")
                % {"count": count, "indicator": data["indicator"].name},
            )
            return redirect("assessments:target_list", pk=year.pk)
    return render(request, "assessments/target_assign.html", {"year": year, "form": form})


def _grid_indicator(request, year):
    pick = GridPickForm(request.GET or None, indicators=grid_indicators(year))
    return pick, (pick.cleaned_data["indicator"] if pick.is_valid() else None)


@role_required(Role.OFFICE, write=True)
def target_grid(request, pk):
    """Assign one indicator to many units, each with its own target value: one form, one save;
    any row with a problem and nothing is saved."""
    year = get_for_user(request, year_detail, pk, write=True)
    pick, indicator = _grid_indicator(request, year)
    context = {"year": year, "pick": pick, "indicator": indicator}
    if indicator is not None:
        grid = TargetGridForm(request.POST or None, rows=grid_rows(indicator))
        context["grid"] = grid
        if request.method == "POST" and grid.is_valid():
            common = {k: grid.cleaned_data[k] for k in ("measure", "deadline")}
            try:
                assigned, changed = services.targets_assign_grid(
                    indicator=indicator, rows=grid.rows(), **common
                )
            except ValidationError as error:
                grid.apply_row_errors(error)
            else:
                messages.success(
                    request,
                    _("%(assigned)s targets assigned and %(changed)s changed for %(indicator)s.")
                    % {"assigned": assigned, "changed": changed, "indicator": indicator.name},
                )
                return redirect(request.get_full_path())
        if request.method == "POST":
            messages.error(request, _("Nothing was saved: correct the rows marked below."))
    return render(request, "assessments/target_grid.html", context)


@role_required(Role.OFFICE, write=True)
def target_grid_xlsx(request, pk):
    """The targets import file for one indicator, filled in with the grid's units."""
    year = get_for_user(request, year_detail, pk, write=True)
    _pick, indicator = _grid_indicator(request, year)
    if indicator is None:
        raise Http404
    workbook = grid_workbook(indicator, grid_rows(indicator))
    return xlsx_response(workbook, filename=f"{year.year}年目标任务_{indicator.code}.xlsx")


@role_required(Role.OFFICE, Role.LEADER, Role.LIAISON)
def target_detail(request, pk):
    target = get_for_user(request, select_target, pk)
    year = target.year
    today = timezone.localdate()
    month = default_month(year, today)
    status = target_statuses([target], year=year, month=month, today=today)[target.pk]
    milestones = {m.month: m.planned_value for m in target.milestones.all()}
    decision = getattr(target, "decision", None)
    context = {
        "target": target,
        "year": year,
        "status": status,
        "months": [(m, milestones.get(m)) for m in range(1, 13)],
        "decision": decision,
        "decides": target.indicator.method in (Indicator.Method.LEVELS, Indicator.Method.MANUAL),
    }
    if can_write(request.user) and year.is_editable:
        context["target_form"] = TargetForm(
            initial={
                "target_value": target.target_value,
                "measure": target.measure,
                "deadline": target.deadline,
                "note": target.note,
            }
        )
        context["milestones_form"] = MilestonesForm(
            initial={f"m{m}": v for m, v in milestones.items()}
        )
        context["decision_form"] = DecisionForm(
            initial={
                "level": decision.level if decision else "",
                "points": decision.points if decision else None,
                "reason": decision.reason if decision else "",
            }
        )
    return render(request, "assessments/target_detail.html", context)


def _done(request, target, form, error=None):
    if error is not None:
        apply_errors(form, error)
    if form.errors:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}{'：' if label else ''}{' '.join(errors)}")
    else:
        messages.success(request, _("Saved."))
    return redirect("assessments:target_detail", pk=target.pk)


@require_POST
@role_required(Role.OFFICE, write=True)
def target_edit(request, pk):
    target = get_for_user(request, select_target, pk, write=True)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            services.target_update(target=Target.objects.get(pk=target.pk), **form.cleaned_data)
        except ValidationError as error:
            return _done(request, target, form, error)
    return _done(request, target, form)


@require_POST
@role_required(Role.OFFICE, write=True)
def target_milestones(request, pk):
    target = get_for_user(request, select_target, pk, write=True)
    form = MilestonesForm(request.POST)
    if form.is_valid():
        try:
            services.milestones_set(target=target, planned=form.planned())
        except ValidationError as error:
            return _done(request, target, form, error)
    return _done(request, target, form)


@require_POST
@role_required(Role.OFFICE, write=True)
def target_decide(request, pk):
    target = get_for_user(request, select_target, pk, write=True)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_set(target=target, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            return _done(request, target, form, error)
    return _done(request, target, form)


urlpatterns = [
    path("years/<int:pk>/targets/", target_list, name="target_list"),
    path("years/<int:pk>/targets/assign/", target_assign, name="target_assign"),
    path("years/<int:pk>/targets/grid/", target_grid, name="target_grid"),
    path("years/<int:pk>/targets/grid/xlsx/", target_grid_xlsx, name="target_grid_xlsx"),
    path("targets/<int:pk>/", target_detail, name="target_detail"),
    path("targets/<int:pk>/edit/", target_edit, name="target_edit"),
    path("targets/<int:pk>/milestones/", target_milestones, name="target_milestones"),
    path("targets/<int:pk>/decision/", target_decide, name="target_decide"),
]
