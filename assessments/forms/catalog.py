"""Forms for the catalog: years, weights and indicators."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.models import ASSESSED_KINDS, Unit

from ..models import AssessmentYear, Category, CategoryWeights, Indicator


class YearForm(forms.ModelForm):
    class Meta:
        model = AssessmentYear
        fields = [
            "county",
            "year",
            "title",
            "bonus_cap",
            "grade_good_min",
            "grade_fair_min",
            "grade_average_min",
            "report_deadline_day",
        ]

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["county"]
            del self.fields["year"]
        elif counties is not None:
            self.fields["county"].queryset = counties
            if counties.count() == 1:
                self.fields["county"].initial = counties.first()


class YearStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("new status"), choices=AssessmentYear.Status.choices)


class CopyCatalogForm(forms.Form):
    source = forms.ModelChoiceField(label=_("copy from"), queryset=AssessmentYear.objects.none())

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources


class WeightsForm(forms.ModelForm):
    """One row of the weights table: the three thirds for one unit kind."""

    class Meta:
        model = CategoryWeights
        fields = ["party", "industry", "tasks"]
        widgets = {
            name: forms.NumberInput(attrs={"min": 0, "max": 100, "class": "form-control"})
            for name in ("party", "industry", "tasks")
        }

    def clean(self):
        data = super().clean()
        values = [data.get(n) for n in ("party", "industry", "tasks")]
        if None not in values and sum(values) != 100:
            raise forms.ValidationError(
                _("The three weights add up to %(sum)s; they must add up to exactly 100."),
                params={"sum": sum(values)},
            )
        return data


def weights_forms(year: AssessmentYear, data=None) -> list[tuple[str, str, WeightsForm]]:
    """A weights form per assessed unit kind, prefilled with the saved weights."""
    saved = {w.unit_kind: w for w in year.weights.all()}
    rows = []
    for kind in ASSESSED_KINDS:
        instance = saved.get(kind) or CategoryWeights(year=year, unit_kind=kind)
        rows.append(
            (kind, Unit.Kind(kind).label, WeightsForm(data, instance=instance, prefix=kind))
        )
    return rows


class IndicatorForm(forms.ModelForm):
    unit_kinds = forms.MultipleChoiceField(
        label=_("applicable unit kinds"),
        choices=[(k, Unit.Kind(k).label) for k in ASSESSED_KINDS],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Indicator
        fields = [
            "category",
            "parent",
            "code",
            "name",
            "description",
            "max_points",
            "method",
            "unit_kinds",
            "lead_department",
            "is_veto",
            "sort_order",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, year: AssessmentYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.year = year
        parents = year.indicators.order_by("sort_order", "code")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["lead_department"].queryset = Unit.objects.filter(
            kind=Unit.Kind.DEPARTMENT, path__startswith=year.county.path
        ).order_by("path")
        self.fields["category"].choices = Category.choices
