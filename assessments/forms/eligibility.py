"""Forms of the eligibility pages: a new version of the rules, the selection list's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.models import ASSESSED_KINDS, Unit

from ..models import EligibilityFlag, EligibilityRules


class RulesForm(forms.ModelForm):
    """A new version of a county's rules (the version number and the county are the
    service's)."""

    class Meta:
        model = EligibilityRules
        fields = [
            "effective_from",
            "priority_years",
            "merit_years",
            "not_promotable_years",
            "not_promotable_grade",
            "adjustment_years",
            "adjustment_level",
            "training_grade",
            "note",
        ]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True
        for name in ("priority_years", "merit_years", "not_promotable_years", "adjustment_years"):
            self.fields[name].widget.attrs.update({"min": 1, "max": 10})


class SelectionFilterForm(forms.Form):
    """The selection list's filters. Units are given (already loaded for the select box)."""

    on = forms.DateField(
        label=_("on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(
        label=_("flag"),
        required=False,
        choices=[("", _("all flags")), *EligibilityFlag.Kind.choices],
    )
    unit_kind = forms.ChoiceField(
        label=_("unit kind"),
        required=False,
        choices=[("", _("all unit kinds"))]
        + [(k, label) for k, label in Unit.Kind.choices if k in ASSESSED_KINDS],
    )
    unit = forms.TypedChoiceField(label=_("unit"), required=False, coerce=int, empty_value=None)
    q = forms.CharField(label=_("name or number"), required=False, max_length=50)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("all units"))] + [(u.pk, u.name) for u in units]
