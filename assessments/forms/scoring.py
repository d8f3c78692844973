"""Forms for the inputs behind scores: mid-term reviews, bonus awards, responsibility letters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.models import ASSESSED_KINDS, Unit

from ..models import AssessmentYear, Category, Indicator


class MidtermForm(forms.Form):
    score = forms.DecimalField(
        label=_("review score"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    reviewed_on = forms.DateField(
        label=_("reviewed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("note"), required=False, max_length=200)


class BonusAwardForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=Unit.objects.none())
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
    issuer = forms.ModelChoiceField(label=_("issuing unit"), queryset=Unit.objects.none())
    issuer_signatory = forms.CharField(label=_("signed for the issuer by"), max_length=50)
    unit = forms.ModelChoiceField(label=_("responsible unit"), queryset=Unit.objects.none())
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
