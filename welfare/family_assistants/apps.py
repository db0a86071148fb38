from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamilyAssistantsConfig(AppConfig):
    name = "welfare.family_assistants"
    verbose_name = _("Family assistants")
