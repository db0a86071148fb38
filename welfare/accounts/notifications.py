"""Messages to people about their account. No personal data beyond what the recipient already knows."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from welfare.accounts.models import CitizenProfile, User
from welfare.lib.mail import absolute_url, send_after_commit


def send_codice_fiscale_already_registered(request: HttpRequest, codice_fiscale: str, submitted_email: str) -> None:
    """A sign-up used a codice fiscale that is already registered.

    The owner is warned (someone may be impersonating them); the person who tried is told,
    without saying whether the code exists, how to get help. The page they see is the
    ordinary "check your email" page, so nobody learns from the site who is registered.
    """
    owner = send_codice_fiscale_owner_warning(request, codice_fiscale)
    links = _links(request)
    if submitted_email.lower() != owner.email.lower():
        language = translation.get_language() or settings.LANGUAGE_CODE
        send_after_commit("accounts/email/signup_not_completed", submitted_email, links, language)


def send_codice_fiscale_owner_warning(request: HttpRequest, codice_fiscale: str) -> User:
    """Someone tried to use a registered codice fiscale for another account: its owner is told. Returns the owner."""
    owner = CitizenProfile.objects.select_related("user").get(codice_fiscale=codice_fiscale).user
    send_after_commit(
        "accounts/email/codice_fiscale_owner_warning", owner.email, _links(request), owner.preferred_language
    )
    return owner


def _links(request: HttpRequest) -> dict[str, str]:
    return {
        "login_url": absolute_url(reverse("account_login"), request),
        "reset_url": absolute_url(reverse("account_reset_password"), request),
        "social_points_url": absolute_url(reverse("portal:social_points"), request),
    }
