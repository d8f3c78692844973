"""Forms of the moral-assessment template page (量化考德模板). The services hold the rules;
these forms parse input and give friendly messages.

Each form may be drawn inside a table row: ``html_form`` is the id of the ``<form>`` element
its inputs belong to (the HTML ``form`` attribute), ``auto_id`` keeps their ids unique."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.models import PostKind

from ..models import MoralDimension, MoralItem, MoralTemplate
from ..services.moral import ITEM_WEIGHT_MAX

LEVEL_FIELDS = ("score_good", "score_fair", "score_fairly_poor", "score_poor")
GROUP_FIELDS = ("weight_superiors", "weight_peers", "weight_subordinates", "weight_public")


class _RowForm(forms.Form):
    def __init__(self, *args, html_form: str = "", placeholder: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if html_form:
            for field in self.fields.values():
                field.widget.attrs["form"] = html_form
        if placeholder:
            self.fields["name"].widget.attrs["placeholder"] = placeholder


def _number(label, *, min_value=0, max_value=100, **kwargs):
    return forms.IntegerField(label=label, min_value=min_value, max_value=max_value, **kwargs)


class TemplateSettingsForm(forms.Form):
    score_good = _number(_("好 good"))
    score_fair = _number(_("较好 fairly good"))
    score_fairly_poor = _number(_("较差 fairly poor"))
    score_poor = _number(_("差 poor"))
    weight_superiors = _number(_("Superiors (%)"))
    weight_peers = _number(_("Peers (%)"))
    weight_subordinates = _number(_("Subordinates (%)"))
    weight_public = _number(_("The public served (%)"))
    incompetent_percent = forms.DecimalField(
        label=_("Share of 不称职 judgements (%)"),
        min_value=0,
        max_value=100,
        decimal_places=1,
        max_digits=4,
        help_text=_(
            "When more than this share of a cadre's valid ballots judge them 不称职, the cadre "
            "cannot be graded 称职 or better. One third is 33.3."
        ),
    )

    @staticmethod
    def initial_for(template: MoralTemplate) -> dict:
        initial = {name: getattr(template, name) for name in LEVEL_FIELDS + GROUP_FIELDS}
        initial["incompetent_percent"] = (template.incompetent_share * 100).quantize(Decimal("0.1"))
        return initial

    def level_fields(self):
        return [self[name] for name in LEVEL_FIELDS]

    def group_fields(self):
        return [self[name] for name in GROUP_FIELDS]

    def clean(self):
        data = super().clean()
        scores = [data.get(name) for name in LEVEL_FIELDS]
        if None not in scores and scores != sorted(scores, reverse=True):
            self.add_error(None, _("Level scores go down from 好 to 差 (or stay equal)."))
        weights = [data.get(name) for name in GROUP_FIELDS]
        if None not in weights and sum(weights) != 100:
            self.add_error(
                None,
                _("The rater-group weights add up to %(sum)s; they must add up to exactly 100.")
                % {"sum": sum(weights)},
            )
        return data

    def settings(self) -> dict:
        """The cleaned data in the shape ``template_settings_update`` takes."""
        data = {name: self.cleaned_data[name] for name in LEVEL_FIELDS + GROUP_FIELDS}
        data["incompetent_share"] = self.cleaned_data["incompetent_percent"] / 100
        return data


class DimensionForm(_RowForm):
    name = forms.CharField(label=_("Dimension"), max_length=50)
    sort_order = _number(_("Order"), max_value=999, initial=0)

    @staticmethod
    def initial_for(dimension: MoralDimension) -> dict:
        return {"name": dimension.name, "sort_order": dimension.sort_order}


class ItemForm(_RowForm):
    """An item's name, order and weight for every post kind (fields ``weight_<kind>``)."""

    name = forms.CharField(label=_("Item"), max_length=200)
    sort_order = _number(_("Order"), max_value=999, initial=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        html_form = self.fields["name"].widget.attrs.get("form")
        for kind in PostKind:
            field = _number(kind.label, min_value=1, max_value=ITEM_WEIGHT_MAX)
            if html_form:
                field.widget.attrs["form"] = html_form
            self.fields[f"weight_{kind.value}"] = field

    @staticmethod
    def initial_for(item: MoralItem, weights: list[int | None]) -> dict:
        """``weights`` in PostKind order, as the template selector gives them."""
        initial = {"name": item.name, "sort_order": item.sort_order}
        for kind, weight in zip(PostKind.values, weights, strict=True):
            initial[f"weight_{kind}"] = weight
        return initial

    def weight_fields(self):
        return [self[f"weight_{kind}"] for kind in PostKind.values]

    def weights(self) -> dict[str, int]:
        return {kind: self.cleaned_data[f"weight_{kind}"] for kind in PostKind.values}
