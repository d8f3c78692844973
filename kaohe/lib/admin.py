"""The Django admin, for superusers only. Office staff administer from the app's own pages;
the admin is the operator's tool, and its writes of units, cadres and accounts go through the
services (see cadres/admin.py)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)


class SuperuserAdminConfig(AdminConfig):
    default_site = "kaohe.lib.admin.SuperuserAdminSite"
