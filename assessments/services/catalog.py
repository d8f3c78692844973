"""Writes for assessment years, weights and the indicator catalog."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from cadres.models import ASSESSED_KINDS, Unit
from kaohe.lib.cache import year_changed
from kaohe.lib.models import model_update

from ..models import AssessmentYear, Category, CategoryWeights, Indicator

YEAR_SETTINGS = (
    "title",
    "bonus_cap",
    "grade_good_min",
    "grade_fair_min",
    "grade_average_min",
    "report_deadline_day",
)

# Allowed status changes: forward through the year, and back from closed to in progress.
# Looked up with the plain str a year's status field holds.
STATUS_FLOW: dict[str, set[AssessmentYear.Status]] = {
    AssessmentYear.Status.DRAFT: {AssessmentYear.Status.IN_PROGRESS},
    AssessmentYear.Status.IN_PROGRESS: {AssessmentYear.Status.CLOSED},
    AssessmentYear.Status.CLOSED: {
        AssessmentYear.Status.IN_PROGRESS,
        AssessmentYear.Status.PUBLISHED,
    },
    AssessmentYear.Status.PUBLISHED: set(),
}


def _require_editable(year: AssessmentYear) -> None:
    if not year.is_editable:
        raise ValidationError(
            _("The %(year)s catalog is %(status)s and can no longer change.")
            % {"year": year.year, "status": year.get_status_display()}
        )


def year_require_open(year: AssessmentYear) -> AssessmentYear:
    """Refuse any change to a closed or published year, and hold that answer until the
    caller's transaction ends: on PostgreSQL the year's row is locked FOR KEY SHARE, so changes
    of one open year run side by side while closing it (``year_set_status`` locks the row FOR
    UPDATE) waits for them, and a change waiting behind a close sees the closed year.
    Returns the year as read under the lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT status FROM {AssessmentYear._meta.db_table} WHERE id = %s FOR KEY SHARE",  # noqa: S608
                [year.pk],
            )
            row = cursor.fetchone()
        if row is not None:
            year.status = row[0]
    else:
        year.status = AssessmentYear.objects.values_list("status", flat=True).get(pk=year.pk)
    if not year.is_editable:
        raise ValidationError(
            _("The %(year)s assessment is %(status)s: nothing in it can change any more.")
            % {"year": year.year, "status": year.get_status_display()}
        )
    return year


@transaction.atomic
def year_create(*, county: Unit, year: int, **settings) -> AssessmentYear:
    if county.kind not in (Unit.Kind.COUNTY, Unit.Kind.CITY):
        raise ValidationError({"county": _("An assessment year belongs to a county.")})
    obj = AssessmentYear(county=county, year=year)
    model_update(instance=obj, data=settings, fields=YEAR_SETTINGS)
    return obj


@transaction.atomic
def year_update(*, year: AssessmentYear, **settings) -> AssessmentYear:
    _require_editable(year)
    model_update(instance=year, data=settings, fields=YEAR_SETTINGS)
    return year


@transaction.atomic
def year_set_status(*, year: AssessmentYear, status: str) -> AssessmentYear:
    # FOR UPDATE: waits for the changes in flight (year_require_open) before closing.
    year.status = (
        AssessmentYear.objects.select_for_update().values_list("status", flat=True).get(pk=year.pk)
    )
    if status not in STATUS_FLOW[year.status]:
        raise ValidationError(
            _("A year cannot go from %(old)s to %(new)s.")
            % {
                "old": year.get_status_display(),
                "new": AssessmentYear.Status(status).label,
            }
        )
    if status == AssessmentYear.Status.IN_PROGRESS:
        missing = set(ASSESSED_KINDS) - set(year.weights.values_list("unit_kind", flat=True))
        if missing:
            raise ValidationError(
                _("Set the weights for every assessed unit kind first: %(kinds)s.")
                % {"kinds": "、".join(str(Unit.Kind(k).label) for k in sorted(missing))}
            )
    year.status = status
    year.save(update_fields=["status"])
    year_changed(year.pk)
    return year


@transaction.atomic
def weights_set(
    *, year: AssessmentYear, unit_kind: str, party: int, industry: int, tasks: int
) -> CategoryWeights:
    """Create or replace the weights of one unit kind; they must add up to exactly 100."""
    _require_editable(year)
    weights = CategoryWeights.objects.filter(year=year, unit_kind=unit_kind).first()
    weights = weights or CategoryWeights(year=year, unit_kind=unit_kind)
    weights.party, weights.industry, weights.tasks = party, industry, tasks
    weights.full_clean()
    weights.save()
    return weights


INDICATOR_FIELDS = (
    "category",
    "parent",
    "code",
    "name",
    "description",
    "max_points",
    "method",
    "unit_kinds",
    "lead_department",
    "is_veto",
    "sort_order",
)


def _check_indicator(indicator: Indicator) -> None:
    errors = {}
    parent = indicator.parent
    if parent is not None:
        if parent.year_id != indicator.year_id:
            errors["parent"] = _("The parent indicator belongs to another year.")
        elif parent.category != indicator.category:
            errors["parent"] = _("The parent indicator is in another category.")
        # Walk the stored ancestors (not in-memory objects), guarding against any cycle.
        parents = dict(
            Indicator.objects.filter(year_id=indicator.year_id).values_list("pk", "parent_id")
        )
        seen: set[int] = set()
        node: int | None = parent.pk
        while node is not None and node not in seen:
            if node == indicator.pk:
                errors["parent"] = _("An indicator cannot sit under itself.")
                break
            seen.add(node)
            node = parents.get(node)
    unknown = set(indicator.unit_kinds) - set(Unit.Kind.values)
    if unknown or not indicator.unit_kinds:
        errors["unit_kinds"] = _("Choose at least one valid unit kind.")
    if (indicator.method == Indicator.Method.BONUS) != (indicator.category == Category.BONUS):
        errors["method"] = _("Bonus indicators, and only they, sit in the bonus category.")
    if indicator.method == Indicator.Method.MIDTERM and indicator.category != Category.PARTY:
        errors["method"] = _("The mid-term review is a party-building indicator.")
    if indicator.lead_department and indicator.lead_department.kind != Unit.Kind.DEPARTMENT:
        errors["lead_department"] = _("The lead assessing department must be a county department.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_create(*, year: AssessmentYear, **fields) -> Indicator:
    _require_editable(year)
    indicator = Indicator(year=year)
    model_update(instance=indicator, data=fields, fields=INDICATOR_FIELDS, check=_check_indicator)
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, **fields) -> Indicator:
    _require_editable(indicator.year)
    model_update(instance=indicator, data=fields, fields=INDICATOR_FIELDS, check=_check_indicator)
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator) -> None:
    _require_editable(indicator.year)
    indicator.delete()


@transaction.atomic
def year_copy_catalog(*, source: AssessmentYear, target: AssessmentYear) -> int:
    """Copy the weights and the whole indicator tree of ``source`` into an empty ``target``.
    Returns the number of indicators copied."""
    _require_editable(target)
    if source.pk == target.pk:
        raise ValidationError(_("Choose another year to copy from."))
    if source.county_id != target.county_id:
        raise ValidationError(_("A catalog can only be copied within the same county."))
    if target.indicators.exists() or target.weights.exists():
        raise ValidationError(
            _("The %(year)s catalog is not empty; copying would mix two catalogs.")
            % {"year": target.year}
        )
    CategoryWeights.objects.bulk_create(
        CategoryWeights(
            year=target, unit_kind=w.unit_kind, party=w.party, industry=w.industry, tasks=w.tasks
        )
        for w in source.weights.all()
    )
    # Parents before children: order by depth by walking the tree level by level.
    old = list(source.indicators.all())
    new_by_old: dict[int, Indicator] = {}
    level = [i for i in old if i.parent_id is None]
    while level:
        copies = [
            Indicator(
                year=target,
                category=i.category,
                parent=None if i.parent_id is None else new_by_old.get(i.parent_id),
                code=i.code,
                name=i.name,
                description=i.description,
                max_points=i.max_points,
                method=i.method,
                unit_kinds=list(i.unit_kinds),
                lead_department_id=i.lead_department_id,
                is_veto=i.is_veto,
                sort_order=i.sort_order,
            )
            for i in level
        ]
        Indicator.objects.bulk_create(copies)
        new_by_old.update({i.pk: c for i, c in zip(level, copies, strict=True)})
        ids = {i.pk for i in level}
        level = [i for i in old if i.parent_id in ids]
    return len(new_by_old)


def year_is_open(year: AssessmentYear) -> bool:
    """``year_require_open`` as a yes or no (the lock is taken the same way)."""
    try:
        year_require_open(year)
    except ValidationError:
        return False
    return True
