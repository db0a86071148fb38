"""Sessions logged at once (two staff members, the API) against a nearly spent voucher: the voucher pays
exactly what it had, the families the rest, and the books balance (PostgreSQL, separate connections)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from welfare.delivery.actions import SessionInput, do_log_session
from welfare.delivery.models import Session
from welfare.ledger.actions import reconcile
from welfare.ledger.models import Account
from welfare.ledger.tests.test_concurrency import run_concurrently
from welfare.vouchers.actions import do_spend_voucher

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"),
]


def test_concurrent_sessions_use_up_the_voucher_to_the_cent(voucher_request, pietro):
    do_spend_voucher(voucher_request.voucher, voucher_request.organization, 150_000 - 5_000, actor=None)  # 50 € left

    def log(number: int) -> None:
        do_log_session(voucher_request, actor=pietro, data=SessionInput(
            day=timezone.localdate(), starts_at=dt.time(8 + number), ends_at=dt.time(9 + number),
            operator="Marta", activity="Compiti",
        ))  # fmt: skip

    run_concurrently(log, workers=8)  # 8 hours at 22 €: the voucher would pay 19.80 € of each

    totals = Session.objects.aggregate(voucher=Sum("voucher_cents"), family=Sum("copayment_cents"))
    assert Session.objects.count() == 8
    assert totals["voucher"] == 5_000
    assert totals["family"] == 8 * 2200 - 5_000
    assert Account.objects.get(voucher=voucher_request.voucher).balance_cents == 0
    assert not reconcile()
