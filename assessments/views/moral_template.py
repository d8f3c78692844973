"""The year's moral-assessment template (量化考德模板): level scores, rater-group weights, the
不称职 threshold, and the dimensions with their items weighted per post kind.

Office staff change it until the first ballot of the year is cast; leaders read it. The
settings, a new dimension and a new item post their own small forms; the table's rows (every
dimension's and item's name, order and weights) are saved together by one form, all or
nothing. A refused form is shown again on the page with its errors."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import Role
from cadres.scope import STAFF_ROLES, can_write, get_for_user, role_required
from kaohe.lib.forms import apply_errors

from ..forms.moral_template import DimensionForm, ItemForm, TemplateSettingsForm
from ..models import MoralDimension, MoralItem, MoralTemplate
from ..selectors import moral as selectors
from ..services import moral as services

# A form shown again with its errors: (what, pk, form), e.g. ("item", 12, form).
Bound = tuple[str, int | None, forms.Form]


def _page_url(template_pk: int, anchor: str = "") -> str:
    url = reverse("assessments:moral_template", args=[template_pk])
    return f"{url}#{anchor}" if anchor else url


def _next_order(orders) -> int:
    return max(orders, default=-1) + 1


def _row_form(form_class, name: str, pk: int | None = None, data=None, **kwargs):
    """A form drawn in a table row: its inputs belong to the ``<form>`` with id ``name-pk``
    (``name`` without a pk) and their ids start with ``namepk_``."""
    if pk is None:
        html_form, auto_id = name, f"{name}_%s"
    else:
        html_form, auto_id = f"{name}-{pk}", f"{name}{pk}_%s"
    return form_class(data, html_form=html_form, auto_id=auto_id, **kwargs)


def _table_form(form_class, name: str, pk: int, data=None, **kwargs):
    """A row of the table: its inputs belong to the one ``<form id="rows">`` that saves every
    row at once, named with the row's prefix (``item12-name``)."""
    return form_class(data, html_form="rows", prefix=f"{name}{pk}", **kwargs)


def _new_item_form(dimension_pk: int, data=None, **kwargs) -> ItemForm:
    placeholder = _("New item of this dimension")
    return _row_form(ItemForm, "newitem", dimension_pk, data, placeholder=placeholder, **kwargs)


def _new_dimension_form(data=None, **kwargs) -> DimensionForm:
    placeholder = _("Name of the new dimension")
    return _row_form(DimensionForm, "newdim", None, data, placeholder=placeholder, **kwargs)


def _saved(form, save):
    """What ``save()`` returns when the form is valid and the service takes it; otherwise
    None, with the service's refusal shown on the form."""
    if not form.is_valid():
        return None
    try:
        return save()
    except ValidationError as error:
        apply_errors(form, error)
        return None


def _item_save(form: ItemForm, dimension: MoralDimension, item: MoralItem | None = None):
    return services.item_save(
        dimension=dimension,
        item=item,
        name=form.cleaned_data["name"],
        sort_order=form.cleaned_data["sort_order"],
        weights=form.weights(),
    )


def _delete(request, delete, *, template_pk: int, anchor: str, done: str, anchor_done: str = ""):
    """Run ``delete()``: refused, back to ``anchor`` with the reason; done, on to
    ``anchor_done`` with the message ``done``."""
    try:
        delete()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_page_url(template_pk, anchor))
    messages.success(request, done)
    return redirect(_page_url(template_pk, anchor_done))


def _item_row(row, form) -> dict:
    def make():
        return _table_form(ItemForm, "item", row.item.pk, initial=initial)

    initial = ItemForm.initial_for(row.item, row.weights)
    return {"item": row.item, "weights": row.weights, "form": form("item", row.item.pk, make)}


def _sections(view, form) -> list[dict]:
    """Each dimension of the template with its items, and the edit forms ``form`` gives (the
    bound one that carries errors, a fresh one, or none for a reader or a locked template)."""
    sections = []
    for d in view.dimensions:
        dim = d.dimension
        next_item = {"sort_order": _next_order(r.item.sort_order for r in d.items)}
        initial = DimensionForm.initial_for(dim)
        sections.append(
            {
                "dimension": dim,
                "rows": [_item_row(row, form) for row in d.items],
                "form": form(
                    "dimension",
                    dim.pk,
                    lambda dim=dim, i=initial: _table_form(DimensionForm, "dim", dim.pk, initial=i),
                ),
                "new_item": form(
                    "new_item",
                    dim.pk,
                    lambda dim=dim, i=next_item: _new_item_form(dim.pk, initial=i),
                ),
            }
        )
    return sections


def _totals(view) -> list:
    """Each post kind's total of item weights (the page shows them under the columns)."""
    return [
        sum(row.weights[i] or 0 for d in view.dimensions for row in d.items)
        for i in range(len(view.post_kinds))
    ]


def _render(request, template: MoralTemplate, bound: Bound | None = None, rows=None):
    """The template, with edit forms while it is not in use; ``bound``/``rows``: as posted."""
    view = selectors.template_detail(template.year)
    locked = services.template_in_use(template)
    editable = can_write(request.user) and not locked
    if bound is not None and not editable:
        # Refused because the template has just been locked: the page shows no form to
        # carry the errors, so they go above it.
        errors = bound[2].errors
        messages.error(request, " ".join(str(e) for field in errors.values() for e in field))
        bound = rows = None

    posted = {**(rows or {}), **({bound[:2]: bound[2]} if bound else {})}

    def form(what: str, pk: int | None, make):
        return posted[(what, pk)] if (what, pk) in posted else make() if editable else None

    sections = _sections(view, form)
    next_dimension = _next_order(d.dimension.sort_order for d in view.dimensions)
    context = {
        "year": template.year,
        "template": view,
        "sections": sections,
        "totals": _totals(view),
        "locked": locked,
        "editable": editable,
        "cols": len(view.post_kinds) + (3 if editable else 1),
        "settings_form": form(
            "settings",
            None,
            lambda: TemplateSettingsForm(initial=TemplateSettingsForm.initial_for(view.template)),
        ),
        "new_dimension": form(
            "new_dimension",
            None,
            lambda: _new_dimension_form(initial={"sort_order": next_dimension}),
        ),
    }
    return render(request, "assessments/moral/template_page.html", context)


@role_required(*STAFF_ROLES)
def moral_template(request, pk):
    return _render(request, get_for_user(request, selectors.templates_for, pk))


@require_POST
@role_required(Role.OFFICE, write=True)
def moral_template_settings(request, pk):
    template = get_for_user(request, selectors.templates_for, pk, write=True)
    form = TemplateSettingsForm(request.POST)
    saved = _saved(
        form, lambda: services.template_settings_update(template=template, **form.settings())
    )
    if saved is not None:
        messages.success(request, _("Scores, weights and threshold saved."))
        return redirect(_page_url(template.pk, "settings"))
    return _render(request, template, ("settings", None, form))


def _posted_rows(view, data) -> dict[tuple[str, int], tuple[object, forms.Form]]:
    """The table's rows present in the posted form, by (what, pk): (the object, its form)."""
    rows: dict[tuple[str, int], tuple[object, forms.Form]] = {}
    for d in view.dimensions:
        if f"dim{d.dimension.pk}-name" in data:
            form = _table_form(DimensionForm, "dim", d.dimension.pk, data)
            rows[("dimension", d.dimension.pk)] = (d.dimension, form)
        for row in d.items:
            row.item.dimension = d.dimension  # the service reads it: no query per row
            if f"item{row.item.pk}-name" in data:
                form = _table_form(ItemForm, "item", row.item.pk, data)
                rows[("item", row.item.pk)] = (row.item, form)
    return rows


def _rows_save(template, rows) -> bool:
    """Save the valid posted rows; a refusal goes on the rows it names."""
    if not all(form.is_valid() for _obj, form in rows.values()):
        return False
    kinds = {"d": "dimension", "i": "item"}
    try:
        services.template_rows_save(
            template=template,
            dimensions=[(o, f.cleaned_data) for (w, _p), (o, f) in rows.items() if w != "item"],
            items=[
                (
                    o,
                    {
                        "name": f.cleaned_data["name"],
                        "sort_order": f.cleaned_data["sort_order"],
                        "weights": f.weights(),
                    },
                )
                for (w, _p), (o, f) in rows.items()
                if w == "item"
            ],
        )
    except services.RowsRefused as refused:
        for key, error in refused.rows.items():
            apply_errors(rows[(kinds[key[0]], int(key[1:]))][1], error)
        return False
    return True


@require_POST
@role_required(Role.OFFICE, write=True)
def moral_rows_save(request, pk):
    """Every row of the table in one form: saved together, all or nothing; refused, the page
    comes back with every row as typed and the errors on the rows refused."""
    template = get_for_user(request, selectors.templates_for, pk, write=True)
    rows = _posted_rows(selectors.template_detail(template.year), request.POST)
    if _rows_save(template, rows):
        messages.success(request, _("Every row of the template saved."))
        return redirect(_page_url(template.pk, "dimensions"))
    posted = {key: form for key, (_o, form) in rows.items()}
    refused = next((form for form in posted.values() if form.errors), None)
    return _render(request, template, ("rows", None, refused) if refused else None, rows=posted)


@require_POST
@role_required(Role.OFFICE, write=True)
def moral_dimension_create(request, pk):
    template = get_for_user(request, selectors.templates_for, pk, write=True)
    form = _new_dimension_form(request.POST)
    dimension = _saved(
        form, lambda: services.dimension_save(template=template, **form.cleaned_data)
    )
    if dimension is not None:
        messages.success(
            request,
            _("Dimension %(name)s added: now add its items.") % {"name": dimension.name},
        )
        return redirect(_page_url(template.pk, f"d{dimension.pk}"))
    return _render(request, template, ("new_dimension", None, form))


@require_POST
@role_required(Role.OFFICE, write=True)
def moral_dimension_update(request, pk):
    dimension = get_for_user(request, selectors.dimensions_for, pk, write=True)
    template = dimension.template
    form = _row_form(DimensionForm, "dim", pk, request.POST)
    saved = _saved(
        form,
        lambda: services.dimension_save(
            template=template, dimension=dimension, **form.cleaned_data
        ),
    )
    if saved is not None:
        messages.success(request, _("Dimension %(name)s saved.") % {"name": dimension.name})
        return redirect(_page_url(template.pk, f"d{dimension.pk}"))
    return _render(request, template, ("dimension", dimension.pk, form))


@require_POST
@role_required(Role.OFFICE, write=True)
def moral_dimension_delete(request, pk):
    dimension = get_for_user(request, selectors.dimensions_for, pk, write=True)
    return _delete(
        request,
        lambda: services.dimension_delete(dimension=dimension),
        template_pk=dimension.template_id,
        anchor=f"d{pk}",
        done=_("Dimension %(name)s deleted.") % {"name": dimension.name},
    )


@require_POST
@role_required(Role.OFFICE, write=True)
def moral_item_create(request, pk):
    dimension = get_for_user(request, selectors.dimensions_for, pk, write=True)
    form = _new_item_form(pk, request.POST)
    item = _saved(form, lambda: _item_save(form, dimension))
    if item is not None:
        messages.success(request, _("Item %(name)s added.") % {"name": item.name})
        return redirect(_page_url(dimension.template_id, f"i{item.pk}"))
    return _render(request, dimension.template, ("new_item", dimension.pk, form))


@require_POST
@role_required(Role.OFFICE, write=True)
def moral_item_update(request, pk):
    item = get_for_user(request, selectors.items_for, pk, write=True)
    dimension = item.dimension
    form = _row_form(ItemForm, "item", pk, request.POST)
    if _saved(form, lambda: _item_save(form, dimension, item)) is not None:
        messages.success(request, _("Item %(name)s saved.") % {"name": item.name})
        return redirect(_page_url(dimension.template_id, f"i{item.pk}"))
    return _render(request, dimension.template, ("item", item.pk, form))


@require_POST
@role_required(Role.OFFICE, write=True)
def moral_item_delete(request, pk):
    item = get_for_user(request, selectors.items_for, pk, write=True)
    return _delete(
        request,
        lambda: services.item_delete(item=item),
        template_pk=item.dimension.template_id,
        anchor=f"i{pk}",
        done=_("Item %(name)s deleted.") % {"name": item.name},
        anchor_done=f"d{item.dimension.pk}",
    )


urlpatterns = [
    path("moral/templates/<int:pk>/", moral_template, name="moral_template"),
    path(
        "moral/templates/<int:pk>/settings/",
        moral_template_settings,
        name="moral_template_settings",
    ),
    path("moral/templates/<int:pk>/rows/", moral_rows_save, name="moral_rows_save"),
    path(
        "moral/templates/<int:pk>/dimensions/new/",
        moral_dimension_create,
        name="moral_dimension_create",
    ),
    path("moral/dimensions/<int:pk>/", moral_dimension_update, name="moral_dimension_update"),
    path(
        "moral/dimensions/<int:pk>/delete/",
        moral_dimension_delete,
        name="moral_dimension_delete",
    ),
    path("moral/dimensions/<int:pk>/items/new/", moral_item_create, name="moral_item_create"),
    path("moral/items/<int:pk>/", moral_item_update, name="moral_item_update"),
    path("moral/items/<int:pk>/delete/", moral_item_delete, name="moral_item_delete"),
]
