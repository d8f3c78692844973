"""Forms for the close-range identification ledger."""

from django import forms

from ..models import LedgerNote


class LedgerNoteForm(forms.ModelForm):
    class Meta:
        model = LedgerNote
        fields = ["noted_on", "kind", "note", "points"]
        widgets = {
            "noted_on": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "points": forms.NumberInput(attrs={"min": -10, "max": 10}),
        }
