"""Organization pages: units (tree and list), cadres (list and record)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from kaohe.lib.forms import apply_errors

from .. import selectors, services
from ..forms import CadreFilterForm, CadreForm, CadreMoveForm, LedgerNoteForm, UnitForm
from ..models import Cadre, Role, Unit
from ..scope import (
    STAFF_ROLES,
    account_of,
    can_write,
    get_for_user,
    role_of,
    role_required,
    units_for,
)


@role_required(*STAFF_ROLES)
def unit_list(request):
    """The tree, its top levels only (deeper levels load on expand: ``unit_children``), or with
    ?view=list or a filter a paginated list of every unit in scope."""
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    context = {"kind": kind, "q": q, "kinds": Unit.Kind.choices}
    if request.GET.get("view") == "list" or kind or q:
        units = selectors.unit_list(request.user, kind=kind, q=q)
        page = Paginator(units, settings.PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context |= {"view": "list", "units": page, "page": page, "query": query.urlencode()}
    else:
        context |= {"view": "tree", "units": _indented(request, selectors.unit_tree_top)}
    return render(request, "cadres/unit_list.html", context)


def _indented(request, rows, *args) -> list[Unit]:
    """``rows(user, *args)`` with each unit's ``indent``: its depth below the user's unit."""
    base = account_of(request.user).unit.depth
    units = list(rows(request.user, *args))
    for unit in units:
        unit.indent = unit.depth - base
    return units


@role_required(*STAFF_ROLES)
def unit_children(request, pk):
    """The rows of a unit's children in the tree (a fragment the tree page inserts when the
    unit is expanded); 404 for a unit outside the user's scope."""
    parent = get_for_user(request, units_for, pk)
    units = _indented(request, selectors.unit_children, parent)
    return render(request, "cadres/_unit_rows.html", {"units": units, "view": "tree"})


@role_required(Role.OFFICE, Role.LEADER, Role.LIAISON)
def unit_detail(request, pk):
    unit = get_for_user(request, selectors.unit_detail, pk)
    return render(request, "cadres/unit_detail.html", {"unit": unit})


@role_required(Role.OFFICE, write=True)
def unit_create(request):
    units = units_for(request.user)
    form = UnitForm(
        request.POST or None, units=units, initial={"parent": request.GET.get("parent")}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("dissolved_on",)}
        try:
            unit = services.unit_create(**data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Unit %(name)s created.") % {"name": unit.name})
            return redirect("cadres:unit_detail", pk=unit.pk)
    return render(request, "cadres/unit_form.html", {"form": form})


@role_required(Role.OFFICE, write=True)
def unit_edit(request, pk):
    unit = get_for_user(request, selectors.unit_detail, pk, write=True)
    units = units_for(request.user).exclude(path__startswith=unit.path)
    form = UnitForm(request.POST or None, instance=unit, units=units)
    if unit.parent_id is None or unit.pk == account_of(request.user).unit_id:
        del form.fields["parent"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parent = data.pop("parent", None)
        try:
            services.unit_update(unit=Unit.objects.get(pk=unit.pk), parent=parent, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Unit saved."))
            return redirect("cadres:unit_detail", pk=unit.pk)
    return render(request, "cadres/unit_form.html", {"form": form, "unit": unit})


def _cadre_filters(form: CadreFilterForm) -> dict:
    data = form.cleaned_data
    leading = {"1": True, "0": False}.get(data.get("leading") or "")
    return {
        "q": (data.get("q") or "").strip(),
        "unit_kind": data.get("unit_kind") or "",
        "unit": data.get("unit"),
        "rank": data.get("rank") or "",
        "post_kind": data.get("post_kind") or "",
        "leading": leading,
    }


@role_required(*STAFF_ROLES)
def cadre_list(request):
    form = CadreFilterForm(request.GET or None)
    filters = _cadre_filters(form) if form.is_valid() else {}
    cadres = selectors.cadre_list(request.user, **filters)
    page = Paginator(cadres, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cadres/cadre_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@role_required(Role.OFFICE, Role.LEADER, Role.CADRE)
def cadre_detail(request, pk):
    cadre = get_for_user(request, selectors.cadre_detail, pk)
    if role_of(request.user) == Role.CADRE:
        # A cadre's own record is "my assessment", which leaves out what is for the office
        # only (who wrote the ledger notes, findings, ranks of others).
        return redirect("assessments:me")
    context = {"cadre": cadre, "is_me": False}
    if can_write(request.user):
        context["ledger_form"] = LedgerNoteForm()
    return render(request, "cadres/cadre_detail.html", context)


@role_required(Role.OFFICE, write=True)
def cadre_create(request):
    units = units_for(request.user)
    form = CadreForm(request.POST or None, units=units, initial={"unit": request.GET.get("unit")})
    if request.method == "POST" and form.is_valid():
        try:
            cadre = services.cadre_create(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Cadre %(name)s created.") % {"name": cadre.name})
            return redirect("cadres:cadre_detail", pk=cadre.pk)
    return render(request, "cadres/cadre_form.html", {"form": form})


@role_required(Role.OFFICE, write=True)
def cadre_edit(request, pk):
    cadre = get_for_user(request, selectors.cadre_detail, pk, write=True)
    form = CadreForm(request.POST or None, instance=cadre)
    if request.method == "POST" and form.is_valid():
        try:
            services.cadre_update(cadre=Cadre.objects.get(pk=cadre.pk), **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Cadre saved."))
            return redirect("cadres:cadre_detail", pk=cadre.pk)
    return render(request, "cadres/cadre_form.html", {"form": form, "cadre": cadre})


@role_required(Role.OFFICE, write=True)
def cadre_move(request, pk):
    cadre = get_for_user(request, selectors.cadre_detail, pk, write=True)
    form = CadreMoveForm(request.POST or None, units=units_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.cadre_move(cadre=Cadre.objects.get(pk=cadre.pk), **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("New post recorded."))
            return redirect("cadres:cadre_detail", pk=cadre.pk)
    return render(request, "cadres/cadre_move.html", {"form": form, "cadre": cadre})


urlpatterns = [
    path("units/", unit_list, name="unit_list"),
    path("units/new/", unit_create, name="unit_create"),
    path("units/<int:pk>/", unit_detail, name="unit_detail"),
    path("units/<int:pk>/children/", unit_children, name="unit_children"),
    path("units/<int:pk>/edit/", unit_edit, name="unit_edit"),
    path("cadres/", cadre_list, name="cadre_list"),
    path("cadres/new/", cadre_create, name="cadre_create"),
    path("cadres/<int:pk>/", cadre_detail, name="cadre_detail"),
    path("cadres/<int:pk>/edit/", cadre_edit, name="cadre_edit"),
    path("cadres/<int:pk>/move/", cadre_move, name="cadre_move"),
]
