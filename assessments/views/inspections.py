"""inspections pages."""

urlpatterns = []
