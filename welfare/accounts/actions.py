"""Every write to accounts, profiles and roles. Each runs in one transaction and leaves an audit entry."""

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.accounts.models import (
    ROLE_SCOPE_FIELD,
    ApiToken,
    CitizenProfile,
    HouseholdMember,
    Membership,
    Role,
    User,
)
from welfare.audit.actions import record
from welfare.lib.codice_fiscale import (
    normalise_codice_fiscale,
    validate_birth_date_against_code,
    validate_codice_fiscale,
)
from welfare.lib.encryption import encrypt
from welfare.territory.models import Municipality


@transaction.atomic
def do_create_citizen_profile(
    user: User,
    *,
    actor: User,
    first_name: str,
    last_name: str,
    codice_fiscale: str,
    birth_date: dt.date,
    municipality: Municipality,
    phone: str = "",
    contact_channel: str = CitizenProfile.ContactChannel.EMAIL,
    privacy_notice_version: str | None = None,
) -> CitizenProfile:
    """Make `user` a resident known to the portal: identity, residence and privacy consent."""
    code = normalise_codice_fiscale(codice_fiscale)
    validate_codice_fiscale(code)
    validate_birth_date_against_code(code, birth_date)
    if CitizenProfile.objects.filter(codice_fiscale=code).exists():
        raise ValidationError(_("This codice fiscale is already registered."), code="codice_fiscale_taken")
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    profile = CitizenProfile.objects.create(
        user=user,
        codice_fiscale=code,
        birth_date=birth_date,
        municipality=municipality,
        phone=phone.strip(),
        contact_channel=contact_channel,
        privacy_notice_version=privacy_notice_version or settings.PRIVACY_NOTICE_VERSION,
        privacy_accepted_at=timezone.now(),
    )
    record(
        actor,
        "citizen_profile.created",
        profile,
        on_behalf_of=user,
        privacy_notice_version=profile.privacy_notice_version,
    )
    return profile


@transaction.atomic
def do_update_citizen_profile(
    profile: CitizenProfile,
    *,
    actor: User,
    first_name: str,
    last_name: str,
    birth_date: dt.date,
    municipality: Municipality,
    phone: str,
    contact_channel: str,
    preferred_language: str,
) -> list[str]:
    """Change what the citizen may change. Returns the names of the fields that changed."""
    validate_birth_date_against_code(profile.codice_fiscale, birth_date)
    user = profile.user
    changed: list[str] = []
    for obj, field, value in (
        (user, "first_name", first_name.strip()),
        (user, "last_name", last_name.strip()),
        (profile, "birth_date", birth_date),
        (profile, "municipality", municipality),
        (profile, "phone", phone.strip()),
        (profile, "contact_channel", contact_channel),
        (user, "preferred_language", preferred_language),
    ):
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed.append(field)
    if changed:
        if user_fields := [f for f in changed if f in ("first_name", "last_name", "preferred_language")]:
            user.save(update_fields=user_fields)
        profile.save()
        record(actor, "citizen_profile.updated", profile, on_behalf_of=user, fields=changed)
    return changed


@transaction.atomic
def do_set_preferred_language(user: User, language: str, *, actor: User) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("This language is not available."), code="language")
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        record(actor, "user.language_set", user, on_behalf_of=user, language=language)


@transaction.atomic
def do_create_user(
    email: str,
    *,
    actor: User | None,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    email_verified: bool = False,
    preferred_language: str = "it",
) -> User:
    """Create an account outside the sign-up form (staff, demo, assisted registration)."""
    user = User.objects.create_user(
        email,
        password,
        first_name=first_name,
        last_name=last_name,
        preferred_language=preferred_language,
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_verified)
    record(actor, "user.created", user)
    return user


@transaction.atomic
def do_grant_membership(user: User, role: Role, scope: models.Model, *, actor: User | None) -> Membership:
    """Give `user` the staff `role` at `scope` (a Social Point, organisation, municipality…)."""
    lookup: dict[str, Any] = {"user": user, "role": role, ROLE_SCOPE_FIELD[role]: scope}
    membership, created = Membership.objects.get_or_create(**lookup)
    if created:
        record(actor, "membership.granted", membership, on_behalf_of=None, role=str(role), scope_id=str(scope.pk))
    return membership


@transaction.atomic
def do_revoke_membership(membership: Membership, *, actor: User | None) -> None:
    record(actor, "membership.revoked", membership, role=membership.role, scope_id=str(membership.scope.pk))
    membership.delete()


@transaction.atomic
def do_add_household_member(
    profile: CitizenProfile,
    *,
    actor: User,
    first_name: str,
    last_name: str,
    codice_fiscale: str,
    birth_date: dt.date,
    relationship: str,
    disability_certified: bool = False,
    support_notes: str = "",
) -> HouseholdMember:
    code = normalise_codice_fiscale(codice_fiscale)
    validate_codice_fiscale(code)
    validate_birth_date_against_code(code, birth_date)
    if code == profile.codice_fiscale or profile.household.filter(codice_fiscale=code).exists():
        raise ValidationError(_("This person is already in your household."), code="duplicate_member")
    member = HouseholdMember.objects.create(
        owner=profile,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        codice_fiscale=code,
        birth_date=birth_date,
        relationship=relationship,
        support_needs_encrypted=encrypt_support_needs(disability_certified, support_notes),
    )
    record(actor, "household_member.added", member, on_behalf_of=profile.user, relationship=relationship)
    return member


@transaction.atomic
def do_remove_household_member(member: HouseholdMember, *, actor: User) -> None:
    if member.service_requests.exists():
        raise ValidationError(
            _("This person has service requests: they stay in the household so that their history is kept."),
            code="has_requests",
        )
    record(actor, "household_member.removed", member, on_behalf_of=member.owner.user)
    member.delete()


def encrypt_support_needs(disability_certified: bool, notes: str) -> str:
    if not disability_certified and not notes.strip():
        return ""
    return encrypt(json.dumps({"disability_certified": disability_certified, "notes": notes.strip()}))


TOKEN_PREFIX = "wi_"  # noqa: S105 (a marker, not a secret)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def do_create_api_token(user: User, *, actor: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is never stored and never shown again."""
    if not name.strip():
        raise ValidationError(_("Give the token a name, e.g. the software that will use it."), code="name_required")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:100], prefix=secret[:10], token_hash=hash_token(secret)
    )
    record(actor, "api_token.created", token, on_behalf_of=user)
    return token, secret


@transaction.atomic
def do_revoke_api_token(token: ApiToken, *, actor: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, "api_token.revoked", token, on_behalf_of=token.user)
