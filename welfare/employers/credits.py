"""What an employee's welfare credit can pay in the catalogue, for whom: the one rule the request form, the
provider's proposal, the confirmation, session pricing and the API all ask."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from welfare.accounts.access import Acting, Power, support_needs_of
from welfare.accounts.models import HouseholdMember, User
from welfare.catalogue.models import Service
from welfare.employers.access import wallets_of
from welfare.employers.models import Category, Plan, Wallet
from welfare.employers.rules import ELDERLY_AGE, pays_for_person, pays_service_kinds
from welfare.lib.dates import age_on


def open_wallets(user: User, day: dt.date | None = None) -> QuerySet[Wallet]:
    """The resident's wallets that can pay today: open, of a published plan of this year, the employee current."""
    day = day or timezone.localdate()
    return wallets_of(user).filter(
        closed_at__isnull=True, plan__status=Plan.Status.PUBLISHED, plan__year=day.year, employee__ended_on__isnull=True
    )


def kind_codes(service: Service) -> set[str]:
    codes = set()
    for term in service.kinds.select_related("parent"):
        codes.add(term.code)
        if term.parent is not None:
            codes.add(term.parent.code)
    return codes


def refusal(wallet: Wallet, service: Service, member: HouseholdMember | None, citizen: User,
            day: dt.date | None = None) -> str | None:  # fmt: skip
    """Why this wallet cannot pay this service for this person on `day`, in words for the family; None when it can."""
    day = day or timezone.localdate()
    if not open_wallets(citizen, day).filter(pk=wallet.pk).exists():
        return _("This employer welfare credit is closed or not yours.")
    if not pays_service_kinds(wallet.category, kind_codes(service)):
        return _("A credit of the category “%(category)s” does not pay for this kind of service.") % {
            "category": Category(wallet.category).label}  # fmt: skip
    age = age_on(member.birth_date, day) if member is not None else None
    needs = support_needs_of(member, reader=member.owner.user) if member is not None else None
    relationship = member.relationship if member is not None else ""
    certified = bool(needs and needs.disability_certified)
    if not pays_for_person(wallet.category, is_employee=member is None, relationship=relationship, age=age,
                           non_self_sufficient=certified):  # fmt: skip
        if wallet.category == Category.F_BIS:
            return _("This credit pays for your children's education and childcare: choose your child above.")
        return _("This credit pays for a family member aged %(age)d or more, or certified non-self-sufficient: "
                 "choose that person above.") % {"age": ELDERLY_AGE}  # fmt: skip
    return None


@dataclass(frozen=True)
class CreditChoice:
    wallet: Wallet
    left_cents: int


def credit_choices(acting: Acting, service: Service) -> list[CreditChoice]:
    """The acting family's open wallets with money left whose category pays this kind of service (the person is
    checked when the form is sent: `refusal`)."""
    if not acting.may(Power.VOUCHERS):
        return []
    codes = kind_codes(service)
    return [
        CreditChoice(wallet, wallet.account.balance_cents)
        for wallet in open_wallets(acting.citizen)
        .filter(account__balance_cents__gt=0)
        .order_by("plan__year", "category")
        if pays_service_kinds(wallet.category, codes)
    ]
