"""Forms for the assessment pages, one module per part of the year (catalog, progress,
inspections, moral, moral_template, eligibility, consequences, archive). The catalog's and
targets' forms are importable from here."""
