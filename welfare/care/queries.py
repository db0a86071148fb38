from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, Prefetch, QuerySet

from welfare.accounts.access import birth_date_of
from welfare.care.models import RequestEvent, ServiceRequest
from welfare.catalogue.access import age_of, published_services, suitable_for
from welfare.catalogue.models import Service
from welfare.employers.credits import CreditChoice
from welfare.lib.money import Shares, split_three

if TYPE_CHECKING:
    from welfare.vouchers.queries import VoucherChoice

WHEN_TO_SUGGEST = {ServiceRequest.State.REJECTED, ServiceRequest.State.EXPIRED}


def alternatives_for(request: ServiceRequest, limit: int = 5) -> QuerySet[Service] | list[Service]:
    """Other published services of the same kind for the same person (municipality and age), most free places
    first.

    Offered when the provider said no, or when the service has no free places.
    """
    if request.state not in WHEN_TO_SUGGEST and request.service.free_places != 0:
        return []
    age = age_of(birth_date_of(request.requester, request.beneficiary_member))
    return (
        suitable_for(published_services(), municipality=request.municipality_id, age=age)
        .filter(kinds__in=request.service.kinds.all())
        .exclude(pk=request.service_id)
        .exclude(free_places=0)
        .select_related("organization")
        .distinct()
        .order_by(F("free_places").desc(nulls_first=True), "name")[:limit]
    )


def with_history(requests: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    """Requests with what a timeline shows of them: service, provider, person, and every event in order."""
    return requests.select_related("service", "organization", "beneficiary_member").prefetch_related(
        Prefetch("events", queryset=RequestEvent.objects.select_related("actor", "on_behalf_of").order_by("at", "id"))
    )


@dataclass(frozen=True)
class PayerCombination:
    """One way the family may pay one hour, shown before they send the request: a voucher or none, a credit or
    none, and who pays what of the hour (the voucher and the credit as far as their balances go today)."""

    voucher: "VoucherChoice | None"
    credit: CreditChoice | None
    shares: Shares | None  # None: the price is the provider's, known with the proposal


def payer_combinations(vouchers: "Sequence[VoucherChoice]", credits: Sequence[CreditChoice]) -> list[PayerCombination]:
    """Every voucher × credit pairing (each also alone) with its split of one hour, for the request form's table."""
    rows = []
    for voucher in [*vouchers, None]:
        for credit in [*credits, None]:
            if credit is None and voucher is None:
                continue  # the family alone pays the provider's price: nothing to split
            shares = None
            if voucher is not None:
                shares = split_three(
                    voucher.hour.total_cents, copay_percent=voucher.hour.copay_percent,
                    voucher_left=voucher.voucher.account.balance_cents,
                    credit_left=credit.left_cents if credit is not None else None,
                )  # fmt: skip
            rows.append(PayerCombination(voucher, credit, shares))
    return rows
