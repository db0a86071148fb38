"""Writes to the catalogue. For now only organisations; the catalogue issue adds services."""

from typing import Any

from django.db import transaction

from welfare.accounts.models import User
from welfare.audit.actions import record
from welfare.catalogue.models import Organization


@transaction.atomic
def do_register_organization(*, actor: User | None, name: str, kind: str, tax_code: str, **fields: Any) -> Organization:
    """Register a provider, or return the one already registered with this tax code."""
    organization, created = Organization.objects.get_or_create(
        tax_code=tax_code, defaults={"name": name, "kind": kind, **fields}
    )
    if created:
        record(actor, "organization.registered", organization, kind=kind)
    return organization
