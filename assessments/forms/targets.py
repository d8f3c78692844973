"""Forms for targets: assignment, editing, milestones and decisions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.forms.pickers import UnitChoiceField, picker_attrs
from cadres.models import ASSESSED_KINDS, Unit

from ..models import AssessmentYear, Category, Indicator, Level
from ..services.targets import GridRow


class TargetAssignForm(forms.Form):
    """Assign an indicator to every unit of some kinds, or to one unit."""

    indicator = forms.ModelChoiceField(label=_("indicator"), queryset=Indicator.objects.none())
    unit_kinds = forms.MultipleChoiceField(
        label=_("to every unit of these kinds"),
        required=False,
        choices=[(k, Unit.Kind(k).label) for k in ASSESSED_KINDS],
        widget=forms.CheckboxSelectMultiple,
    )
    unit = UnitChoiceField(
        label=_("or to this unit only"), required=False, queryset=Unit.objects.none()
    )
    target_value = forms.DecimalField(
        label=_("target value"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    measure = forms.CharField(label=_("measure"), required=False, max_length=20)
    deadline = forms.DateField(
        label=_("deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, year: AssessmentYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = (
            year.indicators.filter(children__isnull=True)
            .exclude(category=Category.BONUS)
            .order_by("sort_order", "code")
        )
        self.fields["unit"].queryset = Unit.objects.filter(
            path__startswith=year.county.path, kind__in=ASSESSED_KINDS
        ).order_by("path")

    def clean(self):
        data = super().clean()
        if not data.get("unit_kinds") and not data.get("unit"):
            raise forms.ValidationError(_("Choose unit kinds, or one unit."))
        if data.get("unit_kinds") and data.get("unit"):
            raise forms.ValidationError(_("Choose either unit kinds or one unit, not both."))
        return data


class TargetForm(forms.Form):
    target_value = forms.DecimalField(
        label=_("target value"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    measure = forms.CharField(label=_("measure"), required=False, max_length=20)
    deadline = forms.DateField(
        label=_("deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("note"), required=False, max_length=200)


class MilestonesForm(forms.Form):
    """Twelve cumulative monthly values; empty months have no milestone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for month in range(1, 13):
            self.fields[f"m{month}"] = forms.DecimalField(
                label=_("%(month)s月") % {"month": month},
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
            )

    def planned(self) -> dict:
        return {m: self.cleaned_data.get(f"m{m}") for m in range(1, 13)}


class DecisionForm(forms.Form):
    level = forms.ChoiceField(label=_("level"), required=False, choices=[("", "—"), *Level.choices])
    points = forms.DecimalField(label=_("points"), required=False, max_digits=6, decimal_places=2)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class GridPickForm(forms.Form):
    """Which indicator the assignment grid shows."""

    indicator = forms.ModelChoiceField(
        label=_("indicator"),
        queryset=Indicator.objects.none(),
        widget=forms.Select(attrs=picker_attrs()),
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators


class TargetGridForm(forms.Form):
    """One indicator for many units: per unit a tick (assign) and its own target value; the
    measure and deadline of the new targets once, above the grid."""

    measure = forms.CharField(label=_("measure"), required=False, max_length=20)
    deadline = forms.DateField(
        label=_("deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self._rows = rows
        for unit, target in rows:
            self.fields[f"assign_{unit.pk}"] = forms.BooleanField(
                label=_("assign"), required=False, initial=target is not None
            )
            self.fields[f"value_{unit.pk}"] = forms.DecimalField(
                label=_("target value"),
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=target.target_value if target else None,
            )

    def lines(self):
        """For the template: (unit, its target, assign field, value field), per row."""
        return [(u, t, self[f"assign_{u.pk}"], self[f"value_{u.pk}"]) for u, t in self._rows]

    def rows(self) -> list[GridRow]:
        data = self.cleaned_data
        return [
            GridRow(unit=u, assign=data[f"assign_{u.pk}"], target_value=data[f"value_{u.pk}"])
            for u, _t in self._rows
        ]

    def apply_row_errors(self, error) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            self.add_error(f"value_{key}" if f"value_{key}" in self.fields else None, errors)
