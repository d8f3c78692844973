"""Forms to correct or withdraw an input behind a score: the input's own form, without what
only a new entry has, and the reason for the change (``why``, as the services call it)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Indicator, Target
from .inspections import FindingForm, InspectionForm
from .scoring import BonusAwardForm, LetterForm, MidtermForm
from .targets import DecisionForm


class WhyMixin(forms.Form):
    why = forms.CharField(
        label=_("reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with who made the change, when, and the values before and after."),
    )


class InspectionCorrectForm(WhyMixin, InspectionForm):
    pass


class FindingCorrectForm(WhyMixin, FindingForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["rectify"], self.fields["rectify_by"]


class BonusCorrectForm(WhyMixin, BonusAwardForm):
    pass


class DecisionCorrectForm(WhyMixin, DecisionForm):
    """Only the level (graded levels) or the points (manual) the target's indicator uses."""

    def __init__(self, *args, target: Target, **kwargs):
        super().__init__(*args, **kwargs)
        levels = target.indicator.method == Indicator.Method.LEVELS
        del self.fields["points" if levels else "level"]
        self.fields["reason"].label = _("reason for the decision")


class MidtermCorrectForm(WhyMixin, MidtermForm):
    pass


class LetterCorrectForm(WhyMixin, LetterForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Optional: a new scan replaces the one on file.")


class WithdrawForm(forms.Form):
    why = forms.CharField(
        label=_("reason for withdrawing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The withdrawn entry is kept in the record of corrections, with this reason."),
    )
