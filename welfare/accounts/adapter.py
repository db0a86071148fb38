from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest

from welfare.accounts.models import User
from welfare.audit.actions import record


class AccountAdapter(DefaultAccountAdapter):
    """allauth writes accounts; this adapter adds our audit trail to those writes."""

    def set_password(self, user: AbstractBaseUser, password: str) -> None:
        with transaction.atomic():
            super().set_password(user, password)
            assert isinstance(user, User)
            record(user, "user.password_set", user)

    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        with transaction.atomic():
            confirmed: bool = super().confirm_email(request, email_address)
            if confirmed:
                record(email_address.user, "user.email_confirmed", email_address.user)
        return confirmed
