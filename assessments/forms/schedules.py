"""The form of one periodic schedule."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ScheduleForm(forms.Form):
    name = forms.CharField(widget=forms.HiddenInput)
    enabled = forms.BooleanField(label=_("switched on"), required=False)
    time = forms.TimeField(
        label=_("time of day"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    every = forms.IntegerField(
        label=_("every (minutes)"), required=False, min_value=1, max_value=60
    )

    def clean(self):
        data = super().clean()
        if data.get("time") is None and data.get("every") is None and not self.errors:
            raise forms.ValidationError(_("Give a time of day or an interval in minutes."))
        return data
