from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "welfare.assistance"
    verbose_name = _("Social Point work")
