"""Annual cadre grades: proposals with their rules, the office's decisions, public notice,
review requests, the lock and corrections; and a cadre's review request from their own page."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import Role
from cadres.scope import STAFF_ROLES, account_of, can_write, get_for_user, role_required
from kaohe.lib.forms import apply_errors, is_id

from ..forms.grading import POLICY_FIELDS, GradingPolicyForm
from ..models import (
    CadreResult,
    Grade,
    GradingPolicy,
    Level,
    ReviewRequest,
    UnitResult,
)
from ..selectors.catalog import year_detail
from ..selectors.grading import (
    grading_policy_versions,
    pending_reviews,
    result_units,
    results_for,
    unit_results_for,
)
from ..services import grading

CADRE_DETAIL = "assessments:result_detail"
UNIT_DETAIL = "assessments:unit_result_detail"


def _errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# ?review= on the results page: which cadres' review requests to list.
REVIEW_FILTERS = {
    "pending": {"review__outcome": ReviewRequest.Outcome.PENDING},
    "answered": {"review__isnull": False, "review__outcome__in": ["upheld", "changed"]},
    "none": {"review__isnull": True},
}


def _cadre_results(request, year) -> tuple[QuerySet[CadreResult], dict]:
    """The year's cadre results as the results page lists them, by quota group and rank,
    filtered by ?grade=, ?unit= (a unit id), ?review= (pending, answered, none) and ?changed=
    (only those the office changed); with the filters asked for (unknown values are ignored).
    Shared by the page and its export."""
    get = request.GET
    asked = {k: get.get(k, "") for k in ("grade", "unit", "review")}
    rows = (
        CadreResult.objects.filter(year=year)
        .select_related("cadre", "unit", "review")
        .order_by("quota_group", F("rank").asc(nulls_last=True), "cadre__number")
    )
    if asked["grade"]:
        rows = rows.filter(grade=asked["grade"])
    if is_id(asked["unit"]):
        rows = rows.filter(unit_id=asked["unit"])
    if asked["review"] in REVIEW_FILTERS:
        rows = rows.filter(**REVIEW_FILTERS[asked["review"]])
    if get.get("changed"):
        rows = rows.exclude(override_reason="")
    return rows, asked


@role_required(*STAFF_ROLES)
def results(request, pk):
    year = get_for_user(request, year_detail, pk)
    policy = GradingPolicy.objects.filter(year=year).first()
    rows, asked = _cadre_results(request, year)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    groups = grading.quota_status(year) if policy else []
    unit_results = UnitResult.objects.filter(year=year).select_related("unit", "review")
    return render(
        request,
        "assessments/grading/results.html",
        {
            "year": year,
            "policy": policy,
            "page": page,
            "groups": groups,
            # Over quota matters only before publication (publishing is refused then); after
            # it, a change that would exceed a quota is refused.
            "over": [g for g in groups if g["over"]]
            if policy and policy.stage == GradingPolicy.Stage.PROPOSED
            else [],
            "grades": Grade.choices,
            "asked": asked,
            "units": result_units(year),
            "pending": pending_reviews(year),
            "unit_results": unit_results,
            "query": urlencode({k: v for k, v in asked.items() if v}),
        },
    )


def _year_action(request, pk, action):
    year = get_for_user(request, year_detail, pk, write=True)
    try:
        action(year)
    except ValidationError as error:
        _errors(request, error)
        return None
    return year


@require_POST
@role_required(Role.OFFICE, write=True)
def results_propose(request, pk):
    year = get_for_user(request, year_detail, pk, write=True)
    try:
        if not GradingPolicy.objects.filter(year=year).exists():
            grading.policy_set(year=year)
        count = len(grading.results_propose(year=year))
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Grades proposed for %(count)s cadres.") % {"count": count})
    return redirect("assessments:results", pk=year.pk)


@require_POST
@role_required(Role.OFFICE, write=True)
def results_publish(request, pk):
    if _year_action(request, pk, lambda year: grading.results_publish(year=year)):
        messages.success(request, _("The grades are on public notice."))
    return redirect("assessments:results", pk=pk)


@require_POST
@role_required(Role.OFFICE, write=True)
def results_lock(request, pk):
    if _year_action(request, pk, lambda year: grading.results_lock(year=year)):
        messages.success(request, _("The grades are locked."))
    return redirect("assessments:results", pk=pk)


@role_required(Role.OFFICE, Role.LEADER, Role.CADRE)
def result_detail(request, pk):
    result = get_for_user(request, results_for, pk)
    policy = GradingPolicy.objects.filter(year=result.year).first()
    return render(
        request,
        "assessments/grading/result_detail.html",
        {
            "result": result,
            "year": result.year,
            "policy": policy,
            "changes": result.changes.select_related("changed_by"),
            "review": getattr(result, "review", None),
            "grades": Grade.choices,
            "is_own": result.cadre.user_id == request.user.pk,
        },
    )


def _act(request, result, detail: str, action, success: str):
    """Run one grading service for a result (a cadre's or a unit's), say how it went, and go
    back to the result's page."""
    try:
        action()
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, success)
    return redirect(detail, pk=result.pk)


def _decide(request, result, detail: str):
    """The office's decision before notice, or a correction after the lock."""
    locked = grading.policy_for(result.year).stage == GradingPolicy.Stage.LOCKED
    service = grading.result_correct if locked else grading.result_override
    grade, reason = request.POST.get("grade", ""), request.POST.get("reason", "")
    return _act(
        request,
        result,
        detail,
        lambda: service(result=result, grade=grade, reason=reason, by=request.user),
        _("Grade recorded."),
    )


def _file(request, result, detail: str):
    reasons = request.POST.get("reasons", "")
    return _act(
        request,
        result,
        detail,
        lambda: grading.review_file(result=result, reasons=reasons, by=request.user),
        _("Your review request has been filed."),
    )


def _answer(request, result, detail: str):
    review = getattr(result, "review", None)
    if review is None:
        raise Http404
    answer, grade = request.POST.get("answer", ""), request.POST.get("grade") or None
    return _act(
        request,
        result,
        detail,
        lambda: grading.review_answer(review=review, answer=answer, grade=grade, by=request.user),
        _("Review answered."),
    )


@require_POST
@role_required(Role.OFFICE, write=True)
def result_decide(request, pk):
    return _decide(request, get_for_user(request, results_for, pk, write=True), CADRE_DETAIL)


@require_POST
@role_required(Role.CADRE)
def review_file(request, pk):
    return _file(request, get_for_user(request, results_for, pk), CADRE_DETAIL)


@require_POST
@role_required(Role.OFFICE, write=True)
def review_answer(request, pk):
    return _answer(request, get_for_user(request, results_for, pk, write=True), CADRE_DETAIL)


@role_required(Role.OFFICE, Role.LEADER, Role.LIAISON)
def unit_result_detail(request, pk):
    result = get_for_user(request, unit_results_for, pk)
    account = account_of(request.user)
    return render(
        request,
        "assessments/grading/unit_result_detail.html",
        {
            "result": result,
            "year": result.year,
            "policy": GradingPolicy.objects.filter(year=result.year).first(),
            "changes": result.changes.select_related("changed_by"),
            "review": getattr(result, "review", None),
            "grades": Level.choices,
            "is_own_unit": account.role == Role.LIAISON and account.unit_id == result.unit_id,
        },
    )


@require_POST
@role_required(Role.OFFICE, write=True)
def unit_result_decide(request, pk):
    return _decide(request, get_for_user(request, unit_results_for, pk, write=True), UNIT_DETAIL)


@require_POST
@role_required(Role.LIAISON)
def unit_review_file(request, pk):
    return _file(request, get_for_user(request, unit_results_for, pk), UNIT_DETAIL)


@require_POST
@role_required(Role.OFFICE, write=True)
def unit_review_answer(request, pk):
    return _answer(request, get_for_user(request, unit_results_for, pk, write=True), UNIT_DETAIL)


@role_required(*STAFF_ROLES)
def policy(request, pk):
    """The year's grading policy beside the rules' explanation, with its versions; office
    staff change it until the year's grades are published (a new version each time)."""
    year = get_for_user(request, year_detail, pk)
    current = GradingPolicy.objects.filter(year=year).first()
    editable = current is None or current.stage == GradingPolicy.Stage.PROPOSED
    if request.method == "POST" and not (can_write(request.user) and editable):
        raise PermissionDenied
    initial = {f: getattr(current or GradingPolicy(), f) for f in POLICY_FIELDS}
    form = GradingPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            grading.policy_set(year=year, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Grading policy saved as a new version."))
            return redirect("assessments:grading_policy", pk=year.pk)
    return render(
        request,
        "assessments/grading/policy.html",
        {
            "year": year,
            "policy": current or GradingPolicy(year=year),
            "form": form,
            "editable": editable and can_write(request.user),
            "versions": grading_policy_versions(current),
        },
    )


urlpatterns = [
    path("years/<int:pk>/grading-policy/", policy, name="grading_policy"),
    path("unit-results/<int:pk>/", unit_result_detail, name="unit_result_detail"),
    path("unit-results/<int:pk>/decide/", unit_result_decide, name="unit_result_decide"),
    path("unit-results/<int:pk>/review/", unit_review_file, name="unit_review_file"),
    path("unit-results/<int:pk>/review/answer/", unit_review_answer, name="unit_review_answer"),
    path("years/<int:pk>/results/", results, name="results"),
    path("years/<int:pk>/results/propose/", results_propose, name="results_propose"),
    path("years/<int:pk>/results/publish/", results_publish, name="results_publish"),
    path("years/<int:pk>/results/lock/", results_lock, name="results_lock"),
    path("results/<int:pk>/", result_detail, name="result_detail"),
    path("results/<int:pk>/decide/", result_decide, name="result_decide"),
    path("results/<int:pk>/review/", review_file, name="review_file"),
    path("results/<int:pk>/review/answer/", review_answer, name="review_answer"),
]
