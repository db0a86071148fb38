from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "welfare.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added

        authenticator_added.connect(_second_factor_set_up, dispatch_uid="welfare.second_factor_set_up")


def _second_factor_set_up(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    """allauth tells when TOTP is set up; the code just typed proves the second factor for this session."""
    from welfare.accounts.second_factor import record_second_factor

    if request is not None and authenticator.type == authenticator.Type.TOTP:
        record_second_factor(request, user, authenticator)
