from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "welfare.territory"
    verbose_name = _("District and municipalities")
