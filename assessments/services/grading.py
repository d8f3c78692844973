"""Annual cadre grades.

composite = Σ w × part / Σ w over the parts of a cadre: 德 (the latest closed round's moral
score), 廉 (100, less the year's deduction if a violation was verified), 绩 (100 plus the points
of inspection findings naming the cadre and of the year's close-range ledger notes, within
0–100) and, for leading cadres, their unit's total score. Without a 德 result (or a leading
cadre without the unit's score) the composite is incomplete: none is shown and the cadre is not
ranked (the others are ranked within the quota group among themselves); the proposed grade is
the band of the parts there are, capped below 优秀.

The proposed grade comes from the composite bands, then the capping rules (each recorded with
its explanation), then the 优秀 quota of the cadre's group: floor(share × number assessed), the
share raised for a unit graded 好. Then: public notice, one review request per cadre before the
deadline, the lock, and after it only recorded corrections.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import NotRequired, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, Model, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import ASSESSED_KINDS, Cadre, LedgerNote
from kaohe.lib.dates import cn_date
from kaohe.lib.models import model_update

from ..models import (
    GRADE_ORDER,
    AssessmentYear,
    CadreResult,
    Finding,
    Grade,
    GradeChange,
    GradingPolicy,
    GradingPolicyVersion,
    Level,
    MoralResult,
    MoralRound,
    ReviewRequest,
    UnitGradeChange,
    UnitResult,
    UnitReviewRequest,
    UnitScore,
)
from ..models.grading import group_label
from .eligibility import flags_recompute
from .quarterly import annual_effects

HUNDRED = Decimal(100)
Stage = GradingPolicy.Stage


class Cap(TypedDict):
    """A rule capping a grade: which rule, the best grade it allows, its explanation."""

    rule: str
    max: str
    text: str


class _Row(TypedDict):
    """One cadre while the grades are proposed; ``rank`` is set once the group is sorted."""

    cadre: Cadre
    parts: dict[str, Decimal | None]
    composite: Decimal | None
    caps: list[Cap]
    grade: str
    group: str
    unit_grade: str | None
    first: bool  # ranks first among equal composites (the quarterly rules)
    rank: NotRequired[int | None]


def _worse(a: str, b: str) -> str:
    return a if GRADE_ORDER.index(a) >= GRADE_ORDER.index(b) else b


def _better_than(grade: str, limit: str) -> bool:
    return GRADE_ORDER.index(grade) < GRADE_ORDER.index(limit)


def _integrity_helpers():
    """The integrity archive's set-based rule helpers (cadres app)."""
    from cadres.selectors import integrity as selectors_integrity

    return (
        selectors_integrity.cadres_with_sanction_in_force,
        selectors_integrity.cadres_with_verified_violation,
    )


def policy_for(year: AssessmentYear) -> GradingPolicy:
    policy = GradingPolicy.objects.filter(year=year).first()
    if policy is None:
        raise ValidationError(_("Set the year's grading policy first."))
    return policy


def _review_until(policy: GradingPolicy) -> dt.date:
    """The last day for review requests of grades on notice or locked. It is set together with
    the NOTICE stage (results_publish; the demo's history) and never cleared."""
    if policy.review_until is None:
        raise ValueError(f"grading policy {policy.pk} is on notice without a review deadline")
    return policy.review_until


# What policy_set changes: the weights, bands, shares and notice; not the stage and its dates.
POLICY_SETTINGS = (
    "weight_moral",
    "weight_integrity",
    "weight_performance",
    "weight_unit",
    "excellent_min",
    "competent_min",
    "basic_min",
    "excellent_share",
    "excellent_share_good_unit",
    "quota_group",
    "integrity_deduction",
    "notice_days",
)


def _snapshot(policy: GradingPolicy) -> dict[str, str | int]:
    return {
        name: str(value) if isinstance(value, Decimal) else value
        for name in POLICY_SETTINGS
        for value in [getattr(policy, name)]
    }


@transaction.atomic
def policy_set(*, year: AssessmentYear, by=None, note: str = "", **settings) -> GradingPolicy:
    """Set the year's grading policy (the defaults for what is not given); editable until the
    year's grades are published. Each save that changes something records the next version:
    the settings as saved, who and when (``by`` None: set up by the system)."""
    policy = GradingPolicy.objects.select_for_update().filter(year=year).first()
    policy = policy or GradingPolicy(year=year)
    if policy.pk and policy.stage != Stage.PROPOSED:
        raise ValidationError(_("The grades are on notice or locked: the policy cannot change."))
    new = policy._state.adding
    _policy, changed = model_update(instance=policy, data=settings, fields=POLICY_SETTINGS)
    if new or changed:
        last = policy.versions.order_by("-number").values_list("number", flat=True).first()
        GradingPolicyVersion.objects.create(
            policy=policy,
            number=(last or 0) + 1,
            values=_snapshot(policy),
            changed_at=timezone.now(),
            changed_by=by,
            note=note.strip()[:200],
        )
    return policy


def band_grade(policy: GradingPolicy, composite: Decimal) -> str:
    if composite >= policy.excellent_min:
        return Grade.EXCELLENT
    if composite >= policy.competent_min:
        return Grade.COMPETENT
    if composite >= policy.basic_min:
        return Grade.BASIC
    return Grade.INCOMPETENT


def _caps(cadre, *, sanction, violation, unit_grade, moral_result) -> list[Cap]:
    caps: list[Cap] = []
    if sanction is not None:
        caps.append(
            {
                "rule": "sanction",
                "max": Grade.COMPETENT,
                "text": _("A disciplinary sanction is in force (%(kind)s): not 优秀.")
                % {"kind": sanction.get_kind_display()},
            }
        )
    if violation is not None:
        caps.append(
            {
                "rule": "violation",
                "max": Grade.COMPETENT,
                "text": _("An integrity violation was verified on %(date)s: not 优秀.")
                % {"date": cn_date(violation.verified_on)},
            }
        )
    if cadre.is_principal and unit_grade in (Level.AVERAGE, Level.POOR):
        caps.append(
            {
                "rule": "unit",
                "max": Grade.COMPETENT,
                "text": _("Principal leader of a unit graded %(grade)s: not 优秀.")
                % {"grade": Level(unit_grade).label},
            }
        )
    if moral_result is None:
        caps.append(
            {
                "rule": "no_ballots",
                "max": Grade.COMPETENT,
                "text": _("No moral-assessment (德) result this year: not 优秀."),
            }
        )
    elif moral_result.threshold_breached:
        caps.append(
            {
                "rule": "ballots",
                "max": Grade.BASIC,
                "text": _(
                    "More than the allowed share of ballots judged 不称职: at most 基本称职."
                ),
            }
        )
    return caps


# What a proposal writes on a cadre's result.
PROPOSAL_FIELDS = [
    "unit",
    "quota_group",
    "moral",
    "integrity",
    "performance",
    "unit_score",
    "composite",
    "rank",
    "proposed_grade",
    "caps",
    "grade",
]


def _row(result: Model, fields: Sequence[str]) -> tuple:
    """The fields of a result as its row keeps them (a decimal at its column's scale, a
    foreign key by id): what a proposal compares to skip the rows it leaves unchanged."""
    values = []
    for name in fields:
        field = result._meta.get_field(name)
        value = result.serializable_value(name)  # a foreign key's id
        if isinstance(field, DecimalField) and value is not None:
            value = Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places), ROUND_HALF_UP)
        values.append(value)
    return tuple(values)


@transaction.atomic
def results_propose(*, year: AssessmentYear) -> list[CadreResult]:
    """Compute every assessed cadre's composite and proposed grade (set-based). An office
    decision already made on a cadre is kept; everything else is recomputed."""
    policy = policy_for(year)
    if policy.stage != Stage.PROPOSED:
        raise ValidationError(_("The grades are on notice or locked."))
    cadres = list(
        Cadre.objects.filter(
            is_active=True, unit__path__startswith=year.county.path, unit__kind__in=ASSESSED_KINDS
        ).select_related("unit")
    )
    ids = [c.pk for c in cadres]
    moral: dict[int, MoralResult] = {}
    for moral_result in MoralResult.objects.filter(
        round__year=year, round__status=MoralRound.Status.CLOSED, cadre_id__in=ids
    ).order_by("round__closes_on"):
        moral[moral_result.cadre_id] = moral_result
    findings = dict(
        Finding.objects.filter(inspection__year=year, cadre_id__in=ids)
        .values_list("cadre_id")
        .annotate(total=Sum("points"))
        .order_by()
    )
    ledger = dict(
        LedgerNote.objects.filter(cadre_id__in=ids, noted_on__year=year.year)
        .values_list("cadre_id")
        .annotate(total=Sum("points"))
        .order_by()
    )
    unit_scores = {s.unit_id: s for s in UnitScore.objects.filter(year=year)}
    unit_grades = unit_results_propose(year=year, scores=list(unit_scores.values()))
    year_end = dt.date(year.year, 12, 31)
    in_force, verified = _integrity_helpers()
    sanctions = in_force(ids, year_end)
    violations = verified(ids, year.year)
    existing = {r.cadre_id: r for r in CadreResult.objects.filter(year=year)}
    before = {r.pk: _row(r, PROPOSAL_FIELDS) for r in existing.values()}
    quarters = annual_effects(year, ids)

    rows: list[_Row] = []
    for cadre in cadres:
        unit_score = unit_scores.get(cadre.unit_id)
        parts: dict[str, Decimal | None] = {
            "moral": moral[cadre.pk].score if cadre.pk in moral else None,
            "integrity": HUNDRED - policy.integrity_deduction
            if cadre.pk in violations
            else HUNDRED,
            "performance": max(
                Decimal(0),
                min(HUNDRED, HUNDRED + findings.get(cadre.pk, 0) + ledger.get(cadre.pk, 0)),
            ),
            "unit": unit_score.total if cadre.is_leading and unit_score else None,
        }
        weights = {
            "moral": policy.weight_moral,
            "integrity": policy.weight_integrity,
            "performance": policy.weight_performance,
            "unit": policy.weight_unit,
        }
        # part -> (weight, value), for the parts the cadre has
        present = {k: (Decimal(weights[k]), v) for k, v in parts.items() if v is not None}
        partial = sum((w * v for w, v in present.values()), Decimal(0)) / sum(
            (w for w, _v in present.values()), Decimal(0)
        )
        # Complete: every part the cadre is assessed on (the unit's only for a leading cadre).
        complete = parts["moral"] is not None and (
            not cadre.is_leading or parts["unit"] is not None
        )
        caps = _caps(
            cadre,
            sanction=sanctions.get(cadre.pk),
            violation=violations.get(cadre.pk),
            unit_grade=unit_grades.get(cadre.unit_id),
            moral_result=moral.get(cadre.pk),
        )
        quarterly = quarters.get(cadre.pk)
        caps += quarterly.caps if quarterly else []
        if parts["moral"] is not None and not complete:
            caps.append(
                {
                    "rule": "no_unit_score",
                    "max": Grade.COMPETENT,
                    "text": _(
                        "No score of the unit this year: the composite is incomplete, not 优秀."
                    ),
                }
            )
        # The band of what the cadre has (the caps keep an incomplete one from 优秀).
        grade = band_grade(policy, partial)
        for cap in caps:
            grade = _worse(grade, cap["max"])
        group = (
            f"unit:{cadre.unit_id}"
            if policy.quota_group == GradingPolicy.QuotaGroup.UNIT
            else f"kind:{cadre.unit.kind}"
        )
        rows.append(
            {
                "cadre": cadre,
                "parts": parts,
                "composite": partial if complete else None,
                "caps": caps,
                "grade": grade,
                "group": group,
                "unit_grade": unit_grades.get(cadre.unit_id),
                "first": bool(quarterly and quarterly.first_among_equals),
            }
        )

    groups: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        groups[row["group"]].append(row)
    for members in groups.values():
        # The complete composites first, highest first (好 in every quarter first among equal
        # ones); the incomplete ones are not ranked.
        members.sort(
            key=lambda r: (r["composite"] is not None, r["composite"] or 0, r["first"]),
            reverse=True,
        )
        share = (
            policy.share_for(members[0]["unit_grade"])
            if policy.quota_group == GradingPolicy.QuotaGroup.UNIT
            else (policy.excellent_share)
        )
        quota = math.floor(Decimal(share) * len(members) / HUNDRED)
        granted, previous, rank = 0, None, 0
        for position, row in enumerate(members, 1):
            if row["composite"] is not None and (row["composite"], row["first"]) != previous:
                rank, previous = position, (row["composite"], row["first"])
            row["rank"] = rank if row["composite"] is not None else None
            if row["grade"] == Grade.EXCELLENT:
                if granted < quota:
                    granted += 1
                else:
                    row["grade"] = Grade.COMPETENT
                    row["caps"].append(
                        {
                            "rule": "quota",
                            "max": Grade.COMPETENT,
                            "text": _("Beyond the 优秀 quota of the group (%(cap)s of %(n)s).")
                            % {"cap": quota, "n": len(members)},
                        }
                    )

    results = []
    for row in rows:
        cadre, parts = row["cadre"], row["parts"]
        result = existing.get(cadre.pk) or CadreResult(year=year, cadre=cadre)
        overridden = bool(result.pk and result.override_reason)
        result.unit = cadre.unit
        result.quota_group = row["group"]
        result.moral, result.integrity = parts["moral"], parts["integrity"]
        result.performance, result.unit_score = parts["performance"], parts["unit"]
        result.composite, result.rank = row["composite"], row["rank"]
        result.proposed_grade = row["grade"]
        result.caps = [{k: str(v) for k, v in c.items()} for c in row["caps"]]
        if not overridden:
            result.grade = row["grade"]
        results.append(result)
    CadreResult.objects.bulk_create([r for r in results if not r.pk], batch_size=500)
    CadreResult.objects.bulk_update(
        [r for r in results if r.pk in before and _row(r, PROPOSAL_FIELDS) != before[r.pk]],
        PROPOSAL_FIELDS,
        batch_size=500,
    )  # only the rows whose proposal changed
    return results


def quota_status(year: AssessmentYear, *, group: str | None = None) -> list[dict]:
    """Per quota group (or only ``group``): its key and ``label`` (the unit's name or the unit
    kind's), number assessed ``n``, the 优秀 ``share`` and ``cap``, 优秀 given (after decisions)
    and whether it is ``over``; ordered by label."""
    policy = policy_for(year)
    unit_grades = dict(UnitResult.objects.filter(year=year).values_list("unit_id", "grade"))
    rows = CadreResult.objects.filter(year=year)
    if group is not None:
        rows = rows.filter(quota_group=group)
    groups: dict[str, dict] = {}
    for key, unit_id, unit_name, grade in rows.values_list(
        "quota_group", "unit_id", "unit__name", "grade"
    ):
        g = groups.setdefault(
            key,
            {"group": key, "unit_id": unit_id, "names": {}, "n": 0, "excellent": 0},
        )
        g["names"][unit_id] = unit_name
        g["n"] += 1
        g["excellent"] += grade == Grade.EXCELLENT
    for g in groups.values():
        share = (
            policy.share_for(unit_grades.get(g["unit_id"]))
            if policy.quota_group == GradingPolicy.QuotaGroup.UNIT
            else policy.excellent_share
        )
        g["label"] = group_label(g["group"], g.pop("names"))
        g["share"] = share
        g["cap"] = math.floor(Decimal(share) * g["n"] / HUNDRED)
        g["over"] = g["excellent"] > g["cap"]
    return sorted(groups.values(), key=lambda g: (g["label"], g["group"]))


def over_quota_text(groups: list[dict]) -> str:
    """The groups over their 优秀 quota in words, each with its count and cap."""
    return "；".join(
        _("%(group)s: %(n)s 优秀 for a quota of %(cap)s")
        % {"group": g["label"], "n": g["excellent"], "cap": g["cap"]}
        for g in groups
    )


def _lock_group(result: CadreResult) -> None:
    """Lock every result of the cadre's quota group (in id order, so two changes in one group
    queue rather than deadlock): a change checked against the group's 优秀 quota holds the lock
    until it commits, and the next one counts it."""
    list(
        CadreResult.objects.select_for_update()
        .filter(year_id=result.year_id, quota_group=result.quota_group)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def results_publish(*, year: AssessmentYear, today: dt.date | None = None) -> GradingPolicy:
    """Put the grades on public notice; refused while any group is over its 优秀 quota."""
    policy = GradingPolicy.objects.select_for_update().get(pk=policy_for(year).pk)
    if policy.stage != Stage.PROPOSED:
        raise ValidationError(_("The grades are already on notice or locked."))
    if not CadreResult.objects.filter(year=year).exists():
        raise ValidationError(_("Propose the grades first."))
    over = [g for g in quota_status(year) if g["over"]]
    if over:
        raise ValidationError(
            _("More 优秀 than the quota allows, nothing was published: %(groups)s.")
            % {"groups": over_quota_text(over)}
        )
    today = today or timezone.localdate()
    policy.stage = Stage.NOTICE
    policy.notice_from = today
    policy.review_until = today + dt.timedelta(days=policy.notice_days)
    policy.save(update_fields=["stage", "notice_from", "review_until"])
    return policy


@transaction.atomic
def results_lock(*, year: AssessmentYear, today: dt.date | None = None) -> GradingPolicy:
    """Lock the year's grades once the review period is over and every review answered."""
    policy = GradingPolicy.objects.select_for_update().get(pk=policy_for(year).pk)
    today = today or timezone.localdate()
    if policy.stage != Stage.NOTICE:
        raise ValidationError(_("Only grades on notice can be locked."))
    review_until = _review_until(policy)
    if today <= review_until:
        raise ValidationError(
            _("Review requests are open until %(date)s.") % {"date": cn_date(review_until)}
        )
    pending = ReviewRequest.Outcome.PENDING
    if (
        ReviewRequest.objects.filter(result__year=year, outcome=pending).exists()
        or UnitReviewRequest.objects.filter(result__year=year, outcome=pending).exists()
    ):
        raise ValidationError(_("Answer every review request first (cadres' and units')."))
    policy.stage = Stage.LOCKED
    policy.locked_at = timezone.now()
    policy.save(update_fields=["stage", "locked_at"])
    flags_recompute(county=year.county, on=today)
    return policy


# --- One path for cadres' and units' grades: decide, review, correct --------------------------
# A cadre's result and a unit's differ only in their models and in the rule a new grade must
# respect (the cadre's capping rules and quota; the unit's one-vote veto).


def _cadre_check(result: CadreResult, grade: str, *, review: bool = False) -> None:
    if grade not in Grade.values:
        raise ValidationError({"grade": _("Choose a grade.")})
    for cap in result.caps:
        if cap["rule"] != "quota" and _better_than(grade, cap["max"]):
            raise ValidationError({"grade": cap["text"]})
    if review and grade == Grade.EXCELLENT and result.grade != Grade.EXCELLENT:
        # The group is locked (_locked): the count includes every change committed before.
        (group,) = quota_status(result.year, group=result.quota_group)
        if group["excellent"] + 1 > group["cap"]:
            group["excellent"] += 1
            raise ValidationError(
                {
                    "grade": _("That would exceed the group's 优秀 quota (%(groups)s).")
                    % {"groups": over_quota_text([group])}
                }
            )


UNIT_LEVELS: Sequence[Level] = [Level.GOOD, Level.FAIR, Level.AVERAGE, Level.POOR]


def _unit_check(result: UnitResult, grade: str, *, review: bool = False) -> None:
    if grade not in Level.values:
        raise ValidationError({"grade": _("Choose a grade.")})
    if result.veto_failed and UNIT_LEVELS.index(grade) < UNIT_LEVELS.index(Level.AVERAGE):
        raise ValidationError({"grade": _("A failed one-vote veto caps the unit's grade at 一般.")})


# result model -> (its change log, its review requests, its rule check)
PATHS: dict[
    type[CadreResult | UnitResult],
    tuple[
        type[GradeChange | UnitGradeChange],
        type[ReviewRequest | UnitReviewRequest],
        Callable[..., None],
    ],
] = {
    CadreResult: (GradeChange, ReviewRequest, _cadre_check),
    UnitResult: (UnitGradeChange, UnitReviewRequest, _unit_check),
}


def _change(result, *, kind: str, grade: str, reason: str, by, review: bool = False):
    """Check, record (who, when, why, before, after) and apply a new grade."""
    log, _requests, check = PATHS[type(result)]
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    check(result, grade, review=review)
    log.objects.create(
        result=result,
        kind=kind,
        before=result.grade,
        after=grade,
        reason=reason.strip(),
        changed_at=timezone.now(),
        changed_by=by,
    )
    result.grade = grade
    result.override_reason = reason.strip() if grade != result.proposed_grade else ""
    result.full_clean()
    result.save(update_fields=["grade", "override_reason"])
    return result


def _locked(result):
    """The result, locked for the change; a cadre's with its whole quota group first."""
    if isinstance(result, CadreResult):
        _lock_group(result)
    return (
        type(result)
        .objects.select_for_update(of=("self",))
        .select_related("year")
        .get(pk=result.pk)
    )


@transaction.atomic
def result_override(*, result, grade: str, reason: str, by):
    """Before notice: the office decides a grade other than the proposal, with a reason, never
    above a rule. (For a unit, propose the cadres' grades again: quotas and caps read it.)"""
    result = _locked(result)
    if policy_for(result.year).stage != Stage.PROPOSED:
        raise ValidationError(_("The grades are on notice or locked: file a correction instead."))
    return _change(result, kind=GradeChange.Kind.OVERRIDE, grade=grade, reason=reason, by=by)


@transaction.atomic
def result_correct(*, result, grade: str, reason: str, by):
    """After the lock, a grade changes only by a recorded correction."""
    result = _locked(result)
    if policy_for(result.year).stage != Stage.LOCKED:
        raise ValidationError(_("Corrections are for locked results."))
    if grade == result.grade:
        raise ValidationError(
            {"grade": _("The grade is already %(grade)s.") % {"grade": result.get_grade_display()}}
        )
    result = _change(
        result, kind=GradeChange.Kind.CORRECTION, grade=grade, reason=reason, by=by, review=True
    )
    flags_recompute(county=result.year.county, on=timezone.localdate())
    return result


def _may_file(result, by) -> bool:
    """A cadre files for their own grade; a unit's liaison for the unit's."""
    if isinstance(result, CadreResult):
        return result.cadre.user_id == by.pk
    from cadres.models import Role
    from cadres.scope import account_of

    account = account_of(by)
    return (
        account is not None and account.role == Role.LIAISON and (account.unit_id == result.unit_id)
    )


@transaction.atomic
def review_file(*, result, reasons: str, by, today: dt.date | None = None):
    """One review request per result, filed during the notice period by whom it concerns."""
    _log, requests, _check = PATHS[type(result)]
    # Locked: a second request filed at the same moment (another browser) waits, then is told.
    result = type(result).objects.select_for_update(of=("self",)).get(pk=result.pk)
    if not _may_file(result, by):
        raise ValidationError(_("Only whom the grade concerns may ask for its review."))
    policy = policy_for(result.year)
    today = today or timezone.localdate()
    if policy.stage != Stage.NOTICE or today > _review_until(policy):
        raise ValidationError(_("Review requests are taken only during the notice period."))
    if requests.objects.filter(result=result).exists():
        raise ValidationError(_("A review can be requested once."))
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give your reasons.")})
    review = requests(result=result, reasons=reasons.strip(), filed_at=timezone.now())
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def review_answer(*, review, answer: str, by, grade: str | None = None):
    """The office answers a review: the grade is upheld, or changed (and recorded)."""
    if isinstance(review, ReviewRequest):
        _lock_group(review.result)
    review = (
        type(review)
        .objects.select_for_update(of=("self",))
        .select_related("result__year")
        .get(pk=review.pk)
    )
    result = review.result
    if policy_for(result.year).stage != Stage.NOTICE:
        raise ValidationError(_("Reviews are answered during the notice period."))
    if review.outcome != ReviewRequest.Outcome.PENDING:
        raise ValidationError(_("The review has been answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    if grade and grade != result.grade:
        _change(
            result, kind=GradeChange.Kind.REVIEW, grade=grade, reason=answer, by=by, review=True
        )
        review.outcome = ReviewRequest.Outcome.CHANGED
    else:
        review.outcome = ReviewRequest.Outcome.UPHELD
    review.answer, review.answered_at, review.answered_by = answer.strip(), timezone.now(), by
    review.full_clean()
    review.save()
    return review


# --- Unit grades: frozen from the scoring engine's proposals, then the path above -------------


UNIT_PROPOSAL_FIELDS = ["total", "veto_failed", "proposed_grade", "grade"]


def unit_results_propose(*, year: AssessmentYear, scores=None) -> dict[int, str]:
    """Freeze the scoring engine's unit grades into unit results (an office decision already
    made is kept). Returns unit id -> grade."""
    scores = scores if scores is not None else list(UnitScore.objects.filter(year=year))
    existing = {r.unit_id: r for r in UnitResult.objects.filter(year=year)}
    new, kept = [], []
    for score in scores:
        result = existing.get(score.unit_id)
        if result is None:
            new.append(
                UnitResult(
                    year=year,
                    unit_id=score.unit_id,
                    total=score.total,
                    veto_failed=score.veto_failed,
                    proposed_grade=score.proposed_grade,
                    grade=score.proposed_grade,
                )
            )
            continue
        was = _row(result, UNIT_PROPOSAL_FIELDS)
        result.total, result.veto_failed = score.total, score.veto_failed
        result.proposed_grade = score.proposed_grade
        if not result.override_reason:
            result.grade = score.proposed_grade
        kept.append((result, was))
    UnitResult.objects.bulk_create(new)
    UnitResult.objects.bulk_update(
        [r for r, was in kept if _row(r, UNIT_PROPOSAL_FIELDS) != was], UNIT_PROPOSAL_FIELDS
    )  # only the rows whose proposal changed
    return {r.unit_id: r.grade for r in [*new, *(r for r, _was in kept)]}
