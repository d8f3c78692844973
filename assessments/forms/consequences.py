"""Forms of the results-use pages. The services hold the rules; these parse input and limit the
cadres and flags to those of the year's county."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.forms.pickers import CadreChoiceField
from cadres.models import Cadre

from ..models import AssessmentYear, Consequence, EligibilityFlag

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsequenceForm(forms.Form):
    cadre = CadreChoiceField(label=_("cadre"), queryset=Cadre.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=Consequence.Kind.choices)
    decided_on = forms.DateField(label=_("date"), widget=DATE)
    summary = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 2}))
    document_no = forms.CharField(label=_("document number"), max_length=60, required=False)
    talked_by = forms.CharField(label=_("talk given by"), max_length=100, required=False)
    deadline = forms.DateField(label=_("deadline"), widget=DATE, required=False)
    flag = forms.ModelChoiceField(
        label=_("eligibility flag"), queryset=EligibilityFlag.objects.none(), required=False
    )

    def __init__(self, *args, year: AssessmentYear, **kwargs):
        super().__init__(*args, **kwargs)
        county = year.county.path
        self.fields["cadre"].queryset = Cadre.objects.filter(
            Q(unit__path__startswith=county) | Q(results__year=year)
        ).distinct()
        self.fields["flag"].queryset = EligibilityFlag.objects.filter(
            cadre__unit__path__startswith=county
        )


RECTIFICATION_STATUS = [
    ("", _("all rectifications")),
    ("open", _("Open")),
    ("overdue", _("Overdue")),
    ("closed", _("Closed")),
]


class RectificationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=RECTIFICATION_STATUS, required=False)


class RectificationCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("closed on"), widget=DATE)
    closing_note = forms.CharField(
        label=_("how it was closed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the cadre put right, and how the office checked it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("closed_on", timezone.localdate())
