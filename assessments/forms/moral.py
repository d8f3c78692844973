"""Forms of the moral-assessment (量化考德) pages and of the public ballot. The services hold
the rules; these forms parse input, limit the choices and give friendly messages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.forms.pickers import UnitChoiceField, UnitsChoiceField, picker_attrs
from cadres.models import Cadre, Unit

from ..models import Judgement, MoralItem, MoralLevel, RaterGroup

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MoralRoundForm(forms.Form):
    name = forms.CharField(
        label=_("name"),
        max_length=100,
        help_text=_("E.g. 2015 annual moral assessment, or the second quarter."),
    )
    units = UnitsChoiceField(
        label=_("units"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs=picker_attrs(**{"class": "form-check-input"})),
        help_text=_("The cadres of these units are rated; raters get codes per unit."),
    )
    leading_only = forms.BooleanField(
        label=_("leading cadres only"),
        required=False,
        initial=True,
        help_text=_("Otherwise every cadre in service at the unit is on the ballot."),
    )
    opens_on = forms.DateField(label=_("opens on"), widget=DATE)
    closes_on = forms.DateField(label=_("closes on"), widget=DATE)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units

    def clean(self):
        data = super().clean()
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("The round cannot close before it opens."))
        return data


class CodesIssueForm(forms.Form):
    unit = UnitChoiceField(label=_("unit"), queryset=Unit.objects.none())
    group = forms.ChoiceField(label=_("rater group"), choices=RaterGroup.choices)
    count = forms.IntegerField(label=_("number of codes"), min_value=1, max_value=500, initial=20)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SlipFilterForm(forms.Form):
    unit = UnitChoiceField(
        label=_("unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )
    group = forms.ChoiceField(
        label=_("rater group"),
        choices=[("", _("All groups")), *RaterGroup.choices],
        required=False,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CodeForm(forms.Form):
    """The code printed on a ballot slip. It is only ever sent in a POST body."""

    code = forms.CharField(
        label=_("Ballot code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "class": "form-control form-control-lg text-center font-monospace code-input",
                "placeholder": "ABCDE 23456",
            }
        ),
    )


class BallotForm(forms.Form):
    """One rater's answers: a level for every item and an overall judgement, for every cadre
    on the ballot. Field names: ``c<cadre>-i<item>`` and ``c<cadre>-j``."""

    level_choices = MoralLevel.choices
    judgement_choices = Judgement.choices

    def __init__(self, *args, cadres: list[Cadre], items: list[MoralItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.cadres, self.items = cadres, items
        for cadre in cadres:
            for item in items:
                self.fields[self.item_field(cadre, item)] = forms.ChoiceField(
                    label=item.name,
                    choices=MoralLevel.choices,
                    widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                    error_messages={"required": _("Choose a level.")},
                )
            self.fields[self.judgement_field(cadre)] = forms.ChoiceField(
                label=_("Overall judgement"),
                choices=Judgement.choices,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
                error_messages={"required": _("Choose an overall judgement.")},
            )

    @staticmethod
    def item_field(cadre: Cadre, item: MoralItem) -> str:
        return f"c{cadre.pk}-i{item.pk}"

    @staticmethod
    def judgement_field(cadre: Cadre) -> str:
        return f"c{cadre.pk}-j"

    def missing(self) -> int:
        """How many answers are missing (after validation)."""
        return len(self.errors)

    def sheets(self) -> list[dict]:
        """What the template shows: per cadre, the items grouped by dimension (each with its
        bound field) and the judgement field, with whether anything of it is missing."""
        sheets = []
        for cadre in self.cadres:
            dimensions: list[dict] = []
            for item in self.items:
                if not dimensions or dimensions[-1]["dimension"].pk != item.dimension_id:
                    dimensions.append({"dimension": item.dimension, "fields": []})
                dimensions[-1]["fields"].append(self[self.item_field(cadre, item)])
            judgement = self[self.judgement_field(cadre)]
            incomplete = bool(judgement.errors) or any(
                f.errors for d in dimensions for f in d["fields"]
            )
            sheets.append(
                {
                    "cadre": cadre,
                    "dimensions": dimensions,
                    "judgement": judgement,
                    "incomplete": incomplete,
                }
            )
        return sheets

    def answers(self) -> dict[int, dict]:
        """The answers in the shape ``ballot_cast`` takes."""
        data = self.cleaned_data
        return {
            cadre.pk: {
                "levels": {item.pk: data[self.item_field(cadre, item)] for item in self.items},
                "judgement": data[self.judgement_field(cadre)],
            }
            for cadre in self.cadres
        }
