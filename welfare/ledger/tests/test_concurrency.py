"""Many workers, each with its own database connection, spend from one budget or voucher at once.

Only PostgreSQL runs real concurrent writers (SQLite serialises every write on one file). The same
harness run against a naive read-modify-write posting shows what the locks prevent.
"""

import threading
import time
from collections.abc import Callable

import pytest
from django.db import connection, connections, transaction
from django.db.models import F

from welfare.ledger.actions import InsufficientFunds, Leg, account_for, do_post, reconcile
from welfare.ledger.models import Account, Entry, Transaction

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"),
]
WORKERS = 12


def run_concurrently(work: Callable[[int], None], workers: int = WORKERS) -> int:
    """Start `workers` threads at the same instant; return how many finished without InsufficientFunds."""
    barrier = threading.Barrier(workers)
    successes, errors = [], []

    def worker(number: int) -> None:
        try:
            barrier.wait()
            work(number)
            successes.append(number)
        except InsufficientFunds:
            pass
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return len(successes)


def funded(cents: int) -> tuple[Account, Account]:
    source = account_for(Account.Kind.FUNDING, "funding:concurrency")
    budget = account_for(Account.Kind.BUDGET, "budget:concurrency")
    do_post(Transaction.Kind.FUND, [Leg(source, -cents), Leg(budget, cents)], actor=None)
    return source, budget


def assert_never_overspent(budget: Account, admitted: int, succeeded: int, amount: int) -> None:
    budget.refresh_from_db()
    assert succeeded == admitted, f"{succeeded} spends succeeded, the budget admits {admitted}"
    assert budget.balance_cents >= 0
    assert not reconcile(), reconcile()
    assert sum(Entry.objects.values_list("amount_cents", flat=True)) == 0


def test_concurrent_issues_against_one_budget_never_overspend():
    _source, budget = funded(5 * 300)  # admits exactly 5 vouchers of 3 €

    def issue(number: int) -> None:
        voucher = account_for(Account.Kind.VOUCHER, f"voucher:concurrency:{number}")
        do_post(Transaction.Kind.ISSUE, [Leg(budget, -300), Leg(voucher, 300)], actor=None)

    succeeded = run_concurrently(issue)
    assert_never_overspent(budget, 5, succeeded, 300)
    assert budget.balance_cents == 0


def test_concurrent_spends_of_one_voucher_never_overspend():
    _source, budget = funded(1_000)
    voucher = account_for(Account.Kind.VOUCHER, "voucher:shared")
    do_post(Transaction.Kind.ISSUE, [Leg(budget, -1_000), Leg(voucher, 1_000)], actor=None)

    def spend(number: int) -> None:
        provider = account_for(Account.Kind.PROVIDER, f"provider:{number % 3}")
        do_post(Transaction.Kind.SPEND, [Leg(voucher, -300), Leg(provider, 300)], actor=None)

    succeeded = run_concurrently(spend)
    assert_never_overspent(voucher, 3, succeeded, 300)
    assert voucher.balance_cents == 100


def naive_post(budget: Account, target: Account, amount: int) -> None:
    """What the ledger must not do: read the balance, decide in Python, write the result back."""
    with transaction.atomic():
        balance = Account.objects.get(pk=budget.pk).balance_cents
        time.sleep(0.05)  # the window in which another worker reads the same balance
        if balance < amount:
            raise InsufficientFunds(budget)
        Account.objects.filter(pk=budget.pk).update(balance_cents=balance - amount)
        Account.objects.filter(pk=target.pk).update(balance_cents=F("balance_cents") + amount)
        posted = Transaction.objects.create(kind=Transaction.Kind.ISSUE)
        Entry.objects.bulk_create([
            Entry(transaction=posted, account=budget, amount_cents=-amount),
            Entry(transaction=posted, account=target, amount_cents=amount),
        ])  # fmt: skip


def test_the_same_harness_catches_a_naive_read_modify_write():
    _source, budget = funded(5 * 300)

    def issue(number: int) -> None:
        naive_post(budget, account_for(Account.Kind.VOUCHER, f"voucher:naive:{number}"), 300)

    succeeded = run_concurrently(issue)
    with pytest.raises(AssertionError):
        assert_never_overspent(budget, 5, succeeded, 300)
