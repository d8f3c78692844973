from .models import IntegrityEntry, IntegrityReadLog, Role
from .scope import account_of


def role(request):
    """The current account and role for the navigation."""
    account = account_of(getattr(request, "user", None)) if hasattr(request, "user") else None
    return {
        "account": account,
        "role": account.role if account else None,
        "Role": Role,
        "can_write": bool(account and account.role == Role.OFFICE),
    }


CHOICES = {"EntryStatus": IntegrityEntry.Status, "ReadAction": IntegrityReadLog.Action}


def choices(request):
    """The cadres' choices the templates compare against, by name (as ``Role`` above)."""
    return CHOICES
