"""Eligibility rules over several years of results, and the flags they raise (结果运用).

A county's rules are versioned (``EligibilityRules``): a change is a new version with the date it
takes effect. ``flags_recompute`` applies the version in force on a date to the county's locked
years up to that date and keeps ``EligibilityFlag`` rows in step:

- 优秀 in each of the last ``priority_years`` (``merit_years``) consecutive locked years →
  priority for promotion (a third-class merit proposed);
- a grade of ``not_promotable_grade`` or lower in any of the last ``not_promotable_years``
  years → not promotable;
- the unit graded ``adjustment_level`` or lower for ``adjustment_years`` consecutive locked
  years → its principal leader(s) flagged for organizational adjustment;
- ``training_grade`` in the latest locked year → key training target.

"The last N years" are the N calendar years ending with the county's latest locked year; a year
in that run that is not locked, or in which the cadre (unit) has no result, breaks a run of
consecutive years. A year counts once its grades are locked: a year before the date's calendar
year counts if it is locked at all (history entered afterwards is still final), the date's own
calendar year only if it was locked on or before the date. Results follow the cadre, so a cadre
who moved keeps their history; a renamed unit is the same unit.

Every flag explains itself in ``reason`` (built in the site's language, so a recompute from a
request in another language does not change it) and names the rules version.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cadres.models import Cadre, Unit
from kaohe.lib.dates import cn_date

from ..models import (
    GRADE_ORDER,
    LEVEL_ORDER,
    AssessmentYear,
    CadreResult,
    EligibilityFlag,
    EligibilityRules,
    Grade,
    GradingPolicy,
    Level,
    UnitResult,
)

Kind = EligibilityFlag.Kind

DEFAULTS_FROM = dt.date(2000, 1, 1)

NUMBERS = (
    "priority_years",
    "merit_years",
    "not_promotable_years",
    "not_promotable_grade",
    "adjustment_years",
    "adjustment_level",
    "training_grade",
)
"""The settings a rules version carries (everything but its date and note)."""


# --- Rules versions ----------------------------------------------------------------------------


def _earliest_or_default(county: Unit) -> EligibilityRules:
    """Version 1 with the defaults, in force from 2000-01-01, if the county has no rules yet;
    otherwise the county's earliest version."""
    first = EligibilityRules.objects.filter(county=county).order_by("effective_from").first()
    if first is not None:
        return first
    with translation.override(settings.LANGUAGE_CODE):
        note = _("The defaults of the national rules.")
    rules, _created = EligibilityRules.objects.get_or_create(
        county=county, version=1, defaults={"effective_from": DEFAULTS_FROM, "note": note}
    )
    return rules


def rules_in_force(county: Unit, on: dt.date) -> EligibilityRules:
    """The county's rules in force on ``on``: the latest version that took effect on or before
    it. A county without rules gets version 1 with the defaults (from 2000-01-01), so a county
    always has rules."""
    rules = (
        EligibilityRules.objects.filter(county=county, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )
    return rules or _earliest_or_default(county)


@transaction.atomic
def rules_create(
    *,
    county: Unit,
    by,
    effective_from: dt.date,
    note: str,
    today: dt.date | None = None,
    **numbers,
) -> EligibilityRules:
    """A new version of the county's rules, in force from ``effective_from``. Numbers not given
    are carried over from the latest version. Refused: a unit that is not a county, a date not
    after the latest version's, no note, unknown or out-of-range numbers, or numbers identical
    to the latest version's. A version already in force recomputes the flags at once; a later
    one applies from the first recompute on or after its date."""
    unknown = sorted(set(numbers) - set(NUMBERS))
    if unknown:
        raise ValidationError(
            _("Unknown rule settings: %(names)s.") % {"names": ", ".join(unknown)}
        )
    if county.kind != Unit.Kind.COUNTY:
        raise ValidationError(_("Eligibility rules are set per county."))
    Unit.objects.select_for_update().filter(pk=county.pk).first()  # one new version at a time
    # The county has a version from here on, so the latest exists (``or`` only tells mypy).
    earliest = _earliest_or_default(county)
    latest = EligibilityRules.objects.filter(county=county).order_by("-version").first() or earliest
    errors = {}
    if effective_from is None:
        errors["effective_from"] = _("Give the date the new rules take effect.")
    elif effective_from <= latest.effective_from:
        errors["effective_from"] = _(
            "The new version must take effect after version %(version)s (in force from %(date)s)."
        ) % {"version": latest.version, "date": cn_date(latest.effective_from)}
    if not (note or "").strip():
        errors["note"] = _("Say what changed and why.")
    if errors:
        raise ValidationError(errors)
    values = {name: numbers.get(name, getattr(latest, name)) for name in NUMBERS}
    if all(values[name] == getattr(latest, name) for name in NUMBERS):
        raise ValidationError(
            _("The numbers are the same as version %(version)s: nothing to change.")
            % {"version": latest.version}
        )
    rules = EligibilityRules(
        county=county,
        version=latest.version + 1,
        effective_from=effective_from,
        note=note.strip(),
        created_by=by,
        **values,
    )
    rules.full_clean()
    rules.save()
    today = today or timezone.localdate()
    if rules.effective_from <= today:
        flags_recompute(county=county, on=today)
    return rules


# --- Flags -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Raised:
    """A flag the rules raise on a cadre: what the open flag must look like."""

    kind: str
    years: tuple[int, ...]
    unit_id: int | None
    reason: str


def counted_years(county: Unit, on: dt.date) -> list[int]:
    """The county's locked years that count on ``on`` (see the module's docstring), ascending."""
    years = []
    for year, locked_at in AssessmentYear.objects.filter(
        county=county, grading__stage=GradingPolicy.Stage.LOCKED, year__lte=on.year
    ).values_list("year", "grading__locked_at"):
        if year < on.year or locked_at is None or timezone.localtime(locked_at).date() <= on:
            years.append(year)
    return sorted(years)


def _run(latest: int, count: int, counted: set[int]) -> list[int] | None:
    """The ``count`` calendar years ending with ``latest`` if every one of them is counted."""
    run = list(range(latest - count + 1, latest + 1))
    return run if all(y in counted for y in run) else None


def _at_or_below(order: Sequence[str], value: str, limit: str) -> bool:
    return order.index(value) >= order.index(limit)


def _span(years: list[int]) -> str:
    if len(years) == 1:
        return str(years[0])
    return _("%(first)s–%(last)s") % {"first": years[0], "last": years[-1]}


def _reasons(rules: EligibilityRules):
    """The texts of the flags (called under the site's language)."""
    version = rules.version

    def streak(kind: str, years: list[int]) -> str:
        if kind == Kind.PRIORITY:
            text = _(
                "Priority for promotion: %(years)s 优秀 %(count)s years running "
                "(rules v%(version)s)"
            )
        else:
            text = _(
                "Third-class merit proposed: %(years)s 优秀 %(count)s years running "
                "(rules v%(version)s)"
            )
        return text % {"years": _span(years), "count": len(years), "version": version}

    def low_grades(grades: list[tuple[int, str]]) -> str:
        items = pgettext("list separator", ", ").join(
            _("%(year)s %(grade)s") % {"year": year, "grade": Grade(grade).label}
            for year, grade in grades
        )
        return _("Not promotable: %(grades)s (rules v%(version)s)") % {
            "grades": items,
            "version": version,
        }

    def adjustment(unit_name: str, years: list[int]) -> str:
        return _(
            "Organizational adjustment: %(unit)s %(years)s %(level)s or lower %(count)s years "
            "running (rules v%(version)s)"
        ) % {
            "unit": unit_name,
            "years": _span(years),
            "level": Level(rules.adjustment_level).label,
            "count": len(years),
            "version": version,
        }

    def training(year: int, grade: str) -> str:
        return _("Key training target: %(year)s %(grade)s (rules v%(version)s)") % {
            "year": year,
            "grade": Grade(grade).label,
            "version": version,
        }

    return streak, low_grades, adjustment, training


def _evaluate(county: Unit, rules: EligibilityRules, counted: list[int]):
    """cadre id -> {kind: Raised} for the active cadres of the county's subtree (a few queries,
    none per cadre)."""
    cadres = list(
        Cadre.objects.filter(unit__path__startswith=county.path, is_active=True).values_list(
            "pk", "unit_id", "is_principal"
        )
    )
    raised: dict[int, dict[str, Raised]] = defaultdict(dict)
    if not counted:
        return raised
    latest, counted_set = counted[-1], set(counted)
    window = max(
        rules.priority_years,
        rules.merit_years,
        rules.not_promotable_years,
        rules.adjustment_years,
        1,
    )
    since = latest - window + 1
    grades: dict[int, dict[int, str]] = defaultdict(dict)
    for cadre_id, year, grade in CadreResult.objects.filter(
        year__county=county,
        year__year__in=[y for y in counted if y >= since],
        cadre__unit__path__startswith=county.path,
        cadre__is_active=True,
    ).values_list("cadre_id", "year__year", "grade"):
        grades[cadre_id][year] = grade
    unit_grades: dict[int, dict[int, str]] = defaultdict(dict)
    unit_names: dict[int, str] = {}
    for unit_id, name, year, grade in UnitResult.objects.filter(
        year__county=county,
        year__year__in=[y for y in counted if y >= latest - rules.adjustment_years + 1],
        unit__path__startswith=county.path,
    ).values_list("unit_id", "unit__name", "year__year", "grade"):
        unit_grades[unit_id][year] = grade
        unit_names[unit_id] = name

    streak, low_grades, adjustment, training = _reasons(rules)
    # Units graded low for the consecutive years the rules ask.
    run = _run(latest, rules.adjustment_years, counted_set)
    to_adjust: dict[int, list[int]] = {}
    if run:
        for unit_id, by_year in unit_grades.items():
            if all(
                y in by_year and _at_or_below(LEVEL_ORDER, by_year[y], rules.adjustment_level)
                for y in run
            ):
                to_adjust[unit_id] = run

    for cadre_id, unit_id, is_principal in cadres:
        mine = grades.get(cadre_id, {})
        flags = raised[cadre_id]
        for kind, count in ((Kind.PRIORITY, rules.priority_years), (Kind.MERIT, rules.merit_years)):
            years = _run(latest, count, counted_set)
            if years and all(mine.get(y) == Grade.EXCELLENT for y in years):
                flags[kind] = Raised(kind, tuple(years), None, streak(kind, years))
        looked_at = range(latest - rules.not_promotable_years + 1, latest + 1)
        low = [
            (y, mine[y])
            for y in looked_at
            if y in mine and _at_or_below(GRADE_ORDER, mine[y], rules.not_promotable_grade)
        ]
        if low:
            flags[Kind.NOT_PROMOTABLE] = Raised(
                Kind.NOT_PROMOTABLE, tuple(y for y, _g in low), None, low_grades(low)
            )
        if is_principal and unit_id in to_adjust:
            years = to_adjust[unit_id]
            flags[Kind.ADJUSTMENT] = Raised(
                Kind.ADJUSTMENT, tuple(years), unit_id, adjustment(unit_names[unit_id], years)
            )
        if mine.get(latest) == rules.training_grade:
            flags[Kind.TRAINING] = Raised(
                Kind.TRAINING, (latest,), None, training(latest, rules.training_grade)
            )
    return raised


@transaction.atomic
def flags_recompute(*, county: Unit, on: dt.date | None = None) -> dict[str, int]:
    """Apply the rules in force on ``on`` (default today) to the county's locked years and keep
    the flags in step: a flag still raised with the same reason stays as it is; one no longer
    raised closes (``valid_until = on``); a new or changed one opens (``valid_from = on``).
    Returns the number of flags in force after the recompute, per kind."""
    on = on or timezone.localdate()
    Unit.objects.select_for_update().filter(pk=county.pk).first()  # one recompute at a time
    rules = rules_in_force(county, on)
    counted = counted_years(county, on)
    with translation.override(settings.LANGUAGE_CODE):
        raised = _evaluate(county, rules, counted)

    open_flags = {
        (f.cadre_id, f.kind): f
        for f in EligibilityFlag.objects.filter(valid_until__isnull=True).filter(
            Q(cadre__unit__path__startswith=county.path) | Q(rules__county=county)
        )
    }
    to_close, to_open = [], []
    for cadre_id, flags in raised.items():
        for kind, flag in flags.items():
            current = open_flags.pop((cadre_id, kind), None)
            if (
                current is not None
                and current.reason == flag.reason
                and current.rules_id == rules.pk
                and tuple(current.years) == flag.years
                and current.unit_id == flag.unit_id
            ):
                continue
            if current is not None:
                to_close.append(current)
            to_open.append(
                EligibilityFlag(
                    cadre_id=cadre_id,
                    kind=kind,
                    rules=rules,
                    years=list(flag.years),
                    unit_id=flag.unit_id,
                    reason=flag.reason,
                    valid_from=on,
                )
            )
    to_close.extend(open_flags.values())
    for flag in to_close:
        # A flag opened after ``on`` (a recompute for an earlier date) closes where it opened.
        flag.valid_until = max(on, flag.valid_from)
    EligibilityFlag.objects.bulk_update(to_close, ["valid_until"], batch_size=500)
    EligibilityFlag.objects.bulk_create(to_open, batch_size=500)

    counts = Counter(kind for flags in raised.values() for kind in flags)
    return {kind: counts.get(kind, 0) for kind in Kind.values}
