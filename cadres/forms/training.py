"""Forms of the training pages. The services hold the rules; these parse input and limit the
cadres to those the user may see."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Cadre, TrainingAssignment
from .pickers import CadreChoiceField

Kind = TrainingAssignment.Kind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TrainingForm(forms.Form):
    cadre = CadreChoiceField(label=_("cadre"), queryset=Cadre.objects.none())
    kind = forms.ChoiceField(label=_("kind"), choices=TrainingAssignment.Kind.choices)
    place = forms.CharField(
        label=_("where"),
        max_length=120,
        required=False,
        help_text=_("Required for a secondment (where to) and a first secretary (the village)."),
    )
    purpose = forms.CharField(
        label=_("purpose"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    started_on = forms.DateField(label=_("from"), widget=DATE)
    ended_on = forms.DateField(
        label=_("until"), widget=DATE, required=False, help_text=_("Leave empty while it lasts.")
    )

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadres.filter(is_active=True).select_related("unit")
        if not self.is_bound:
            self.initial.setdefault("started_on", timezone.localdate())


class TrainingEndForm(forms.Form):
    ended_on = forms.DateField(label=_("until"), widget=DATE)


STATUS = [("", _("current and past")), ("current", _("current")), ("past", _("past"))]


class TrainingFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"),
        required=False,
        choices=[
            ("", _("all kinds")),
            *[(k, label) for k, label in Kind.choices if k != Kind.KEY_TRAINING],
        ],
    )
    status = forms.ChoiceField(label=_("status"), choices=STATUS, required=False)
    on = forms.DateField(label=_("under way on"), widget=DATE, required=False)
