"""Forms of the quarterly assessment: the record, the grade, the confirmation, the review, the
year's settings and the personal summary."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from ..models import Level, QuarterSettings
from ..services.progress import EVIDENCE_TYPES, evidence_check
from ..services.quarterly import MAX_COMMENT, MAX_SUMMARY

QUARTER_CHOICES = [(n, _("Quarter %(n)s") % {"n": n}) for n in (1, 2, 3, 4)]


def quarter_param(value, default: int) -> int:
    """A quarter from a query parameter; the default for anything else."""
    return int(value) if str(value) in ("1", "2", "3", "4") else default


class RecordForm(forms.Form):
    work_done = forms.CharField(
        label=_("Work done this quarter"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you did, with results and figures where you can."),
    )
    key_tasks = forms.CharField(
        label=_("Key and urgent tasks taken on"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    problems_plans = forms.CharField(
        label=_("Problems and plans for next quarter"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EVIDENCE_TYPES)}),
        help_text=_("One PDF, picture, Word or Excel file."),
    )

    def __init__(self, *args, max_chars: int, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("work_done", "key_tasks", "problems_plans"):
            self.fields[name].max_length = max_chars
            self.fields[name].widget.attrs["maxlength"] = max_chars
            self.fields[name].validators.append(MaxLengthValidator(max_chars))

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            evidence_check(upload)
        return upload or None


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("Quarter grade"), choices=Level.choices)
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConfirmForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(choices=QUARTER_CHOICES, coerce=int)


class ReviewForm(forms.Form):
    reasons = forms.CharField(
        label=_("Why the grade should be reviewed"),
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 3})
    )
    grade = forms.ChoiceField(
        label=_("Grade after review"),
        choices=[("", _("Keep the grade"))] + list(Level.choices),
        required=False,
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = QuarterSettings
        fields = [
            "window_days",
            "good_share",
            "principal_graded_by",
            "record_max_chars",
            "remind_days_before",
            "rules",
            "summary_from",
            "summary_until",
        ]
        widgets = {
            "summary_from": forms.DateInput(attrs={"type": "date"}),
            "summary_until": forms.DateInput(attrs={"type": "date"}),
        }


class SummaryForm(forms.Form):
    text = forms.CharField(
        label=_("Personal summary"),
        max_length=MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("The year's work in your own words: it is printed on the registration form."),
    )
