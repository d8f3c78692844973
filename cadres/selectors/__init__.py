"""Reads for the organization pages, one module per part (organization, integrity, training).
The organization's reads are importable from here."""

from .organization import (
    cadre_detail,
    cadre_list,
    unit_children,
    unit_detail,
    unit_list,
    unit_tree_top,
)

__all__ = [
    "cadre_detail",
    "cadre_list",
    "unit_children",
    "unit_detail",
    "unit_list",
    "unit_tree_top",
]
