from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "welfare.care"
    verbose_name = _("Service requests")
