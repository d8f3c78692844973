"""Reads for the account pages: logins locked after wrong passwords (django-axes)."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet

from ..models import Account
from ..scope import units_for


def locked_logins(user) -> QuerySet[AccessAttempt]:
    """Login names in the user's scope locked by wrong passwords: those whose failures reached
    the limit within the cool-off time (one row per login name and address)."""
    in_scope = Account.objects.filter(unit__in=units_for(user)).values("user__username")
    return AccessAttempt.objects.filter(
        username__in=in_scope, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).order_by("-attempt_time")
