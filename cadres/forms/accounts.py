"""Forms for the office's account pages."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from kaohe.lib.forms import ModelMultipleChoiceField

from ..models import Cadre, Role, Unit
from ..scope import cadres_for, units_for
from .pickers import UnitChoiceField, picker_attrs


class AccountForm(forms.Form):
    """A new login of the office's scope: its role, and the unit it sees or the cadre it is."""

    username = forms.RegexField(
        label=_("user name"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Letters, digits and @ . + - _ only.")},
    )
    full_name = forms.CharField(label=_("full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("email"), required=False)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    unit = UnitChoiceField(
        label=_("scope"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_(
            "Office staff and leaders: the county; a liaison: their unit; "
            "a lead department's scorer: the department."
        ),
    )
    cadre = forms.ModelChoiceField(
        label=_("cadre"),
        queryset=Cadre.objects.none(),
        required=False,
        widget=forms.Select(attrs=picker_attrs()),
        help_text=_("For a cadre's own login: the cadre (one without a login yet)."),
    )

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(by).order_by("path")
        self.fields["cadre"].queryset = (
            cadres_for(by).filter(user__isnull=True, is_active=True).select_related("unit")
        )
        self.fields["cadre"].label_from_instance = lambda c: f"{c.unit.name} {c.name}"

    def clean_username(self):
        name = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return name

    def clean(self):
        data = super().clean()
        if data.get("role") == Role.CADRE and not data.get("cadre"):
            self.add_error("cadre", _("A cadre's login needs the cadre it belongs to."))
        if data.get("role") and data["role"] != Role.CADRE and not data.get("unit"):
            self.add_error("unit", _("Choose the unit this login may see."))
        return data


class AccountEditForm(forms.Form):
    """Another role or scope for a login that is not a cadre's own (a cadre's login keeps its
    role, and its scope follows the cadre's unit)."""

    role = forms.ChoiceField(label=_("role"))
    unit = forms.ModelChoiceField(label=_("scope"), queryset=Unit.objects.none())

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.CADRE]
        self.fields["unit"].queryset = units_for(by).order_by("path")


class AccountFilterForm(forms.Form):
    role = forms.ChoiceField(
        label=_("role"), choices=[("", _("All roles")), *Role.choices], required=False
    )
    q = forms.CharField(label=_("search"), required=False, max_length=50)


class CadreLoginsForm(forms.Form):
    """Cadres of the office's scope without a login yet, to give each one."""

    cadres = ModelMultipleChoiceField(
        label=_("cadres"), queryset=Cadre.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadres"].queryset = (
            cadres_for(by)
            .filter(user__isnull=True, is_active=True)
            .select_related("unit")
            .order_by("unit__path", "-is_principal", "-is_leading", "number")
        )
