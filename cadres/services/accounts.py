"""Writes for accounts: a login with its role, group and scope."""

from __future__ import annotations

import secrets

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import get_hashers_by_algorithm, make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..hashers import InitialPasswordHasher
from ..models import Account, AccountChange, Cadre, Role, Unit

# Initial passwords: no 0/O, 1/l/I, so a printed slip reads back without doubt.
PASSWORD_LETTERS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"  # noqa: S105 (an alphabet)
PASSWORD_DIGITS = "23456789"  # noqa: S105 (an alphabet)


def _scope(role: str, unit: Unit | None, cadre: Cadre | None) -> Unit:
    """The scope unit of an account: a cadre's own unit, else the unit given."""
    if role == Role.CADRE:
        if cadre is None:
            raise ValidationError(_("A cadre account needs the cadre it belongs to."))
        return cadre.unit
    if unit is None:
        raise ValidationError(_("An account needs a unit as its scope."))
    if role == Role.LEAD and unit.kind != Unit.Kind.DEPARTMENT:
        raise ValidationError(_("A lead department's scorer belongs to a county department."))
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


def _describe(account: Account) -> str:
    return f"{account.get_role_display()} · {account.unit.name}"


def _record(account: Account, action: str, by, before: str = "", after: str = "") -> None:
    AccountChange.objects.create(account=account, action=action, by=by, before=before, after=after)


@transaction.atomic
def account_update(*, account: Account, role: str, unit: Unit, by=None) -> Account:
    """Change an account's role and scope, keeping its group in step (recorded). A cadre's own
    login keeps the cadre role; nobody changes their own role or scope."""
    if by is not None and account.user_id == by.pk:
        raise ValidationError(_("You cannot change the role or scope of your own login."))
    if (role == Role.CADRE) != (account.role == Role.CADRE):
        raise ValidationError(
            _("A cadre's own login keeps the cadre role; other logins cannot become one.")
        )
    before = _describe(account)
    account.role = role
    account.unit = _scope(role, unit, getattr(account.user, "cadre", None))
    account.full_clean()
    account.save(update_fields=["role", "unit"])
    _sync_group(account.user, role)
    if _describe(account) != before:
        _record(account, AccountChange.Action.ROLE, by, before, _describe(account))
    return account


def initial_password() -> str:
    """A random initial password for a printed slip: 10 letters and digits (never ambiguous
    ones), at least two digits; it passes every validator."""
    while True:
        letters = [secrets.choice(PASSWORD_LETTERS) for _ in range(7)]
        digits = [secrets.choice(PASSWORD_DIGITS) for _ in range(3)]
        chars = letters + digits
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        try:
            password_validation.validate_password(password)
        except ValidationError:
            continue
        return password


def _hash_initial(password: str) -> str:
    """An initial password's hash, with the cheaper hasher where it is configured."""
    algorithm = InitialPasswordHasher.algorithm
    return make_password(
        password, hasher=algorithm if algorithm in get_hashers_by_algorithm() else "default"
    )


@transaction.atomic
def account_open(
    *,
    by,
    username: str,
    role: str,
    unit: Unit | None = None,
    cadre: Cadre | None = None,
    full_name: str = "",
    email: str = "",
) -> tuple[Account, str]:
    """A new login created by the office with an initial password, to be printed and handed
    over; the first login must set a new one. Returns the account and that password."""
    password = initial_password()
    user = account_create(
        username=username,
        password=password,
        role=role,
        unit=unit,
        cadre=cadre,
        full_name=full_name,
        email=email,
        initial=True,
    )
    account = user.account
    account.must_change_password = True
    account.save(update_fields=["must_change_password"])
    _record(account, AccountChange.Action.CREATED, by, after=_describe(account))
    return account, password


@transaction.atomic
def account_password_reset(*, account: Account, by) -> str:
    """A new initial password for a login that lost its own; the next login must change it."""
    password = initial_password()
    account.user.password = _hash_initial(password)
    account.user.save(update_fields=["password"])
    account.must_change_password = True
    account.save(update_fields=["must_change_password"])
    _record(account, AccountChange.Action.PASSWORD_RESET, by)
    return password


@transaction.atomic
def account_set_active(*, account: Account, active: bool, by) -> Account:
    """Deactivate a login (it can no longer log in; its records stay) or reactivate it."""
    if account.user_id == getattr(by, "pk", None) and not active:
        raise ValidationError(_("You cannot deactivate your own login."))
    if account.user.is_active != active:
        account.user.is_active = active
        account.user.save(update_fields=["is_active"])
        action = AccountChange.Action.REACTIVATED if active else AccountChange.Action.DEACTIVATED
        _record(account, action, by)
    return account


def password_changed(*, user) -> None:
    """The login set its own password: no more forced change."""
    Account.objects.filter(user=user, must_change_password=True).update(must_change_password=False)


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
    initial: bool = False,
):
    """A new login with its role and scope; the password must pass every validator of
    ``AUTH_PASSWORD_VALIDATORS``. An ``initial`` password (printed by the office, changed at the
    first login) is hashed with the cheaper hasher of ``cadres/hashers.py``."""
    _scope(role, unit, cadre)
    user = get_user_model()(username=username, first_name=full_name, email=email)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    if initial:
        user.password = _hash_initial(password)
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    account_grant(user=user, role=role, unit=unit, cadre=cadre)
    return user


def login_unlock(*, username: str, by=None) -> int:
    """Lift the lockout of a login name (every address it failed from); returns how many
    records of failed attempts were cleared (recorded on the account, if it has one)."""
    cleared = axes_reset(username=username)
    account = Account.objects.filter(user__username=username).first()
    if account is not None:
        _record(account, AccountChange.Action.UNLOCKED, by)
    return cleared


@transaction.atomic
def accounts_open_for_cadres(*, cadres, by) -> list[tuple[Account, str]]:
    """A login for each cadre, named by the cadre's number, with an initial password each
    (all or none: a number already taken as a user name refuses the whole batch)."""
    cadres = list(cadres)
    if any(cadre.user_id for cadre in cadres):
        raise ValidationError(_("Some of these cadres already have a login."))
    names = [cadre.number for cadre in cadres]
    taken = sorted(
        get_user_model().objects.filter(username__in=names).values_list("username", flat=True)
    )
    if taken:
        raise ValidationError(
            _("These user names are taken: %(names)s.") % {"names": "、".join(taken)}
        )
    return [
        account_open(
            by=by, username=cadre.number, role=Role.CADRE, cadre=cadre, full_name=cadre.name
        )
        for cadre in cadres
    ]
