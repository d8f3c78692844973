from .views import accounts, integrity, ledger, organization, training

app_name = "cadres"

urlpatterns = [
    *accounts.urlpatterns,
    *organization.urlpatterns,
    *ledger.urlpatterns,
    *integrity.urlpatterns,
    *training.urlpatterns,
]
