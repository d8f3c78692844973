from django.urls import path

from . import views, views_archive, views_integrity, views_training

app_name = "cadres"

urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("cadres/", views.cadre_list, name="cadre_list"),
    path("cadres/new/", views.cadre_create, name="cadre_create"),
    path("cadres/<int:pk>/", views.cadre_detail, name="cadre_detail"),
    path("cadres/<int:pk>/edit/", views.cadre_edit, name="cadre_edit"),
    path("cadres/<int:pk>/move/", views.cadre_move, name="cadre_move"),
    path("cadres/<int:pk>/ledger/", views.ledger_add, name="ledger_add"),
    path("me/", views.me, name="me"),
    *views_integrity.urlpatterns,
    *views_archive.urlpatterns,
    *views_training.urlpatterns,
]
