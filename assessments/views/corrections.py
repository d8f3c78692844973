"""Corrections: the office corrects or withdraws an inspection, finding, bonus award,
decision, mid-term review or responsibility letter, with a reason, until the year's results are
published; and the year's record of corrections. One correction page and one withdrawal page
serve every kind, described by an ``Input``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from cadres.models import Role
from cadres.scope import STAFF_ROLES, cadres_for, get_for_user, role_required
from kaohe.lib.forms import apply_errors

from .. import services
from ..forms import corrections as forms
from ..models import InputChange
from ..selectors import corrections as selectors
from ..selectors import inspections as inspection_selectors
from ..selectors.catalog import year_detail
from ..services.corrections import results_published

Kind = InputChange.Kind


def _inspection_form_kwargs(request, obj) -> dict:
    cadres = cadres_for(request.user).filter(unit__path__startswith=obj.year.county.path)
    units = inspection_selectors.assessable_units(request.user, obj.year)
    return {"units": units, "cadres": cadres}


@dataclass(frozen=True)
class Input:
    """One kind of input: where it is found, its form, its services, where it is shown."""

    kind: str
    in_scope: Callable
    keyword: str  # the services' name for it
    form: type
    fields: tuple[str, ...]
    year: Callable
    page: Callable[..., str]  # the page that shows it (after a correction)
    after_withdraw: Callable[..., str]
    form_kwargs: Callable[..., dict] = field(default=lambda request, obj: {})

    def correct(self, obj, **data):
        return getattr(services, f"{self.kind}_correct")(**{self.keyword: obj}, **data)

    def withdraw(self, obj, **data):
        return getattr(services, f"{self.kind}_withdraw")(**{self.keyword: obj}, **data)


def _url(name, attr=None, anchor=""):
    def url(obj):
        target = obj
        for part in (attr or "").split(".") if attr else ():
            target = getattr(target, part)
        return reverse(f"assessments:{name}", args=[target.pk]) + anchor

    return url


INPUTS = {
    Kind.INSPECTION: Input(
        Kind.INSPECTION,
        inspection_selectors.inspection_detail,
        "inspection",
        forms.InspectionCorrectForm,
        ("kind", "title", "held_on", "inspectors", "units", "cadres", "summary"),
        lambda o: o.year,
        _url("inspection_detail"),
        _url("inspection_list", "year"),
        _inspection_form_kwargs,
    ),
    Kind.FINDING: Input(
        Kind.FINDING,
        selectors.findings_for,
        "finding",
        forms.FindingCorrectForm,
        ("unit", "indicator", "points", "vetoes", "cadre", "description"),
        lambda o: o.inspection.year,
        _url("inspection_detail", "inspection", "#findings"),
        _url("inspection_detail", "inspection", "#findings"),
        lambda request, o: {
            "inspection": o.inspection,
            "indicators": inspection_selectors.finding_indicators(o.inspection.year),
        },
    ),
    Kind.BONUS: Input(
        Kind.BONUS,
        selectors.bonus_awards_for,
        "award",
        forms.BonusCorrectForm,
        ("unit", "indicator", "points", "reason", "awarded_on"),
        lambda o: o.year,
        _url("bonus_list", "year"),
        _url("bonus_list", "year"),
        lambda request, o: {"year": o.year},
    ),
    Kind.DECISION: Input(
        Kind.DECISION,
        selectors.decisions_for,
        "decision",
        forms.DecisionCorrectForm,
        ("level", "points", "reason"),
        lambda o: o.target.year,
        _url("target_detail", "target"),
        _url("target_detail", "target"),
        lambda request, o: {"target": o.target},
    ),
    Kind.MIDTERM: Input(
        Kind.MIDTERM,
        selectors.midterms_for,
        "review",
        forms.MidtermCorrectForm,
        ("score", "reviewed_on", "note"),
        lambda o: o.year,
        _url("midterm", "year"),
        _url("midterm", "year"),
    ),
    Kind.LETTER: Input(
        Kind.LETTER,
        selectors.letters_for_office,
        "letter",
        forms.LetterCorrectForm,
        ("title", "issuer", "issuer_signatory", "unit", "unit_signatory", "signed_on"),
        lambda o: o.year,
        _url("letter_list", "year"),
        _url("letter_list", "year"),
        lambda request, o: {"year": o.year},
    ),
}


def _context(spec: Input, obj, form) -> dict:
    year = spec.year(obj)
    history = InputChange.objects.filter(kind=spec.kind, object_id=obj.pk)
    return {
        "obj": obj,
        "label": selectors.input_label(obj),
        "kind": Kind(spec.kind).label,
        "year": year,
        "form": form,
        "back": spec.page(obj),
        "published": results_published(year),
        "changes": selectors.with_lines(history),
        "findings": obj.findings.count() if spec.kind == Kind.INSPECTION else 0,
    }


@role_required(Role.OFFICE, write=True)
def correct(request, pk, kind):
    spec = INPUTS[kind]
    obj = get_for_user(request, spec.in_scope, pk, write=True)
    initial = model_to_dict(obj, spec.fields)
    form = spec.form(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        **spec.form_kwargs(request, obj),
    )
    if request.method == "POST" and form.is_valid():
        try:
            spec.correct(obj, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Corrected and recorded; the scores are recomputed."))
            return redirect(spec.page(obj))
    if form.is_bound:  # a refused correction may have changed the object in memory only
        obj = get_for_user(request, spec.in_scope, pk)
    return render(request, "assessments/corrections/correct.html", _context(spec, obj, form))


@role_required(Role.OFFICE, write=True)
def withdraw(request, pk, kind):
    spec = INPUTS[kind]
    obj = get_for_user(request, spec.in_scope, pk, write=True)
    form = forms.WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        after = spec.after_withdraw(obj)
        try:
            spec.withdraw(obj, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Withdrawn and recorded; the scores are recomputed."))
            return redirect(after)
    context = _context(spec, obj, form)
    context["before"] = selectors.object_lines(obj, spec.fields)
    return render(request, "assessments/corrections/withdraw.html", context)


@role_required(*STAFF_ROLES)
def change_list(request, pk):
    """The year's record of corrections and withdrawals."""
    year = get_for_user(request, year_detail, pk)
    return render(
        request,
        "assessments/corrections/change_list.html",
        {"year": year, "changes": selectors.year_changes(year)},
    )


PREFIX = {
    Kind.INSPECTION: "inspections",
    Kind.FINDING: "findings",
    Kind.BONUS: "bonus",
    Kind.DECISION: "decisions",
    Kind.MIDTERM: "midterm",
    Kind.LETTER: "letters",
}

urlpatterns = [
    path("years/<int:pk>/corrections/", change_list, name="change_list"),
    *(
        path(f"{prefix}/<int:pk>/{verb}/", view, {"kind": kind}, name=f"{kind}_{verb}")
        for kind, prefix in PREFIX.items()
        for verb, view in (("correct", correct), ("withdraw", withdraw))
    ),
]
