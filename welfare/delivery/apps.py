from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "welfare.delivery"
    verbose_name = _("Delivered sessions and statements")
