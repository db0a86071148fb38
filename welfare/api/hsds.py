"""The open catalogue: read-only Open Referral HSDS 3.0 API under /api/hsds/, no login.

Follows ../shared/hsds-3.0/openapi.json: list endpoints answer in the HSDS page envelope;
only published services (and what they reference) appear. Services and organisations are served
from the public page cache (welfare/lib/page_cache.py) until the catalogue changes. Unknown
parameters, malformed ids and pages beyond the last get a 4xx JSON error, never a 500.
"""

import datetime as dt
import math
import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from ninja import NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from pydantic import Field

from welfare.api import hsds_objects as hsds
from welfare.catalogue.access import published_services
from welfare.catalogue.models import Organization, Schedule, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from welfare.catalogue.queries import catalogue_version
from welfare.catalogue.search import search
from welfare.lib.page_cache import public_page

HSDS_VERSION = "3.0"
PROFILE = "https://openreferral.org/specification/3.0"

api = NinjaAPI(
    title="Welfare Integrato – open catalogue (HSDS 3.0)",
    version=HSDS_VERSION,
    description="Published family and social services of the district, as Open Referral HSDS 3.0.",
    urls_namespace="hsds",
    docs_url=None,
    openapi_url="/openapi.json",
)


class Page(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]]


class About(Schema):
    version: str
    profile: str
    openapi_url: str


class Paging(Schema):
    page: int = Field(1, ge=1, description="The page of results, from 1.")
    per_page: int = Field(50, ge=1, le=200, description="Results per page (at most 200).")


class ServiceFilters(Paging):
    search: str = Field("", max_length=200, description="Words to look for, in Italian.")
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    modified_after: dt.datetime | None = None
    full: bool = Field(False, description="Nest everything in each service.")


class TermFilters(Paging):
    taxonomy_id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = None


def only_known_parameters(request: HttpRequest, schema: type[Schema]) -> None:
    unknown = sorted(set(request.GET) - set(schema.model_fields))
    if unknown:
        raise HttpError(400, f"Unknown parameters: {', '.join(unknown)}.")


def page_of(queryset: QuerySet[Any], paging: Paging, render: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    total = queryset.count()
    pages = max(1, math.ceil(total / paging.per_page))
    if paging.page > pages:
        raise HttpError(404, f"Page {paging.page} does not exist: there are {pages}.")
    start = (paging.page - 1) * paging.per_page
    contents = [render(item) for item in queryset[start : start + paging.per_page]]
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": paging.page,
        "size": len(contents),
        "first_page": paging.page == 1,
        "last_page": paging.page == pages,
        "empty": total == 0,
        "contents": contents,
    }


def full_services(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.select_related("organization").prefetch_related(
        "kinds__taxonomy",
        "target_groups__taxonomy",
        "areas_served",
        "cost_options",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location__municipality").prefetch_related(
                Prefetch("schedules", queryset=Schedule.objects.order_by("weekday", "opens_at"))
            ),
        ),
    )


@api.get("/", response=About, summary="About this API")
def about(request: HttpRequest) -> dict[str, str]:
    return {
        "version": HSDS_VERSION,
        "profile": PROFILE,
        "openapi_url": request.build_absolute_uri("openapi.json"),
    }


@api.get("/services", response=Page, summary="Published services")
@decorate_view(public_page(catalogue_version))
def services(request: HttpRequest, filters: Query[ServiceFilters]) -> dict[str, Any]:
    only_known_parameters(request, ServiceFilters)
    found = search(published_services(), filters.search)
    if filters.taxonomy_term_id:
        term = filters.taxonomy_term_id
        found = found.filter(pk__in=Service.objects.filter(Q(kinds=term) | Q(target_groups=term)).values("pk"))
    if filters.taxonomy_id:
        found = found.filter(pk__in=Service.objects.filter(kinds__taxonomy_id=filters.taxonomy_id).values("pk"))
    if filters.organization_id:
        found = found.filter(organization_id=filters.organization_id)
    if filters.modified_after:
        found = found.filter(last_modified__gt=filters.modified_after)
    # A summary needs only the service and its organisation: nesting is prefetched only when asked for.
    ordered = (full_services(found) if filters.full else found.select_related("organization")).order_by("name", "pk")
    return page_of(ordered, filters, hsds.service_object if filters.full else hsds.service_summary)


@api.get("/services/{service_id}", summary="One published service, with everything nested")
@decorate_view(public_page(catalogue_version))
def service(request: HttpRequest, service_id: uuid.UUID) -> dict[str, Any]:
    only_known_parameters(request, Schema)
    found = full_services(published_services()).filter(pk=service_id).first()
    if found is None:
        raise HttpError(404, "No published service with this id.")
    return hsds.service_object(found)


def public_organizations() -> QuerySet[Organization]:
    """Organisations with at least one published service."""
    return Organization.objects.filter(pk__in=published_services().values("organization_id"))


@api.get("/organizations", response=Page, summary="Organisations with published services")
@decorate_view(public_page(catalogue_version))
def organizations(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    only_known_parameters(request, Paging)
    return page_of(public_organizations().order_by("name", "pk"), paging, hsds.organization_object)


@api.get("/organizations/{organization_id}", summary="One organisation")
@decorate_view(public_page(catalogue_version))
def organization(request: HttpRequest, organization_id: uuid.UUID) -> dict[str, Any]:
    only_known_parameters(request, Schema)
    found = public_organizations().filter(pk=organization_id).first()
    if found is None:
        raise HttpError(404, "No organisation with published services has this id.")
    data = hsds.organization_object(found)
    data["services"] = [hsds.service_summary(s) for s in published_services().filter(organization=found)]
    return data


@api.get("/taxonomies", response=Page, summary="Taxonomies")
def taxonomies(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    only_known_parameters(request, Paging)
    return page_of(Taxonomy.objects.order_by("slug"), paging, hsds.taxonomy_object)


@api.get("/taxonomies/{taxonomy_id}", summary="One taxonomy")
def taxonomy(request: HttpRequest, taxonomy_id: uuid.UUID) -> dict[str, Any]:
    only_known_parameters(request, Schema)
    found = Taxonomy.objects.filter(pk=taxonomy_id).first()
    if found is None:
        raise HttpError(404, "No taxonomy with this id.")
    return hsds.taxonomy_object(found)


@api.get("/taxonomy_terms", response=Page, summary="Taxonomy terms")
def taxonomy_terms(request: HttpRequest, filters: Query[TermFilters]) -> dict[str, Any]:
    only_known_parameters(request, TermFilters)
    terms = TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__slug", "position", "code")
    if filters.taxonomy_id:
        terms = terms.filter(taxonomy_id=filters.taxonomy_id)
    if filters.parent_id:
        terms = terms.filter(parent_id=filters.parent_id)
    return page_of(terms, filters, hsds.taxonomy_term_object)


@api.get("/taxonomy_terms/{term_id}", summary="One taxonomy term")
def taxonomy_term(request: HttpRequest, term_id: uuid.UUID) -> dict[str, Any]:
    only_known_parameters(request, Schema)
    found = TaxonomyTerm.objects.select_related("taxonomy").filter(pk=term_id).first()
    if found is None:
        raise HttpError(404, "No taxonomy term with this id.")
    return hsds.taxonomy_term_object(found)


def public_service_at_locations() -> QuerySet[ServiceAtLocation]:
    return (
        ServiceAtLocation.objects.filter(service__in=published_services())
        .select_related("location__municipality", "service__organization")
        .prefetch_related(Prefetch("schedules", queryset=Schedule.objects.order_by("weekday", "opens_at")))
    )


@api.get("/service_at_locations", response=Page, summary="Where published services are offered")
def service_at_locations(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    only_known_parameters(request, Paging)
    return page_of(
        public_service_at_locations().order_by("service__name", "pk"),
        paging,
        lambda at: hsds.service_at_location_object(at, with_service=True),
    )


@api.get("/service_at_locations/{service_at_location_id}", summary="One service at one location")
def service_at_location(request: HttpRequest, service_at_location_id: uuid.UUID) -> dict[str, Any]:
    only_known_parameters(request, Schema)
    found = public_service_at_locations().filter(pk=service_at_location_id).first()
    if found is None:
        raise HttpError(404, "No published service at a location with this id.")
    return hsds.service_at_location_object(found, with_service=True)
