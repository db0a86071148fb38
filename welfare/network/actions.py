"""Every change to who works in the district's network: roles given and taken, people invited, accounts
deactivated. Each checks the manager's authority (network.access), is audited, and tells the person by email."""

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from welfare.accounts.access import forget_roles
from welfare.accounts.actions import do_create_user, do_grant_membership, do_revoke_membership
from welfare.accounts.models import ROLE_SCOPE_FIELD, Membership, Role, User
from welfare.audit.actions import record
from welfare.lib.mail import absolute_url, send_after_commit
from welfare.network.access import Manager, access_person_to_manage, may_grant
from welfare.territory.models import District


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
