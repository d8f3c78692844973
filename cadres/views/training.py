"""Training pages (培养): the key-training pool with its candidates, secondments and first
secretaries, a form to add an assignment, and ending one. Office staff write; leaders read."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.lib.forms import apply_errors

from ..forms.training import TrainingEndForm, TrainingFilterForm, TrainingForm
from ..models import Role, TrainingAssignment
from ..scope import STAFF_ROLES, cadres_for, get_for_user, role_required
from ..selectors import training as selectors
from ..services.training import training_assign, training_end

Kind = TrainingAssignment.Kind


def _back(request, default: str):
    """Back to the training page the form was on (with its filters), else ``default``."""
    back = request.POST.get("next", "")
    pages = (reverse("assessments:training_pool"), reverse("cadres:training_list"))
    if back.startswith(pages) and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        return redirect(back)
    return redirect(default)


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
        initial["cadre"] = get_for_user(request, cadres_for, request.GET["cadre"]).pk
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
                return redirect("assessments:training_pool")
            return redirect("cadres:training_list")
    return render(request, "cadres/training/assignment_form.html", {"form": form})


@require_POST
@role_required(Role.OFFICE, write=True)
def training_end_view(request, pk):
    assignment = get_for_user(request, selectors.assignment_detail, pk, write=True)
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
        "assessments:training_pool"
        if assignment.kind == Kind.KEY_TRAINING
        else "cadres:training_list"
    )
    return _back(request, default)


urlpatterns = [
    path("training/assignments/", training_list, name="training_list"),
    path("training/new/", training_create, name="training_create"),
    path("training/<int:pk>/end/", training_end_view, name="training_end"),
]
