"""The periodic schedules (周期任务): when the month-end bulletin, the warnings, the reminders
and the outbox flush run. Office staff read them; office staff of the top unit change them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import Role
from cadres.scope import role_required
from kaohe.lib.forms import apply_errors

from ..forms.schedules import ScheduleForm
from ..selectors.schedules import schedule_changes, schedule_rows
from ..services import schedules as services


@role_required(Role.OFFICE)
def schedules(request, form=None):
    context = {
        "rows": schedule_rows(),
        "changes": schedule_changes(),
        "editable": services.may_edit_schedules(request.user),
        "failed": form,
    }
    return render(request, "assessments/schedules.html", context)


@require_POST
@role_required(Role.OFFICE, write=True)
def schedule_edit(request):
    form = ScheduleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        time = data.get("time")
        try:
            services.schedule_update(
                name=data["name"],
                enabled=data["enabled"],
                by=request.user,
                hour=time.hour if time else None,
                minute=time.minute if time else None,
                every=data.get("every") if time is None else None,
            )
        except ValidationError as error:
            apply_errors(form, error)
    if form.errors:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    else:
        messages.success(request, _("The schedule is saved."))
    return redirect("assessments:schedules")


urlpatterns = [
    path("schedules/", schedules, name="schedules"),
    path("schedules/edit/", schedule_edit, name="schedule_edit"),
]
