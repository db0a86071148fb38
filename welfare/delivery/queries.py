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
    employer_cents: int = 0


@dataclass(frozen=True)
class EmployerTotal:
    """A statement's employer column for one employer: the sessions' employer shares, and what the ledger moved
    from that employer's wallets for those very sessions (the two are equal; a difference is a fault to report)."""

    employer: str
    sessions: int
    employer_cents: int
    ledger_cents: int


@dataclass(frozen=True)
class VoucherBalance:
    """A voucher of the statement after the month, each figure saying what it includes: what this statement
    bills, what it holds out (this provider's sessions of the month awaiting the family's confirmation or in
    dispute, paid from the voucher when logged), and every other session up to the month's end (earlier months,
    other providers). `in_statement_cents` over the vouchers adds up to the statement's voucher share."""

    verification_code: str
    municipality: str
    value_cents: int
    in_statement_cents: int
    held_out_cents: int
    other_cents: int

    @property
    def balance_cents(self) -> int:
        return self.value_cents - self.in_statement_cents - self.held_out_cents - self.other_cents


@dataclass(frozen=True)
class StatementReport:
    statement: Statement
    sessions: QuerySet[Session]
    by_municipality: list[MunicipalityTotal]
    held_out: QuerySet[Session]
    vouchers: list[VoucherBalance]
    by_employer: list[EmployerTotal]


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
            row["employer"],
        )
        for row in statement.sessions.values("voucher__municipality__name")
        .annotate(
            n=Count("pk"),
            minutes=Sum("minutes"),
            amount=Sum("amount_cents"),
            voucher=Sum("voucher_cents"),
            copayment=Sum("copayment_cents"),
            employer=Sum("employer_cents"),
        )
        .order_by("voucher__municipality__name")
    ]
    held_out = (
        statement_sessions(statement.organization, statement.programme, statement.month)
        .filter(statement__isnull=True)
        .select_related("voucher__municipality")
        .order_by("day", "starts_at")
    )
    return StatementReport(statement, sessions, by_municipality, held_out, voucher_balances(statement),
                           employer_totals(statement))  # fmt: skip


def employer_totals(statement: Statement) -> list[EmployerTotal]:
    """The statement's employer column per employer, next to the ledger's movements from their wallets."""
    from welfare.ledger.models import Account, Entry

    rows = (
        statement.sessions.filter(wallet__isnull=False)
        .values("wallet__plan__employer", "wallet__plan__employer__name")
        .annotate(n=Count("pk"), total=Sum("employer_cents"))
        .order_by("wallet__plan__employer__name")
    )
    totals = []
    for row in rows:
        moved = Entry.objects.filter(
            transaction__session__statement=statement, account__kind=Account.Kind.EMPLOYER_WALLET,
            account__employer=row["wallet__plan__employer"],
        ).aggregate(n=Sum("amount_cents"))["n"]  # fmt: skip
        totals.append(EmployerTotal(row["wallet__plan__employer__name"], row["n"], row["total"] or 0, -(moved or 0)))
    return totals


def voucher_balances(statement: Statement) -> list[VoucherBalance]:
    """Each voucher of the statement: its value, and what valid sessions up to the month's end took from it,
    split as VoucherBalance says."""
    last_day: dt.date = month_end(statement.month)
    held_out = Q(organization=statement.organization, day__gte=statement.month, statement__isnull=True)
    rows = (
        Session.objects.filter(
            voucher__in=statement.sessions.values("voucher"), status=Session.Status.VALID, day__lte=last_day
        )
        .values("voucher__verification_code", "voucher__municipality__name", "voucher__value_cents")
        .annotate(
            in_statement=Sum("voucher_cents", filter=Q(statement=statement)),
            held_out=Sum("voucher_cents", filter=held_out),
            other=Sum("voucher_cents", filter=~Q(statement=statement) & ~held_out),
        )
        .order_by("voucher__municipality__name", "voucher__verification_code")
    )
    return [
        VoucherBalance(
            row["voucher__verification_code"],
            row["voucher__municipality__name"],
            row["voucher__value_cents"],
            row["in_statement"] or 0,
            row["held_out"] or 0,
            row["other"] or 0,
        )
        for row in rows
    ]
