"""The grading-policy form: the year's weights, bands, 优秀 shares, notice period and quota
grouping. The model's constraints hold the rules; the form words them for the office."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import GradingPolicy

POLICY_FIELDS = [
    "weight_moral",
    "weight_integrity",
    "weight_performance",
    "weight_unit",
    "excellent_min",
    "competent_min",
    "basic_min",
    "excellent_share",
    "excellent_share_good_unit",
    "quota_group",
    "integrity_deduction",
    "notice_days",
]


class GradingPolicyForm(forms.Form):
    """The policy's settings (the model's fields, with their labels and ranges) and a note kept
    with the version. A plain form: the service saves, the constraints are worded here."""

    note = forms.CharField(
        label=_("What changed and why"),
        max_length=200,
        required=False,
        help_text=_("Kept with the new version."),
    )

    def clean(self):
        data = super().clean()
        weights = [data.get(f) for f in POLICY_FIELDS[:4]]
        if None not in weights and sum(weights) != 100:
            self.add_error(
                "weight_moral",
                _("The four weights must add up to exactly 100 (now %(sum)s).")
                % {"sum": sum(weights)},
            )
        bands = [data.get(f) for f in ("excellent_min", "competent_min", "basic_min")]
        if None not in bands and not bands[0] >= bands[1] >= bands[2]:
            self.add_error(
                "competent_min",
                _("The lowest composites must not rise from 优秀 to 称职 to 基本称职."),
            )
        shares = [data.get("excellent_share"), data.get("excellent_share_good_unit")]
        if None not in shares and shares[1] < shares[0]:
            self.add_error(
                "excellent_share_good_unit",
                _("The share for a unit graded 好 cannot be lower than the usual share."),
            )
        return data


# The settings' fields are the model's (labels, ranges, choices), before the note.
GradingPolicyForm.base_fields = {
    **forms.fields_for_model(GradingPolicy, fields=POLICY_FIELDS),
    **GradingPolicyForm.base_fields,
}
