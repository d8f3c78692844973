"""progress pages."""

urlpatterns = []
