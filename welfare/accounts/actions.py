"""Every write to accounts, profiles and roles. Each runs in one transaction and leaves an audit entry."""

import datetime as dt
import hashlib
import json
import secrets
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.accounts.access import Acting, forget_roles
from welfare.accounts.models import (
    ROLE_SCOPE_FIELD,
    ApiToken,
    AssistedRegistration,
    CitizenProfile,
    Delegation,
    HouseholdMember,
    IdempotencyRecord,
    Membership,
    Role,
    User,
)
from welfare.accounts.notifications import send_delegation_granted, send_delegation_revoked
from welfare.audit.actions import record
from welfare.lib.codice_fiscale import (
    normalise_codice_fiscale,
    validate_birth_date_against_code,
    validate_codice_fiscale,
)
from welfare.lib.encryption import encrypt
from welfare.lib.mail import NO_EMAIL_DOMAIN, absolute_url, send_after_commit
from welfare.lib.throttle import over_limit
from welfare.lib.unique import refused_if_duplicate
from welfare.territory.models import Municipality, SocialPoint


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
    postal_address: str = "",
) -> CitizenProfile:
    """Make `user` a resident known to the portal: identity, residence and privacy consent."""
    code = normalise_codice_fiscale(codice_fiscale)
    validate_codice_fiscale(code)
    validate_birth_date_against_code(code, birth_date)
    taken = ValidationError(_("This codice fiscale is already registered."), code="codice_fiscale_taken")
    if CitizenProfile.objects.filter(codice_fiscale=code).exists():
        raise taken
    user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    try:
        with transaction.atomic():
            profile = CitizenProfile.objects.create(
                user=user,
                codice_fiscale=code,
                birth_date=birth_date,
                municipality=municipality,
                phone=phone.strip(),
                postal_address=postal_address.strip(),
                contact_channel=contact_channel,
                privacy_notice_version=privacy_notice_version or settings.PRIVACY_NOTICE_VERSION,
                privacy_accepted_at=timezone.now(),
            )
    except IntegrityError:
        # Registered a moment ago by someone else (the unique constraint decides, not the check above).
        # The database error would quote the code; nothing of it is kept.
        if CitizenProfile.objects.filter(codice_fiscale=code).exists():
            raise taken from None
        raise
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
    postal_address: str = "",
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
        (profile, "postal_address", postal_address.strip()),
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
        forget_roles(user)
    return membership


@transaction.atomic
def do_revoke_membership(membership: Membership, *, actor: User | None) -> None:
    record(actor, "membership.revoked", membership, role=membership.role, scope_id=str(membership.scope.pk))
    membership.delete()
    forget_roles(membership.user)


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
    duplicate = ValidationError(_("This person is already in your household."), code="duplicate_member")
    if code == profile.codice_fiscale or profile.household.filter(codice_fiscale=code).exists():
        raise duplicate
    with refused_if_duplicate(duplicate):
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


def do_note_token_use(token: ApiToken) -> None:
    """When a token was last used, shown to its owner. Bookkeeping, not an event: no audit entry (every API call
    would be one), and a conditional update so that concurrent calls never wait on each other."""
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())


def do_store_idempotent_answer(user: User, *, key: str, fingerprint: str, status: int, body: Any) -> IdempotencyRecord:
    """Keep the first answer to an API write sent with an Idempotency-Key (inside the write's transaction).
    Raises IntegrityError when the same key was stored at the same moment by another call."""
    return IdempotencyRecord.objects.create(user=user, key=key, fingerprint=fingerprint, status=status, body=body)


def forget_old_idempotency_records() -> int:
    """Housekeeping: the answers kept past their replay window (IdempotencyRecord.KEPT_DAYS) are deleted."""
    cutoff = timezone.now() - dt.timedelta(days=IdempotencyRecord.KEPT_DAYS)
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def do_revoke_api_token(token: ApiToken, *, actor: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, "api_token.revoked", token, on_behalf_of=token.user)


# Delegations


@transaction.atomic
def do_grant_delegation(
    profile: CitizenProfile,
    *,
    actor: User,
    delegate_user: User | None = None,
    delegate_social_point: SocialPoint | None = None,
    may_request: bool,
    may_manage_vouchers: bool,
    covers_self: bool,
    beneficiaries: list[HouseholdMember],
    starts_on: dt.date,
    ends_on: dt.date,
) -> Delegation:
    """The citizen lets a person or a Social Point act for them, within a scope and a period."""
    if (delegate_user is None) == (delegate_social_point is None):
        raise ValidationError(_("Choose one person or one Social Point."), code="one_delegate")
    if delegate_user is not None and delegate_user.pk == profile.user_id:
        raise ValidationError(_("You cannot delegate yourself."), code="self_delegation")
    if ends_on < starts_on:
        raise ValidationError(_("The end date comes before the start date."), code="dates")
    if ends_on < timezone.localdate():
        raise ValidationError(_("The end date is in the past."), code="dates")
    if any(member.owner_id != profile.pk for member in beneficiaries):
        raise ValidationError(_("This person is not in your household."), code="not_household")
    if not covers_self and not beneficiaries:
        raise ValidationError(_("Choose at least one person the delegation covers."), code="nobody_covered")
    delegation = Delegation.objects.create(
        granter=profile,
        delegate_user=delegate_user,
        delegate_social_point=delegate_social_point,
        may_request=may_request,
        may_manage_vouchers=may_manage_vouchers,
        covers_self=covers_self,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    delegation.beneficiaries.set(beneficiaries)
    record(actor, "delegation.granted", delegation, on_behalf_of=profile.user,
           may_request=may_request, may_manage_vouchers=may_manage_vouchers)  # fmt: skip
    send_delegation_granted(delegation)
    return delegation


@transaction.atomic
def do_revoke_delegation(delegation: Delegation, *, actor: User) -> None:
    """Revocation takes effect at once: authority is checked again on every request."""
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.revoked_by = actor
        delegation.save(update_fields=["revoked_at", "revoked_by"])
        record(actor, "delegation.revoked", delegation, on_behalf_of=delegation.granter.user)
        send_delegation_revoked(delegation)


def open_social_point_delegation(
    profile: CitizenProfile, social_point: SocialPoint, *, actor: User, source: str, may_manage_vouchers: bool,
    starts_on: dt.date, ends_on: dt.date,
) -> Delegation:  # fmt: skip
    """The authority a Social Point gets over a whole household from an interview's consent or an assisted
    registration. A step of the action that records that event (called inside its transaction)."""
    return Delegation.objects.create(
        source=source, granter=profile, delegate_social_point=social_point, may_request=True,
        may_manage_vouchers=may_manage_vouchers, covers_self=True, covers_all_members=True,
        starts_on=min(starts_on, ends_on), ends_on=ends_on, created_by=actor,
    )  # fmt: skip


def end_delegations(delegations: models.QuerySet[Delegation], *, actor: User) -> int:
    """End the delegations still open among these, at once. A step of the action that says why."""
    return delegations.filter(revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=actor)


def do_start_acting(acting: Acting) -> None:
    """Not a change to anyone's data, but who looked at whose screens is worth keeping."""
    record(acting.actor, "acting.started", acting.citizen, on_behalf_of=acting.citizen)


# Assisted registration and takeover

ACTIVATION_DAYS = 60
# Wrong codes for one registration after which its Social Point is told (someone may be trying to take the
# account over). The code is not cancelled: that would let a stranger who knows the codice fiscale send the
# resident back to the desk. Guessing is stopped per client address instead, and a code has 50 random bits.
ACTIVATION_ALERT_ATTEMPTS = 5
TAKE_OVER_TRIES_PER_ADDRESS = 10  # an hour
ACTIVATION_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper


@transaction.atomic
def do_register_assisted_citizen(
    *,
    actor: User,
    social_point: SocialPoint,
    first_name: str,
    last_name: str,
    codice_fiscale: str,
    birth_date: dt.date,
    municipality: Municipality,
    email: str,
    phone: str,
    contact_channel: str,
    document_type: str,
    postal_address: str = "",
    document_number: str,
    consent_given: bool,
) -> AssistedRegistration:
    """An operator registers a resident at the desk: identity seen, consent given there and then."""
    if not consent_given:
        raise ValidationError(
            _("The resident must accept the privacy notice before being registered."), code="consent_required"
        )
    if not document_number.strip():
        raise ValidationError(_("Record the number of the identity document you checked."), code="document")
    if contact_channel == CitizenProfile.ContactChannel.EMAIL and not email.strip():
        raise ValidationError(_("Give an email address, or choose another way to contact the resident."),
                              code="email_required")  # fmt: skip
    if contact_channel in (CitizenProfile.ContactChannel.PHONE, CitizenProfile.ContactChannel.SMS) and not phone:
        raise ValidationError(_("Give a phone number, or choose another way to contact the resident."),
                              code="phone_required")  # fmt: skip
    address = email.strip().lower() or f"assistito-{secrets.token_hex(8)}@{NO_EMAIL_DOMAIN}"
    if User.objects.filter(email__iexact=address).exists():
        raise ValidationError(_("This email address already belongs to an account."), code="email_taken")
    user = do_create_user(address, actor=actor, first_name=first_name.strip(), last_name=last_name.strip())
    profile = do_create_citizen_profile(
        user,
        actor=actor,
        first_name=first_name,
        last_name=last_name,
        codice_fiscale=codice_fiscale,
        birth_date=birth_date,
        municipality=municipality,
        phone=phone,
        contact_channel=contact_channel,
        postal_address=postal_address,
    )
    registration = AssistedRegistration.objects.create(
        profile=profile,
        social_point=social_point,
        operator=actor,
        document_type=document_type,
        document_number=document_number.strip().upper(),
        consent_notice_version=profile.privacy_notice_version,
        consent_given_at=profile.privacy_accepted_at,
        # The Social Point manages the account, with every power, until the resident takes it over.
        delegation=open_social_point_delegation(
            profile, social_point, actor=actor, source=Delegation.Source.ASSISTED_REGISTRATION,
            may_manage_vouchers=True, starts_on=timezone.localdate(), ends_on=dt.date.max,
        ),
    )  # fmt: skip
    record(actor, "assisted_registration.created", registration, on_behalf_of=user,
           social_point=social_point.slug, privacy_notice_version=profile.privacy_notice_version)  # fmt: skip
    return registration


@transaction.atomic
def do_issue_activation_code(registration: AssistedRegistration, *, actor: User) -> str:
    """A new activation code for the resident's letter; any earlier code stops working. Never stored in clear."""
    if not registration.is_managed:
        raise ValidationError(_("The resident has already taken over the account."), code="taken_over")
    code = "".join(secrets.choice(ACTIVATION_ALPHABET) for _i in range(10))
    registration.activation_code_hash = hash_token(code)
    registration.activation_expires_at = timezone.now() + dt.timedelta(days=ACTIVATION_DAYS)
    registration.activation_attempts = 0
    registration.save(update_fields=["activation_code_hash", "activation_expires_at", "activation_attempts"])
    record(actor, "assisted_registration.activation_issued", registration, on_behalf_of=registration.profile.user)
    return code


def normalise_activation_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def do_take_over_account(*, codice_fiscale: str, code: str, email: str, password: str, client: str) -> User:
    """The resident takes over the account with the code from the letter and chooses email and password.

    Every failure says the same thing (no hint about which part was wrong). Tries are limited per client
    address; wrong codes are counted on the registration and, from the fifth, its Social Point is told.
    """
    refused = ValidationError(
        _("The codice fiscale or the activation code is not right, or the code is no longer valid. "
          "Check the letter, or ask your Social Point for a new one."),
        code="activation_refused",
    )  # fmt: skip
    if over_limit("take_over", client, limit=TAKE_OVER_TRIES_PER_ADDRESS, seconds=3600):
        raise ValidationError(_("Too many attempts from this connection. Try again in an hour, or ask your Social "
                                "Point for help."), code="too_many_attempts")  # fmt: skip
    with transaction.atomic():
        registration = (
            AssistedRegistration.objects.select_for_update()
            .select_related("profile__user")
            .filter(profile__codice_fiscale=normalise_codice_fiscale(codice_fiscale), taken_over_at__isnull=True)
            .exclude(activation_code_hash="")
            .first()
        )
        if registration is None or (
            registration.activation_expires_at is None or registration.activation_expires_at < timezone.now()
        ):
            raise refused
        matches = secrets.compare_digest(registration.activation_code_hash, hash_token(normalise_activation_code(code)))
        if not matches:
            registration.activation_attempts += 1
            registration.save(update_fields=["activation_attempts"])
            if registration.activation_attempts == ACTIVATION_ALERT_ATTEMPTS:
                _tell_social_point_of_wrong_codes(registration)
    if not matches:
        raise refused  # after the commit above: the failed attempt is counted
    with transaction.atomic():
        return take_over_registration(registration, email=email, password=password)


def _tell_social_point_of_wrong_codes(registration: AssistedRegistration) -> None:
    """The Social Point that registered the resident is told that wrong codes keep being tried (who, it finds
    behind the link: the email names nobody)."""
    record(None, "assisted_registration.wrong_codes", registration, attempts=registration.activation_attempts)
    link = absolute_url(reverse("assistance:resident", args=[registration.profile_id]))
    operators = User.objects.filter(
        memberships__role=Role.OPERATOR, memberships__social_point_id=registration.social_point_id, is_active=True
    )
    recipients = {registration.social_point.email, *(operator.email for operator in operators)} - {""}
    for address in sorted(recipients):
        send_after_commit("accounts/email/activation_wrong_codes", address,
                          {"link": link, "attempts": str(registration.activation_attempts)},
                          settings.LANGUAGE_CODE)  # fmt: skip


def take_over_registration(registration: AssistedRegistration, *, email: str, password: str | None,
                           email_verified: bool = False) -> User:  # fmt: skip
    """The resident makes the account the desk registered their own: with the letter's code and a password, or by
    logging in with SPID/CIE (no password: they come back the same way)."""
    user = registration.profile.user
    address = email.strip().lower()
    if User.objects.filter(email__iexact=address).exclude(pk=user.pk).exists():
        raise ValidationError(_("This email address cannot be used: choose another one."), code="email_taken")
    user.email = address
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["email", "password"])
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=address, primary=True, verified=email_verified)
    registration.taken_over_at = timezone.now()
    registration.activation_code_hash = ""
    registration.save(update_fields=["taken_over_at", "activation_code_hash"])
    # From now on the Social Point needs a delegation like anyone else.
    end_delegations(Delegation.objects.filter(assisted_registration=registration), actor=user)
    record(user, "assisted_registration.taken_over", registration, on_behalf_of=None)
    return user
