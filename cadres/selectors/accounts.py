"""Reads for the account pages: logins locked after wrong passwords (django-axes)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet

from ..models import Account, AccountChange
from ..scope import units_for


def accounts_for(user) -> QuerySet[Account]:
    """Accounts whose scope lies in the user's subtree, with what their rows show."""
    return Account.objects.filter(unit__in=units_for(user)).select_related("user", "unit")


def account_list(user, *, role: str = "", q: str = "") -> QuerySet[Account]:
    accounts = accounts_for(user)
    if role:
        accounts = accounts.filter(role=role)
    if q:
        accounts = accounts.filter(
            Q(user__username__icontains=q) | Q(user__first_name__icontains=q)
        )
    return accounts.order_by("unit__path", "role", "user__username")


def account_changes(account: Account) -> QuerySet[AccountChange]:
    return account.changes.select_related("by")


def locked_logins(user) -> QuerySet[AccessAttempt]:
    """Login names in the user's scope locked by wrong passwords: those whose failures reached
    the limit within the cool-off time (one row per login name and address)."""
    in_scope = Account.objects.filter(unit__in=units_for(user)).values("user__username")
    return AccessAttempt.objects.filter(
        username__in=in_scope, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).order_by("-attempt_time")
