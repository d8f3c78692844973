"""Reads for the assessment pages. Import from here."""

from .catalog import (
    Catalog,
    catalog,
    indicator_detail,
    overview_counts,
    year_detail,
    year_list,
    years_for,
)
from .progress import Color, TargetStatus, default_month, target_statuses

__all__ = [
    "Catalog",
    "Color",
    "TargetStatus",
    "catalog",
    "default_month",
    "indicator_detail",
    "overview_counts",
    "target_statuses",
    "year_detail",
    "year_list",
    "years_for",
]
