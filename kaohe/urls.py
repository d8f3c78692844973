from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cadres.views.accounts import home

urlpatterns = [
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("org/", include("cadres.urls")),
    path("assess/", include("assessments.urls")),
    path("ballot/", include("kaohe.ballot_urls")),
    path("admin/", admin.site.urls),
]
