"""What each category of welfare credit may pay for, by TUIR art. 51: one place for the rules, read by the
request form, the provider's proposal, session pricing, reimbursements and the API.

The portal records what the law asks the employer to document; it does not compute anyone's tax.
"""

import datetime as dt
from collections.abc import Iterable

from welfare.employers.models import Category

# Service kinds (taxonomy codes; a parent covers its children) each category pays for in the catalogue.
# None: any service of the catalogue. A category missing here pays no catalogue service (reimbursement only).
CATALOGUE_KINDS: dict[str, frozenset[str] | None] = {
    Category.F: None,  # education, recreation, social and health assistance
    Category.F_BIS: frozenset({"educazione-minori"}),  # family members' education and childcare
    Category.F_TER: frozenset({"domiciliarita", "sostegno-famiglia", "mobilita"}),  # care of the elderly
    Category.FRINGE: None,  # goods and services, within the yearly cap
}
# Reimbursable on receipts (art. 51 c.2 f is provided directly or by voucher: never reimbursed).
REIMBURSABLE = frozenset({Category.F_BIS, Category.F_TER, Category.D_BIS})
ELDERLY_AGE = 75  # f-ter: a family member of at least this age, or non-self-sufficient (medical certificate)
# art. 51 c.3 as amended for 2025–2027: fringe benefits up to these amounts a year.
FRINGE_CAP_CENTS = 100_000
FRINGE_CAP_WITH_CHILDREN_CENTS = 200_000


def fringe_cap(dependent_children: bool) -> int:
    return FRINGE_CAP_WITH_CHILDREN_CENTS if dependent_children else FRINGE_CAP_CENTS


def pays_service_kinds(category: str, kind_codes: Iterable[str]) -> bool:
    """Whether a credit of `category` pays a service of these kinds (the codes include the kinds' parents)."""
    if category not in CATALOGUE_KINDS:
        return False
    allowed = CATALOGUE_KINDS[category]
    return allowed is None or bool(allowed & set(kind_codes))


def pays_for_person(category: str, *, is_employee: bool, relationship: str, age: int | None,
                    non_self_sufficient: bool) -> bool:  # fmt: skip
    """Whether a credit of `category` may pay for this person: f-bis for a child's education, f-ter for a family
    member of 75 or more or certified non-self-sufficient; f and fringe for the employee and their family."""
    if category == Category.F_BIS:
        return not is_employee and relationship == "child"
    if category == Category.F_TER:
        return not is_employee and ((age is not None and age >= ELDERLY_AGE) or non_self_sufficient)
    return category in (Category.F, Category.FRINGE)


def needs_certificate(category: str, birth_date: dt.date, on: dt.date) -> bool:
    """An f-ter receipt for someone under 75 needs the medical certificate of non-self-sufficiency."""
    from welfare.lib.dates import age_on

    return category == Category.F_TER and age_on(birth_date, on) < ELDERLY_AGE
