"""Every write to the catalogue: organisations, services and their moderation."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
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
    """Create the taxonomies and the terms of the reference data that do not exist yet. Idempotent.

    A term that exists is the planning office's from then on (renamed, moved, retired on its pages): loading the
    seed again, as `make run` does each time, never undoes that."""

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
            if created:
                record(actor, "taxonomy_term.saved", term, fields=[])
            count += 1
    return count


# The growing offer: the planning office adds, renames and retires kinds of service (under areas) and target groups.


@transaction.atomic
def do_save_term(
    *, actor: User | None, taxonomy: Taxonomy, term: TaxonomyTerm | None = None, parent: TaxonomyTerm | None = None,
    name_it: str, name_en: str, description_it: str = "", description_en: str = "",
) -> TaxonomyTerm:  # fmt: skip
    """Add a kind of service (under an area, or a new area with `parent=None`) or a target group, or rename one.

    Both names are required; a name already used by another active term of the taxonomy is refused (people would
    not tell them apart); a kind's area is an active top-level term of the same taxonomy. The code of a new term
    comes from its Italian name and never changes, so that links and open data keep working after a rename."""
    name_it, name_en = name_it.strip(), name_en.strip()
    errors: dict[str, str] = {}
    if not name_it:
        errors["name_it"] = _("Give the Italian name.")
    if not name_en:
        errors["name_en"] = _("Give the English name.")
    clash = TaxonomyTerm.objects.active().filter(taxonomy=taxonomy, name_it__iexact=name_it)
    if term is not None:
        clash = clash.exclude(pk=term.pk)
    if name_it and clash.exists():
        errors["name_it"] = _("Another kind or group already has this name.")
    if parent is not None and (
        parent.taxonomy_id != taxonomy.pk
        or parent.parent_id is not None
        or parent.retired_at is not None
        or (term is not None and parent.pk == term.pk)
    ):
        errors["parent"] = _("Choose one of the areas of the offer.")  # fmt: skip
    if term is not None and parent is not None and term.children.active().exists():
        errors["parent"] = _("This is an area with its own kinds: it cannot go under another area.")
    if errors:
        raise ValidationError(errors)
    values = {"name_it": name_it, "name_en": name_en, "description_it": description_it.strip(),
              "description_en": description_en.strip(), "parent": parent}  # fmt: skip
    if term is None:
        base = slugify(name_it)[:50] or "tipo"
        code, number = base, 2
        while TaxonomyTerm.objects.filter(taxonomy=taxonomy, code=code).exists():
            code, number = f"{base}-{number}", number + 1
        last = TaxonomyTerm.objects.filter(taxonomy=taxonomy).order_by("-position").values_list("position", flat=True)
        term = TaxonomyTerm.objects.create(taxonomy=taxonomy, code=code, position=(last.first() or 0) + 1, **values)
        record(actor, "taxonomy_term.added", term, code=code)
        return term
    changed = [name for name, value in values.items() if getattr(term, name) != value]
    if changed:
        for name in changed:
            setattr(term, name, values[name])
        term.save(update_fields=[*changed, "last_modified"])
        record(actor, "taxonomy_term.saved", term, fields=changed)
        for service in _services_naming(term):
            index_service(service)  # the search finds services by their kinds' names
    return term


def _services_naming(term: TaxonomyTerm) -> list[Service]:
    return list(Service.objects.filter(Q(kinds=term) | Q(target_groups=term)).distinct()
                .select_related("organization").prefetch_related("kinds", "target_groups"))  # fmt: skip


# What may name a kind besides services: a retired kind they still need would silently break them.
MOVED_WITH_SERVICES = {"services", "services_for_group", "children"}


@transaction.atomic
def do_retire_term(term: TaxonomyTerm, *, actor: User | None, replacement: TaxonomyTerm | None) -> int:
    """Retire a kind of service or a target group: its services (any state) move to `replacement`, an active term
    of the same taxonomy (required when services use it). Refused for an area that still has active kinds and for
    a kind that voucher programmes, calls or accreditations name (end those first). Returns how many services
    moved."""
    locked = TaxonomyTerm.objects.select_for_update().get(pk=term.pk)
    if locked.retired_at is not None:
        return 0
    if locked.children.active().exists():
        raise ValidationError(_("This area still has kinds of service: move or retire them first."), code="children")
    for relation in TaxonomyTerm._meta.related_objects:
        if relation.hidden or relation.get_accessor_name() in MOVED_WITH_SERVICES:
            continue  # hidden: the many-to-many tables' own links
        if getattr(locked, str(relation.get_accessor_name())).exists():
            raise ValidationError(
                _("Voucher programmes, calls or accreditations name this kind: it stays while they do."),
                code="in_use")  # fmt: skip
    services = _services_naming(locked)
    if services and replacement is None:
        raise ValidationError({"replacement": _("Services use it: choose where they go.")})
    if replacement is not None and (
        replacement.pk == locked.pk
        or replacement.taxonomy_id != locked.taxonomy_id
        or replacement.retired_at is not None
        or (replacement.parent_id is None) != (locked.parent_id is None)
    ):
        raise ValidationError({"replacement": _("Choose another active kind of the same sort.")})  # fmt: skip
    for service in services:
        assert replacement is not None
        if service.kinds.filter(pk=locked.pk).exists():
            service.kinds.remove(locked)
            service.kinds.add(replacement)
        if service.target_groups.filter(pk=locked.pk).exists():
            service.target_groups.remove(locked)
            service.target_groups.add(replacement)
        index_service(service)
    locked.retired_at = timezone.now()
    locked.save(update_fields=["retired_at", "last_modified"])
    record(actor, "taxonomy_term.retired", locked, moved=len(services),
           replacement=str(replacement.pk) if replacement else "")  # fmt: skip
    return len(services)
