"""Writes for accounts: a login with its role, group and scope."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Account, Cadre, Role, Unit


@transaction.atomic
def account_create(
    *,
    username: str,
    password: str,
    role: str,
    unit: Unit | None = None,
    cadre: Cadre | None = None,
    full_name: str = "",
    email: str = "",
):
    """A login with its role (mirrored as a Django group) and scope.
    A cadre account is scoped to the cadre's unit and linked to the cadre record."""
    if role == Role.CADRE:
        if cadre is None:
            raise ValidationError(_("A cadre account needs the cadre it belongs to."))
        unit = cadre.unit
    if unit is None:
        raise ValidationError(_("An account needs a unit as its scope."))
    user_model = get_user_model()
    user = user_model(username=username, first_name=full_name, email=email)
    user.set_password(password)
    user.full_clean()
    user.save()
    account = Account(user=user, role=role, unit=unit)
    account.full_clean()
    account.save()
    group, _created = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    if cadre is not None:
        cadre.user = user
        cadre.save(update_fields=["user"])
    return user
