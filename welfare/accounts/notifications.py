"""Messages to people about their account. No personal data beyond what the recipient already knows."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from welfare.accounts.models import CitizenProfile, Delegation, User
from welfare.lib.dates import written_date
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


def send_delegation_granted(delegation: Delegation) -> None:
    """The person delegated learns it, with what they may do and for whom (a Social Point sees it on its console)."""
    delegate = delegation.delegate_user
    if delegate is None:
        return
    language = delegate.preferred_language
    with translation.override(language):
        powers = [str(_("see the requests"))]
        if delegation.may_request:
            powers.append(str(_("request services")))
        if delegation.may_manage_vouchers:
            powers.append(str(_("manage vouchers")))
        covered = [delegation.granter.user.get_full_name() if delegation.covers_self else ""]
        covered += [member.full_name for member in delegation.beneficiaries.all()]
        context = {
            "granter": delegation.granter.user.get_full_name(),
            "starts_on": written_date(delegation.starts_on, language),
            "ends_on": written_date(delegation.ends_on, language),
            "powers": ", ".join(powers), "covers": ", ".join(name for name in covered if name),
            "link": absolute_url(reverse("accounts:act_for")),
        }  # fmt: skip
    send_after_commit("accounts/email/delegation_granted", delegate.email, context, language)


def send_delegation_revoked(delegation: Delegation) -> None:
    delegate = delegation.delegate_user
    if delegate is None or delegation.revoked_at is None:
        return
    language = delegate.preferred_language
    context = {
        "granter": delegation.granter.user.get_full_name(),
        "day": written_date(timezone.localdate(delegation.revoked_at), language),
        "social_points_url": absolute_url(reverse("portal:social_points")),
    }
    send_after_commit("accounts/email/delegation_revoked", delegate.email, context, language)
