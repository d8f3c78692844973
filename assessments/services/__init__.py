"""Writes for assessments, one module per part of the year. Import from here."""

from .catalog import (
    STATUS_FLOW,
    indicator_create,
    indicator_delete,
    indicator_update,
    weights_set,
    year_copy_catalog,
    year_create,
    year_set_status,
    year_update,
)
from .inspections import finding_add, inspection_create, rectification_close
from .leads import deduction_enter, deduction_withdraw
from .progress import evidence_check, progress_approve, progress_return, progress_submit
from .scoring import scores_compute, scores_request_recompute
from .targets import (
    bonus_award,
    decision_set,
    letter_create,
    midterm_set,
    milestones_set,
    target_assign,
    target_update,
    targets_assign_bulk,
)

__all__ = [
    "bonus_award",
    "decision_set",
    "deduction_enter",
    "deduction_withdraw",
    "evidence_check",
    "finding_add",
    "inspection_create",
    "letter_create",
    "midterm_set",
    "milestones_set",
    "progress_approve",
    "progress_return",
    "progress_submit",
    "rectification_close",
    "scores_compute",
    "scores_request_recompute",
    "target_assign",
    "target_update",
    "targets_assign_bulk",
    "STATUS_FLOW",
    "indicator_create",
    "indicator_delete",
    "indicator_update",
    "weights_set",
    "year_copy_catalog",
    "year_create",
    "year_set_status",
    "year_update",
]
