"""What a voucher can buy, and what one hour would cost the family: read-only, for pages and forms."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from welfare.accounts.access import Acting, birth_date_of
from welfare.accounts.models import HouseholdMember
from welfare.catalogue.access import accredited, age_of, suitable_for
from welfare.catalogue.models import Accreditation, Service
from welfare.ledger.models import Account, Entry, Transaction
from welfare.lib.money import Breakdown, split_copayment
from welfare.vouchers.access import vouchers_for_acting
from welfare.vouchers.models import Application, Programme, Voucher


@dataclass(frozen=True)
class Offer:
    """A service a voucher can pay for, at the accredited tariff, and who pays what of one hour."""

    service: Service
    accreditation: Accreditation
    hour: Breakdown


def offers_for_voucher(voucher: Voucher) -> list[Offer]:
    """Published voucher-eligible services of accredited providers, for the programme's kinds, that suit the
    person the voucher is for (municipality and age)."""
    accreditations = (
        accredited()
        .filter(kind__in=voucher.programme.kinds.all())
        .prefetch_related("services")
        .order_by("hourly_tariff_cents", "organization__name")
    )
    offers = []
    for accreditation in accreditations:
        for service in accreditation.services.all():
            if service.is_published and service.voucher_eligible:
                offers.append(
                    Offer(
                        service,
                        accreditation,
                        split_copayment(accreditation.hourly_tariff_cents, voucher.copay_percent),
                    )
                )
    age = age_of(birth_date_of(voucher.holder, voucher.beneficiary_member))
    offered = Service.objects.filter(pk__in=[offer.service.pk for offer in offers])
    served = set(suitable_for(offered, municipality=voucher.municipality_id, age=age).values_list("pk", flat=True))
    return [offer for offer in offers if offer.service.pk in served]


@dataclass(frozen=True)
class VoucherChoice:
    voucher: Voucher
    accreditation: Accreditation
    hour: Breakdown


def voucher_choices(acting: Acting, service: Service, day: dt.date | None = None) -> list[VoucherChoice]:
    """The vouchers of the family that can pay for this service, with the hour's cost breakdown."""
    from welfare.accounts.access import Power

    if not service.voucher_eligible or not acting.may(Power.VOUCHERS):
        return []
    day = day or timezone.localdate()
    choices = []
    vouchers = (
        vouchers_for_acting(acting)
        .filter(
            status=Voucher.Status.ACTIVE,
            valid_from__lte=day,
            valid_until__gte=day,
            municipality__in=service.areas_served.all(),
        )
        .select_related("programme", "beneficiary_member", "account")
    )
    for voucher in vouchers:
        accreditation = (
            accredited(day)
            .filter(services=service, kind__in=voucher.programme.kinds.all())
            .order_by("hourly_tariff_cents")
            .first()
        )
        if accreditation is not None:
            hour = split_copayment(accreditation.hourly_tariff_cents, voucher.copay_percent)
            choices.append(VoucherChoice(voucher, accreditation, hour))
    return choices


def voucher_choice_for(
    acting: Acting, service: Service, voucher_id: object, beneficiary: HouseholdMember | None
) -> VoucherChoice | None:
    for choice in voucher_choices(acting, service):
        if str(choice.voucher.pk) == str(voucher_id) and choice.voucher.beneficiary_member_id == (
            beneficiary.pk if beneficiary else None
        ):
            return choice
    return None


@dataclass(frozen=True)
class BudgetLine:
    municipality_name: str
    istat_code: str
    allocated_cents: int
    committed_cents: int  # in active vouchers, not yet spent
    spent_cents: int  # paid from vouchers for logged sessions, billed on a statement or not yet
    available_cents: int  # still in the budget account
    vouchers: int


def budget_lines(programme: Programme) -> list[BudgetLine]:
    """Per municipality: allocated, committed, spent and available, read from the ledger in a few queries."""
    budgets = {b.municipality_id: b for b in programme.budgets.select_related("municipality")}
    available = dict(
        Account.objects.filter(kind=Account.Kind.BUDGET, programme=programme).values_list(
            "municipality_id", "balance_cents"
        )
    )
    committed = {
        row["municipality"]: row["total"]
        for row in Voucher.objects.filter(programme=programme, status=Voucher.Status.ACTIVE)
        .values("municipality")
        .annotate(total=Sum("account__balance_cents"))
        .order_by()
    }
    spent = {
        row["account__voucher__municipality"]: -row["total"]
        for row in Entry.objects.filter(
            account__kind=Account.Kind.VOUCHER, account__programme=programme,
            transaction__kind__in=[Transaction.Kind.SPEND, Transaction.Kind.REVERSAL], amount_cents__lt=0,
        )
        .values("account__voucher__municipality")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    }  # fmt: skip
    counts = {
        row["municipality"]: row["n"]
        for row in Voucher.objects.filter(programme=programme).values("municipality").annotate(n=Sum(1)).order_by()
    }
    return [
        BudgetLine(
            municipality_name=budget.municipality.name,
            istat_code=budget.municipality.istat_code,
            allocated_cents=budget.allocated_cents,
            committed_cents=committed.get(key) or 0,
            spent_cents=spent.get(key) or 0,
            available_cents=available.get(key) or 0,
            vouchers=counts.get(key) or 0,
        )
        for key, budget in budgets.items()
    ]


def waiting_counts(applications: QuerySet[Application], statuses: Sequence[str]) -> dict[str, int]:
    """How many of `applications` are in each of `statuses` (the social worker's tabs).

    COUNT(*), not COUNT(id): with the (municipality, status, submitted_at) index SQLite then counts from
    the index alone; at region scale, where ten times as many applications wait, that is 2.5 → 0.5 ms."""
    rows = applications.filter(status__in=statuses).values_list("status").annotate(n=Count("*")).order_by()
    return dict(rows)
