"""Forms for the assessment archive."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentYear, TeamAnalysis


class TeamAnalysisForm(forms.ModelForm):
    """A leadership team's analysis report for one of the county's years."""

    year = forms.ModelChoiceField(
        label=_("Assessment year"), queryset=AssessmentYear.objects.none(), empty_label=None
    )

    class Meta:
        model = TeamAnalysis
        fields = ["year", "written_on", "strengths", "weaknesses", "conclusion"]
        widgets = {
            "written_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "strengths": forms.Textarea(attrs={"rows": 4}),
            "weaknesses": forms.Textarea(attrs={"rows": 4}),
            "conclusion": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, years=None, **kwargs):
        super().__init__(*args, **kwargs)
        if years is not None:
            self.fields["year"].queryset = years
        self.fields["year"].label_from_instance = lambda y: str(y.year)
