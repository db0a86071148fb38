from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import HttpRequest

from welfare.accounts.models import User
from welfare.audit.actions import record
from welfare.lib.mail import has_real_email, send_rendered_email


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

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Account emails (verification, password reset, "you already have an account") are rendered now and
        sent by the background worker, like every other email: a slow or failing mail server neither delays
        nor breaks the page, and every sign-up answer costs the same whatever the outcome."""
        if not has_real_email(email):
            return
        message = self.render_mail(template_prefix, email, context)
        html = ""
        if isinstance(message, EmailMultiAlternatives):
            html = next((str(content) for content, mimetype in message.alternatives if mimetype == "text/html"), "")
        send_rendered_email.enqueue(str(message.subject), str(message.body), html, list(message.to),
                                    str(message.from_email))  # fmt: skip
