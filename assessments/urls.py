from .views import bulletins, catalog, inspections, progress, scores, targets
from .views import grading

app_name = "assessments"

urlpatterns = [
    *catalog.urlpatterns,
    *targets.urlpatterns,
    *progress.urlpatterns,
    *inspections.urlpatterns,
    *scores.urlpatterns,
    *bulletins.urlpatterns,
    *grading.urlpatterns,
]
