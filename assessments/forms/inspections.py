"""Forms of the four checks (四查) pages. The services hold the rules; these forms parse input
and limit the choices to what the user may pick."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.forms.pickers import (
    CadreChoiceField,
    CadresChoiceField,
    UnitChoiceField,
    UnitsChoiceField,
    picker_attrs,
)
from cadres.models import Cadre, Unit

from ..models import Indicator, Inspection, Rectification

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IndicatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        label = f"{obj.code} {obj.name}（{obj.max_points:.2f}）"
        return f"{label} · {_('one-vote veto')}" if obj.is_veto else label


def _cadres(queryset):
    return queryset.select_related("unit").order_by(
        "unit__path", "-is_principal", "-is_leading", "number"
    )


class InspectionForm(forms.Form):
    """A new inspection: the service checks that the cadres belong to the units checked."""

    kind = forms.ChoiceField(label=_("kind"), choices=Inspection.Kind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    held_on = forms.DateField(label=_("date"), widget=DATE)
    inspectors = forms.CharField(
        label=_("inspectors"),
        max_length=200,
        help_text=_(
            "Who carried out the check, e.g. the assessment office and supervision office."
        ),
    )
    units = UnitsChoiceField(
        label=_("units checked"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs=picker_attrs(**{"class": "form-check-input"})),
    )
    cadres = CadresChoiceField(
        label=_("cadres checked"),
        queryset=Cadre.objects.none(),
        required=False,
        help_text=_("Optional. Only cadres of the units checked; hold Ctrl to pick several."),
    )
    summary = forms.CharField(
        label=_("summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, units, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["cadres"].queryset = _cadres(cadres)


class FindingForm(forms.Form):
    """A finding at one of the inspection's units; its field names are the service's."""

    unit = UnitChoiceField(label=_("unit"), queryset=Unit.objects.none())
    indicator = IndicatorChoice(
        label=_("indicator"),
        queryset=Indicator.objects.none(),
        required=False,
        help_text=_("Needed for points or a veto: the unit must have a target on it."),
    )
    points = forms.DecimalField(
        label=_("points (+ added, − deducted)"),
        max_digits=6,
        decimal_places=2,
        required=False,
        initial=0,
        help_text=_("Negative deducts; the indicator stays between 0 and its maximum."),
    )
    vetoes = forms.BooleanField(
        label=_("fails the one-vote veto"),
        required=False,
        help_text=_("Only on a one-vote-veto indicator: caps the unit's grade at 一般."),
    )
    cadre = CadreChoiceField(
        label=_("cadre concerned"), queryset=Cadre.objects.none(), required=False
    )
    description = forms.CharField(label=_("finding"), widget=forms.Textarea(attrs={"rows": 3}))
    rectify = forms.CharField(
        label=_("what to rectify"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: opens a rectification item for the unit."),
    )
    rectify_by = forms.DateField(label=_("rectification deadline"), required=False, widget=DATE)

    def __init__(self, *args, inspection: Inspection, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        units = inspection.units.order_by("path")
        self.fields["unit"].queryset = units
        self.fields["indicator"].queryset = indicators
        self.fields["cadre"].queryset = _cadres(Cadre.objects.filter(unit__in=units))

    def clean_points(self):
        return self.cleaned_data.get("points") or 0


class RectificationCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("closed on"), widget=DATE)
    closing_note = forms.CharField(
        label=_("closing record"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the item was put right, and the evidence seen."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("closed_on", timezone.localdate())


class InspectionFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", _("all kinds")), *Inspection.Kind.choices], required=False
    )
    unit = UnitChoiceField(
        label=_("unit"), queryset=Unit.objects.none(), required=False, empty_label=_("all units")
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


RECTIFICATION_STATUS = [
    ("", _("all items")),
    (Rectification.Status.OPEN, _("Open")),
    ("overdue", _("Overdue")),
    (Rectification.Status.CLOSED, _("Closed")),
]


class RectificationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=RECTIFICATION_STATUS, required=False)
    unit = UnitChoiceField(
        label=_("unit"), queryset=Unit.objects.none(), required=False, empty_label=_("all units")
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
