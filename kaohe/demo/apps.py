from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo county (隰县 in 2015) as an app of its own: its ``load_demo`` and ``bench``
    commands, the plans and the data. Nothing else in the project imports it."""

    name = "kaohe.demo"
    label = "demo"
    verbose_name = _("Demo county")
