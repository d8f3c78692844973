"""Who is assessed: the unit tree, cadres and posts, accounts, the ledger, the integrity archive
and training assignments, one module per part. Import from here."""

from .accounts import Account, AccountChange, Role
from .integrity import IntegrityEntry, IntegrityReadLog, IntegrityReporter, Sanction
from .ledger import LedgerNote
from .organization import (
    ASSESSED_KINDS,
    PATH_STEP,
    PRINCIPAL_IS_LEADING,
    Cadre,
    Post,
    PostKind,
    Rank,
    Unit,
)
from .training import TrainingAssignment

__all__ = [
    "ASSESSED_KINDS",
    "PATH_STEP",
    "PRINCIPAL_IS_LEADING",
    "Account",
    "AccountChange",
    "Cadre",
    "IntegrityEntry",
    "IntegrityReadLog",
    "IntegrityReporter",
    "LedgerNote",
    "Post",
    "PostKind",
    "Rank",
    "Role",
    "Sanction",
    "TrainingAssignment",
    "Unit",
]
