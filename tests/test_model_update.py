"""kaohe.lib.models.model_update: the services' one way of changing a model's fields."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadres.models import Unit
from kaohe.lib.models import model_update
from tests.factories import UnitFactory

FIELDS = ("name", "short_name", "head_email", "parent")


@pytest.fixture
def unit(db):
    return UnitFactory(name="龙泉镇", short_name="龙泉")


def _updates(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]


def test_only_the_changed_fields_are_saved(unit):
    with CaptureQueriesContext(connection) as queries:
        _obj, changed = model_update(
            instance=unit, data={"name": "新镇", "short_name": "龙泉"}, fields=FIELDS
        )
    assert changed is True
    [update] = _updates(queries)
    assert '"name"' in update
    assert '"short_name"' not in update
    assert Unit.objects.get(pk=unit.pk).name == "新镇"


def test_nothing_changed_saves_nothing(unit):
    with CaptureQueriesContext(connection) as queries:
        _obj, changed = model_update(instance=unit, data={"name": "龙泉镇"}, fields=FIELDS)
    assert changed is False
    assert _updates(queries) == []


def test_a_foreign_key_compares_by_id_without_loading_the_row(unit):
    child = UnitFactory(parent=unit)
    fresh = Unit.objects.get(pk=child.pk)
    _obj, changed = model_update(instance=fresh, data={"parent": unit}, fields=FIELDS)
    assert changed is False
    assert "parent" not in fresh._state.fields_cache


def test_a_field_not_listed_is_refused(unit):
    with pytest.raises(ValueError, match="not editable: code"):
        model_update(instance=unit, data={"code": "X"}, fields=FIELDS)
    assert Unit.objects.get(pk=unit.pk).code == unit.code


def test_an_invalid_value_saves_nothing(unit):
    with pytest.raises(ValidationError) as error:
        model_update(instance=unit, data={"head_email": "not-an-email"}, fields=FIELDS)
    assert "head_email" in error.value.message_dict
    assert Unit.objects.get(pk=unit.pk).head_email == ""


def test_the_check_runs_before_the_save(unit):
    def refuse(obj):
        raise ValidationError({"name": "no"})

    with pytest.raises(ValidationError):
        model_update(instance=unit, data={"name": "别名"}, fields=FIELDS, check=refuse)
    assert Unit.objects.get(pk=unit.pk).name == "龙泉镇"


def test_a_new_instance_is_saved_whole(unit):
    new = Unit(code="N1", kind=Unit.Kind.TOWNSHIP, path="9999.", depth=0)
    obj, changed = model_update(instance=new, data={"name": "新设镇"}, fields=FIELDS)
    assert changed is True
    assert obj.pk is not None
    assert Unit.objects.get(pk=obj.pk).code == "N1"
