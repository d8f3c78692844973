"""Who may see what. Every view asks here; nothing else decides scope.

Scope is a subtree of the unit tree: an account sees the units whose path starts with its own
unit's path. Office staff write; leaders only read; a liaison sees their unit; a cadre only
their own record; a lead department's scorer (牵头部门评分员) no subtree at all, only the
indicators its department leads (``lead_department_of``) and the targets on them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Permission
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Exists, Model, Q, QuerySet
from django.http import Http404

from kaohe.lib.forms import is_id

from .models import Account, Cadre, Role, Unit


def account_of(user) -> Account | None:
    """The user's account (cached on the user object for the request)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_kaohe_account"):
        user._kaohe_account = (
            Account.objects.select_related("unit")
            .annotate(reads_integrity_log=_holds(user, "read_integrity_log"))
            .filter(user=user)
            .first()
        )
    return user._kaohe_account


def _holds(user, codename: str) -> Exists:
    """Whether the user holds the cadres app's permission ``codename`` (granted directly or
    through a group), read with the account in the same query: the menu shows the integrity
    read log to its holders without a query of its own on every page."""
    return Exists(
        Permission.objects.filter(content_type__app_label="cadres", codename=codename).filter(
            Q(user=user) | Q(group__user=user)
        )
    )


def role_of(user) -> str | None:
    account = account_of(user)
    return account.role if account else None


def can_write(user) -> bool:
    return role_of(user) == Role.OFFICE


def ancestor_paths(path: str) -> list[str]:
    """Paths of a node and all its ancestors: "0001.0002." -> ["0001.", "0001.0002."]."""
    parts = [p for p in path.split(".") if p]
    return [".".join(parts[: i + 1]) + "." for i in range(len(parts))]


def lead_department_of(user) -> Unit | None:
    """The department whose indicators a lead-department scorer scores (None for any other
    role)."""
    account = account_of(user)
    return account.unit if account is not None and account.role == Role.LEAD else None


def units_for(user) -> QuerySet[Unit]:
    """Units the user may see: the subtree of their account's unit (none for a cadre, nor for a
    lead department's scorer, who sees units only through the targets it scores)."""
    account = account_of(user)
    if account is None or account.role in (Role.CADRE, Role.LEAD):
        return Unit.objects.none()
    return Unit.objects.filter(path__startswith=account.unit.path)


def counties_for(user) -> QuerySet[Unit]:
    """Counties in the user's scope."""
    return units_for(user).filter(kind=Unit.Kind.COUNTY)


def cadres_for(user) -> QuerySet[Cadre]:
    """Cadres whose records the user may open."""
    account = account_of(user)
    if account is None:
        return Cadre.objects.none()
    if account.role == Role.CADRE:
        return Cadre.objects.filter(user=user)
    if account.role in (Role.OFFICE, Role.LEADER):
        return Cadre.objects.filter(unit__path__startswith=account.unit.path)
    return Cadre.objects.none()


def role_required(*roles: str, write: bool = False):
    """Login required, then 403 unless the user's role is one of ``roles``
    (and, with ``write=True``, the user may write)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            role = role_of(request.user)
            if role not in roles or (write and not can_write(request.user)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


STAFF_ROLES = (Role.OFFICE, Role.LEADER)

M = TypeVar("M", bound=Model)


def get_for_user(
    request,
    in_scope: Callable[[Any], QuerySet[M]],
    pk,
    *,
    write: bool = False,
    roles: tuple[str, ...] | None = None,
) -> M:
    """The object ``pk`` among ``in_scope(request.user)``, the object's own scope rule (a
    function of the user returning the queryset of what they may open, already with the
    ``select_related`` its page needs).

    404 for an object outside the scope, for a user whose role is not in ``roles`` (when
    given) and for a malformed id: the existence of what is not yours never leaks. 403 when
    ``write`` and the user may only read.
    """
    if roles is not None and role_of(request.user) not in roles:
        raise Http404
    if write and not can_write(request.user):
        raise PermissionDenied
    if not is_id(pk):
        raise Http404
    try:
        return in_scope(request.user).get(pk=pk)
    except (ObjectDoesNotExist, ValidationError):
        raise Http404 from None
