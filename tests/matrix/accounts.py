"""Rows of the permission matrix: the office's account pages, locked logins and their unlock,
and the password change every login may make."""

from cadres.models import Account

from .base import OFFICE_ONLY, OFFICE_POST

EVERY_ROLE = {"office": 200, "leader": 200, "liaison": 200, "cadre": 200}

ROWS = {
    "cadres:accounts": ("get", None, OFFICE_ONLY, {}),
    "cadres:account_create": ("get", None, OFFICE_ONLY, {}),
    "cadres:account_detail": ("get", "account", OFFICE_ONLY, {}),
    "cadres:cadre_logins": ("get", None, OFFICE_ONLY, {}),
    "cadres:account_edit": ("get", "account", OFFICE_ONLY, {}),
    # The office gets the printable slip with the new initial password.
    "cadres:account_reset": ("post", "account", OFFICE_ONLY, {}),
    "cadres:account_active": ("post", "account", OFFICE_POST, {"active": "1"}),
    "cadres:password_change": ("get", None, EVERY_ROLE, {}),
    "cadres:locked_list": ("get", None, OFFICE_ONLY, {}),
    # Nothing is locked in the matrix's world: the office's unlock of an unknown name is a 404.
    "cadres:login_unlock": (
        "post",
        None,
        {"office": 404, "leader": 403, "liaison": 403, "cadre": 403},
        {"username": "nobody"},
    ),
}


def objects(world):
    return {"account": Account.objects.get(user=world["users"]["liaison"])}
