"""Two planning-office clicks, an API retry and a cancellation at once: every family gets one voucher at most,
and the municipality's budget is never overspent (PostgreSQL, each worker with its own connection)."""

import datetime as dt

import pytest
from django.db import connection

from conftest import TRADATE, close_window, make_application, make_citizen
from welfare.ledger.actions import reconcile
from welfare.ledger.tests.test_concurrency import run_concurrently
from welfare.territory.models import Municipality
from welfare.vouchers.actions import (
    Decision,
    do_assess_application,
    do_compute_ranking,
    do_issue_vouchers,
    do_publish_ranking,
)
from welfare.vouchers.models import Application, Voucher
from welfare.vouchers.queries import budget_lines

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent writers need PostgreSQL"),
]


def test_concurrent_issuances_serve_each_family_once_within_the_budget(programme, sofia, diana):
    for i in range(5):  # five 1,500 € vouchers against Tradate's 3,000 €
        citizen = make_citizen(f"c{i}@example.org", "Coda", f"Famiglia{chr(65 + i)}", dt.date(1980, 1, 1 + i), TRADATE)
        application = make_application(citizen, programme, isee_cents=500_000 + i)
        do_assess_application(application, actor=sofia, decision=Decision.APPROVE, need_score=50, notes="", reason="")
    close_window(programme)
    tradate = Municipality.objects.get(istat_code=TRADATE)
    do_compute_ranking(programme, tradate, actor=diana)
    do_publish_ranking(programme, tradate, actor=diana)

    run_concurrently(lambda _number: do_issue_vouchers(programme, tradate, actor=diana), workers=8)

    assert Voucher.objects.count() == 2
    assert list(Application.objects.order_by("rank_position").values_list("outcome", flat=True)) == [
        "funded", "funded", "waiting", "waiting", "waiting",
    ]  # fmt: skip
    line = next(line for line in budget_lines(programme) if line.istat_code == TRADATE)
    assert (line.committed_cents, line.available_cents) == (300_000, 0)
    assert not reconcile()
