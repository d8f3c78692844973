"""Forms of the monthly progress pages. The services hold the rules; these forms parse input and
check evidence files early so the error shows under the file field."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models import Indicator, Target
from ..services.progress import (
    EVIDENCE_TYPES,
    MAX_EVIDENCE_BYTES,
    MAX_EVIDENCE_FILES,
    evidence_check,
)


def _plain(value) -> str:
    """A decimal without trailing zeros: 1200.00 -> "1200", 12.50 -> "12.5"."""
    return "—" if value is None else format(value.normalize(), "f")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one ``<input type=file multiple>``; cleans to a list."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    month = forms.TypedChoiceField(label=_("month"), coerce=int)
    actual_value = forms.DecimalField(
        label=_("actual (cumulative)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    narrative = forms.CharField(
        label=_("progress narrative"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was done this month, what lags and why."),
    )
    files = MultipleFileField(
        label=_("evidence files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ",".join(EVIDENCE_TYPES)}),
    )

    def __init__(self, *args, target: Target, months: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m, f"{m}月") for m in months]
        self.fields["files"].help_text = _(
            "PDF, JPG, PNG, Word or Excel; up to %(n)s files of at most %(mb)s MB each. "
            "Hold Ctrl to choose several."
        ) % {"n": MAX_EVIDENCE_FILES, "mb": MAX_EVIDENCE_BYTES // 2**20}
        actual = self.fields["actual_value"]
        if target.indicator.method == Indicator.Method.RATIO:
            actual.required = True
            actual.help_text = _("Cumulative since January, in %(measure)s (target %(value)s).") % {
                "measure": target.measure or "—",
                "value": _plain(target.target_value),
            }
        else:
            actual.help_text = _("Optional for this indicator.")

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_EVIDENCE_FILES:
            raise ValidationError(_("At most %(n)s files per report.") % {"n": MAX_EVIDENCE_FILES})
        errors = []
        for upload in files:
            try:
                evidence_check(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for return"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
