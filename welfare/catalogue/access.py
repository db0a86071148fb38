"""Who may see which services and organisations; which accreditations are in force."""

import datetime as dt
import uuid

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from welfare.accounts.access import AnyUser, require_places, require_role
from welfare.accounts.models import Role
from welfare.catalogue.models import (
    SERVICE_KINDS,
    TARGET_GROUPS,
    Accreditation,
    Organization,
    Service,
    TaxonomyTerm,
)
from welfare.lib.dates import age_on
from welfare.territory.models import Municipality


def published_services() -> QuerySet[Service]:
    """What anyone may see: published services of active organisations."""
    return Service.objects.filter(status=Service.Status.PUBLISHED, organization__is_active=True)


def suitable_for(
    services: QuerySet[Service], *, municipality: Municipality | int, age: int | None
) -> QuerySet[Service]:
    """The one rule of who a service is for, as far as the catalogue knows: it covers the person's municipality
    and, when their age is known, the age is within the service's range. The needs finder, what a voucher can
    buy and the alternatives after a refusal all call it (see `age_of` for a person's age today)."""
    services = services.filter(areas_served=municipality)
    if age is None:
        return services
    return services.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=age)).filter(
        Q(maximum_age__isnull=True) | Q(maximum_age__gte=age)
    )


def age_of(birth_date: dt.date | None) -> int | None:
    return age_on(birth_date, timezone.localdate()) if birth_date is not None else None


def access_published_service(service_id: uuid.UUID) -> Service:
    try:
        return published_services().select_related("organization").get(pk=service_id)
    except Service.DoesNotExist as error:
        raise Http404 from error


def access_public_organization(organization_id: uuid.UUID) -> Organization:
    try:
        return Organization.objects.filter(is_active=True).get(pk=organization_id)
    except Organization.DoesNotExist as error:
        raise Http404 from error


def organizations_for_staff(user: AnyUser) -> list[Organization]:
    """The organisations the user works for; PermissionDenied when none."""
    return require_places(user, Role.PROVIDER_STAFF, Organization)


def services_for_staff(user: AnyUser) -> QuerySet[Service]:
    """Every service, in any state, of the organisations the user works for."""
    return Service.objects.filter(organization__in=organizations_for_staff(user))


def access_service_for_staff(user: AnyUser, service_id: uuid.UUID) -> Service:
    """A service of the user's organisation; another provider's service does not exist for them."""
    try:
        return services_for_staff(user).select_related("organization").get(pk=service_id)
    except Service.DoesNotExist as error:
        raise Http404 from error


def services_to_moderate(user: AnyUser) -> QuerySet[Service]:
    """The district admin's queue: services waiting for review."""
    require_role(user, Role.DISTRICT_ADMIN)
    return Service.objects.filter(status=Service.Status.SUBMITTED)


def access_service_for_moderator(user: AnyUser, service_id: uuid.UUID) -> Service:
    require_role(user, Role.DISTRICT_ADMIN)
    try:
        return Service.objects.select_related("organization").exclude(status=Service.Status.DRAFT).get(pk=service_id)
    except Service.DoesNotExist as error:
        raise Http404 from error


def accredited(on: dt.date | None = None) -> QuerySet[Accreditation]:
    """Accreditations in force on a day (today by default)."""
    on = on or timezone.localdate()
    return Accreditation.objects.filter(
        status=Accreditation.Status.APPROVED, valid_from__lte=on, valid_until__gte=on
    ).select_related("organization", "kind")


def accreditations_of_service(service: Service) -> QuerySet[Accreditation]:
    return accredited().filter(services=service)


def terms_for_planning(user: AnyUser) -> QuerySet[TaxonomyTerm]:
    """The kinds of service and target groups, for the planning office that manages them (the taxonomy is the
    installation's, shared by its districts); PermissionDenied for anyone else."""
    require_role(user, Role.DISTRICT_ADMIN)
    return TaxonomyTerm.objects.filter(taxonomy__slug__in=[SERVICE_KINDS, TARGET_GROUPS]).select_related("taxonomy")


def access_term_for_planning(user: AnyUser, term_id: uuid.UUID) -> TaxonomyTerm:
    term = terms_for_planning(user).filter(pk=term_id).first()
    if term is None:
        raise Http404
    return term
