"""Forms for the organization pages, one module per part (organization, ledger, integrity,
training). The organization's and the ledger's forms are importable from here."""

from .ledger import LedgerNoteForm
from .organization import CadreFilterForm, CadreForm, CadreMoveForm, UnitForm

__all__ = ["CadreFilterForm", "CadreForm", "CadreMoveForm", "LedgerNoteForm", "UnitForm"]
