"""Every write to the catalogue: organisations, services and their moderation."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.accounts.models import User
from welfare.audit.actions import record
from welfare.catalogue.models import (
    CostOption,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from welfare.catalogue.search import index_service
from welfare.territory.models import Municipality

Status = Service.Status
SERVICE_FIELDS = (
    "name",
    "description",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "application_process",
    "fees_description",
    "required_documents",
    "languages",
    "accessibility",
    "email",
    "phone",
    "url",
    "voucher_eligible",
    "free_places",
)


@dataclass(frozen=True)
class Cost:
    amount_cents: int
    unit: str
    label: str = ""


@dataclass(frozen=True)
class Availability:
    """A location where the service is offered, and when (weekday 0 = Monday, opens, closes)."""

    location: Location
    hours: Sequence[tuple[int, dt.time, dt.time]] = ()


@transaction.atomic
def do_register_organization(*, actor: User | None, name: str, kind: str, tax_code: str, **fields: Any) -> Organization:
    """Register a provider, or return the one already registered with this tax code."""
    organization, created = Organization.objects.get_or_create(
        tax_code=tax_code, defaults={"name": name, "kind": kind, **fields}
    )
    if created:
        record(actor, "organization.registered", organization, kind=kind)
    return organization


@transaction.atomic
def do_save_location(*, actor: User | None, organization: Organization | None, **fields: Any) -> Location:
    """Create a location, or return the organisation's location with the same name and address."""
    location, created = Location.objects.get_or_create(
        organization=organization,
        name=fields.pop("name"),
        address=fields.pop("address"),
        defaults=fields,
    )
    if created:
        record(actor, "location.created", location)
    return location


@transaction.atomic
def do_save_service(
    *,
    actor: User | None,
    organization: Organization,
    service: Service | None = None,
    fields: dict[str, Any],
    kinds: Iterable[TaxonomyTerm],
    target_groups: Iterable[TaxonomyTerm] = (),
    areas_served: Iterable[Municipality],
    costs: Sequence[Cost] | None = None,
    availability: Sequence[Availability] | None = None,
) -> Service:
    """Create a draft service, or change one. A published service stays published; the change is audited."""
    unknown = set(fields) - set(SERVICE_FIELDS)
    if unknown:
        raise ValueError(f"Not service fields: {sorted(unknown)}")
    creating = service is None
    if service is None:
        service = Service(organization=organization, status=Status.DRAFT)
    elif service.organization_id != organization.pk:
        raise ValidationError(_("This service belongs to another organisation."), code="organization")
    changed = [name for name, value in fields.items() if getattr(service, name) != value]
    for name, value in fields.items():
        setattr(service, name, value)
    service.full_clean(exclude=["search_document"])
    service.save()
    service.kinds.set(list(kinds))
    service.target_groups.set(list(target_groups))
    service.areas_served.set(list(areas_served))
    if costs is not None:
        service.cost_options.all().delete()
        CostOption.objects.bulk_create(
            CostOption(service=service, amount_cents=cost.amount_cents, unit=cost.unit, label=cost.label)
            for cost in costs
        )
    if availability is not None:
        service.service_at_locations.all().delete()
        for place in availability:
            at = ServiceAtLocation.objects.create(service=service, location=place.location)
            Schedule.objects.bulk_create(
                Schedule(service_at_location=at, weekday=day, opens_at=opens, closes_at=closes)
                for day, opens, closes in place.hours
            )
    index_service(service)
    verb = "service.created" if creating else "service.updated"
    record(actor, verb, service, fields=changed if not creating else list(fields), status=service.status)
    return service


def _transition(service: Service, allowed_from: set[str], to: str, *, actor: User | None, **data: Any) -> Service:
    if service.status not in allowed_from:
        raise ValidationError(
            _("A service that is “%(status)s” cannot be changed this way."),
            code="invalid_transition",
            params={"status": service.get_status_display()},
        )
    previous = service.status
    service.status = to
    service.save(update_fields=["status", "returned_reason", "published_at", "last_modified"])
    record(actor, f"service.{to}", service, previous=previous, **data)
    return service


@transaction.atomic
def do_submit_service(service: Service, *, actor: User | None) -> Service:
    """The provider asks the planning office to publish (or re-publish) the service."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    return _transition(service, {Status.DRAFT, Status.RETURNED, Status.WITHDRAWN}, Status.SUBMITTED, actor=actor)


@transaction.atomic
def do_publish_service(service: Service, *, actor: User | None) -> Service:
    service = Service.objects.select_for_update().get(pk=service.pk)
    service.returned_reason = ""
    service.published_at = timezone.now()
    return _transition(service, {Status.SUBMITTED}, Status.PUBLISHED, actor=actor)


@transaction.atomic
def do_return_service(service: Service, *, actor: User | None, reason: str) -> Service:
    """The planning office sends a service back to its provider, saying what to change."""
    if not reason.strip():
        raise ValidationError(_("Say what the provider should change."), code="reason_required")
    service = Service.objects.select_for_update().get(pk=service.pk)
    service.returned_reason = reason.strip()
    return _transition(service, {Status.SUBMITTED, Status.PUBLISHED}, Status.RETURNED, actor=actor)


@transaction.atomic
def do_withdraw_service(service: Service, *, actor: User | None) -> Service:
    """The provider takes a published service off the catalogue."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    return _transition(service, {Status.PUBLISHED, Status.SUBMITTED}, Status.WITHDRAWN, actor=actor)


@transaction.atomic
def do_load_taxonomies(data: dict[str, Any], *, actor: User | None) -> int:
    """Create or update the taxonomies and their terms from reference data. Idempotent."""

    count = 0
    for info in data["taxonomies"]:
        taxonomy, created = Taxonomy.objects.update_or_create(
            slug=info["slug"],
            defaults={"name": info["name"], "description": info["description"], "version": info["version"]},
        )
        if created:
            record(actor, "taxonomy.created", taxonomy)
        for position, row in enumerate(info["terms"]):
            parent = TaxonomyTerm.objects.get(taxonomy=taxonomy, code=row["parent"]) if row.get("parent") else None
            values = {
                "name_it": row["it"],
                "name_en": row["en"],
                "description_it": row.get("description_it", ""),
                "description_en": row.get("description_en", ""),
                "parent": parent,
                "position": row.get("position", 100 + position),
            }
            term, created = TaxonomyTerm.objects.get_or_create(taxonomy=taxonomy, code=row["code"], defaults=values)
            changed = [field for field, value in values.items() if getattr(term, field) != value]
            if changed:
                for field in changed:
                    setattr(term, field, values[field])
                term.save(update_fields=changed)
            if created or changed:
                record(actor, "taxonomy_term.saved", term, fields=changed)
            count += 1
    return count
