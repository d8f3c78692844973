from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Cadre, PostKind, Rank, Unit
from .pickers import UnitChoiceField


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "sort_order",
            "established_on",
            "dissolved_on",
            "head_email",
        ]
        widgets = {
            "established_on": forms.DateInput(attrs={"type": "date"}),
            "dissolved_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["parent"].queryset = units
        self.fields["parent"].required = True
        self.fields["sort_order"].required = False

    def clean_sort_order(self):
        return self.cleaned_data.get("sort_order") or 0


class CadreForm(forms.ModelForm):
    """Create a cadre with their first post, or edit personal details."""

    started_on = forms.DateField(
        label=_("in this post since"), widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Cadre
        fields = [
            "number",
            "name",
            "gender",
            "birth_date",
            "party_member",
            "education",
            "unit",
            "title",
            "rank",
            "post_kind",
            "is_leading",
            "is_principal",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
        if self.instance.pk:
            for name in (
                "number",
                "unit",
                "title",
                "rank",
                "post_kind",
                "is_leading",
                "is_principal",
                "started_on",
            ):
                del self.fields[name]
            self.fields["is_active"] = forms.BooleanField(
                label=_("in service"), required=False, initial=self.instance.is_active
            )


class CadreMoveForm(forms.Form):
    unit = UnitChoiceField(label=_("new unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("post"), max_length=100)
    rank = forms.ChoiceField(label=_("rank"), choices=Rank.choices)
    post_kind = forms.ChoiceField(label=_("post kind"), choices=PostKind.choices)
    is_leading = forms.BooleanField(label=_("leading cadre"), required=False)
    is_principal = forms.BooleanField(label=_("principal leader (number one)"), required=False)
    on = forms.DateField(label=_("from"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class CadreFilterForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False)
    unit_kind = forms.ChoiceField(
        label=_("unit kind"), required=False, choices=[("", _("all kinds"))] + Unit.Kind.choices
    )
    rank = forms.ChoiceField(
        label=_("rank"), required=False, choices=[("", _("all ranks"))] + Rank.choices
    )
    post_kind = forms.ChoiceField(
        label=_("post kind"), required=False, choices=[("", _("all posts"))] + PostKind.choices
    )
    leading = forms.ChoiceField(
        label=_("leading cadre"),
        required=False,
        choices=[
            ("", _("leading and other")),
            ("1", _("leading cadres")),
            ("0", _("other cadres")),
        ],
    )
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
