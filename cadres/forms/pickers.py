"""Unit and cadre pickers: a plain ``<select>`` (units grouped by kind in ``<optgroup>``s) that
works without JavaScript, marked ``data-picker`` so that ``static/js/picker.js`` adds
type-to-search above it."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from kaohe.lib.forms import ModelMultipleChoiceField

from ..models import Cadre, Unit

KIND_ORDER = (
    Unit.Kind.TOWNSHIP,
    Unit.Kind.DEPARTMENT,
    Unit.Kind.COMMITTEE,
    Unit.Kind.GRASSROOTS,
    Unit.Kind.COUNTY,
    Unit.Kind.CITY,
)


def picker_attrs(**attrs) -> dict:
    """The widget attributes of a picker: ``data-picker`` holds the search box's placeholder."""
    return {"data-picker": _("Type to search…"), **attrs}


class UnitsByKind(ModelChoiceIterator):
    """The units of the field's queryset (in its order) grouped by kind, townships first."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for unit in self.queryset:
            groups.setdefault(unit.kind, []).append(self.choice(unit))
        order = {kind: i for i, kind in enumerate(KIND_ORDER)}
        for kind in sorted(groups, key=lambda k: order.get(k, len(order))):
            yield (str(Unit.Kind(kind).label), groups[kind])


class UnitChoiceField(forms.ModelChoiceField):
    iterator = UnitsByKind

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(attrs=picker_attrs()))
        super().__init__(*args, **kwargs)


class UnitsChoiceField(ModelMultipleChoiceField):
    """Several units; a ``CheckboxSelectMultiple`` widget keeps its ticks, searchable too."""

    iterator = UnitsByKind

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.SelectMultiple(attrs=picker_attrs(size=10)))
        super().__init__(*args, **kwargs)


class CadreLabel:
    """Cadres are picked as "unit · name (post)": the search finds them by either."""

    def label_from_instance(self, obj: Cadre) -> str:
        return f"{obj.unit.name} · {obj.name}（{obj.title}）"


class CadreChoiceField(CadreLabel, forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(attrs=picker_attrs()))
        super().__init__(*args, **kwargs)


class CadresChoiceField(CadreLabel, ModelMultipleChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.SelectMultiple(attrs=picker_attrs(size=8)))
        super().__init__(*args, **kwargs)
