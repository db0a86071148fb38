"""What a statement says, read in a fixed number of queries: sessions with their split, totals by
municipality, sessions held out, and each voucher's balance after the month."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from welfare.delivery.actions import month_end, statement_sessions
from welfare.delivery.models import Session, Statement


@dataclass(frozen=True)
class MunicipalityTotal:
    municipality: str
    sessions: int
    minutes: int
    amount_cents: int
    voucher_cents: int
    copayment_cents: int


@dataclass(frozen=True)
class VoucherBalance:
    verification_code: str
    municipality: str
    value_cents: int
    used_cents: int

    @property
    def balance_cents(self) -> int:
        return self.value_cents - self.used_cents


@dataclass(frozen=True)
class StatementReport:
    statement: Statement
    sessions: QuerySet[Session]
    by_municipality: list[MunicipalityTotal]
    held_out: QuerySet[Session]
    vouchers: list[VoucherBalance]


def report(statement: Statement) -> StatementReport:
    sessions = statement.sessions.select_related("voucher__municipality", "request__service").order_by(
        "day", "starts_at"
    )
    by_municipality = [
        MunicipalityTotal(
            row["voucher__municipality__name"],
            row["n"],
            row["minutes"],
            row["amount"],
            row["voucher"],
            row["copayment"],
        )
        for row in statement.sessions.values("voucher__municipality__name")
        .annotate(
            n=Count("pk"),
            minutes=Sum("minutes"),
            amount=Sum("amount_cents"),
            voucher=Sum("voucher_cents"),
            copayment=Sum("copayment_cents"),
        )
        .order_by("voucher__municipality__name")
    ]
    held_out = (
        statement_sessions(statement.organization, statement.programme, statement.month)
        .filter(statement__isnull=True)
        .select_related("voucher__municipality")
        .order_by("day", "starts_at")
    )
    return StatementReport(statement, sessions, by_municipality, held_out, voucher_balances(statement))


def voucher_balances(statement: Statement) -> list[VoucherBalance]:
    """Each voucher of the statement: its value less what valid sessions up to the month's end took from it."""
    last_day: dt.date = month_end(statement.month)
    rows = (
        Session.objects.filter(voucher__in=statement.sessions.values("voucher"))
        .values("voucher__verification_code", "voucher__municipality__name", "voucher__value_cents")
        .annotate(used=Sum("voucher_cents", filter=Q(status=Session.Status.VALID, day__lte=last_day)))
        .order_by("voucher__municipality__name", "voucher__verification_code")
    )
    return [
        VoucherBalance(
            row["voucher__verification_code"],
            row["voucher__municipality__name"],
            row["voucher__value_cents"],
            row["used"] or 0,
        )
        for row in rows
    ]
