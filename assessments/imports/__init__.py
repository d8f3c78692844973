"""Excel imports of units, cadres, the indicator catalog with weights, targets and monthly
progress. Each kind reads a workbook with Chinese headers and writes through the services, all
or nothing; ``run_import`` previews (always rolled back) or imports. See docs/import-format.md."""

from .base import FileRefused, Importer, Problem, Result, run_import, template_workbook
from .cadres import CadreImporter
from .catalog import CatalogImporter
from .logins import LoginImporter
from .midterm import MidtermImporter
from .progress import ProgressImporter
from .targets import TargetImporter
from .units import UnitImporter

KINDS: dict[str, type[Importer]] = {
    cls.kind: cls
    for cls in (
        UnitImporter,
        CadreImporter,
        LoginImporter,
        CatalogImporter,
        TargetImporter,
        ProgressImporter,
        MidtermImporter,
    )
}

__all__ = [
    "KINDS",
    "FileRefused",
    "Importer",
    "Problem",
    "Result",
    "run_import",
    "template_workbook",
]
