"""Reads for corrections: the inputs the office may correct (each kind's scope rule, with what
its correction page shows) and the history of corrections a scorecard and a year show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import FileField, Model, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cadres.models import Cadre, Unit

from ..models import (
    AssessmentYear,
    BonusAward,
    Decision,
    Finding,
    InputChange,
    Inspection,
    MidtermReview,
    ResponsibilityLetter,
)
from .catalog import years_for

Kind = InputChange.Kind

MODELS: dict[str, type[Model]] = {
    Kind.INSPECTION: Inspection,
    Kind.FINDING: Finding,
    Kind.BONUS: BonusAward,
    Kind.DECISION: Decision,
    Kind.MIDTERM: MidtermReview,
    Kind.LETTER: ResponsibilityLetter,
}


# ---- scope: what a user may open to correct (the views ask for write access) ------------------


def findings_for(user) -> QuerySet[Finding]:
    return Finding.objects.filter(inspection__year__in=years_for(user)).select_related(
        "inspection", "inspection__year", "inspection__year__county", "unit", "indicator", "cadre"
    )


def bonus_awards_for(user) -> QuerySet[BonusAward]:
    return BonusAward.objects.filter(year__in=years_for(user)).select_related(
        "year", "year__county", "unit", "indicator"
    )


def decisions_for(user) -> QuerySet[Decision]:
    return Decision.objects.filter(target__year__in=years_for(user)).select_related(
        "target",
        "target__year",
        "target__year__county",
        "target__unit",
        "target__indicator",
        "decided_by",
    )


def midterms_for(user) -> QuerySet[MidtermReview]:
    return MidtermReview.objects.filter(year__in=years_for(user)).select_related(
        "year", "year__county", "unit"
    )


def letters_for_office(user) -> QuerySet[ResponsibilityLetter]:
    return ResponsibilityLetter.objects.filter(year__in=years_for(user)).select_related(
        "year", "year__county", "issuer", "unit"
    )


@dataclass
class ChangeLine:
    label: str
    before: str
    after: str


def _label(meta, name: str) -> str:
    field = meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


# ---- what an input holds, as the record keeps it --------------------------------------------


def _text(obj: Model, name: str) -> str:
    """A field's value as the record keeps it: the words a page showed."""
    field = obj._meta.get_field(name)
    if field.many_to_many:
        return "、".join(o.name for o in getattr(obj, name).all())
    value = getattr(obj, name)
    if value is None or value == "":
        return ""
    if getattr(field, "choices", None):
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.date):
        return date_format(value, "Y年n月j日")
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(field, FileField):
        return value.name.rsplit("/", 1)[-1]
    if isinstance(value, Unit | Cadre):
        return value.name
    return str(value)


def snapshot(obj: Model, fields: Iterable[str]) -> dict[str, str]:
    return {name: _text(obj, name) for name in fields}


def input_label(obj: Model) -> str:
    """What a record calls an input: its own words, an inspection's date in Chinese."""
    if isinstance(obj, Inspection):
        return f"{date_format(obj.held_on, 'Y年n月j日')} {obj.title}"
    return str(obj)


def object_lines(obj: Model, fields: Iterable[str]) -> list[ChangeLine]:
    """What an input holds now, labelled (the withdrawal page shows it)."""
    meta = obj._meta
    return [
        ChangeLine(_label(meta, name), value, "")
        for name, value in snapshot(obj, fields).items()
        if value
    ]


# ---- history -----------------------------------------------------------------------------------


def change_lines(change: InputChange) -> list[ChangeLine]:
    """The fields of a change, labelled: for a correction those that changed, for a
    withdrawal everything it held."""
    meta = MODELS[change.kind]._meta
    lines = []
    for name, before in change.before.items():
        after = change.after.get(name, "")
        if change.action == InputChange.Action.CORRECTED and before == after:
            continue
        if change.action == InputChange.Action.WITHDRAWN and not before:
            continue
        lines.append(ChangeLine(_label(meta, name), before, after))
    return lines


def with_lines(changes: QuerySet[InputChange]) -> list[InputChange]:
    rows = list(changes.select_related("changed_by"))
    for change in rows:
        change.lines = change_lines(change)  # type: ignore[attr-defined]
    return rows


def unit_changes(year: AssessmentYear, unit: Unit) -> list[InputChange]:
    """Corrections and withdrawals of the inputs behind a unit's score, newest first."""
    return with_lines(InputChange.objects.filter(year=year, units=unit))


def year_changes(year: AssessmentYear) -> list[InputChange]:
    """Every correction of the year, newest first, with the units concerned."""
    return with_lines(InputChange.objects.filter(year=year).prefetch_related("units"))
