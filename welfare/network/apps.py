from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "welfare.network"
    verbose_name = _("The district's network: people and roles")
