from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.models import ASSESSED_KINDS, Unit

from .models import AssessmentYear, Category, CategoryWeights, Indicator, Level


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


class TargetAssignForm(forms.Form):
    """Assign an indicator to every unit of some kinds, or to one unit."""

    indicator = forms.ModelChoiceField(label=_("indicator"), queryset=Indicator.objects.none())
    unit_kinds = forms.MultipleChoiceField(
        label=_("to every unit of these kinds"),
        required=False,
        choices=[(k, Unit.Kind(k).label) for k in ASSESSED_KINDS],
        widget=forms.CheckboxSelectMultiple,
    )
    unit = forms.ModelChoiceField(
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
