"""The ledger: balanced, append-only, never negative, reconcilable."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, transaction

from welfare.ledger.actions import InsufficientFunds, Leg, account_for, do_post, do_reverse, reconcile
from welfare.ledger.models import Account, Entry, Transaction


@pytest.fixture
def accounts(db):
    source = account_for(Account.Kind.FUNDING, "funding:test")
    budget = account_for(Account.Kind.BUDGET, "budget:test")
    voucher = account_for(Account.Kind.VOUCHER, "voucher:test")
    do_post(Transaction.Kind.FUND, [Leg(source, -10_000), Leg(budget, 10_000)], actor=None)
    return source, budget, voucher


def balances(*accounts):
    return [Account.objects.get(pk=a.pk).balance_cents for a in accounts]


def test_it_posts_a_balanced_transaction_and_moves_the_balances(accounts):
    source, budget, voucher = accounts
    posted = do_post(Transaction.Kind.ISSUE, [Leg(budget, -2_500), Leg(voucher, 2_500)], actor=None, memo="test")
    assert balances(source, budget, voucher) == [-10_000, 7_500, 2_500]
    assert sorted(posted.entries.values_list("amount_cents", flat=True)) == [-2_500, 2_500]
    assert not reconcile()


@pytest.mark.parametrize("legs", [[5], [5, -4], [5, 0, -5], [2.5, -2.5]])
def test_it_refuses_an_unbalanced_or_malformed_transaction(accounts, legs):
    _source, budget, voucher = accounts
    pairs = [Leg(budget if i % 2 else voucher, amount) for i, amount in enumerate(legs)]
    with pytest.raises(ValueError, match=r"leg|sum"):
        do_post(Transaction.Kind.ISSUE, pairs, actor=None)
    assert Transaction.objects.count() == 1


def test_an_overdraft_is_refused_and_nothing_moves(accounts):
    source, budget, voucher = accounts
    with pytest.raises(InsufficientFunds):
        do_post(Transaction.Kind.ISSUE, [Leg(voucher, 10_001), Leg(budget, -10_001)], actor=None)
    assert balances(source, budget, voucher) == [-10_000, 10_000, 0]  # the voucher leg, applied first, was undone
    assert Transaction.objects.count() == 1


def test_the_database_refuses_a_negative_balance_even_without_python(accounts):
    _source, budget, _voucher = accounts
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=budget.pk).update(balance_cents=-1)


def test_the_database_refuses_to_change_an_entry(accounts):
    entry = Entry.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(amount_cents=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        Transaction.objects.filter(pk=entry.transaction_id).update(memo="rewritten")


def test_a_reversal_compensates_once(accounts):
    source, budget, voucher = accounts
    issued = do_post(Transaction.Kind.ISSUE, [Leg(budget, -2_500), Leg(voucher, 2_500)], actor=None)
    reversal = do_reverse(issued, actor=None, reason="Emesso per errore")
    assert reversal.reverses == issued
    assert balances(source, budget, voucher) == [-10_000, 10_000, 0]
    assert Entry.objects.filter(transaction=issued).count() == 2  # the original stays, unchanged
    with pytest.raises(ValidationError) as refused:
        do_reverse(issued, actor=None, reason="Di nuovo")
    assert refused.value.code == "already_reversed"
    assert not reconcile()


def test_reconciliation_passes_then_catches_a_tampered_balance(accounts, capsys):
    call_command("reconcile_ledger")
    assert "reconciles" in capsys.readouterr().out
    _source, budget, _voucher = accounts
    Account.objects.filter(pk=budget.pk).update(balance_cents=9_000)  # someone edits the table by hand
    with pytest.raises(CommandError) as failed:
        call_command("reconcile_ledger")
    assert failed.value.returncode == 1
    assert "budget:test: entries say 10000, found 9000" in capsys.readouterr().err
