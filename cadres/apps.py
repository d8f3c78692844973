from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("Organization and cadres")

    def ready(self) -> None:
        # The project's own system checks (the production secret key) register on import.
        from kaohe.lib import checks  # noqa: F401
