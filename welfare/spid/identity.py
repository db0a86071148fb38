"""From a SPID or CIE identity to a resident's account: the codice fiscale (fiscalNumber, "TINIT-…") is the key.

- An account with that codice fiscale whose identity was verified before, or registered at a Social Point desk (the
  operator saw the document), is logged in at once.
- A password account with that codice fiscale is linked once its owner confirms their password.
- Nobody with that codice fiscale: the resident completes the registration (residence, contact, privacy notice).

Every write records the resident as actor, in one transaction, with an audit entry.
"""

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.accounts.actions import do_create_citizen_profile, do_create_user, take_over_registration
from welfare.accounts.models import AssistedRegistration, CitizenProfile, User
from welfare.audit.actions import record
from welfare.lib.codice_fiscale import (
    normalise_codice_fiscale,
    validate_birth_date_against_code,
    validate_codice_fiscale,
)
from welfare.lib.mail import has_real_email
from welfare.territory.models import Municipality

SESSION_KEY = "spid_identity"
PROFILE_FIELDS = {"name": "first_name", "familyName": "last_name", "dateOfBirth": "birth_date", "email": "email",
                  "fiscalNumber": "codice_fiscale"}  # fmt: skip


class IdentityRefused(Exception):
    """The identity provider's answer cannot open an account (no valid codice fiscale, account closed)."""


@dataclass
class Identity:
    federation: Literal["spid", "cie"]
    codice_fiscale: str
    first_name: str = ""
    last_name: str = ""
    birth_date: str = ""  # ISO date, so that the identity fits in the session as it is
    email: str = ""
    level: str = ""
    fields: list[str] = field(default_factory=list)  # the profile fields the identity provider gave

    @property
    def birth(self) -> dt.date | None:
        return dt.date.fromisoformat(self.birth_date) if self.birth_date else None

    def as_session(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_session(cls, data: Any) -> "Identity | None":
        if not isinstance(data, dict):
            return None
        try:
            return cls(**data)
        except TypeError:
            return None


def _first(attributes: dict[str, list[str]], name: str) -> str:
    values = attributes.get(name) or []
    return str(values[0]).strip() if values else ""


def identity_from_attributes(federation: Literal["spid", "cie"], attributes: dict[str, list[str]],
                             level: str) -> Identity:  # fmt: skip
    raw = _first(attributes, "fiscalNumber")
    code = normalise_codice_fiscale(raw.removeprefix("TINIT-"))
    try:
        validate_codice_fiscale(code)
    except ValidationError as error:
        raise IdentityRefused("no valid fiscalNumber") from error
    identity = Identity(federation=federation, codice_fiscale=code, level=level, fields=["codice_fiscale"])
    identity.first_name = _first(attributes, "name")[:100]
    identity.last_name = _first(attributes, "familyName")[:100]
    birth = _first(attributes, "dateOfBirth")
    try:
        born = dt.date.fromisoformat(birth) if birth else None
        if born is not None:
            validate_birth_date_against_code(code, born)
            identity.birth_date = born.isoformat()
    except (ValueError, ValidationError):
        pass  # a date that does not match the codice fiscale is not taken: the resident types it
    email = _first(attributes, "email").lower()
    if email and "@" in email and len(email) <= 254:
        identity.email = email
    for name in PROFILE_FIELDS.values():
        if name != "codice_fiscale" and getattr(identity, name):
            identity.fields.append(name)
    return identity


Outcome = Literal["login", "confirm", "register", "reopen"]


def what_to_do(identity: Identity) -> tuple[Outcome, User | None]:
    """Log in, ask the owner of a password account to confirm, complete a new registration, or offer to reopen an
    account its owner closed (before the end of its retention anonymised it)."""
    profile = CitizenProfile.objects.select_related("user").filter(codice_fiscale=identity.codice_fiscale).first()
    if profile is None:
        return "register", None
    user = profile.user
    if profile.restricted_at is not None:
        return "reopen", user
    if not user.is_active:
        raise IdentityRefused("account deactivated")
    assisted = AssistedRegistration.objects.filter(profile=profile, taken_over_at__isnull=True).exists()
    if profile.identity_verified_with or assisted or not user.has_usable_password():
        return "login", user
    return "confirm", user


def _apply_identity(profile: CitizenProfile, identity: Identity) -> list[str]:
    """The verified values replace what was typed; returns the fields that changed."""
    user = profile.user
    changed = []
    for obj, name, value in (
        (user, "first_name", identity.first_name),
        (user, "last_name", identity.last_name),
        (profile, "birth_date", identity.birth),
    ):
        if value and getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    user.save(update_fields=["first_name", "last_name"])
    profile.identity_verified_with = identity.federation
    profile.identity_verified_at = timezone.now()
    # The email counts as given by the identity provider only while the account uses that very address.
    profile.identity_verified_fields = [
        name for name in identity.fields if name != "email" or user.email == identity.email
    ]
    profile.save()
    return changed


@transaction.atomic
def do_log_in_with_identity(user: User, identity: Identity) -> None:
    """The identity of an existing account, verified now: its names and date of birth follow the identity; an
    account registered at a Social Point desk becomes the resident's own (the desk's management ends)."""
    profile = CitizenProfile.objects.select_for_update().select_related("user").get(user=user)
    registration = AssistedRegistration.objects.filter(profile=profile, taken_over_at__isnull=True).first()
    if registration is not None:
        email = identity.email if identity.email and not User.objects.filter(email__iexact=identity.email).exclude(
            pk=user.pk).exists() else user.email  # fmt: skip
        take_over_registration(registration, email=email, password=None, email_verified=bool(identity.email)
                               and email == identity.email)  # fmt: skip
        user.refresh_from_db()
    first_time = not profile.identity_verified_with
    changed = _apply_identity(profile, identity)
    if first_time:
        record(user, "citizen_profile.identity_verified", profile, on_behalf_of=None, federation=identity.federation,
               fields=profile.identity_verified_fields, changed=changed)  # fmt: skip
    record(user, "user.logged_in_with_identity", user, on_behalf_of=None, federation=identity.federation,
           level=identity.level)  # fmt: skip


@transaction.atomic
def do_register_with_identity(identity: Identity, *, email: str, municipality: Municipality, phone: str,
                              contact_channel: str, postal_address: str, language: str) -> User:  # fmt: skip
    """A new resident's account from their identity: no password (they come back with SPID or CIE); the email is
    verified when it is the one the identity provider gave."""
    address = email.strip().lower()
    if CitizenProfile.objects.filter(codice_fiscale=identity.codice_fiscale).exists():
        raise ValidationError(_("This codice fiscale is already registered."), code="codice_fiscale_taken")
    if User.objects.filter(email__iexact=address).exists():
        raise ValidationError(
            _("This email address belongs to another account: write another one, or log in with that account's "
              "password first."),
            code="email_taken",
        )  # fmt: skip
    if identity.birth is None:
        raise ValidationError(_("The date of birth is missing."), code="birth_date")
    user = do_create_user(address, actor=None, first_name=identity.first_name, last_name=identity.last_name,
                          email_verified=has_real_email(address) and address == identity.email,
                          preferred_language=language)  # fmt: skip
    user.set_unusable_password()
    user.save(update_fields=["password"])
    profile = do_create_citizen_profile(
        user, actor=user, first_name=identity.first_name, last_name=identity.last_name,
        codice_fiscale=identity.codice_fiscale, birth_date=identity.birth, municipality=municipality, phone=phone,
        contact_channel=contact_channel, postal_address=postal_address,
    )  # fmt: skip
    _apply_identity(profile, identity)
    record(user, "citizen_profile.identity_verified", profile, on_behalf_of=None, federation=identity.federation,
           fields=profile.identity_verified_fields, changed=[])  # fmt: skip
    return user


@transaction.atomic
def do_reopen_account(user: User, identity: Identity, *, email: str) -> None:
    """The owner of a closed account comes back with SPID/CIE: the restriction ends, the account works again (what
    was deleted at the closure stays deleted), with the email they give now."""
    profile = CitizenProfile.objects.select_for_update().select_related("user").get(user=user)
    if profile.restricted_at is None:
        raise ValidationError(_("This account is not closed."), code="not_closed")
    address = email.strip().lower()
    if User.objects.filter(email__iexact=address).exclude(pk=user.pk).exists():
        raise ValidationError(
            _("This email address belongs to another account: write another one, or log in with that account's "
              "password first."),
            code="email_taken",
        )  # fmt: skip
    user.email, user.is_active = address, True
    user.save(update_fields=["email", "is_active"])
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=address, primary=True,
                                verified=has_real_email(address) and address == identity.email)  # fmt: skip
    profile.restricted_at, profile.restriction_reason = None, ""
    profile.save(update_fields=["restricted_at", "restriction_reason"])
    _apply_identity(profile, identity)
    record(user, "account.reopened", profile, on_behalf_of=None, federation=identity.federation)
