from .views import bulletins, catalog, grading, inspections, moral, progress, scores, targets

app_name = "assessments"

urlpatterns = [
    *catalog.urlpatterns,
    *targets.urlpatterns,
    *progress.urlpatterns,
    *inspections.urlpatterns,
    *scores.urlpatterns,
    *bulletins.urlpatterns,
    *moral.urlpatterns,
    *grading.urlpatterns,
]
