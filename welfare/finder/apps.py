from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinderConfig(AppConfig):
    name = "welfare.finder"
    verbose_name = _("Needs finder")
