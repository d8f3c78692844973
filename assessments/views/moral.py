"""Moral assessment (量化考德): the year's template and rounds, turnout, ballot codes and
printable slips, results — and the public, anonymous ballot.

The ballot code is a bearer secret: it travels only in POST bodies (never in a path or a query
string, so access logs never record it), the QR on a slip carries it in the URL fragment, and
these views never log it."""

import datetime as dt
import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from cadres.models import Role
from cadres.scope import STAFF_ROLES, can_write, get_for_user, role_required
from kaohe.lib.forms import apply_errors
from kaohe.lib.http import client_ip
from kaohe.lib.ratelimit import Limit

from ..forms.moral import BallotForm, CodeForm, CodesIssueForm, MoralRoundForm, SlipFilterForm
from ..models import MoralRound, RaterGroup
from ..selectors import moral as selectors
from ..selectors.catalog import year_detail
from ..selectors.inspections import assessable_units
from ..services import moral as services

logger = logging.getLogger(__name__)


def _ballot_url(request) -> str:
    return request.build_absolute_uri(reverse("ballot:enter"))


@role_required(*STAFF_ROLES)
def moral_home(request, pk):
    year = get_for_user(request, year_detail, pk)
    return render(
        request,
        "assessments/moral/home.html",
        {
            "year": year,
            "template": selectors.template_detail(year),
            "rounds": selectors.round_list(year),
        },
    )


@require_POST
@role_required(Role.OFFICE, write=True)
def moral_template_create(request, pk):
    year = get_for_user(request, year_detail, pk, write=True)
    try:
        services.moral_template_create(year=year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The default moral-assessment template was created."))
    return redirect("assessments:moral_home", pk=year.pk)


@role_required(Role.OFFICE, write=True)
def moral_round_create(request, pk):
    year = get_for_user(request, year_detail, pk, write=True)
    today = timezone.localdate()
    form = MoralRoundForm(
        request.POST or None,
        units=assessable_units(request.user, year),
        initial={"opens_on": today, "closes_on": today + dt.timedelta(days=14)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.moral_round_open(year=year, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Round %(name)s opened.") % {"name": round_.name})
            return redirect("assessments:moral_round", pk=round_.pk)
    return render(request, "assessments/moral/round_form.html", {"year": year, "form": form})


@role_required(*STAFF_ROLES)
def moral_round(request, pk):
    round_ = get_for_user(request, selectors.round_detail, pk)
    is_open = round_.status == MoralRound.Status.OPEN
    issue_form = None
    if is_open and can_write(request.user):
        issue_form = CodesIssueForm(units=selectors.round_units(round_))
    return render(
        request,
        "assessments/moral/round.html",
        {
            "round": round_,
            "year": round_.year,
            "turnout": selectors.round_turnout(round_),
            "results": None if is_open else selectors.round_results(round_),
            "issue_form": issue_form,
            "ballot_url": _ballot_url(request),
        },
    )


@require_POST
@role_required(Role.OFFICE, write=True)
def moral_codes_issue(request, pk):
    round_ = get_for_user(request, selectors.round_detail, pk, write=True)
    form = CodesIssueForm(request.POST, units=selectors.round_units(round_))
    if form.is_valid():
        try:
            codes = services.ballot_codes_issue(round_=round_, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(count)s codes issued to %(unit)s (%(group)s).")
                % {
                    "count": len(codes),
                    "unit": form.cleaned_data["unit"].name,
                    "group": RaterGroup(form.cleaned_data["group"]).label,
                },
            )
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("assessments:moral_round", pk=round_.pk)


@role_required(Role.OFFICE)
def moral_slips(request, pk):
    """Printable slips of the round's unused codes (3 × 8 on an A4 page)."""
    round_ = get_for_user(request, selectors.round_detail, pk)
    form = SlipFilterForm(request.GET or None, units=selectors.round_units(round_))
    filters = form.cleaned_data if form.is_valid() else {}
    pages = selectors.slip_pages(
        round_,
        ballot_url=_ballot_url(request),
        unit=filters.get("unit"),
        group=filters.get("group", ""),
    )
    return render(
        request,
        "assessments/moral/slips.html",
        {
            "round": round_,
            "year": round_.year,
            "form": form,
            "pages": pages,
            "count": sum(len(p) for p in pages),
            "ballot_url": _ballot_url(request),
        },
    )


@require_POST
@role_required(Role.OFFICE, write=True)
def moral_round_close(request, pk):
    round_ = get_for_user(request, selectors.round_detail, pk, write=True)
    try:
        results = services.moral_round_close(round_=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The round is closed; results computed for %(count)s cadres.")
            % {"count": len(results)},
        )
    return redirect("assessments:moral_round", pk=round_.pk)


urlpatterns = [
    path("years/<int:pk>/moral/", moral_home, name="moral_home"),
    path("years/<int:pk>/moral/template/", moral_template_create, name="moral_template_create"),
    path("years/<int:pk>/moral/rounds/new/", moral_round_create, name="moral_round_create"),
    path("moral/rounds/<int:pk>/", moral_round, name="moral_round"),
    path("moral/rounds/<int:pk>/codes/", moral_codes_issue, name="moral_codes_issue"),
    path("moral/rounds/<int:pk>/slips/", moral_slips, name="moral_slips"),
    path("moral/rounds/<int:pk>/close/", moral_round_close, name="moral_round_close"),
]


# The public ballot (no login; URLs in kaohe/ballot_urls.py) ---------------------------------


def _ballot_page(request, code, form: BallotForm, *, error: str = ""):
    return render(
        request,
        "ballot/ballot.html",
        {"code": code, "round": code.round, "form": form, "error": error},
    )


# Wrong ballot codes per address: a meeting room of raters behind one address makes a few
# typos; guessing codes needs thousands of tries.
BALLOT_GUESSES = Limit("ballot-code", limit=20, window=600)


def _code_or_refusal(request, form: CodeForm):
    """The ballot code the valid form names, or the page refusing it (counted against the
    address: past the limit, the address may try no more codes for a while)."""
    address = client_ip(request) or "-"
    if BALLOT_GUESSES.blocked(address):
        form.add_error(
            "code", _("Too many wrong codes from this computer. Try again in 10 minutes.")
        )
        return render(request, "ballot/enter.html", {"form": form}, status=429)
    try:
        return services.ballot_for_code(form.cleaned_data["code"])
    except ValidationError as error:
        BALLOT_GUESSES.hit(address)
        return _refused(request, form, error)


def _refused(request, form: CodeForm, error: ValidationError):
    """The code page with why the code was refused; a filled-in ballot is told that its
    answers were not kept (nothing of it has been saved)."""
    form.add_error("code", error)
    if "cast" in request.POST:
        form.add_error("code", _("The answers you filled in have not been saved."))
    return render(request, "ballot/enter.html", {"form": form})


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def ballot_enter(request):
    """GET: the code field. POST with a code: the ballot. POST with a code and answers: cast
    it, then the thank-you page. A refused code shows why, and nothing else."""
    form = CodeForm(request.POST or None)
    if request.method == "GET" or not form.is_valid():
        return render(request, "ballot/enter.html", {"form": form})
    code = _code_or_refusal(request, form)
    if isinstance(code, HttpResponse):
        return code
    cadres = list(services.round_cadres(code.round, code.unit))
    if not cadres:
        form.add_error("code", _("There is no cadre to rate on this ballot. Ask the office."))
        return render(request, "ballot/enter.html", {"form": form})
    items = selectors.ballot_items(code.round.year)
    if "cast" not in request.POST:
        return _ballot_page(request, code, BallotForm(cadres=cadres, items=items))
    ballot = BallotForm(request.POST, cadres=cadres, items=items)
    if not ballot.is_valid():
        return _ballot_page(
            request,
            code,
            ballot,
            error=_(
                "%(count)s answers are missing: they are marked in red. Your other answers "
                "are kept; nothing has been saved yet."
            )
            % {"count": ballot.missing()},
        )
    return _cast(request, form, code, ballot)


def _cast(request, form, code, ballot):
    """Cast the ballot; a refusal shows why, a busy database (SQLite's "database is locked"
    when many raters submit at once) asks to submit again: nothing was saved."""
    try:
        services.ballot_cast(code=code.code, answers=ballot.answers())
    except ValidationError as error:
        return _refused(request, form, error)
    except OperationalError:
        logger.warning("ballot: the database was busy; the rater is asked to submit again")
        busy = _(
            "Many raters are submitting at this moment. Nothing was saved yet: press Submit again."
        )
        return _ballot_page(request, code, ballot, error=busy)
    return redirect("ballot:done")


@never_cache
@require_http_methods(["GET"])
def ballot_done(request):
    return render(request, "ballot/done.html")
