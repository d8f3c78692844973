"""Rows of the permission matrix: annual grades, reviews, the lock."""

from django.utils import timezone

from assessments.models import ReviewRequest, UnitResult, UnitReviewRequest
from assessments.services import grading

from .base import OFFICE_POST, STAFF_READ

OWN = {"office": 200, "leader": 200, "liaison": 403, "cadre": 200}

UNIT_OWN = {"office": 200, "leader": 200, "liaison": 200, "cadre": 403}

ROWS = {
    "assessments:unit_result_detail": ("get", "unit_result", UNIT_OWN, {}),
    "assessments:unit_result_decide": (
        "post",
        "unit_result",
        OFFICE_POST,
        {"grade": "fair", "reason": "理由"},
    ),
    "assessments:unit_review_file": (
        "post",
        "unit_result",
        {"office": 403, "leader": 403, "liaison": 302, "cadre": 403},
        {"reasons": "请复核"},
    ),
    "assessments:unit_review_answer": (
        "post",
        "reviewed_unit_result",
        OFFICE_POST,
        {"answer": "维持"},
    ),
    "assessments:results": ("get", "year", STAFF_READ, {}),
    "assessments:results_propose": ("post", "year", OFFICE_POST, {}),
    "assessments:results_publish": ("post", "year", OFFICE_POST, {}),
    "assessments:results_lock": ("post", "year", OFFICE_POST, {}),
    "assessments:result_detail": ("get", "result", OWN, {}),
    "assessments:result_decide": (
        "post",
        "result",
        OFFICE_POST,
        {"grade": "competent", "reason": "理由"},
    ),
    "assessments:review_file": (
        "post",
        "result",
        {"office": 403, "leader": 403, "liaison": 403, "cadre": 302},
        {"reasons": "请复核"},
    ),
    "assessments:review_answer": ("post", "reviewed_result", OFFICE_POST, {"answer": "维持"}),
}


def objects(world):
    year, xx = world["year"], world["xx"]
    grading.policy_set(year=year)
    results = {r.cadre_id: r for r in grading.results_propose(year=year)}
    unit_results = {
        u.pk: UnitResult.objects.create(
            year=year, unit=u, total=80, proposed_grade="fair", grade="fair"
        )
        for u in (xx.township, xx.department)
    }
    reviewed = results[xx.other_cadre.pk]
    grading.results_publish(year=year, today=timezone.localdate())
    ReviewRequest.objects.create(result=reviewed, reasons="请复核", filed_at=timezone.now())
    UnitReviewRequest.objects.create(
        result=unit_results[xx.department.pk], reasons="请复核", filed_at=timezone.now()
    )
    return {
        "result": results[xx.cadre.pk],
        "reviewed_result": reviewed,
        "unit_result": unit_results[xx.township.pk],
        "reviewed_unit_result": unit_results[xx.department.pk],
    }
