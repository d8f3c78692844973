"""The early-warning list's filter and the office's closing of several notices at once."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kaohe.lib.forms import ModelMultipleChoiceField

from ..models import EarlyWarning

STATUS_CHOICES = [
    ("open", _("open")),
    ("", _("all statuses")),
    *EarlyWarning.Status.choices,
]


class WarningFilterForm(forms.Form):
    """Unit, status and year of the warning list; anything malformed falls back to the default."""

    year = forms.ModelChoiceField(queryset=None, required=False, label=_("Year"))
    unit = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Unit"), empty_label=_("all units")
    )
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False, label=_("Status"))

    def __init__(self, data, *, years, units):
        super().__init__(data)
        self.fields["year"].queryset = years
        self.fields["unit"].queryset = units

    def value(self, name, default=None):
        if self.is_valid():
            return self.cleaned_data[name]
        return default


class WarningsCloseForm(forms.Form):
    """Close the ticked notices with one closing record."""

    warnings = ModelMultipleChoiceField(
        queryset=None,
        label=_("Warnings"),
        error_messages={"required": _("Choose the warnings to close.")},
    )
    closing_note = forms.CharField(
        label=_("Closing record"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Record why the warning is closed.")},
    )

    def __init__(self, data, *, warnings):
        super().__init__(data)
        self.fields["warnings"].queryset = warnings
