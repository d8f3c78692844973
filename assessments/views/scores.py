"""scores pages."""

urlpatterns = []
