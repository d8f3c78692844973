"""Helpers the services share for writing models."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)


def _stored(instance: Model, name: str, value: Any) -> tuple[Any, Any]:
    """The field's current value and ``value`` in comparable form: a foreign key compares by
    id, without loading the related row."""
    field = instance._meta.get_field(name)
    if field.many_to_one or field.one_to_one:
        return getattr(instance, field.attname), value.pk if isinstance(value, Model) else value
    return getattr(instance, name), value


def model_update(
    *,
    instance: M,
    data: dict[str, Any],
    fields: Iterable[str],
    check: Callable[[M], None] | None = None,
) -> tuple[M, bool]:
    """Set on ``instance`` the values of ``data`` that differ from its own, validate it and
    save only what changed.

    ``fields`` are the names a caller may change: any other key of ``data`` is a ValueError
    (a programming error, never user input). ``full_clean()`` and then ``check(instance)``
    (the service's rules that no field holds) run whatever changed, before anything is saved.
    A new instance (never saved) is saved whole. Returns the instance and whether any field
    changed.
    """
    allowed = set(fields)
    unknown = [name for name in data if name not in allowed]
    if unknown:
        raise ValueError(f"not editable: {', '.join(unknown)}")
    changed = []
    for name, value in data.items():
        current, new = _stored(instance, name, value)
        if current != new:
            setattr(instance, name, value)
            changed.append(name)
    instance.full_clean()
    if check is not None:
        check(instance)
    if instance._state.adding:
        instance.save()
    elif changed:
        auto_now = [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
        instance.save(update_fields=[*changed, *auto_now])
    return instance, bool(changed)
