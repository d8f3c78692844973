"""Forms of the integrity archive. The services hold the rules; forms only parse input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import IntegrityEntry, IntegrityReadLog, Sanction
from ..services.integrity import STATUS_FLOW

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EntryForm(forms.ModelForm):
    class Meta:
        model = IntegrityEntry
        fields = ["source", "received_on", "summary"]
        widgets = {"received_on": DATE, "summary": forms.Textarea(attrs={"rows": 5})}


class ReporterForm(forms.Form):
    """Who reported. Every field is optional here: a report may be anonymous; the service
    asks for a name or a contact when a reporter is given."""

    name = forms.CharField(label=_("reporter's name"), max_length=50, required=False)
    contact = forms.CharField(label=_("reporter's contact"), max_length=100, required=False)
    note = forms.CharField(
        label=_("note on the reporter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EntryStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("new status"))
    verified_on = forms.DateField(label=_("verification concluded on"), required=False, widget=DATE)
    conclusion = forms.CharField(
        label=_("conclusion"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for verified, partly verified and unfounded."),
    )

    def __init__(self, *args, entry: IntegrityEntry, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(IntegrityEntry.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in STATUS_FLOW[entry.status]]


class SanctionForm(forms.ModelForm):
    class Meta:
        model = Sanction
        fields = ["kind", "decided_on", "in_force_from", "in_force_until", "entry", "note"]
        widgets = {
            "decided_on": DATE,
            "in_force_from": DATE,
            "in_force_until": DATE,
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "in_force_until": _("Leave empty while it is in force until further notice."),
            "entry": _("Only verified or partly verified entries of this cadre."),
        }

    def __init__(self, *args, cadre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = IntegrityEntry.objects.filter(
            cadre=cadre, status__in=IntegrityEntry.VIOLATION
        ).order_by("-verified_on", "-pk")


class ReadLogFilterForm(forms.Form):
    q = forms.CharField(label=_("cadre"), required=False)
    action = forms.ChoiceField(
        label=_("what was read"),
        required=False,
        choices=[("", _("all reads"))] + IntegrityReadLog.Action.choices,
    )
    cadre = forms.IntegerField(required=False, widget=forms.HiddenInput)
