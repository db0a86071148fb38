"""The open catalogue: read-only Open Referral HSDS 3.0 API under /api/hsds/, no login.

Follows ../shared/hsds-3.0/openapi.json: list endpoints answer in the HSDS page envelope;
only published services (and what they reference) appear. Services and organisations are served
from the public page cache (welfare/lib/page_cache.py) until the catalogue changes. As Open Referral's API
reference asks: every standard query parameter is accepted and unknown ones are ignored; every response allows any
origin (CORS) and carries an ETag and Last-Modified (welfare.api.middleware); malformed ids and pages beyond the
last get a 4xx JSON error in the portal's one error shape (code, message, field), never a 500.
"""

import datetime as dt
import math
import uuid
from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from welfare.api import hsds_objects as hsds
from welfare.api.errors import error_body, field_of
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
    format: str = Field("json", description="The response's format: json (the only one this API gives).")
    search: str = Field("", max_length=200, description="Words to look for, in Italian.")


class FullPaging(Paging):
    full: bool = Field(False, description="Nest everything in each result.")


class ServiceFilters(Paging):
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    modified_after: dt.datetime | None = None
    full: bool = Field(False, description="Nest everything in each service.")
    minimal: bool = Field(False, description="Only each service's id and modified date.")


class TermFilters(Paging):
    taxonomy_id: uuid.UUID | None = None
    parent_id: uuid.UUID | None = None
    top_only: bool = Field(False, description="Only the terms with no parent.")


class OrganizationFilters(FullPaging):
    full_service: bool = Field(False, description="Nest each organisation's services, in full.")


class PlaceFilters(FullPaging):
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    modified_after: dt.datetime | None = None
    postcode: str = Field("", max_length=10, description="Places at this postcode.")
    proximity: str = Field("", max_length=20, description="Accepted; places here have no coordinates to measure.")


class OneFilters(Schema):
    format: str = "json"
    full_service: bool = False


def json_only(paging: Schema) -> None:
    if getattr(paging, "format", "json").lower() != "json":
        raise HttpError(400, "This API answers in json only: use format=json or leave it out.")


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
    json_only(filters)
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
    if filters.minimal:
        return page_of(
            found.order_by("name", "pk"),
            filters,
            lambda s: {"id": str(s.pk), "modified_date": s.last_modified.isoformat()},
        )
    # A summary needs only the service and its organisation: nesting is prefetched only when asked for.
    ordered = (full_services(found) if filters.full else found.select_related("organization")).order_by("name", "pk")
    return page_of(ordered, filters, hsds.service_object if filters.full else hsds.service_summary)


@api.get("/services/{service_id}", summary="One published service, with everything nested")
@decorate_view(public_page(catalogue_version))
def service(request: HttpRequest, service_id: uuid.UUID, one: Query[OneFilters]) -> dict[str, Any]:
    json_only(one)
    found = full_services(published_services()).filter(pk=service_id).first()
    if found is None:
        raise HttpError(404, "No published service with this id.")
    return hsds.service_object(found)


def public_organizations() -> QuerySet[Organization]:
    """Organisations with at least one published service."""
    return Organization.objects.filter(pk__in=published_services().values("organization_id"))


@api.get("/organizations", response=Page, summary="Organisations with published services")
@decorate_view(public_page(catalogue_version))
def organizations(request: HttpRequest, paging: Query[OrganizationFilters]) -> dict[str, Any]:
    json_only(paging)
    found = public_organizations().order_by("name", "pk")
    if paging.search:
        found = found.filter(name__icontains=paging.search)
    return page_of(
        found,
        paging,
        lambda organization: organization_data(
            organization, services=paging.full or paging.full_service, full=paging.full_service
        ),
    )


@api.get("/organizations/{organization_id}", summary="One organisation")
@decorate_view(public_page(catalogue_version))
def organization(request: HttpRequest, organization_id: uuid.UUID, one: Query[OneFilters]) -> dict[str, Any]:
    json_only(one)
    found = public_organizations().filter(pk=organization_id).first()
    if found is None:
        raise HttpError(404, "No organisation with published services has this id.")
    return organization_data(found, services=True, full=one.full_service)


def organization_data(found: Organization, *, services: bool, full: bool) -> dict[str, Any]:
    data = hsds.organization_object(found)
    if services:
        own = published_services().filter(organization=found)
        data["services"] = ([hsds.service_object(s) for s in full_services(own)] if full
                            else [hsds.service_summary(s) for s in own])  # fmt: skip
    return data


@api.get("/taxonomies", response=Page, summary="Taxonomies")
def taxonomies(request: HttpRequest, paging: Query[Paging]) -> dict[str, Any]:
    json_only(paging)
    found = Taxonomy.objects.order_by("slug")
    if paging.search:
        found = found.filter(Q(name__icontains=paging.search) | Q(description__icontains=paging.search))
    return page_of(found, paging, hsds.taxonomy_object)


@api.get("/taxonomies/{taxonomy_id}", summary="One taxonomy")
def taxonomy(request: HttpRequest, taxonomy_id: uuid.UUID) -> dict[str, Any]:
    found = Taxonomy.objects.filter(pk=taxonomy_id).first()
    if found is None:
        raise HttpError(404, "No taxonomy with this id.")
    return hsds.taxonomy_object(found)


@api.get("/taxonomy_terms", response=Page, summary="Taxonomy terms")
def taxonomy_terms(request: HttpRequest, filters: Query[TermFilters]) -> dict[str, Any]:
    json_only(filters)
    terms = TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__slug", "position", "code")
    if filters.search:
        terms = terms.filter(Q(name_it__icontains=filters.search) | Q(name_en__icontains=filters.search))
    if filters.top_only:
        terms = terms.filter(parent__isnull=True)
    if filters.taxonomy_id:
        terms = terms.filter(taxonomy_id=filters.taxonomy_id)
    if filters.parent_id:
        terms = terms.filter(parent_id=filters.parent_id)
    return page_of(terms, filters, hsds.taxonomy_term_object)


@api.get("/taxonomy_terms/{term_id}", summary="One taxonomy term")
def taxonomy_term(request: HttpRequest, term_id: uuid.UUID) -> dict[str, Any]:
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
def service_at_locations(request: HttpRequest, paging: Query[PlaceFilters]) -> dict[str, Any]:
    json_only(paging)
    found = public_service_at_locations()
    if paging.search:
        found = found.filter(service__in=search(published_services(), paging.search))
    if paging.taxonomy_term_id:
        term = paging.taxonomy_term_id
        found = found.filter(service__in=Service.objects.filter(Q(kinds=term) | Q(target_groups=term)))
    if paging.taxonomy_id:
        found = found.filter(service__in=Service.objects.filter(kinds__taxonomy_id=paging.taxonomy_id))
    if paging.organization_id:
        found = found.filter(service__organization_id=paging.organization_id)
    if paging.modified_after:
        found = found.filter(service__last_modified__gt=paging.modified_after)
    if paging.postcode:
        found = found.filter(location__postal_code=paging.postcode.strip())
    return page_of(found.order_by("service__name", "pk"), paging,
                   lambda at: hsds.service_at_location_object(at, with_service=True))  # fmt: skip


@api.get("/service_at_locations/{service_at_location_id}", summary="One service at one location")
def service_at_location(request: HttpRequest, service_at_location_id: uuid.UUID) -> dict[str, Any]:
    found = public_service_at_locations().filter(pk=service_at_location_id).first()
    if found is None:
        raise HttpError(404, "No published service at a location with this id.")
    return hsds.service_at_location_object(found, with_service=True)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}
    return api.create_response(request, error_body(codes.get(exc.status_code, "error"), str(exc)),
                               status=exc.status_code)  # fmt: skip


@api.exception_handler(NinjaValidationError)
def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = list(exc.errors)
    return api.create_response(request, error_body("invalid_input", "Some input is not valid: see detail.",
                                                   field_of(errors), errors), status=422)  # fmt: skip
