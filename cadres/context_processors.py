from .models import Role
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
