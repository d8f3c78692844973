"""Consequences of the annual results (结果运用): commendations, merits, admonishment talks,
county-wide notices, rectifications with a deadline (tracked to closure) and organizational
adjustments, each a dated record on the cadre.

When: only for a year whose cadre grades are published, i.e. on public notice or locked. The
grades are public from the notice on and a county acts on them then (an admonishment talk for a
基本称职 often happens during the notice); before the notice a grade is only a proposal and
nothing may follow from it. A record made during the notice stays if a review later changes
the grade: it records what was done; the results-use page then no longer lists it as due.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Cadre
from kaohe.lib.dates import cn_date

from ..models import AssessmentYear, CadreResult, Consequence, EligibilityFlag, GradingPolicy

Kind = Consequence.Kind

# The flag a consequence may answer: a merit answers a merit proposal, an adjustment the
# adjustment flag. Other kinds follow from the year's grade, not from a flag.
FLAG_FOR_KIND: dict[str, str] = {
    Kind.MERIT: EligibilityFlag.Kind.MERIT,
    Kind.ADJUSTMENT: EligibilityFlag.Kind.ADJUSTMENT,
}

__all__ = ["FLAG_FOR_KIND", "consequence_record", "rectification_close"]


def _published(year: AssessmentYear) -> bool:
    return GradingPolicy.objects.filter(year=year, stage__in=GradingPolicy.PUBLISHED).exists()


def _in_county(cadre: Cadre, year: AssessmentYear) -> bool:
    return (
        CadreResult.objects.filter(year=year, cadre=cadre).exists()
        or Cadre.objects.filter(pk=cadre.pk, unit__path__startswith=year.county.path).exists()
    )


@transaction.atomic
def consequence_record(
    *,
    cadre: Cadre,
    year: AssessmentYear,
    kind: str,
    by,
    decided_on: dt.date,
    summary: str,
    document_no: str = "",
    talked_by: str = "",
    deadline: dt.date | None = None,
    result: CadreResult | None = None,
    flag: EligibilityFlag | None = None,
) -> Consequence:
    """Record what followed a cadre's result for ``year``.

    Refused (nothing written): a year whose grades are not published; a cadre outside the
    year's county; an unknown kind; a decision date in the future or before the assessment
    year; an empty summary; an admonishment without who gave the talk; a rectification
    without a deadline, a deadline before the decision, or a deadline on any other kind; a
    result of another cadre or year; a flag of another cadre, of the wrong kind or no longer
    open; the same kind twice for the cadre and year (a rectification: while one is open).
    Without ``result`` the cadre's result of the year, if any, is linked.
    """
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown kind of consequence.")})
    if not _published(year):
        raise ValidationError(
            _("The %(year)s grades are not published yet: nothing can follow from them.")
            % {"year": year.year}
        )
    if not _in_county(cadre, year):
        raise ValidationError(_("This cadre is not assessed in the year's county."))
    errors: dict[str, str] = {}
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The date cannot be in the future.")
    elif decided_on < dt.date(year.year, 1, 1):
        errors["decided_on"] = _("The date is before the assessment year %(year)s.") % {
            "year": year.year
        }
    summary, talked_by, document_no = summary.strip(), talked_by.strip(), document_no.strip()
    if not summary:
        errors["summary"] = _("Say what was decided.")
    if kind == Kind.ADMONISHMENT and not talked_by:
        errors["talked_by"] = _("Name who gave the admonishment talk.")
    if kind == Kind.RECTIFICATION:
        if deadline is None:
            errors["deadline"] = _("A rectification needs a deadline.")
        elif deadline < decided_on:
            errors["deadline"] = _("The deadline cannot be before the decision.")
    elif deadline is not None:
        errors["deadline"] = _("Only a rectification has a deadline.")
    if result is not None and (result.cadre_id != cadre.pk or result.year_id != year.pk):
        errors["result"] = _("This result is not the cadre's result of the year.")
    if flag is not None:
        if flag.cadre_id != cadre.pk:
            errors["flag"] = _("This flag is not the cadre's.")
        elif FLAG_FOR_KIND.get(kind) != flag.kind:
            errors["flag"] = _("This flag does not lead to this kind of consequence.")
        elif flag.valid_until is not None:
            errors["flag"] = _("This flag is no longer open.")
    if errors:
        raise ValidationError(errors)
    same = Consequence.objects.select_for_update().filter(cadre=cadre, year=year, kind=kind)
    if kind == Kind.RECTIFICATION:
        if same.filter(closed_on__isnull=True).exists():
            raise ValidationError(
                _("The cadre already has an open rectification for %(year)s: close it first.")
                % {"year": year.year}
            )
    elif same.exists():
        raise ValidationError(
            _("%(kind)s is already recorded for this cadre and %(year)s.")
            % {"kind": Kind(kind).label, "year": year.year}
        )
    if result is None:
        result = CadreResult.objects.filter(year=year, cadre=cadre).first()
    consequence = Consequence(
        cadre=cadre,
        year=year,
        kind=kind,
        decided_on=decided_on,
        summary=summary,
        document_no=document_no,
        talked_by=talked_by,
        deadline=deadline,
        result=result,
        flag=flag,
        recorded_by=by,
    )
    consequence.full_clean()
    consequence.save()
    return consequence


@transaction.atomic
def rectification_close(
    *, consequence: Consequence, closed_on: dt.date, closing_note: str, by
) -> Consequence:
    """Close a rectification once, with how it was put right. Refused for other kinds, for a
    closed one, for a date before the decision or in the future, and without a note."""
    item = Consequence.objects.select_for_update().get(pk=consequence.pk)
    if item.kind != Kind.RECTIFICATION:
        raise ValidationError(_("Only a rectification is closed."))
    if item.closed_on is not None:
        raise ValidationError(
            _("This rectification was already closed on %(date)s.")
            % {"date": cn_date(item.closed_on)}
        )
    errors: dict[str, str] = {}
    if closed_on < item.decided_on:
        errors["closed_on"] = _("It cannot be closed before it was decided (%(date)s).") % {
            "date": cn_date(item.decided_on)
        }
    elif closed_on > timezone.localdate():
        errors["closed_on"] = _("The date cannot be in the future.")
    if not closing_note.strip():
        errors["closing_note"] = _("Record how it was put right.")
    if errors:
        raise ValidationError(errors)
    item.closed_on, item.closing_note = closed_on, closing_note.strip()
    item.full_clean()
    item.save(update_fields=["closed_on", "closing_note"])
    return item
