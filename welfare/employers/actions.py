from django.db import transaction

from welfare.audit.actions import Person, record
from welfare.employers.models import Employer


@transaction.atomic
def do_register_employer(*, actor: Person | None, name: str, vat_number: str) -> Employer:
    """Register an employer, or return the one already registered with this VAT number."""
    employer, created = Employer.objects.get_or_create(vat_number=vat_number, defaults={"name": name})
    if created:
        record(actor, "employer.registered", employer)
    return employer
