"""Who may do what. Every view and API endpoint asks here; nothing else decides.

`access_*` functions return what the user may see or raise: `Http404` for things
the user must not know exist, `PermissionDenied` for things they can see but not do.
"""

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone

from welfare.accounts.models import (
    ROLE_SCOPE_FIELD,
    ApiToken,
    CitizenProfile,
    Delegation,
    HouseholdMember,
    Membership,
    Role,
    User,
)
from welfare.audit.actions import record
from welfare.lib.encryption import decrypt
from welfare.territory.models import District, SocialPoint

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


def may_use_api_tokens(user: AnyUser) -> bool:
    """API tokens are for the software of staff and providers (a provider's management system, a municipality's
    records); a resident's personal area does not offer them."""
    return bool(roles_of(user))


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


def districts_for_planning(user: AnyUser) -> list[District]:
    """The districts whose planning office the user works for; PermissionDenied when none."""
    return require_places(user, Role.DISTRICT_ADMIN, District)


def chosen_place[T: models.Model](places: Sequence[T], wanted: object) -> T:
    """Which of a person's places (their Social Points, their organisations) a page or a write is for: the one
    they named by id, or their only one. A person with several who named none, or named one that is not theirs,
    is refused: nothing is done for a place picked on their behalf."""
    for place in places:
        if str(place.pk) == str(wanted):
            return place
    if len(places) == 1 and wanted in (None, ""):
        return places[0]
    raise PermissionDenied


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


def birth_date_of(person: User, member: HouseholdMember | None) -> dt.date | None:
    """The birth date of whom a request or a voucher is for: a household member, or the resident themself."""
    if member is not None:
        return member.birth_date
    profile = citizen_profile_of(person)
    return profile.birth_date if profile is not None else None


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


# Acting for someone else: a person or a Social Point the resident delegated, the Social Point holding the
# consent given in an interview, and the Social Point that registered a resident who has not taken over the
# account yet. Every one of them is a Delegation row; authority_over reads that table and nothing else.

ACTING_SESSION_KEY = "welfare_acting_for"


class Power:
    """What a delegation lets its holder do for the resident (not to be confused with a membership's place)."""

    VIEW = "view"
    REQUEST = "request"
    VOUCHERS = "vouchers"


ALL_POWERS = frozenset({Power.VIEW, Power.REQUEST, Power.VOUCHERS})


@dataclass(frozen=True)
class Acting:
    """Who is at the keyboard (`actor`) and whose data they see and change (`citizen`).

    `powers` are what the actor may do; `members` the household members covered (None: all of
    them), `covers_self` whether the citizen's own requests are covered.
    """

    actor: User
    citizen: User
    powers: frozenset[str]
    members: frozenset[int] | None = None
    covers_self: bool = True
    managed: bool = False  # the actor's Social Point still manages the account (assisted, not taken over)

    @property
    def on_behalf_of(self) -> User | None:
        return None if self.actor.pk == self.citizen.pk else self.citizen

    @property
    def is_delegate(self) -> bool:
        return self.actor.pk != self.citizen.pk

    def may(self, power: str) -> bool:
        return power in self.powers

    def require(self, power: str) -> None:
        if power not in self.powers:
            raise PermissionDenied

    def covers(self, member: HouseholdMember | None) -> bool:
        if member is None:
            return self.covers_self
        return self.members is None or member.pk in self.members


def operator_social_points(user: AnyUser) -> list[int]:
    if Role.OPERATOR not in roles_of(user):
        return []
    return [membership.social_point_id for membership in _memberships(user, Role.OPERATOR)]  # type: ignore[misc]


def active_delegations(day: dt.date | None = None) -> models.QuerySet[Delegation]:
    """Delegations in force on `day` (today): not revoked, between their dates."""
    day = day or timezone.localdate()
    return Delegation.objects.filter(revoked_at__isnull=True, starts_on__lte=day, ends_on__gte=day)


def delegations_held_by(user: AnyUser) -> models.QuerySet[Delegation]:
    """The delegations in force that `user` holds: in their own name, or through a Social Point they work at."""
    if not user.is_authenticated or not user.is_active:
        return Delegation.objects.none()
    return active_delegations().filter(
        Q(delegate_user=user) | Q(delegate_social_point__in=operator_social_points(user))
    )


def authority_over(user: AnyUser, citizen: User) -> Acting | None:
    """What `user` may do for `citizen` today, from every delegation combined; None when nothing.

    The one place that decides; `followed_by` below is its twin for lists (the residents a Social
    Point may act for), and both read the same delegations.
    """
    if not user.is_authenticated or not citizen.is_active:
        return None
    assert isinstance(user, User)
    if user.pk == citizen.pk:
        return Acting(actor=user, citizen=citizen, powers=ALL_POWERS)
    powers: set[str] = set()
    members: set[int] | None = set()
    covers_self = managed = False
    for delegation in delegations_held_by(user).filter(granter__user=citizen).prefetch_related("beneficiaries"):
        powers.add(Power.VIEW)
        powers |= {Power.REQUEST} if delegation.may_request else set()
        powers |= {Power.VOUCHERS} if delegation.may_manage_vouchers else set()
        covers_self |= delegation.covers_self
        managed |= delegation.source == Delegation.Source.ASSISTED_REGISTRATION
        if delegation.covers_all_members:
            members = None
        elif members is not None:
            members |= {member.pk for member in delegation.beneficiaries.all()}
    if not powers:
        return None
    return Acting(
        actor=user,
        citizen=citizen,
        powers=frozenset(powers),
        members=frozenset(members) if members is not None else None,
        covers_self=covers_self,
        managed=managed,
    )


def followed_by(social_points: Iterable[SocialPoint | int]) -> models.QuerySet[CitizenProfile]:
    """The residents these Social Points may act for today: the list twin of `authority_over` (an inactive
    account, a lapsed or withdrawn consent, a taken-over registration or a revoked delegation: not listed)."""
    held = active_delegations().filter(delegate_social_point__in=list(social_points))
    return CitizenProfile.objects.filter(user__is_active=True, delegations_granted__in=held).distinct()


def access_household_member_for_citizen(user: AnyUser, member_id: int) -> HouseholdMember:
    """A member of the user's own household; 404 for anyone else's (or for a user with no household)."""
    if not user.is_authenticated:
        raise Http404
    try:
        return HouseholdMember.objects.select_related("owner").get(pk=member_id, owner__user=user)
    except HouseholdMember.DoesNotExist as error:
        raise Http404 from error


def access_api_token_for_user(user: AnyUser, token_id: int) -> ApiToken:
    """One of the user's own API tokens; 404 for anyone else's."""
    if not user.is_authenticated:
        raise Http404
    try:
        return ApiToken.objects.get(pk=token_id, user=user)
    except ApiToken.DoesNotExist as error:
        raise Http404 from error


def access_delegation_for_user(user: AnyUser, delegation_id: int) -> Delegation:
    """A delegation the user gave, or holds in their own name; 404 for any other. Consents and assisted
    registrations end through their own pages (withdrawing consent, taking the account over)."""
    if not user.is_authenticated:
        raise Http404
    try:
        return (
            Delegation.objects.filter(Q(granter__user=user) | Q(delegate_user=user), source=Delegation.Source.GRANTED)
            .select_related("granter__user")
            .get(pk=delegation_id)
        )
    except Delegation.DoesNotExist as error:
        raise Http404 from error


def acting_of(request: HttpRequest) -> Acting:
    """The citizen whose screens the logged-in user is on: themself, or the one they chose to act for.

    The authority is checked again on every request, so a revoked or expired delegation stops
    working on the very next page; the choice is then forgotten.
    """
    user = request_user(request)
    citizen_id = request.session.get(ACTING_SESSION_KEY)
    if citizen_id is not None:
        authority = authority_over_resident(user, citizen_id)
        if authority is not None:
            return authority
        del request.session[ACTING_SESSION_KEY]
        # What the page asked for belonged to that resident: ActingEndedMiddleware explains a 404 or 403 that
        # follows, rather than a bare "not found", and gives back what the person typed.
        request.acting_ended_for = citizen_id  # type: ignore[attr-defined]
    return Acting(actor=user, citizen=user, powers=ALL_POWERS)


def authority_over_resident(user: AnyUser, citizen_id: object) -> Acting | None:
    """`authority_over` for a resident named by their id (from the session, or the API's `Acting-For`)."""
    try:
        number = int(str(citizen_id))
    except ValueError:
        return None
    citizen = User.objects.filter(pk=number, citizen_profile__isnull=False).first()
    return authority_over(user, citizen) if citizen is not None else None


def residents_i_may_act_for(user: AnyUser) -> models.QuerySet[User]:
    """Everyone `user` may act for today: residents who delegated them, and those their Social Points follow."""
    delegated = people_i_act_for(user).values("pk")
    followed = followed_by(operator_social_points(user)).values("user")
    return User.objects.filter(Q(pk__in=delegated) | Q(pk__in=followed)).order_by("last_name", "first_name", "pk")


def people_i_act_for(user: AnyUser) -> models.QuerySet[User]:
    """Residents who delegated something to this person in their own name (for the "act for" chooser)."""
    if not user.is_authenticated:
        return User.objects.none()
    held = active_delegations().filter(delegate_user=user)
    return (
        User.objects.filter(is_active=True, citizen_profile__delegations_granted__in=held)
        .distinct()
        .order_by("last_name")
    )


def unrestricted(user_path: str) -> Q:
    """Rows not about a closed account: what the law keeps of it is hidden from staff (welfare/portal/closure.py).
    `user_path` leads from the row to the resident's User ("requester", "applicant", "resident__user"). A subquery
    on the few closed accounts, so that a count stays within its index."""
    closed = CitizenProfile.objects.filter(restricted_at__isnull=False).values("user_id")
    return ~Q(**{f"{user_path}__in": closed})
