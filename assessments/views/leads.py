"""Lead assessing departments: the indicators a department leads, the units assessed on them,
and the deduction entries (扣分记录) it or the office enters and withdraws."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import Role
from cadres.scope import get_for_user, role_required
from kaohe.lib.forms import apply_errors

from .. import services
from ..forms.leads import DeductionForm, WithdrawForm
from ..selectors import leads as select

SCORERS = (Role.OFFICE, Role.LEAD)


@role_required(Role.LEAD)
def lead_home(request):
    """A lead department's home: the indicators it leads, every year."""
    indicators = select.led_indicator_list(request.user)
    return render(request, "assessments/leads/home.html", {"indicators": indicators})


@role_required(*SCORERS)
def lead_indicator(request, pk):
    """One led indicator: every unit assessed on it, its progress, evidence and entries."""
    indicator = get_for_user(request, select.led_indicator_detail, pk)
    targets = select.indicator_units(indicator)
    context = {"indicator": indicator, "year": indicator.year, "targets": targets}
    return render(request, "assessments/leads/indicator.html", context)


@role_required(*SCORERS)
def target_deductions(request, pk):
    target = get_for_user(request, select.target_deductions, pk)
    veto = target.indicator.is_veto
    form = DeductionForm(request.POST or None, request.FILES or None, veto=veto)
    if request.method == "POST" and form.is_valid():
        try:
            services.deduction_enter(target=target, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Deduction entry recorded."))
            return redirect("assessments:target_deductions", pk=target.pk)
    context = {
        "target": target,
        "year": target.year,
        "entries": select.entries_of(target),
        "form": form,
        "withdraw_form": WithdrawForm(),
    }
    return render(request, "assessments/leads/deductions.html", context)


@require_POST
@role_required(*SCORERS)
def deduction_withdraw(request, pk):
    entry = get_for_user(request, select.deductions_for, pk)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for the withdrawal."))
        services.deduction_withdraw(entry=entry, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Deduction entry withdrawn."))
    return redirect("assessments:target_deductions", pk=entry.target_id)


urlpatterns = [
    path("leads/", lead_home, name="lead_home"),
    path("leads/indicators/<int:pk>/", lead_indicator, name="lead_indicator"),
    path("targets/<int:pk>/deductions/", target_deductions, name="target_deductions"),
    path("deductions/<int:pk>/withdraw/", deduction_withdraw, name="deduction_withdraw"),
]
