"""The only code that moves money. Everything else asks it to post a transaction.

A posting is safe under concurrency because every balance change is a conditional UPDATE
(`balance >= amount`) that the database evaluates on the latest committed row, under that row's
lock; the check constraint on Account is the last line of defence. Accounts are updated in a fixed
order (by id) so two postings touching the same accounts cannot deadlock.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from welfare.accounts.models import User
from welfare.audit.actions import record
from welfare.ledger.models import Account, Entry, Transaction


class InsufficientFunds(ValidationError):
    def __init__(self, account: Account) -> None:
        super().__init__(_("There is not enough money left for this."), code="insufficient_funds")
        self.account = account


@dataclass(frozen=True)
class Leg:
    account: Account
    amount_cents: int


def account_for(kind: str, key: str, **owner: models.Model) -> Account:
    """The account with this key, opened on first use."""
    try:
        with transaction.atomic():
            account, _created = Account.objects.get_or_create(key=key, defaults={"kind": kind, **owner})
    except IntegrityError:  # opened at the same moment by someone else
        account = Account.objects.get(key=key)
    return account


@transaction.atomic
def do_post(
    kind: str,
    legs: Sequence[Leg],
    *,
    actor: User | None,
    on_behalf_of: User | None = None,
    memo: str = "",
    reverses: Transaction | None = None,
) -> Transaction:
    """Post one balanced transaction, or nothing: raises InsufficientFunds when an account would go negative."""
    if len(legs) < 2 or any(not isinstance(leg.amount_cents, int) or leg.amount_cents == 0 for leg in legs):
        raise ValueError("A transaction has at least two legs, each a non-zero integer of cents.")
    if sum(leg.amount_cents for leg in legs) != 0:
        raise ValueError("The legs of a transaction must sum to zero.")
    for leg in sorted(legs, key=lambda leg: leg.account.pk):
        rows = Account.objects.filter(pk=leg.account.pk)
        if leg.amount_cents < 0 and not leg.account.may_go_negative:
            rows = rows.filter(balance_cents__gte=-leg.amount_cents)
        if rows.update(balance_cents=F("balance_cents") + leg.amount_cents) != 1:
            raise InsufficientFunds(leg.account)  # the atomic block undoes the legs already applied
    posted = Transaction.objects.create(
        kind=kind, memo=memo[:300], actor=actor, on_behalf_of=on_behalf_of, reverses=reverses
    )
    Entry.objects.bulk_create(
        Entry(transaction=posted, account=leg.account, amount_cents=leg.amount_cents) for leg in legs
    )
    record(actor, f"ledger.{kind}", posted, on_behalf_of=on_behalf_of,
           moved_cents=sum(leg.amount_cents for leg in legs if leg.amount_cents > 0))  # fmt: skip
    return posted


@transaction.atomic
def do_reverse(
    original: Transaction, *, actor: User | None, reason: str, redirect: Mapping[int, Account] | None = None
) -> Transaction:
    """Storno: a new transaction with every entry of `original` negated. A transaction is reversed once.

    `redirect` sends what would go back to an account (by id) to another one instead: money given back to a
    voucher that has ended since goes where its remainder went, never onto an account nobody can use.
    """
    if not reason.strip():
        raise ValidationError(_("Say why the movement is reversed."), code="reason_required")
    if Transaction.objects.filter(reverses=original).exists():
        raise ValidationError(_("This movement has already been reversed."), code="already_reversed")
    redirect = redirect or {}
    legs = [
        Leg(redirect.get(entry.account_id, entry.account), -entry.amount_cents)
        for entry in original.entries.select_related("account")
    ]
    try:
        with transaction.atomic():
            return do_post(Transaction.Kind.REVERSAL, legs, actor=actor, memo=reason.strip(), reverses=original)
    except IntegrityError as error:  # reversed at the same moment by someone else
        raise ValidationError(_("This movement has already been reversed."), code="already_reversed") from error


def balance_from_entries(account: Account) -> int:
    total: int = account.entries.aggregate(total=Coalesce(Sum("amount_cents"), 0))["total"]
    return total


@dataclass(frozen=True)
class Mismatch:
    what: str
    key: str
    expected_cents: int
    found_cents: int

    def __str__(self) -> str:
        return f"{self.what} {self.key}: entries say {self.expected_cents}, found {self.found_cents}"


def reconcile() -> list[Mismatch]:
    """Every balance against its entries, every transaction against zero, every ended voucher and closed employer
    wallet empty, no employer's credits beyond what it funded. Empty when the books agree."""
    mismatches = [
        Mismatch("account", account.key, account.from_entries, account.balance_cents)
        for account in Account.objects.annotate(from_entries=Coalesce(Sum("entries__amount_cents"), 0))
        .exclude(balance_cents=F("from_entries"))
        .order_by("key")
    ]
    # A voucher that has ended gave its remainder back to the budget: money still on it can be neither spent
    # nor released (a refund that reached it after it ended).
    mismatches += [
        Mismatch("ended voucher", account.key, 0, account.balance_cents)
        for account in Account.objects.filter(kind=Account.Kind.VOUCHER, voucher__ended_at__isnull=False)
        .exclude(balance_cents=0)
        .order_by("key")
    ]
    # An employer welfare wallet that has closed (year end, an employee who left) gave its remainder back to the
    # employer or on to the next plan: money still on it can be neither spent nor claimed.
    mismatches += [
        Mismatch("closed wallet", account.key, 0, account.balance_cents)
        for account in Account.objects.filter(kind=Account.Kind.EMPLOYER_WALLET, wallet__closed_at__isnull=False)
        .exclude(balance_cents=0)
        .order_by("key")
    ]
    # What an employer's wallets and payroll accounts hold never exceeds what the employer put in.
    for funding in Account.objects.filter(kind=Account.Kind.EMPLOYER_FUNDING):
        held = Account.objects.filter(employer_id=funding.employer_id or 0).exclude(pk=funding.pk).exclude(
            kind=Account.Kind.EMPLOYER_FUNDING).aggregate(n=Coalesce(Sum("balance_cents"), 0))["n"]  # fmt: skip
        if held > -funding.balance_cents:
            mismatches.append(Mismatch("employer", funding.key, -funding.balance_cents, held))
    unbalanced = Entry.objects.values("transaction_id").annotate(total=Sum("amount_cents")).exclude(total=0).order_by()
    mismatches += [Mismatch("transaction", str(row["transaction_id"]), 0, row["total"]) for row in unbalanced]
    return mismatches
