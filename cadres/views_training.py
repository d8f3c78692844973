"""Training pages (培养): the key-training pool with its candidates, secondments and first
secretaries, a form to add an assignment, and ending one. Office staff write; leaders read."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.lib.forms import apply_errors

from . import selectors_training as selectors
from .forms_training import TrainingEndForm, TrainingFilterForm, TrainingForm
from .models import Cadre, Role, TrainingAssignment
from .scope import STAFF_ROLES, cadres_for, can_write, role_required
from .services_training import training_assign, training_end

Kind = TrainingAssignment.Kind


def _get_assignment_for_user(request, pk: int, *, write: bool = False) -> TrainingAssignment:
    """An assignment of a cadre the user may open; 404 otherwise, 403 for a reader writing."""
    if write and not can_write(request.user):
        raise PermissionDenied
    try:
        return TrainingAssignment.objects.select_related("cadre").get(
            pk=pk, cadre__in=cadres_for(request.user)
        )
    except TrainingAssignment.DoesNotExist:
        raise Http404 from None


def _get_cadre_for_user(request, pk, *, write: bool = False) -> Cadre:
    if write and not can_write(request.user):
        raise PermissionDenied
    try:
        return cadres_for(request.user).get(pk=pk)
    except (Cadre.DoesNotExist, ValueError):
        raise Http404 from None


def _back(request, default: str):
    """Back to the training page the form was on (with its filters), else ``default``."""
    back = request.POST.get("next", "")
    if back.startswith(reverse("cadres:training_pool")) and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        return redirect(back)
    return redirect(default)


@role_required(*STAFF_ROLES)
def training_pool(request):
    return render(
        request,
        "cadres/training/pool.html",
        {
            "pool": selectors.pool(request.user),
            "candidates": selectors.pool_candidates(request.user),
            "end_form": TrainingEndForm(initial={"ended_on": timezone.localdate()}),
            "today": timezone.localdate(),
        },
    )


@role_required(*STAFF_ROLES)
def training_list(request):
    today = timezone.localdate()
    form = TrainingFilterForm(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    items = selectors.assignments(request.user, today=today, **filters)
    page = Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cadres/training/assignments.html",
        {"form": form, "page": page, "query": query.urlencode(), "today": today},
    )


@role_required(Role.OFFICE, write=True)
def training_create(request):
    cadres = cadres_for(request.user)
    initial = {"kind": request.GET.get("kind") or Kind.SECONDMENT}
    if request.GET.get("cadre"):
        initial["cadre"] = _get_cadre_for_user(request, request.GET["cadre"]).pk
    form = TrainingForm(request.POST or None, cadres=cadres, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = training_assign(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(kind)s recorded for %(name)s.")
                % {"kind": assignment.get_kind_display(), "name": assignment.cadre.name},
            )
            if assignment.kind == Kind.KEY_TRAINING:
                return redirect("cadres:training_pool")
            return redirect("cadres:training_list")
    return render(request, "cadres/training/assignment_form.html", {"form": form})


@require_POST
@role_required(Role.OFFICE, write=True)
def training_pool_add(request, pk):
    """Put a candidate (a cadre with an open key-training flag) into the pool from today."""
    cadre = _get_cadre_for_user(request, pk, write=True)
    flag = selectors.pool_candidates(request.user).filter(cadre=cadre).first()
    try:
        training_assign(
            cadre=cadre,
            kind=Kind.KEY_TRAINING,
            started_on=timezone.localdate(),
            purpose=flag.reason if flag else "",
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is in the key-training pool.") % {"name": cadre.name})
    return redirect("cadres:training_pool")


@require_POST
@role_required(Role.OFFICE, write=True)
def training_end_view(request, pk):
    assignment = _get_assignment_for_user(request, pk, write=True)
    form = TrainingEndForm(request.POST)
    if form.is_valid():
        try:
            training_end(assignment=assignment, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
    if form.errors:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        messages.success(
            request,
            _("%(kind)s of %(name)s ended.")
            % {"kind": assignment.get_kind_display(), "name": assignment.cadre.name},
        )
    default = (
        "cadres:training_pool" if assignment.kind == Kind.KEY_TRAINING else "cadres:training_list"
    )
    return _back(request, default)


urlpatterns = [
    path("training/", training_pool, name="training_pool"),
    path("training/assignments/", training_list, name="training_list"),
    path("training/new/", training_create, name="training_create"),
    path("training/pool/add/<int:pk>/", training_pool_add, name="training_pool_add"),
    path("training/<int:pk>/end/", training_end_view, name="training_end"),
]
