"""Reads of the quarterly assessment: who may open which record, the cadre's own quarters, the
grader's queue, the office's overview per unit and quarter, the personal summaries missing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from cadres.models import ASSESSED_KINDS, Cadre, Role, Unit
from cadres.scope import account_of, ancestor_paths, units_for

from ..models import (
    QUARTERS,
    AssessmentYear,
    Level,
    PersonalSummary,
    QuarterRecord,
    QuarterReview,
    QuarterSettings,
)
from ..services.quarterly import (
    Window,
    good_cap,
    grader_cadre,
    settings_for,
    summary_window,
    window,
)
from .catalog import years_for


def records_for(user) -> QuerySet[QuarterRecord]:
    """Records the user may open, with what a record page shows: a cadre their own (and a
    principal leader those of their unit), a liaison their unit's, office staff and leaders
    those in their subtree."""
    account = account_of(user)
    records = QuarterRecord.objects.select_related(
        "cadre", "unit", "year", "year__county", "graded_by", "review"
    )
    if account is None:
        return records.none()
    if account.role == Role.CADRE:
        principal = grader_cadre(user)
        mine = Q(cadre__user=user)
        return records.filter(mine | Q(unit=principal.unit_id) if principal else mine)
    return records.filter(unit__path__startswith=account.unit.path)


def own_records(user) -> QuerySet[QuarterRecord]:
    """The user's own records (a cadre's)."""
    return QuarterRecord.objects.filter(cadre__user=user).select_related("cadre", "year")


def confirmable_units(user) -> QuerySet[Unit]:
    """Units whose quarter grades the user may confirm: a principal leader's own unit, the
    units in the subtree of office staff and leaders."""
    principal = grader_cadre(user)
    if principal is not None:
        return Unit.objects.filter(pk=principal.unit_id)
    account = account_of(user)
    if account is None or account.role not in (Role.OFFICE, Role.LEADER):
        return Unit.objects.none()
    return units_for(user)


def year_of_unit(user, unit: Unit, number: int) -> AssessmentYear | None:
    """The assessment year ``number`` of the unit's county, when the user may see it."""
    paths = ancestor_paths(unit.path)
    return quarter_years_for(user).filter(year=number, county__path__in=paths).first()


def grades_anyone(user, year: AssessmentYear) -> bool:
    return graded_cadres(user, settings_for(year)) is not None


def quarter_years_for(user) -> QuerySet[AssessmentYear]:
    """Years of the quarterly pages: a cadre's those of their county, others' as usual."""
    account = account_of(user)
    if account is not None and account.role == Role.CADRE:
        cadre = Cadre.objects.select_related("unit").filter(user=user).first()
        if cadre is None:
            return AssessmentYear.objects.none()
        paths = ancestor_paths(cadre.unit.path)
        return AssessmentYear.objects.filter(county__path__in=paths).select_related("county")
    return years_for(user).select_related("county")


def default_quarter(year: AssessmentYear, today: dt.date) -> int:
    """The latest quarter whose window has opened (the first before any has)."""
    settings = settings_for(year)
    opened = [n for n in QUARTERS if window(settings, n).opens <= today]
    return opened[-1] if opened else 1


def my_quarters(cadre: Cadre, today: dt.date) -> list[dict]:
    """Per year of the cadre's county (newest first): its four quarters (window, state, the
    record; the grade only once confirmed) and the personal summary."""
    years = list(
        AssessmentYear.objects.filter(county__path__in=ancestor_paths(cadre.unit.path))
        .select_related("quarter_settings")
        .order_by("-year")
    )
    records = {
        (r.year_id, r.quarter): r
        for r in QuarterRecord.objects.filter(cadre=cadre).select_related("review")
    }
    summaries = {s.year_id: s for s in PersonalSummary.objects.filter(cadre=cadre)}
    out = []
    for year in years:
        settings = getattr(year, "quarter_settings", None) or QuarterSettings(year=year)
        quarters = []
        for n in QUARTERS:
            w = window(settings, n)
            quarters.append(
                {"n": n, "window": w, "state": w.state(today), "record": records.get((year.pk, n))}
            )
        opens, closes = summary_window(settings)
        out.append(
            {
                "year": year,
                "quarters": quarters,
                "summary": summaries.get(year.pk),
                "summary_open": opens <= today <= closes,
                "summary_window": (opens, closes),
            }
        )
    return out


def graded_cadres(user, settings: QuarterSettings) -> QuerySet[Cadre] | None:
    """The cadres whose quarters the user grades, or None when the user grades nobody."""
    principal = grader_cadre(user)
    if principal is not None:
        return Cadre.objects.filter(unit=principal.unit_id, is_active=True, is_principal=False)
    account = account_of(user)
    role = (
        Role.OFFICE
        if settings.principal_graded_by == QuarterSettings.PrincipalGrader.OFFICE
        else Role.LEADER
    )
    if account is None or account.role != role:
        return None
    return Cadre.objects.filter(
        unit__path__startswith=account.unit.path,
        unit__kind__in=ASSESSED_KINDS,
        is_active=True,
        is_principal=True,
    )


def grader_queue(user, year: AssessmentYear, quarter: int) -> list[dict] | None:
    """Per unit the user grades in: the cadres with their record of the quarter, and the 好
    count (every 好 given in the unit, confirmed or not) against the cap. None for a user who
    grades nobody."""
    settings = settings_for(year)
    cadres = graded_cadres(user, settings)
    if cadres is None:
        return None
    cadres = (
        cadres.filter(unit__path__startswith=year.county.path)
        .select_related("unit")
        .prefetch_related(
            Prefetch(
                "quarter_records",
                queryset=QuarterRecord.objects.filter(year=year, quarter=quarter),
                to_attr="this_quarter",
            )
        )
        .order_by("unit__path", "number")
    )
    units: dict[int, dict] = {}
    for cadre in cadres:
        cadre.record = cadre.this_quarter[0] if cadre.this_quarter else None  # type: ignore[attr-defined]
        units.setdefault(cadre.unit_id, {"unit": cadre.unit, "cadres": []})["cadres"].append(cadre)
    sizes = dict(
        Cadre.objects.filter(unit__in=units, is_active=True)
        .values_list("unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    goods = dict(
        QuarterRecord.objects.filter(year=year, quarter=quarter, unit__in=units, grade=Level.GOOD)
        .values_list("unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for unit_id, row in units.items():
        mine = [c.record for c in row["cadres"] if c.record]
        row["goods"] = goods.get(unit_id, 0)
        row["cap"] = good_cap(settings, sizes.get(unit_id, 0))
        row["waiting"] = sum(1 for r in mine if not r.grade)
        row["to_confirm"] = [r for r in mine if r.grade and not r.confirmed_at]
        row["over"] = row["goods"] > row["cap"]
    return list(units.values())


def overview(user, year: AssessmentYear, quarter: int, today: dt.date) -> dict:
    """Per assessed unit in the user's scope: cadres assessed, records in (late among them),
    graded, confirmed, 好 and its share, and who has written nothing (set-based)."""
    settings = settings_for(year)
    units = list(units_for(user).filter(path__startswith=year.county.path, kind__in=ASSESSED_KINDS))
    assessed = Cadre.objects.filter(unit__in=units, is_active=True)
    sizes = dict(assessed.values_list("unit").annotate(n=Count("pk")).order_by())
    records = QuarterRecord.objects.filter(year=year, quarter=quarter, unit__in=units)
    counts: dict[int, dict] = {
        row["unit"]: dict(row)
        for row in records.values("unit")
        .annotate(
            records=Count("pk"),
            late=Count("pk", filter=Q(late=True)),
            graded=Count("pk", filter=~Q(grade="")),
            confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
            goods=Count("pk", filter=Q(grade=Level.GOOD, confirmed_at__isnull=False)),
        )
        .order_by()
    }
    missing: dict[int, list[str]] = defaultdict(list)
    written = QuarterRecord.objects.filter(year=year, quarter=quarter, cadre=OuterRef("pk"))
    for unit_id, name in assessed.filter(~Exists(written)).values_list("unit", "name"):
        missing[unit_id].append(name)
    rows = []
    for unit in units:
        n = sizes.get(unit.pk, 0)
        c = counts.get(unit.pk, {})
        if not n:
            continue
        goods = c.get("goods", 0)
        rows.append({
            "unit": unit, "n": n, "records": c.get("records", 0), "late": c.get("late", 0),
            "graded": c.get("graded", 0), "confirmed": c.get("confirmed", 0), "goods": goods,
            "share": 100 * goods / n, "cap": good_cap(settings, n), "missing": missing[unit.pk],
        })  # fmt: skip
    w: Window = window(settings, quarter)
    reviews = (
        QuarterReview.objects.filter(
            record__year=year, record__unit__in=units, answered_at__isnull=True
        )
        .select_related("record__cadre", "record__unit")
        .order_by("filed_at")
    )
    return {
        "rows": rows,
        "window": w,
        "overdue": today > w.due,
        "settings": settings,
        "reviews": reviews,
    }


def export_rows(user, year: AssessmentYear, quarter: int) -> QuerySet[QuarterRecord]:
    """The quarter's records in the user's scope, for the Excel export."""
    return (
        records_for(user)
        .filter(year=year, quarter=quarter)
        .select_related("cadre", "unit")
        .order_by("unit__path", "cadre__number")
    )


def summaries_missing(user, year: AssessmentYear) -> QuerySet[Cadre]:
    """Assessed cadres in the user's scope without a personal summary of the year."""
    written = PersonalSummary.objects.filter(year=year, cadre=OuterRef("pk"))
    return (
        Cadre.objects.filter(
            unit__in=units_for(user).filter(path__startswith=year.county.path),
            unit__kind__in=ASSESSED_KINDS,
            is_active=True,
        )
        .filter(~Exists(written))
        .select_related("unit")
        .order_by("unit__path", "number")
    )


def registration_quarters(cadre: Cadre, year: AssessmentYear) -> dict:
    """For the registration form: the personal summary and the confirmed quarter grades
    (Q1–Q4, "" where none)."""
    grades = dict(
        QuarterRecord.objects.filter(
            year=year, cadre=cadre, confirmed_at__isnull=False
        ).values_list("quarter", "grade")
    )
    summary = PersonalSummary.objects.filter(year=year, cadre=cadre).first()
    return {
        "personal_summary": summary.text if summary else "",
        "quarter_grades": [Level(grades[n]).label if n in grades else "" for n in QUARTERS],
    }


def confirmed_quarters(on: dt.date) -> QuerySet[QuarterRecord]:
    """Confirmed quarter grades of the year of ``on`` and the year before (what the selection
    list shows beside the flags: the cadre's 一贯表现)."""
    return (
        QuarterRecord.objects.filter(confirmed_at__isnull=False, year__year__gte=on.year - 1)
        .select_related("year")
        .order_by("year__year", "quarter")
    )
