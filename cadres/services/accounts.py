"""Writes for accounts: a login with its role, group and scope."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Account, Cadre, Role, Unit


def _scope(role: str, unit: Unit | None, cadre: Cadre | None) -> Unit:
    """The scope unit of an account: a cadre's own unit, else the unit given."""
    if role == Role.CADRE:
        if cadre is None:
            raise ValidationError(_("A cadre account needs the cadre it belongs to."))
        return cadre.unit
    if unit is None:
        raise ValidationError(_("An account needs a unit as its scope."))
    return unit


def _sync_group(user, role: str) -> None:
    """The user's role group is exactly the account's role (permissions follow the group)."""
    user.groups.remove(*Group.objects.filter(name__in=Role.values).exclude(name=role))
    group, _created = Group.objects.get_or_create(name=role)
    user.groups.add(group)


@transaction.atomic
def account_grant(*, user, role: str, unit: Unit | None = None, cadre: Cadre | None = None):
    """Give an existing login its role (mirrored as a Django group) and scope. A cadre account
    is scoped to the cadre's unit and linked to the cadre record."""
    account = Account(user=user, role=role, unit=_scope(role, unit, cadre))
    account.full_clean()
    account.save()
    _sync_group(user, role)
    if cadre is not None:
        cadre.user = user
        cadre.save(update_fields=["user"])
    return account


@transaction.atomic
def account_update(*, account: Account, role: str, unit: Unit) -> Account:
    """Change an account's role and scope, keeping its group in step."""
    account.role = role
    account.unit = _scope(role, unit, getattr(account.user, "cadre", None))
    account.full_clean()
    account.save(update_fields=["role", "unit"])
    _sync_group(account.user, role)
    return account


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
    """A new login with its role and scope; the password must pass every validator of
    ``AUTH_PASSWORD_VALIDATORS``."""
    _scope(role, unit, cadre)
    user = get_user_model()(username=username, first_name=full_name, email=email)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.full_clean()
    user.save()
    account_grant(user=user, role=role, unit=unit, cadre=cadre)
    return user


def login_unlock(*, username: str) -> int:
    """Lift the lockout of a login name (every address it failed from); returns how many
    records of failed attempts were cleared."""
    return axes_reset(username=username)
