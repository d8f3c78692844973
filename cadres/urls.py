from .views import integrity, ledger, organization, training

app_name = "cadres"

urlpatterns = [
    *organization.urlpatterns,
    *ledger.urlpatterns,
    *integrity.urlpatterns,
    *training.urlpatterns,
]
