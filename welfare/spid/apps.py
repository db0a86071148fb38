from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpidConfig(AppConfig):
    name = "welfare.spid"
    verbose_name = _("SPID and CIE login")
