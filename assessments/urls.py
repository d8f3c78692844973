from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("years/", views.year_list, name="year_list"),
    path("years/new/", views.year_create, name="year_create"),
    path("years/<int:pk>/", views.catalog, name="catalog"),
    path("years/<int:pk>/edit/", views.year_edit, name="year_edit"),
    path("years/<int:pk>/status/", views.year_status, name="year_status"),
    path("years/<int:pk>/copy/", views.year_copy, name="year_copy"),
    path("years/<int:pk>/weights/", views.weights_edit, name="weights_edit"),
    path("years/<int:pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
]
