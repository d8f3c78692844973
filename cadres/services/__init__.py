"""Writes for the organization, one module per part (organization, accounts, ledger,
integrity, training). The organization's writes are importable from here."""

from .accounts import (
    account_create,
    account_grant,
    account_open,
    account_password_reset,
    account_set_active,
    account_update,
    accounts_open_for_cadres,
    login_unlock,
    password_changed,
)
from .ledger import ledger_note_add
from .organization import cadre_create, cadre_move, cadre_update, unit_create, unit_update

__all__ = [
    "account_create",
    "account_grant",
    "account_open",
    "account_password_reset",
    "account_set_active",
    "account_update",
    "accounts_open_for_cadres",
    "cadre_create",
    "cadre_move",
    "cadre_update",
    "ledger_note_add",
    "login_unlock",
    "password_changed",
    "unit_create",
    "unit_update",
]
