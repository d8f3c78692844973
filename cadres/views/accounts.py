"""Accounts: where each role lands after logging in; the office's account pages (a new login
with a printed initial password, a reset, deactivation, the history of changes, the unlock of
locked logins); and the password change a first login must make."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kaohe.lib.forms import apply_errors

from .. import services
from ..forms.accounts import AccountEditForm, AccountFilterForm, AccountForm, CadreLoginsForm
from ..models import Role
from ..scope import account_of, get_for_user, role_required
from ..selectors.accounts import account_changes, account_list, accounts_for, locked_logins


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
    if account.role == Role.LEAD:
        return redirect("assessments:lead_home")
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
    services.login_unlock(username=username, by=request.user)
    messages.success(request, _("The login %(name)s is unlocked.") % {"name": username})
    return redirect("cadres:locked_list")


@role_required(Role.OFFICE, write=True)
def accounts(request):
    """The logins of the office's scope, by unit, filtered by role or name."""
    form = AccountFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = account_list(request.user, role=filters.get("role", ""), q=filters.get("q", ""))
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cadres/accounts/list.html", {"form": form, "page": page})


def _slip(request, account, password: str):
    """The printable slip with an initial password: shown once, never stored (the views that
    show it are never_cache, which sends no-store)."""
    return render(request, "cadres/accounts/slip.html", {"subject": account, "password": password})


@never_cache
@role_required(Role.OFFICE, write=True)
def account_create(request):
    form = AccountForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account, password = services.account_open(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _slip(request, account, password)
    return render(request, "cadres/accounts/form.html", {"form": form})


@never_cache
@role_required(Role.OFFICE, write=True)
def cadre_logins(request):
    """Logins for many cadres at once: tick the cadres, print one slip each."""
    form = CadreLoginsForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.accounts_open_for_cadres(
                cadres=form.cleaned_data["cadres"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return render(request, "cadres/accounts/slips.html", {"slips": opened})
    return render(request, "cadres/accounts/cadre_logins.html", {"form": form})


@role_required(Role.OFFICE, write=True)
def account_detail(request, pk):
    account = get_for_user(request, accounts_for, pk, write=True)
    context = {"subject": account, "changes": account_changes(account)}
    return render(request, "cadres/accounts/detail.html", context)


@role_required(Role.OFFICE, write=True)
def account_edit(request, pk):
    """Another role or scope (within the office's own subtree) for a login of the scope."""
    account = get_for_user(request, accounts_for, pk, write=True)
    if account.role == Role.CADRE:
        raise Http404  # a cadre's login follows the cadre: there is nothing to edit
    initial = {"role": account.role, "unit": account.unit}
    form = AccountEditForm(request.POST or None, initial=initial, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_update(account=account, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The role and scope are saved."))
            return redirect("cadres:account_detail", pk=account.pk)
    return render(request, "cadres/accounts/edit.html", {"form": form, "subject": account})


@never_cache
@require_POST
@role_required(Role.OFFICE, write=True)
def account_reset(request, pk):
    account = get_for_user(request, accounts_for, pk, write=True)
    return _slip(
        request, account, services.account_password_reset(account=account, by=request.user)
    )


@require_POST
@role_required(Role.OFFICE, write=True)
def account_active(request, pk):
    account = get_for_user(request, accounts_for, pk, write=True)
    active = request.POST.get("active") == "1"
    try:
        services.account_set_active(account=account, active=active, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = _("%(name)s can log in again.") if active else _("%(name)s can no longer log in.")
        messages.success(request, done % {"name": account.user.username})
    return redirect("cadres:account_detail", pk=account.pk)


class PasswordChange(auth_views.PasswordChangeView):
    """Django's password change; it also ends a forced change after an initial password."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=self.request.user)
        messages.success(self.request, _("Your password is changed."))
        return response


urlpatterns = [
    path("accounts/", accounts, name="accounts"),
    path("accounts/new/", account_create, name="account_create"),
    path("accounts/cadres/", cadre_logins, name="cadre_logins"),
    path("accounts/<int:pk>/", account_detail, name="account_detail"),
    path("accounts/<int:pk>/edit/", account_edit, name="account_edit"),
    path("accounts/<int:pk>/reset/", account_reset, name="account_reset"),
    path("accounts/<int:pk>/active/", account_active, name="account_active"),
    path("password/", PasswordChange.as_view(), name="password_change"),
    path("accounts/locked/", locked_list, name="locked_list"),
    path("accounts/unlock/", login_unlock, name="login_unlock"),
]
