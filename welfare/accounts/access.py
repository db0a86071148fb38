"""Who may do what. Every view and API endpoint asks here; nothing else decides.

`access_*` functions return what the user may see or raise: `Http404` for things
the user must not know exist, `PermissionDenied` for things they can see but not do.
"""

import json
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest

from welfare.accounts.models import ROLE_SCOPE_FIELD, CitizenProfile, HouseholdMember, Membership, Role, User
from welfare.audit.actions import record
from welfare.lib.encryption import decrypt

AnyUser = User | AnonymousUser


def roles_of(user: AnyUser) -> frozenset[str]:
    """The staff roles a user holds (cached on the user object for the request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cache = vars(user)
    if "_welfare_roles" not in cache:
        cache["_welfare_roles"] = frozenset(
            Membership.objects.filter(user=user).values_list("role", flat=True).distinct()
        )
    roles: frozenset[str] = cache["_welfare_roles"]
    return roles


def memberships_for(user: AnyUser, role: Role) -> models.QuerySet[Membership]:
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, role=role).select_related(ROLE_SCOPE_FIELD[role])


def require_role(user: AnyUser, role: Role) -> list[Membership]:
    """The user's memberships in `role`, or PermissionDenied when they hold none."""
    memberships = list(memberships_for(user, role))
    if not memberships:
        raise PermissionDenied
    return memberships


def scopes_for(user: AnyUser, role: Role) -> list[models.Model]:
    """The places (Social Points, organisations, municipalities…) where the user holds `role`."""
    return [membership.scope for membership in memberships_for(user, role)]


def citizen_profile_of(user: AnyUser) -> CitizenProfile | None:
    if not user.is_authenticated:
        return None
    try:
        return CitizenProfile.objects.select_related("municipality").get(user=user)
    except CitizenProfile.DoesNotExist:
        return None


def request_user(request: HttpRequest) -> User:
    """The logged-in user of a view that requires login (typed for mypy)."""
    user = request.user
    assert isinstance(user, User)
    return user


@dataclass(frozen=True)
class SupportNeeds:
    disability_certified: bool = False
    notes: str = ""


def support_needs_of(member: HouseholdMember, *, reader: User, purpose: models.Model | None = None) -> SupportNeeds:
    """Decrypt a household member's support needs. Every read by someone else than the citizen is audited.

    Callers must already have checked that `reader` may see them (the citizen, or staff with a
    request for this person: `purpose` is that request).
    """
    if not member.support_needs_encrypted:
        return SupportNeeds()
    owner = member.owner.user
    if reader.pk != owner.pk:
        record(reader, "household_member.support_needs_read", member, on_behalf_of=None,
               purpose=f"{purpose._meta.label}:{purpose.pk}" if purpose is not None else "")  # fmt: skip
    data = json.loads(decrypt(member.support_needs_encrypted))
    return SupportNeeds(disability_certified=bool(data.get("disability_certified")), notes=str(data.get("notes", "")))
