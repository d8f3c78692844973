"""A login holding an initial password must set its own before doing anything else."""

from django.shortcuts import redirect
from django.urls import reverse

from .scope import account_of


class PasswordChangeRequired:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        account = account_of(request.user)
        if account is not None and account.must_change_password:
            allowed = (reverse("cadres:password_change"), reverse("logout"))
            if request.path not in allowed:
                return redirect("cadres:password_change")
        return self.get_response(request)
