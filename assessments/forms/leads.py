"""Forms for lead assessing departments: a deduction entry and its withdrawal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Level
from ..services.progress import EVIDENCE_TYPES


class DeductionForm(forms.Form):
    occurred_on = forms.DateField(
        label=_("date of the case"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    points = forms.DecimalField(
        label=_("points deducted"), min_value=0, max_digits=6, decimal_places=2
    )
    reason = forms.CharField(label=_("reason for the deduction"), max_length=2000)
    source = forms.CharField(label=_("source"), max_length=200, required=False)
    vetoes = forms.BooleanField(label=_("triggers the one-vote veto"), required=False)
    attachment = forms.FileField(label=_("attachment"), required=False)

    def __init__(self, *args, veto: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not veto:
            del self.fields["vetoes"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason for the withdrawal"), max_length=2000)


class SheetRowForm(forms.Form):
    level = forms.ChoiceField(label=_("level"), choices=[("", "—"), *Level.choices], required=False)
    points = forms.DecimalField(
        label=_("points"), min_value=0, max_digits=6, decimal_places=2, required=False
    )
    reason = forms.CharField(label=_("reason"), max_length=2000)
    attachment = forms.FileField(
        label=_("attachment"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EVIDENCE_TYPES)}),
    )


class WindowForm(forms.Form):
    opens_on = forms.DateField(
        label=_("opens on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    closes_on = forms.DateField(
        label=_("closes on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
