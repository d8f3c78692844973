"""The close-range identification ledger (近距离识别干部台账): office staff add a note to a
cadre's record; the record page lists them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.lib.forms import apply_errors

from .. import services
from ..forms import LedgerNoteForm
from ..models import Role
from ..scope import cadres_for, get_for_user, role_required


@require_POST
@role_required(Role.OFFICE, write=True)
def ledger_add(request, pk):
    """Add an entry to a cadre's close-range identification ledger."""
    cadre = get_for_user(request, cadres_for, pk, write=True)
    form = LedgerNoteForm(request.POST)
    if form.is_valid():
        try:
            services.ledger_note_add(cadre=cadre, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
    if form.errors:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    else:
        messages.success(request, _("Ledger entry recorded."))
    return redirect("cadres:cadre_detail", pk=cadre.pk)


urlpatterns = [
    path("cadres/<int:pk>/ledger/", ledger_add, name="ledger_add"),
]
