"""Find the place a role is bound to from the key people use for it."""

from django.db import models

from welfare.accounts.models import Role
from welfare.catalogue.models import Organization
from welfare.employers.models import Employer
from welfare.territory.models import District, Municipality, SocialPoint

# role -> (model, field that identifies it, how to describe that key)
SCOPE_KEYS: dict[Role, tuple[type[models.Model], str, str]] = {
    Role.OPERATOR: (SocialPoint, "slug", "Social Point short name"),
    Role.PROVIDER_STAFF: (Organization, "tax_code", "organisation tax code"),
    Role.SOCIAL_WORKER: (Municipality, "istat_code", "municipality ISTAT code"),
    Role.DISTRICT_ADMIN: (District, "slug", "district short name"),
    Role.EMPLOYER_HR: (Employer, "vat_number", "employer VAT number"),
}


def find_scope(role: Role, key: str) -> models.Model:
    """The place for `role` identified by `key`; raises the model's DoesNotExist when there is none."""
    model, field, _description = SCOPE_KEYS[role]
    return model._default_manager.get(**{field: key})
