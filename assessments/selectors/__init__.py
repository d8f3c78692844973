"""Reads for the assessment pages. Import from here."""

from .catalog import Catalog, catalog, overview_counts, year_list, years_for
from .progress import Color, TargetStatus, default_month, target_statuses

__all__ = [
    "Catalog",
    "Color",
    "TargetStatus",
    "catalog",
    "default_month",
    "overview_counts",
    "target_statuses",
    "year_list",
    "years_for",
]
