from .models import IntegrityEntry, IntegrityReadLog, Role
from .scope import account_of

# The staff navigation's sections, by the start of a page's URL name; the first match wins.
# Any other page of the assessments app belongs to the years (年度与指标).
NAV_SECTIONS = (
    (("overview",), "overview"),
    (("dashboard", "unit_profile"), "dashboard"),
    (("unit", "team"), "units"),
    (("cadre", "registration"), "cadres"),
    (("selection", "eligibility"), "selection"),
    (("training",), "training"),
    (("import_",), "import"),
    (("schedule",), "administration"),  # no item of its own: the button by the user name
)


def nav_section(url_name: str | None, app_name: str | None) -> str | None:
    """Which item of the staff navigation a page belongs to (at most one)."""
    name = url_name or ""
    for prefixes, section in NAV_SECTIONS:
        if name.startswith(prefixes):
            return section
    return "years" if app_name == "assessments" else None


def role(request):
    """The current account and role for the navigation, and the page's navigation section."""
    account = account_of(getattr(request, "user", None)) if hasattr(request, "user") else None
    match = getattr(request, "resolver_match", None)
    return {
        "account": account,
        "role": account.role if account else None,
        "Role": Role,
        "can_write": bool(account and account.role == Role.OFFICE),
        "nav": nav_section(match.url_name, match.app_name) if match else None,
        # The integrity read log's menu item (the page itself checks the permission).
        "reads_integrity_log": bool(
            account
            and account.role in (Role.OFFICE, Role.LEADER)
            and (request.user.is_superuser or account.reads_integrity_log)
        ),
    }


CHOICES = {"EntryStatus": IntegrityEntry.Status, "ReadAction": IntegrityReadLog.Action}


def choices(request):
    """The cadres' choices the templates compare against, by name (as ``Role`` above)."""
    return CHOICES
