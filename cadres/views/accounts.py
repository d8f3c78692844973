"""Where each role lands after logging in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ..models import Role
from ..scope import account_of


@login_required
def home(request):
    """Each role lands on its own home."""
    account = account_of(request.user)
    if account is None:
        if request.user.is_superuser:
            return redirect("admin:index")
        return render(request, "cadres/no_account.html", status=403)
    if account.role == Role.LIAISON:
        return redirect("assessments:my_unit")
    if account.role == Role.CADRE:
        return redirect("assessments:me")
    return redirect("assessments:overview")
