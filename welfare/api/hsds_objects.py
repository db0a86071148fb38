"""Catalogue objects as Open Referral HSDS 3.0 JSON. Empty optional fields are left out, never null."""

import datetime as dt
import uuid
from typing import Any

from welfare.catalogue.models import Location, Organization, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from welfare.territory.models import Municipality

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
UNITS_IT = {
    "hour": "all'ora",
    "session": "a incontro",
    "day": "al giorno",
    "week": "a settimana",
    "month": "al mese",
    "meal": "a pasto",
    "trip": "a viaggio",
    "one_off": "una tantum",
}


def derived_id(owner: uuid.UUID, kind: str, key: object) -> str:
    """A stable id for an HSDS object we store inside another (a language, a document, a phone)."""
    return str(uuid.uuid5(owner, f"{kind}:{key}"))


def compact(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def timestamp(value: dt.datetime) -> str:
    return value.isoformat()


def taxonomy_object(taxonomy: Taxonomy) -> dict[str, Any]:
    return compact(
        {
            "id": str(taxonomy.id),
            "name": taxonomy.name,
            "description": taxonomy.description or taxonomy.name,
            "version": taxonomy.version,
        }
    )


def taxonomy_term_object(term: TaxonomyTerm) -> dict[str, Any]:
    return compact(
        {
            "id": str(term.id),
            "code": term.code,
            "name": term.name_it,
            "description": term.description_it or term.name_it,
            "parent_id": str(term.parent_id) if term.parent_id else None,
            "taxonomy": term.taxonomy.name,
            "taxonomy_id": str(term.taxonomy_id),
            "language": "it",
        }
    )


def organization_object(organization: Organization) -> dict[str, Any]:
    return compact(
        {
            "id": str(organization.id),
            "name": organization.name,
            "description": organization.description or organization.name,
            "email": organization.email,
            "website": organization.website,
            "logo": organization.logo,
            "tax_id": organization.tax_code,
            "legal_status": organization.get_kind_display(),
            "phones": [{"id": derived_id(organization.id, "phone", 1), "number": organization.phone}]
            if organization.phone
            else [],
        }
    )


def location_object(location: Location) -> dict[str, Any]:
    municipality: Municipality = location.municipality
    return compact(
        {
            "id": str(location.id),
            "location_type": "physical",
            "name": location.name,
            "organization_id": str(location.organization_id) if location.organization_id else None,
            "addresses": [
                {
                    "id": derived_id(location.id, "address", 1),
                    "location_id": str(location.id),
                    "address_1": location.address,
                    "city": municipality.name,
                    "state_province": "VA",
                    "postal_code": location.postal_code,
                    "country": "IT",
                    "address_type": "physical",
                }
            ],
        }
    )


def schedules(at: ServiceAtLocation) -> list[dict[str, Any]]:
    return [
        {
            "id": str(hours.id),
            "service_id": str(at.service_id),
            "location_id": str(at.location_id),
            "service_at_location_id": str(at.id),
            "freq": "WEEKLY",
            "byday": WEEKDAYS[hours.weekday],
            "opens_at": hours.opens_at.strftime("%H:%M:%S"),
            "closes_at": hours.closes_at.strftime("%H:%M:%S"),
        }
        for hours in at.schedules.all()
    ]


def service_at_location_object(at: ServiceAtLocation, *, with_service: bool = False) -> dict[str, Any]:
    data = {
        "id": str(at.id),
        "service_id": str(at.service_id),
        "location_id": str(at.location_id),
        "description": at.description,
        "schedules": schedules(at),
        "location": location_object(at.location),
    }
    if with_service:
        data["service"] = service_summary(at.service)
    return compact(data)


def service_summary(service: Service) -> dict[str, Any]:
    """The flat service object of list responses (HSDS service_list)."""
    return compact(
        {
            "id": str(service.id),
            "organization_id": str(service.organization_id),
            "name": service.name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": "active" if service.is_published else "inactive",
            "application_process": service.application_process,
            "fees_description": service.fees_description,
            "eligibility_description": service.eligibility_description,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "last_modified": timestamp(service.last_modified),
            "organization": organization_object(service.organization),
        }
    )


def service_object(service: Service) -> dict[str, Any]:
    """The full service with everything nested (HSDS service)."""
    attributes = [
        {
            "id": derived_id(service.id, "attribute", term.id),
            "link_id": str(service.id),
            "link_type": "service",
            "link_entity": "service",
            "taxonomy_term_id": str(term.id),
            "taxonomy_term": taxonomy_term_object(term),
        }
        for term in [*service.kinds.all(), *service.target_groups.all()]
    ]
    data = service_summary(service) | {
        "phones": [{"id": derived_id(service.id, "phone", 1), "service_id": str(service.id), "number": service.phone}]
        if service.phone
        else [],
        "languages": [
            {"id": derived_id(service.id, "language", code), "service_id": str(service.id), "code": code}
            for code in service.languages
        ],
        "service_areas": [
            {
                "id": derived_id(service.id, "area", municipality.istat_code),
                "service_id": str(service.id),
                "name": municipality.name,
                "extent_type": "other",
                "description": f"Comune di {municipality.name} (ISTAT {municipality.istat_code})",
            }
            for municipality in service.areas_served.all()
        ],
        "service_at_locations": [service_at_location_object(at) for at in service.service_at_locations.all()],
        "cost_options": [
            compact(
                {
                    "id": str(cost.id),
                    "service_id": str(service.id),
                    "option": cost.label or UNITS_IT[cost.unit],
                    "currency": "EUR",
                    "amount": cost.amount_cents / 100,
                    "amount_description": "gratuito" if cost.is_free else UNITS_IT[cost.unit],
                }
            )
            for cost in service.cost_options.all()
        ],
        "required_documents": [
            {"id": derived_id(service.id, "document", index), "service_id": str(service.id), "document": document}
            for index, document in enumerate(service.required_documents)
        ],
        "attributes": attributes,
    }
    return compact(data)
