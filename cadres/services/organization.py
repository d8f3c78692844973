"""Writes for the organization: units, cadres and their posts."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.lib.dates import cn_date
from kaohe.lib.models import model_update

from ..models import PATH_STEP, Cadre, Post, Unit


def _next_path(parent: Unit | None) -> str:
    prefix = parent.path if parent else ""
    siblings = Unit.objects.filter(parent=parent).values_list("path", flat=True)
    used = [int(p[len(prefix) : len(prefix) + PATH_STEP]) for p in siblings]
    return f"{prefix}{(max(used, default=0) + 1):0{PATH_STEP}d}."


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    sort_order: int = 0,
    established_on: dt.date | None = None,
    head_email: str = "",
) -> Unit:
    unit = Unit(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        short_name=short_name,
        sort_order=sort_order,
        established_on=established_on,
        head_email=head_email,
        path=_next_path(parent),
        depth=(parent.depth + 1) if parent else 0,
    )
    unit.full_clean()
    unit.save()
    return unit


UNIT_EDITABLE = (
    "code",
    "name",
    "short_name",
    "kind",
    "sort_order",
    "established_on",
    "dissolved_on",
    "head_email",
)


@transaction.atomic
def unit_update(*, unit: Unit, parent: Unit | None = None, **fields) -> Unit:
    """Change a unit's fields; a new ``parent`` moves the whole subtree."""
    if unknown := set(fields) - set(UNIT_EDITABLE):
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    data = dict(fields)
    if parent is not None and parent.pk != unit.parent_id:
        if parent.path.startswith(unit.path):
            raise ValidationError({"parent": _("A unit cannot be moved under itself.")})
        old_path, old_depth = unit.path, unit.depth
        path, depth = _next_path(parent), parent.depth + 1
        descendants = list(Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk))
        for node in descendants:
            node.path = path + node.path[len(old_path) :]
            node.depth = node.depth - old_depth + depth
        # Free the old paths first so the unique index never sees a clash.
        for node in [unit, *descendants]:
            Unit.objects.filter(pk=node.pk).update(path=f"~{node.pk}")
        Unit.objects.bulk_update(descendants, ["path", "depth"])
        data.update(parent=parent, path=path, depth=depth)
    model_update(instance=unit, data=data, fields=(*UNIT_EDITABLE, "parent", "path", "depth"))
    return unit


def _post_open(cadre: Cadre, *, started_on: dt.date) -> Post:
    """The post the cadre holds from ``started_on``: their unit, title, rank and kind."""
    post = Post(
        cadre=cadre,
        unit=cadre.unit,
        title=cadre.title,
        rank=cadre.rank,
        post_kind=cadre.post_kind,
        is_leading=cadre.is_leading,
        is_principal=cadre.is_principal,
        started_on=started_on,
    )
    post.full_clean()
    post.save()
    return post


@transaction.atomic
def cadre_create(
    *,
    number: str,
    name: str,
    gender: str,
    unit: Unit,
    title: str,
    rank: str,
    post_kind: str,
    started_on: dt.date,
    is_leading: bool = False,
    is_principal: bool = False,
    birth_date: dt.date | None = None,
    party_member: bool = True,
    education: str = "",
) -> Cadre:
    cadre = Cadre(
        number=number,
        name=name,
        gender=gender,
        birth_date=birth_date,
        party_member=party_member,
        education=education,
        unit=unit,
        title=title,
        rank=rank,
        post_kind=post_kind,
        is_leading=is_leading,
        is_principal=is_principal,
    )
    cadre.full_clean()
    cadre.save()
    _post_open(cadre, started_on=started_on)
    return cadre


CADRE_EDITABLE = ("name", "gender", "birth_date", "party_member", "education", "is_active")


@transaction.atomic
def cadre_update(*, cadre: Cadre, **fields) -> Cadre:
    """Personal details only; a change of post goes through ``cadre_move``."""
    model_update(instance=cadre, data=fields, fields=CADRE_EDITABLE)
    return cadre


@transaction.atomic
def cadre_move(
    *,
    cadre: Cadre,
    unit: Unit,
    title: str,
    rank: str,
    post_kind: str,
    on: dt.date,
    is_leading: bool = False,
    is_principal: bool = False,
) -> Post:
    """Close the cadre's current post the day before ``on`` and open the new one.
    The cadre keeps one record (and one archive) across moves."""
    current = cadre.posts.filter(ended_on__isnull=True).first()
    if current is not None:
        if on <= current.started_on:
            raise ValidationError(
                {
                    "on": _("The new post must start after the current one (%(date)s).")
                    % {"date": cn_date(current.started_on)}
                }
            )
        current.ended_on = on - dt.timedelta(days=1)
        current.full_clean()
        current.save(update_fields=["ended_on"])
    cadre.unit, cadre.title, cadre.rank, cadre.post_kind = unit, title, rank, post_kind
    cadre.is_leading, cadre.is_principal = is_leading, is_principal
    post = _post_open(cadre, started_on=on)
    cadre.full_clean()
    cadre.save()
    return post
