"""Every change to who works in the district's network: roles given and taken, people invited, accounts
deactivated. Each checks the manager's authority (network.access), is audited, and tells the person by email."""

import re
import uuid
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from welfare.accounts.access import forget_roles
from welfare.accounts.actions import do_create_user, do_grant_membership, do_revoke_membership
from welfare.accounts.models import ROLE_SCOPE_FIELD, Membership, Role, User
from welfare.audit.actions import record
from welfare.catalogue.actions import do_register_organization
from welfare.catalogue.models import Organization
from welfare.lib.mail import absolute_url, send_after_commit
from welfare.lib.tax_numbers import clean_entity_tax_code, clean_vat_number
from welfare.network.access import Manager, access_person_to_manage, may_grant
from welfare.network.models import ProviderApplication
from welfare.territory.models import District, Municipality


def _role_context(role: Role, place: models.Model, user: User) -> dict[str, str]:
    return {"name": user.get_full_name() or user.email, "role": str(role.label), "place": str(place),
            "login_url": absolute_url(reverse("account_login"))}  # fmt: skip


@transaction.atomic
def do_give_role(
    manager: Manager, *, email: str, role: Role, place: models.Model, first_name: str = "", last_name: str = "",
    manages_staff: bool = False,
) -> tuple[Membership, bool]:  # fmt: skip
    """Give the person with `email` the `role` at `place`, inviting them when they have no account yet (an account
    without a password, and an email with a link to set one, valid three days). Returns the role and whether the
    person was invited. Giving a role the person holds again changes only `manages_staff`."""
    if not may_grant(manager, role, place):
        raise PermissionDenied
    if manages_staff and role != Role.PROVIDER_STAFF:
        raise ValidationError(_("Only a provider's staff can manage its organisation's staff."), code="manages_staff")
    email = email.strip().lower()
    person = User.objects.filter(email__iexact=email).first()
    invited = person is None
    if person is None:
        if not first_name.strip() or not last_name.strip():
            raise ValidationError(_("This person has no account yet: give their first and last name to invite them."),
                                  code="name_required")  # fmt: skip
        person = do_create_user(email, actor=manager.user, first_name=first_name.strip(),
                                last_name=last_name.strip())  # fmt: skip
        # The invitation link proves the address: only its owner can set the password.
        EmailAddress.objects.filter(user=person).update(verified=True)
    elif not person.is_active:
        raise ValidationError(_("This account is deactivated: reactivate it first."), code="inactive")
    existing = Membership.objects.filter(user=person, role=role, **{ROLE_SCOPE_FIELD[role]: place}).first()
    membership = do_grant_membership(person, role, place, actor=manager.user)
    if membership.manages_staff != manages_staff:
        membership.manages_staff = manages_staff
        membership.save(update_fields=["manages_staff"])
        record(manager.user, "membership.manages_staff", membership, manages_staff=manages_staff)
    if existing is None:
        context = _role_context(role, place, person)
        if invited:
            key = default_token_generator.make_token(person)
            context["link"] = absolute_url(
                reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(person), "key": key})
            )
            send_after_commit("network/email/invitation", person.email, context, person.preferred_language)
        else:
            send_after_commit("network/email/role_given", person.email, context, person.preferred_language)
    return membership, invited


def _refuse_leaving_without_planning_office(district: District, leaving: User) -> None:
    """A district keeps at least one active planning office account (locked, so that two removals at once cannot
    both pass)."""
    holders = list(Membership.objects.select_for_update().filter(role=Role.DISTRICT_ADMIN, district=district)
                   .values_list("user_id", "user__is_active"))  # fmt: skip
    if not any(active and user_id != leaving.pk for user_id, active in holders):
        raise ValidationError(
            _("%(district)s would be left without a planning office: give the role to someone else first.")
            % {"district": district.name}, code="last_district_admin")  # fmt: skip


@transaction.atomic
def do_take_role(manager: Manager, membership: Membership) -> None:
    """Take a role away (the caller found it with access_membership_to_manage). Never the last planning office
    account of a district."""
    if membership.role == Role.DISTRICT_ADMIN and membership.district is not None:
        _refuse_leaving_without_planning_office(membership.district, membership.user)
    person, role, place = membership.user, Role(membership.role), membership.scope
    do_revoke_membership(membership, actor=manager.user)
    send_after_commit("network/email/role_taken", person.email, _role_context(role, place, person),
                      person.preferred_language)  # fmt: skip


@transaction.atomic
def do_set_account_active(manager: Manager, person: User, *, active: bool) -> User:
    """Deactivate a staff account (it can no longer log in, its API tokens stop working, its roles stay for the
    record) or reactivate it. Never oneself, never the last planning office account of a district."""
    person = access_person_to_manage(manager.user, person.pk)
    if person.is_active == active:
        return person
    if not active:
        for membership in Membership.objects.filter(user=person, role=Role.DISTRICT_ADMIN).select_related("district"):
            assert membership.district is not None
            _refuse_leaving_without_planning_office(membership.district, person)
    person.is_active = active
    person.save(update_fields=["is_active"])
    forget_roles(person)
    record(manager.user, "user.activated" if active else "user.deactivated", person)
    return person


# Joining the network: a cooperative or association applies; the planning office asks for changes, approves or
# refuses.

APPLICATION_SALT = "network.provider-application"
# The register's number as each register writes it: the national register of cooperatives "A" and six digits
# (e.g. A123456), RUNTS's repertory number digits only.
REGISTER_NUMBER = {
    ProviderApplication.Register.COOPERATIVES: (
        re.compile(r"^A\d{6}$"), gettext_lazy("A cooperative's registration number is A and 6 digits, e.g. A123456.")),
    ProviderApplication.Register.RUNTS: (
        re.compile(r"^\d{1,8}$"), gettext_lazy("A RUNTS repertory number has digits only, e.g. 12345.")),
}  # fmt: skip
APPLICATION_FIELDS = (
    "legal_name", "legal_form", "vat_number", "tax_code", "register", "register_number", "address", "postal_code",
    "city", "email", "pec", "phone", "website", "description", "applicant_first_name", "applicant_last_name",
    "applicant_email",
)  # fmt: skip


def application_path(application: ProviderApplication) -> str:
    """The applicant's private address of their application (no account is needed to follow it)."""
    token = signing.dumps(str(application.pk), salt=APPLICATION_SALT)
    return reverse("network:application", args=[application.pk, token])


def application_link(application: ProviderApplication) -> str:
    return absolute_url(application_path(application))


def application_for_applicant(application_id: uuid.UUID, token: str) -> ProviderApplication | None:
    try:
        signed = signing.loads(token, salt=APPLICATION_SALT)
    except signing.BadSignature:
        return None
    if signed != str(application_id):
        return None
    return ProviderApplication.objects.filter(pk=application_id).first()


def clean_application(values: dict[str, Any], municipalities: list[Municipality], *, district: District,
                      application: ProviderApplication | None = None) -> dict[str, Any]:  # fmt: skip
    """The values as they are saved, or a ValidationError keyed by field: tax numbers checked, the register number
    in its register's format, municipalities of the district, and no organisation or open application with the
    same VAT number or codice fiscale."""
    cleaned = {name: values.get(name, "") for name in APPLICATION_FIELDS}
    cleaned = {name: value.strip() if isinstance(value, str) else value for name, value in cleaned.items()}
    errors: dict[str, list[str]] = {}
    for name, clean in (("tax_code", clean_entity_tax_code), ("vat_number", clean_vat_number)):
        if cleaned[name] or name == "tax_code":
            try:
                cleaned[name] = clean(cleaned[name])
            except ValidationError as error:
                errors.setdefault(name, []).extend(error.messages)
    pattern, message = REGISTER_NUMBER.get(cleaned["register"], (None, ""))
    cleaned["register_number"] = cleaned["register_number"].upper().replace(" ", "")
    if pattern is not None and not pattern.match(cleaned["register_number"]):
        errors.setdefault("register_number", []).append(str(message))
    if not municipalities:
        errors.setdefault("municipalities", []).append(_("Choose at least one municipality the organisation serves."))
    elif any(m.district_id != district.pk for m in municipalities):
        errors.setdefault("municipalities", []).append(_("Choose municipalities of this district."))
    numbers = {n for n in (cleaned["tax_code"], cleaned["vat_number"]) if n}
    if "tax_code" not in errors and numbers:
        if Organization.objects.filter(tax_code__in=numbers).exists():
            errors.setdefault("tax_code", []).append(
                _("An organisation with this VAT number or codice fiscale is already in the network: ask its staff "
                  "or the planning office for access."))  # fmt: skip
        others = ProviderApplication.objects.filter(Q(tax_code__in=numbers) | Q(vat_number__in=numbers),
                                                    state__in=ProviderApplication.OPEN_STATES)  # fmt: skip
        if application is not None:
            others = others.exclude(pk=application.pk)
        if others.exists():
            errors.setdefault("tax_code", []).append(
                _("An application with this VAT number or codice fiscale is already being reviewed.")
            )
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def do_apply_to_join(*, district: District, values: dict[str, Any], municipalities: list[Municipality],
                     language: str = "it") -> ProviderApplication:  # fmt: skip
    cleaned = clean_application(values, municipalities, district=district)
    try:
        with transaction.atomic():
            application = ProviderApplication.objects.create(district=district, language=language, **cleaned)
    except IntegrityError:  # the same organisation applied twice at once
        raise ValidationError(
            {"tax_code": [_("An application with this VAT number or codice fiscale is already being reviewed.")]}
        ) from None
    application.municipalities.set(municipalities)
    record(None, "provider_application.submitted", application)
    _tell_applicant(application, "network/email/application_received")
    return application


@transaction.atomic
def do_correct_application(application: ProviderApplication, *, values: dict[str, Any],
                           municipalities: list[Municipality]) -> ProviderApplication:  # fmt: skip
    """The applicant sends the application again with the changes asked for."""
    locked = ProviderApplication.objects.select_for_update().get(pk=application.pk)
    if locked.state != ProviderApplication.State.CHANGES_REQUESTED:
        raise ValidationError(_("This application cannot be changed now."), code="state")
    cleaned = clean_application(values, municipalities, district=locked.district, application=locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.state = ProviderApplication.State.SUBMITTED
    locked.save()
    locked.municipalities.set(municipalities)
    record(None, "provider_application.corrected", locked)
    return locked


def _review(manager: Manager, application: ProviderApplication, *, allowed: tuple[str, ...]) -> ProviderApplication:
    locked = ProviderApplication.objects.select_for_update().get(pk=application.pk)
    if locked.district not in manager.districts:
        raise PermissionDenied
    if locked.state not in allowed:
        raise ValidationError(_("This application has already been decided or is waiting for the applicant."),
                              code="state")  # fmt: skip
    return locked


@transaction.atomic
def do_request_application_changes(manager: Manager, application: ProviderApplication, *, message: str) -> None:
    locked = _review(manager, application, allowed=(ProviderApplication.State.SUBMITTED,))
    if not message.strip():
        raise ValidationError({"message": [_("Say what to change.")]})
    locked.state, locked.review_message = ProviderApplication.State.CHANGES_REQUESTED, message.strip()
    locked.reviewed_by, locked.reviewed_at = manager.user, timezone.now()
    locked.save()
    record(manager.user, "provider_application.changes_requested", locked)
    _tell_applicant(locked, "network/email/application_changes")


@transaction.atomic
def do_refuse_application(manager: Manager, application: ProviderApplication, *, message: str) -> None:
    locked = _review(manager, application, allowed=ProviderApplication.OPEN_STATES)
    if not message.strip():
        raise ValidationError({"message": [_("Give the reason: the applicant reads it.")]})
    locked.state, locked.review_message = ProviderApplication.State.REFUSED, message.strip()
    locked.reviewed_by, locked.reviewed_at = manager.user, timezone.now()
    locked.save()
    record(manager.user, "provider_application.refused", locked)
    _tell_applicant(locked, "network/email/application_refused")


@transaction.atomic
def do_approve_application(manager: Manager, application: ProviderApplication) -> Organization:
    """The organisation joins: it is created from the application, and the applicant becomes its first staff
    member, managing its staff (invited by email when they have no account)."""
    locked = _review(manager, application, allowed=(ProviderApplication.State.SUBMITTED,))
    clean_application({name: getattr(locked, name) for name in APPLICATION_FIELDS}, list(locked.municipalities.all()),
                      district=locked.district, application=locked)  # fmt: skip
    cooperative = locked.legal_form in (ProviderApplication.LegalForm.SOCIAL_COOPERATIVE_A,
                                        ProviderApplication.LegalForm.SOCIAL_COOPERATIVE_B)  # fmt: skip
    organization = do_register_organization(
        actor=manager.user, name=locked.legal_name, tax_code=locked.tax_code, description=locked.description,
        kind=Organization.Kind.COOPERATIVE if cooperative else Organization.Kind.OTHER, email=locked.email,
        phone=locked.phone, website=locked.website)  # fmt: skip
    locked.state, locked.organization = ProviderApplication.State.APPROVED, organization
    locked.reviewed_by, locked.reviewed_at = manager.user, timezone.now()
    locked.save()
    record(manager.user, "provider_application.approved", locked, organization=str(organization.pk))
    do_give_role(
        manager,
        email=locked.applicant_email,
        role=Role.PROVIDER_STAFF,
        place=organization,
        first_name=locked.applicant_first_name,
        last_name=locked.applicant_last_name,
        manages_staff=True,
    )
    return organization


def _tell_applicant(application: ProviderApplication, template: str) -> None:
    send_after_commit(template, application.applicant_email, {
        "name": application.applicant_first_name, "organisation": application.legal_name,
        "message": application.review_message, "link": application_link(application),
        "district": application.district.name,
    }, application.language)  # fmt: skip


@transaction.atomic
def do_register_municipal_services(manager: Manager, *, municipality: Municipality, name: str, tax_code: str,
                                   email: str = "", phone: str = "") -> Organization:  # fmt: skip
    """A municipality of the district puts its own services in the catalogue as a provider of kind "municipal"
    (the municipality's codice fiscale identifies it); its staff then get the provider staff role there on
    *Persone e ruoli*, and work as a cooperative's staff do."""
    if municipality.district_id not in {d.pk for d in manager.districts}:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Write the name residents will see, e.g. “Comune di Tradate – Servizi sociali”.")]
    try:
        tax_code = clean_entity_tax_code(tax_code)
    except ValidationError as error:
        errors["tax_code"] = error.messages
    else:
        if Organization.objects.filter(tax_code=tax_code).exists():
            errors["tax_code"] = [_("An organisation with this codice fiscale is already in the network.")]
    if Organization.objects.filter(kind=Organization.Kind.MUNICIPAL, municipality=municipality).exists():
        errors["municipality"] = [_("This municipality's services are already in the catalogue.")]
    if errors:
        raise ValidationError(errors)
    return do_register_organization(actor=manager.user, name=name.strip(), kind=Organization.Kind.MUNICIPAL,
                                    tax_code=tax_code, municipality=municipality, email=email.strip(),
                                    phone=phone.strip())  # fmt: skip
