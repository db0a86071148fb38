"""Who may give and take which staff roles, and where.

The planning office manages every role bound to a place of its districts: the district itself, its municipalities
and Social Points, the municipal services of its municipalities, and the installation's cooperatives and employers
(they serve the whole network). A provider's own administrator (`Membership.manages_staff`) manages the provider
staff of its organisation only. Nobody else manages roles, and nobody gives a role above their own: those are the
only two kinds of manager, and each is given only the places listed here.
"""

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from welfare.accounts.access import AnyUser, districts_for_planning, scopes_for
from welfare.accounts.models import ROLE_SCOPE_FIELD, Membership, Role, User
from welfare.catalogue.models import Organization
from welfare.employers.models import Employer
from welfare.network.models import ProviderApplication
from welfare.territory.models import District, Municipality, SocialPoint


@dataclass(frozen=True)
class Manager:
    user: User
    districts: tuple[District, ...]  # as the planning office
    organizations: tuple[Organization, ...]  # as a provider's own administrator

    @property
    def is_planning_office(self) -> bool:
        return bool(self.districts)


def manager_of(user: AnyUser) -> Manager:
    """What the user manages; PermissionDenied for anyone who manages no roles."""
    if not isinstance(user, User):
        raise PermissionDenied
    districts = tuple(d for d in scopes_for(user, Role.DISTRICT_ADMIN) if isinstance(d, District))
    organizations = tuple(
        Organization.objects.filter(membership__user=user, membership__role=Role.PROVIDER_STAFF,
                                    membership__manages_staff=True)
    ) if user.is_active else ()  # fmt: skip
    if not districts and not organizations:
        raise PermissionDenied
    return Manager(user, districts, organizations)


def grantable_places(manager: Manager) -> dict[Role, QuerySet[models.Model]]:
    """For each role the manager may give, the places they may give it at."""
    own = Q(pk__in=[o.pk for o in manager.organizations])
    if not manager.is_planning_office:
        return {Role.PROVIDER_STAFF: Organization.objects.filter(own)}
    districts = [d.pk for d in manager.districts]
    return {
        Role.OPERATOR: SocialPoint.objects.filter(municipality__district__in=districts).select_related("municipality"),
        Role.PROVIDER_STAFF: Organization.objects.filter(
            Q(municipality__isnull=True) | Q(municipality__district__in=districts) | own),
        Role.SOCIAL_WORKER: Municipality.objects.filter(district__in=districts),
        Role.DISTRICT_ADMIN: District.objects.filter(pk__in=districts),
        Role.EMPLOYER_HR: Employer.objects.all(),
    }  # fmt: skip


def may_grant(manager: Manager, role: Role, place: models.Model) -> bool:
    places = grantable_places(manager).get(role)
    return places is not None and places.filter(pk=place.pk).exists()


def managed_memberships(manager: Manager) -> QuerySet[Membership]:
    """The roles the manager may see and take away: those bound to the places they may give them at (the
    queryset twin of `may_grant`)."""
    condition = Q(pk__in=[])
    for role, places in grantable_places(manager).items():
        condition |= Q(role=role, **{f"{ROLE_SCOPE_FIELD[role]}__in": places.values("pk")})
    return Membership.objects.filter(condition).select_related("user", *SCOPE_RELATIONS)


SCOPE_RELATIONS = ("social_point", "organization", "municipality", "district", "employer")


def access_membership_to_manage(user: AnyUser, membership_id: int) -> Membership:
    found = managed_memberships(manager_of(user)).filter(pk=membership_id).first()
    if found is None:
        raise Http404
    return found


def access_person_to_manage(user: AnyUser, person_id: int) -> User:
    """A staff account the planning office may deactivate or reactivate: one with roles, every one of them at a
    place of its districts. Provider administrators manage roles, not accounts (403); anyone else 404."""
    manager = manager_of(user)
    if not manager.is_planning_office:
        raise PermissionDenied
    person = User.objects.filter(pk=person_id).first()
    if person is None or person.pk == manager.user.pk:
        raise Http404
    held = Membership.objects.filter(user=person)
    if not held.exists() or held.exclude(pk__in=managed_memberships(manager).values("pk")).exists():
        raise Http404
    return person


def applications_for_review(user: AnyUser) -> QuerySet[ProviderApplication]:
    """The applications to join the network of the districts the user plans for; PermissionDenied for others."""
    return ProviderApplication.objects.filter(district__in=districts_for_planning(user))


def access_application_for_review(user: AnyUser, application_id: uuid.UUID) -> ProviderApplication:
    found = applications_for_review(user).filter(pk=application_id).first()
    if found is None:
        raise Http404
    return found
