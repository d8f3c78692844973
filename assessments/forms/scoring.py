"""Forms for the inputs behind scores: mid-term reviews, bonus awards, responsibility letters."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cadres.forms.pickers import UnitChoiceField
from cadres.models import ASSESSED_KINDS, Unit

from ..models import AssessmentYear, Category, Indicator
from ..services.targets import MidtermRow


class MidtermForm(forms.Form):
    score = forms.DecimalField(
        label=_("review score"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    reviewed_on = forms.DateField(
        label=_("reviewed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("note"), required=False, max_length=200)


class BonusAwardForm(forms.Form):
    unit = UnitChoiceField(label=_("unit"), queryset=Unit.objects.none())
    indicator = forms.ModelChoiceField(
        label=_("bonus indicator"), queryset=Indicator.objects.none()
    )
    points = forms.DecimalField(label=_("points"), min_value=0, max_digits=6, decimal_places=2)
    reason = forms.CharField(label=_("honour or reason"), max_length=200)
    awarded_on = forms.DateField(
        label=_("awarded on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, year: AssessmentYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = year.indicators.filter(category=Category.BONUS)
        self.fields["unit"].queryset = Unit.objects.filter(
            path__startswith=year.county.path, kind__in=ASSESSED_KINDS
        ).order_by("path")


class LetterForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    issuer = UnitChoiceField(label=_("issuing unit"), queryset=Unit.objects.none())
    issuer_signatory = forms.CharField(label=_("signed for the issuer by"), max_length=50)
    unit = UnitChoiceField(label=_("responsible unit"), queryset=Unit.objects.none())
    unit_signatory = forms.CharField(label=_("signed for the unit by"), max_length=50)
    signed_on = forms.DateField(
        label=_("signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(label=_("scanned letter (PDF)"), required=False)

    def __init__(self, *args, year: AssessmentYear, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(path__startswith=year.county.path).order_by("path")
        self.fields["issuer"].queryset = units
        self.fields["unit"].queryset = units.filter(kind__in=ASSESSED_KINDS)


class MidtermSheetForm(forms.Form):
    """The mid-term page: every unit's score, date and note in one form, one save. A row left
    without a score is left as it is; a row without a date takes the date above it."""

    reviewed_on = forms.DateField(
        label=_("reviewed on (for rows without a date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    why = forms.CharField(
        label=_("reason for changing scores already entered"),
        required=False,
        max_length=500,
        help_text=_("Needed only when a score already entered changes: it is recorded."),
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self._rows = rows
        self.units = [unit for unit, _review in rows]
        for unit, review in rows:
            self.fields[f"score_{unit.pk}"] = forms.DecimalField(
                label=_("review score"),
                required=False,
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                initial=review.score if review else None,
            )
            self.fields[f"date_{unit.pk}"] = forms.DateField(
                label=_("reviewed on"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                initial=review.reviewed_on if review else None,
            )
            self.fields[f"note_{unit.pk}"] = forms.CharField(
                label=_("note"),
                required=False,
                max_length=200,
                initial=review.note if review else "",
            )

    def lines(self):
        """For the template: (unit, its review, score, date and note fields), per row."""
        reviews = dict(self._rows)
        return [
            (u, reviews[u], self[f"score_{u.pk}"], self[f"date_{u.pk}"], self[f"note_{u.pk}"])
            for u in self.units
        ]

    def rows(self) -> list[MidtermRow]:
        data = self.cleaned_data
        return [
            MidtermRow(
                unit=u,
                score=data[f"score_{u.pk}"],
                reviewed_on=data[f"date_{u.pk}"] or data["reviewed_on"],
                note=data[f"note_{u.pk}"],
            )
            for u in self.units
        ]

    def apply_row_errors(self, error: ValidationError) -> None:
        """A service's problems, each unit's on its row (keyed by the unit's id)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            self.add_error(f"score_{key}" if f"score_{key}" in self.fields else None, errors)
