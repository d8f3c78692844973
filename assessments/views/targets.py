"""targets pages."""

urlpatterns = []
