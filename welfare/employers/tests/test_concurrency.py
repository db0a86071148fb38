"""2,000 spends against one employee's wallet at once, each thread with its own connection (PostgreSQL only:
SQLite serialises every write). The wallet admits half of them: exactly that many succeed, it never goes
negative, and the ledger reconciles (wallets included)."""

import threading

import pytest
from django.db import connection, connections

from welfare.employers.tests.conftest import wallet_of
from welfare.ledger.actions import InsufficientFunds, Leg, account_for, do_post, reconcile
from welfare.ledger.models import Account, Transaction

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"),
]
THREADS, SPENDS = 16, 2000


def test_two_thousand_concurrent_spends_never_overdraw_a_wallet(plan, alice):
    wallet = wallet_of(alice, "f_ter")  # 200 € = 20,000 cents: admits 1,000 spends of 20 cents
    provider = account_for(Account.Kind.PROVIDER, "provider:concurrency")
    amount = wallet.account.balance_cents // (SPENDS // 2)
    succeeded, errors = [], []
    barrier = threading.Barrier(THREADS)

    def worker(number: int) -> None:
        try:
            barrier.wait()
            for _ in range(SPENDS // THREADS):
                try:
                    do_post(Transaction.Kind.SPEND, [Leg(wallet.account, -amount), Leg(provider, amount)], actor=None)
                    succeeded.append(1)
                except InsufficientFunds:
                    pass
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(succeeded) == SPENDS // 2
    assert Account.objects.get(pk=wallet.account_id).balance_cents == 0
    assert not Account.objects.filter(kind=Account.Kind.EMPLOYER_WALLET, balance_cents__lt=0).exists()
    assert reconcile() == []
