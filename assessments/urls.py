from .views import (
    archive,
    bulletins,
    catalog,
    consequences,
    dashboard,
    eligibility,
    exports,
    grading,
    imports,
    inspections,
    moral,
    moral_template,
    progress,
    schedules,
    scoring,
    targets,
)

app_name = "assessments"

urlpatterns = [
    *catalog.urlpatterns,
    *targets.urlpatterns,
    *progress.urlpatterns,
    *inspections.urlpatterns,
    *scoring.urlpatterns,
    *bulletins.urlpatterns,
    *moral.urlpatterns,
    *moral_template.urlpatterns,
    *grading.urlpatterns,
    *imports.urlpatterns,
    *consequences.urlpatterns,
    *dashboard.urlpatterns,
    *exports.urlpatterns,
    *eligibility.urlpatterns,
    *archive.urlpatterns,
    *schedules.urlpatterns,
]
