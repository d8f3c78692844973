"""Where each role lands after logging in, and the office's unlock of locked logins."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..models import Role
from ..scope import account_of, role_required
from ..selectors.accounts import locked_logins


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


@role_required(Role.OFFICE, write=True)
def locked_list(request):
    """Logins of the office's scope locked after wrong passwords, with an unlock button."""
    return render(request, "cadres/accounts/locked.html", {"locked": locked_logins(request.user)})


@require_POST
@role_required(Role.OFFICE, write=True)
def login_unlock(request):
    username = request.POST.get("username", "")
    if not locked_logins(request.user).filter(username=username).exists():
        raise Http404
    services.login_unlock(username=username)
    messages.success(request, _("The login %(name)s is unlocked.") % {"name": username})
    return redirect("cadres:locked_list")


urlpatterns = [
    path("accounts/locked/", locked_list, name="locked_list"),
    path("accounts/unlock/", login_unlock, name="login_unlock"),
]
