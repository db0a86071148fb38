"""What each side sees of welfare aziendale, read from the ledger and the registers.

An employee sees every movement of their own wallets. An officer sees the company's figures in aggregate only:
no person's services or health, and any group of fewer than MIN_GROUP people shown as "<5". The planning office
sees employer money spent at the district's providers, per employer and per municipality.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from welfare.employers.models import Category, Claim, Employee, Employer, Plan, Wallet
from welfare.ledger.models import Account, Entry, Transaction

MIN_GROUP = 5  # fewer people than this in a cell: the cell says "<5" and its amounts are not shown


@dataclass(frozen=True)
class Movement:
    at: dt.datetime
    kind: str
    label: str
    amount_cents: int


def movements_of(wallet: Wallet) -> list[Movement]:
    """Every ledger movement of a wallet, oldest first (credits, services paid, receipts, expiry, reversals)."""
    return [
        Movement(
            entry.transaction.created_at,
            entry.transaction.kind,
            entry.transaction.get_kind_display(),
            entry.amount_cents,
        )
        for entry in Entry.objects.filter(account_id=wallet.account_id).select_related("transaction").order_by("id")
    ]


def expiry_of(wallet: Wallet) -> dt.date:
    """The last day a wallet's credit can be spent: the end of its plan's year."""
    return dt.date(wallet.plan.year, 12, 31)


@dataclass
class FigureRow:
    category: str
    employee_category: str
    people: int
    allocated_cents: int = 0
    catalogue_cents: int = 0
    reimbursed_cents: int = 0
    returned_cents: int = 0
    left_cents: int = 0
    expiring_cents: int = 0

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label)

    @property
    def too_few(self) -> bool:
        return self.people < MIN_GROUP


@dataclass
class CompanyFigures:
    year: int
    rows: list[FigureRow] = field(default_factory=list)
    employees: int = 0
    registered: int = 0


NET_SPEND = (Transaction.Kind.SPEND, Transaction.Kind.REVERSAL)


def company_figures(employer: Employer, year: int) -> CompanyFigures:
    """Allocated, spent in the catalogue, reimbursed, given back, left and expiring, per welfare category and
    employee category, for the plans of `year`: sums over wallets, never one person's."""
    wallets = Wallet.objects.filter(plan__employer=employer, plan__year=year)
    groups: dict[tuple[str, str], FigureRow] = {}
    for row in wallets.values("category", "employee__category").annotate(
        people=Count("employee", distinct=True), allocated=Sum("allocated_cents"),
        left=Sum("account__balance_cents", filter=Q(closed_at__isnull=True)),
        expiring=Sum("account__balance_cents", filter=Q(closed_at__isnull=True, plan__residual=Plan.Residual.EXPIRE)),
    ).order_by("category", "employee__category"):  # fmt: skip
        groups[(row["category"], row["employee__category"])] = FigureRow(
            row["category"], row["employee__category"], row["people"], row["allocated"] or 0,
            left_cents=row["left"] or 0, expiring_cents=row["expiring"] or 0,
        )  # fmt: skip
    flows = (
        Entry.objects.filter(account__wallet__in=wallets)
        .values("account__wallet__category", "account__wallet__employee__category", "transaction__kind")
        .annotate(total=Sum("amount_cents"))
        .order_by()
    )
    for flow in flows:
        group = groups.get((flow["account__wallet__category"], flow["account__wallet__employee__category"]))
        if group is None:
            continue
        kind, total = flow["transaction__kind"], -flow["total"]
        if kind in NET_SPEND:
            group.catalogue_cents += total
        elif kind == Transaction.Kind.REIMBURSE:
            group.reimbursed_cents += total
        elif kind in (Transaction.Kind.EXPIRE, Transaction.Kind.CARRY_OVER):
            group.returned_cents += total
    from welfare.employers.access import resident_for

    current = list(employer.employees.filter(ended_on__isnull=True))
    return CompanyFigures(
        year,
        sorted(groups.values(), key=lambda r: (r.category, r.employee_category)),
        len(current),
        sum(1 for employee in current if resident_for(employee) is not None),
    )


def wallet_spending_in_ledger(employer: Employer) -> int:
    """What an employer's wallets paid for services, net of reversals, read from the ledger alone."""
    total = Entry.objects.filter(
        account__kind=Account.Kind.EMPLOYER_WALLET, account__employer=employer, transaction__kind__in=NET_SPEND
    ).aggregate(n=Sum("amount_cents"))["n"]
    return -(total or 0)


def payroll_lines(employer: Employer, month: dt.date) -> list[Claim]:
    """The approved (or paid) claims of a month's payroll export, by codice fiscale."""
    return list(
        Claim.objects.filter(wallet__plan__employer=employer, payroll_month=month,
                             status__in=[Claim.Status.APPROVED, Claim.Status.PAID])
        .select_related("employee", "wallet")
        .order_by("employee__codice_fiscale", "created_at")
    )  # fmt: skip


def payroll_months(employer: Employer) -> list[dict[str, object]]:
    """Every month with approved claims: its total, how many, and whether it is marked paid."""
    paid = {row.month: row for row in employer.payroll_months.all()}
    rows = (
        Claim.objects.filter(wallet__plan__employer=employer, payroll_month__isnull=False)
        .exclude(status=Claim.Status.REJECTED)
        .values("payroll_month")
        .annotate(n=Count("pk"), total=Sum("amount_cents"))
        .order_by("-payroll_month")
    )
    return [{"month": row["payroll_month"], "claims": row["n"], "total_cents": row["total"],
             "paid": paid.get(row["payroll_month"]) if row["payroll_month"] else None} for row in rows]  # fmt: skip


def employee_categories(employer: Employer) -> list[str]:
    return sorted(
        set(Employee.objects.filter(employer=employer, ended_on__isnull=True).values_list("category", flat=True))
    )


@dataclass(frozen=True)
class SpendingLine:
    employer: str
    municipality: str
    employer_cents: int


def employer_spending() -> list[SpendingLine]:
    """Employer welfare credits spent at the district's providers, per employer and per municipality of the family,
    read from the ledger: services paid from wallets, net of reversals (a reversal counts where its payment did)."""
    place = Coalesce("transaction__session__request__municipality__name",
                     "transaction__reverses__session__request__municipality__name")  # fmt: skip
    rows = (
        Entry.objects.filter(account__kind=Account.Kind.EMPLOYER_WALLET, transaction__kind__in=NET_SPEND)
        .annotate(place=place)
        .values("account__employer__name", "place")
        .annotate(total=Sum("amount_cents"))
        .order_by("account__employer__name", "place")
    )
    return [SpendingLine(row["account__employer__name"], row["place"] or "", -row["total"]) for row in rows
            if row["total"]]  # fmt: skip
