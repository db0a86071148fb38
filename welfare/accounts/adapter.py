from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from welfare.accounts.models import User
from welfare.audit.actions import record
from welfare.lib.mail import absolute_url, has_real_email, send_rendered_email
from welfare.territory.queries import district_for_pages


def portal_email_context() -> dict[str, Any]:
    """What the portal's own account emails say beside allauth's links: who writes, where to get help, how long
    a link works (templates in portal/templates/account/email)."""
    district = district_for_pages()  # cached, like every page's header
    return {
        "district_name": district.name if district is not None else "",
        "portal_url": absolute_url("/"),
        "social_points_url": absolute_url(reverse("portal:social_points")),
        "confirmation_days": settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS,
        "reset_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }


class AccountAdapter(DefaultAccountAdapter):
    """allauth writes accounts; this adapter adds our audit trail to those writes, and closes password sign-up and
    login to residents once the district opens SPID/CIE (settings.RESIDENT_PASSWORD_LOGIN)."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.RESIDENT_PASSWORD_LOGIN)

    def pre_login(self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> HttpResponse | None:
        if not settings.RESIDENT_PASSWORD_LOGIN and isinstance(user, User) and not _is_staff(user):
            messages.error(request, _("Residents log in with SPID or CIE (electronic identity card)."))
            return HttpResponseRedirect(reverse("account_login"))
        response: HttpResponse | None = super().pre_login(request, user, **kwargs)
        return response

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
        message = self.render_mail(template_prefix, email, context | portal_email_context())
        html = ""
        if isinstance(message, EmailMultiAlternatives):
            html = next((str(content) for content, mimetype in message.alternatives if mimetype == "text/html"), "")
        send_rendered_email.enqueue(str(message.subject), str(message.body), html, list(message.to),
                                    str(message.from_email))  # fmt: skip


def _is_staff(user: User) -> bool:
    return bool(user.is_staff or user.memberships.exists())
