"""Who may do what. Every view and API endpoint asks here; nothing else decides.

`access_*` functions return what the user may see or raise: `Http404` for things
the user must not know exist, `PermissionDenied` for things they can see but not do.
"""

import json
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

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


def forget_roles(user: AnyUser) -> None:
    """Drop what `roles_of` and `require_role` remembered on this user object (after a grant or a revocation)."""
    vars(user).pop("_welfare_roles", None)
    vars(user).pop("_welfare_memberships", None)


def memberships_for(user: AnyUser, role: Role) -> models.QuerySet[Membership]:
    if not user.is_authenticated or not user.is_active:
        return Membership.objects.none()
    return Membership.objects.filter(user=user, role=role).select_related(ROLE_SCOPE_FIELD[role])


def _memberships(user: AnyUser, role: Role) -> list[Membership]:
    """The user's memberships in `role` with their places, read once per request (cached on the user object,
    as `roles_of` is: a view that asks twice, directly and through a scoped queryset, pays one query)."""
    if not user.is_authenticated or not user.is_active:
        return []
    cache = vars(user).setdefault("_welfare_memberships", {})
    if role not in cache:
        cache[role] = list(memberships_for(user, role))
    memberships: list[Membership] = cache[role]
    return memberships


def require_role(user: AnyUser, role: Role) -> list[Membership]:
    """The user's memberships in `role`, or PermissionDenied when they hold none."""
    memberships = _memberships(user, role)
    if not memberships:
        raise PermissionDenied
    return memberships


def require_places[T: models.Model](user: AnyUser, role: Role, kind: type[T]) -> list[T]:
    """The places of `kind` where the user holds `role`; PermissionDenied when they hold it nowhere."""
    return [membership.scope for membership in require_role(user, role) if isinstance(membership.scope, kind)]


def scopes_for(user: AnyUser, role: Role) -> list[models.Model]:
    """The places (Social Points, organisations, municipalities…) where the user holds `role`."""
    return [membership.scope for membership in _memberships(user, role)]


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


class HandledCase(Protocol):
    """A request for a household member, handled by a provider and seen by the municipality's social worker."""

    _meta: ClassVar[Any]

    @property
    def pk(self) -> Any: ...
    @property
    def beneficiary_member_id(self) -> int | None: ...
    @property
    def organization_id(self) -> Any: ...
    @property
    def municipality_id(self) -> Any: ...


def may_read_support_needs(member: HouseholdMember, reader: AnyUser, purpose: HandledCase | None = None) -> bool:
    """The one rule for a household member's health and disability notes: the resident who entered them; the
    provider staff and the municipal social worker handling a request for that very member (`purpose`);
    nobody else — not a delegate, not a Social Point operator, not staff of another request."""
    if not reader.is_authenticated or not reader.is_active:
        return False
    if reader.pk == member.owner.user_id:
        return True
    if purpose is None or purpose.beneficiary_member_id != member.pk:
        return False
    organisations = {m.organization_id for m in _memberships(reader, Role.PROVIDER_STAFF)}
    municipalities = {m.municipality_id for m in _memberships(reader, Role.SOCIAL_WORKER)}
    return purpose.organization_id in organisations or purpose.municipality_id in municipalities


def support_needs_of(
    member: HouseholdMember, *, reader: User, purpose: HandledCase | None = None
) -> SupportNeeds | None:
    """Decrypt a household member's support needs for `reader`, or None when the rule above says they may not
    see them. Every read by someone else than the resident is audited with its purpose."""
    if not may_read_support_needs(member, reader, purpose):
        return None
    if not member.support_needs_encrypted:
        return SupportNeeds()
    if reader.pk != member.owner.user_id:
        assert purpose is not None
        record(reader, "household_member.support_needs_read", member, on_behalf_of=None,
               purpose=f"{purpose._meta.label}:{purpose.pk}")  # fmt: skip
    data = json.loads(decrypt(member.support_needs_encrypted))
    return SupportNeeds(disability_certified=bool(data.get("disability_certified")), notes=str(data.get("notes", "")))


# Acting for someone else: delegates (a person or a Social Point) and the Social Point that
# registered a resident who has not taken over the account yet.

ACTING_SESSION_KEY = "welfare_acting_for"


class Scope:
    VIEW = "view"
    REQUEST = "request"
    VOUCHERS = "vouchers"


ALL_SCOPES = frozenset({Scope.VIEW, Scope.REQUEST, Scope.VOUCHERS})


@dataclass(frozen=True)
class Acting:
    """Who is at the keyboard (`actor`) and whose data they see and change (`citizen`).

    `scopes` are what the actor may do; `members` the household members covered (None: all of
    them), `covers_self` whether the citizen's own requests are covered.
    """

    actor: User
    citizen: User
    scopes: frozenset[str]
    members: frozenset[int] | None = None
    covers_self: bool = True
    managed: bool = False  # the actor's Social Point still manages the account (assisted, not taken over)

    @property
    def on_behalf_of(self) -> User | None:
        return None if self.actor.pk == self.citizen.pk else self.citizen

    @property
    def is_delegate(self) -> bool:
        return self.actor.pk != self.citizen.pk

    def may(self, scope: str) -> bool:
        return scope in self.scopes

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise PermissionDenied

    def covers(self, member: HouseholdMember | None) -> bool:
        if member is None:
            return self.covers_self
        return self.members is None or member.pk in self.members


def operator_social_points(user: AnyUser) -> list[int]:
    if Role.OPERATOR not in roles_of(user):
        return []
    return list(memberships_for(user, Role.OPERATOR).values_list("social_point_id", flat=True))


def authority_over(user: AnyUser, citizen: User) -> Acting | None:
    """What `user` may do for `citizen` today, from every source combined; None when nothing.

    Sources: the citizen themself; active delegations to the user or to a Social Point where the
    user is an operator; an assisted registration by such a Social Point not yet taken over; the
    consent given in an interview at such a Social Point (view and request, until it lapses).
    """
    from welfare.accounts.models import AssistedRegistration, Delegation
    from welfare.assistance.models import Interview

    if not user.is_authenticated or not citizen.is_active:
        return None
    assert isinstance(user, User)
    if user.pk == citizen.pk:
        return Acting(actor=user, citizen=citizen, scopes=ALL_SCOPES)
    today = timezone.localdate()
    points = operator_social_points(user)
    scopes: set[str] = set()
    members: set[int] | None = set()
    covers_self = False
    managed = AssistedRegistration.objects.filter(
        profile__user=citizen, social_point__in=points, taken_over_at__isnull=True
    ).exists()
    consented = Interview.objects.filter(resident__user=citizen, social_point__in=points, consent_until__gte=today)
    if managed or consented.exists():
        scopes |= {Scope.VIEW, Scope.REQUEST} | ({Scope.VOUCHERS} if managed else set())
        members, covers_self = None, True
    delegations = Delegation.objects.filter(
        Q(delegate_user=user) | Q(delegate_social_point__in=points),
        granter__user=citizen,
        revoked_at__isnull=True,
        starts_on__lte=today,
        ends_on__gte=today,
    ).prefetch_related("beneficiaries")
    for delegation in delegations:
        scopes.add(Scope.VIEW)
        scopes |= {Scope.REQUEST} if delegation.may_request else set()
        scopes |= {Scope.VOUCHERS} if delegation.may_manage_vouchers else set()
        covers_self |= delegation.covers_self
        if members is not None:
            members |= {member.pk for member in delegation.beneficiaries.all()}
    if not scopes:
        return None
    return Acting(
        actor=user,
        citizen=citizen,
        scopes=frozenset(scopes),
        members=frozenset(members) if members is not None else None,
        covers_self=covers_self,
        managed=managed,
    )


def acting_of(request: HttpRequest) -> Acting:
    """The citizen whose screens the logged-in user is on: themself, or the one they chose to act for.

    The authority is checked again on every request, so a revoked or expired delegation stops
    working on the very next page; the choice is then forgotten.
    """
    user = request_user(request)
    citizen_id = request.session.get(ACTING_SESSION_KEY)
    if citizen_id is not None:
        citizen = User.objects.filter(pk=citizen_id, citizen_profile__isnull=False).first()
        authority = authority_over(user, citizen) if citizen is not None else None
        if authority is not None:
            return authority
        del request.session[ACTING_SESSION_KEY]
    return Acting(actor=user, citizen=user, scopes=ALL_SCOPES)


def people_i_act_for(user: AnyUser) -> models.QuerySet[User]:
    """Citizens who delegated something to this person (for the "act for" chooser)."""
    from welfare.accounts.models import Delegation

    if not user.is_authenticated:
        return User.objects.none()
    today = timezone.localdate()
    active = Delegation.objects.filter(
        delegate_user=user, revoked_at__isnull=True, starts_on__lte=today, ends_on__gte=today
    )
    return User.objects.filter(citizen_profile__delegations_granted__in=active).distinct().order_by("last_name")
