"""Money-moving API calls require an Idempotency-Key; a replay returns the first answer and moves nothing."""

import json

import pytest

from conftest import TRADATE, close_window, make_application
from welfare.api.tests.test_v1 import bearer
from welfare.ledger.actions import reconcile
from welfare.ledger.models import Transaction
from welfare.territory.models import Municipality
from welfare.vouchers.actions import Decision, do_assess_application, do_compute_ranking, do_publish_ranking
from welfare.vouchers.models import Voucher


@pytest.fixture
def ranked(programme, alice, bob, sofia, diana):
    application = make_application(alice, programme, isee_cents=500_000)
    do_assess_application(application, actor=sofia, decision=Decision.APPROVE, need_score=50, notes="", reason="")
    close_window(programme)
    tradate = Municipality.objects.get(istat_code=TRADATE)
    do_compute_ranking(programme, tradate, actor=diana)
    do_publish_ranking(programme, tradate, actor=diana)
    return programme


def issue(client, programme, headers, key=None):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(f"/api/v1/programmes/{programme.pk}/rankings/{TRADATE}/issue", **headers, **extra)


def test_issuing_requires_an_idempotency_key(client, ranked, diana):
    response = issue(client, ranked, bearer(diana))
    assert response.status_code == 428
    assert response.json()["code"] == "idempotency_key_required"
    assert not Voucher.objects.exists()


def test_a_replayed_issuance_returns_the_first_answer_and_moves_nothing(client, ranked, diana):
    headers = bearer(diana)
    first = issue(client, ranked, headers, key="issue-2027-tradate")
    assert first.status_code == 200
    assert len(first.json()["issued"]) == 1
    movements = Transaction.objects.count()
    replay = issue(client, ranked, headers, key="issue-2027-tradate")
    assert replay.json() == first.json()
    assert Transaction.objects.count() == movements
    assert Voucher.objects.count() == 1
    assert not reconcile()


def test_a_cancellation_is_idempotent_and_refused_to_others(client, ranked, diana, alice, sofia):
    issue(client, ranked, bearer(diana), key="k1")
    voucher = Voucher.objects.get()
    url = f"/api/v1/vouchers/{voucher.pk}/cancel"
    body = json.dumps({"reason": "Rinuncia della famiglia"})
    assert client.post(url, body, content_type="application/json", **bearer(sofia),
                       HTTP_IDEMPOTENCY_KEY="x").status_code == 403  # fmt: skip
    headers = bearer(diana)
    first = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="cancel-1", **headers)
    assert first.status_code == 200
    assert (first.json()["status"], first.json()["balance_cents"]) == ("cancelled", 0)
    replay = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="cancel-1", **headers)
    assert replay.json() == first.json()
    assert Transaction.objects.filter(kind="release").count() == 1
    again = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="cancel-2", **headers)
    assert again.status_code == 409  # a new key is a new request: the voucher is no longer active
    assert not reconcile()


def test_the_family_reads_its_vouchers_and_balances(client, ranked, diana, alice, bob):
    issue(client, ranked, bearer(diana), key="k1")
    mine = client.get("/api/v1/vouchers", **bearer(alice)).json()
    assert [(v["value_cents"], v["balance_cents"], v["copay_percent"]) for v in mine] == [(150_000, 150_000, 10)]
    assert client.get("/api/v1/vouchers", **bearer(bob)).json() == []
