"""The provider API: bulk posting with external ids (idempotent), row-by-row errors, corrections, statements."""

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from welfare.api.tests.test_v1 import bearer
from welfare.delivery.models import Session
from welfare.ledger.actions import reconcile
from welfare.ledger.models import Transaction

TODAY = timezone.localdate().isoformat()


def row(request, external_id, start="15:00", end="17:00", **fields):
    return {"external_id": external_id, "request_id": str(request.pk), "day": TODAY, "starts_at": start,
            "ends_at": end, "operator": "Marta Bianchi", "activity": "Compiti", **fields}  # fmt: skip


def post(client, headers, rows, key=None, **body):
    """Post rows with a new Idempotency-Key (or the one given): the endpoint moves money and requires one."""
    return client.post("/api/v1/provider/sessions", json.dumps({"sessions": rows, **body}),
                       content_type="application/json", HTTP_IDEMPOTENCY_KEY=key or str(uuid.uuid4()),
                       **headers)  # fmt: skip


def nothing_moved(transactions_before):
    return Session.objects.count() == 0 and Transaction.objects.count() == transactions_before and not reconcile()


def test_valid_rows_are_stored_and_invalid_rows_reported_one_by_one(client, voucher_request, pietro):
    headers = bearer(pietro)
    response = post(client, headers, [
        row(voucher_request, "G-1"),
        row(voucher_request, "G-2", start="18:00", end="17:00"),
        row(voucher_request, "G-3", start="09:00", end="10:00"),
        row(voucher_request, "G-4") | {"request_id": "00000000-0000-0000-0000-000000000000"},
    ])  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["existing"], body["invalid"]) == (2, 0, 2)
    assert [(r["external_id"], r["status"]) for r in body["results"]] == [
        ("G-1", "created"), ("G-2", "invalid"), ("G-3", "created"), ("G-4", "invalid"),
    ]  # fmt: skip
    assert body["results"][1]["errors"][0]["code"] == "times_order"
    assert body["results"][3]["errors"][0]["code"] == "not_found"
    assert body["results"][0]["session"]["voucher_cents"] == 3960
    assert Session.objects.count() == 2


def test_reposting_the_same_external_ids_is_idempotent(client, voucher_request, pietro):
    headers = bearer(pietro)
    first = post(
        client, headers, [row(voucher_request, "G-1"), row(voucher_request, "G-2", start="09:00", end="10:00")]
    )
    movements = Transaction.objects.count()
    again = post(
        client, headers, [row(voucher_request, "G-1"), row(voucher_request, "G-2", start="09:00", end="10:00")]
    )
    assert [r["status"] for r in again.json()["results"]] == ["existing", "existing"]
    assert [r["session"]["id"] for r in again.json()["results"]] == [
        r["session"]["id"] for r in first.json()["results"]
    ]
    assert Transaction.objects.count() == movements
    changed = post(client, headers, [row(voucher_request, "G-1", end="18:00")])
    assert changed.json()["results"][0]["errors"][0]["code"] == "external_id_conflict"
    assert Session.objects.count() == 2


def test_a_correction_through_the_api_needs_an_idempotency_key(client, voucher_request, pietro):
    headers = bearer(pietro)
    session_id = post(client, headers, [row(voucher_request, "G-1")]).json()["results"][0]["session"]["id"]
    url = f"/api/v1/provider/sessions/{session_id}/correct"
    body = json.dumps({"day": TODAY, "starts_at": "15:00", "ends_at": "16:00", "operator": "Marta Bianchi",
                       "activity": "Compiti", "reason": "Uscita anticipata"})  # fmt: skip
    assert client.post(url, body, content_type="application/json", **headers).status_code == 428
    first = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="fix-1", **headers)
    replay = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="fix-1", **headers)
    assert first.status_code == 200
    assert replay.json() == first.json()
    assert first.json()["corrects_id"] == session_id
    assert first.json()["external_id"] == "G-1"  # the correction keeps the provider's reference
    again = post(client, headers, [row(voucher_request, "G-1", end="16:00")])
    assert again.json()["results"][0]["status"] == "existing"
    assert not reconcile()


def test_another_provider_cannot_post_or_correct_or_read(client, voucher_request, pietro, rita, alice):
    session_id = post(client, bearer(pietro), [row(voucher_request, "G-1")]).json()["results"][0]["session"]["id"]
    other = bearer(rita)
    assert post(client, other, [row(voucher_request, "R-1")]).json()["results"][0]["errors"][0]["code"] == "not_found"
    correct = client.post(f"/api/v1/provider/sessions/{session_id}/correct", json.dumps({
        "day": TODAY, "starts_at": "15:00", "ends_at": "16:00", "operator": "X", "activity": "Y", "reason": "Z",
    }), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k", **other)  # fmt: skip
    assert correct.status_code == 404
    assert client.get("/api/v1/provider/sessions", **other).json() == []
    assert post(client, bearer(alice), [row(voucher_request, "A-1")]).status_code == 403


def test_statement_status_is_readable(client, voucher_request, pietro, alice):
    from welfare.delivery.actions import do_confirm_session, do_generate_statement

    headers = bearer(pietro)
    session_id = post(client, headers, [row(voucher_request, "G-1")]).json()["results"][0]["session"]["id"]
    do_confirm_session(Session.objects.get(pk=session_id), actor=alice)
    month = dt.date.fromisoformat(TODAY).replace(day=1)
    do_generate_statement(voucher_request.organization, voucher_request.voucher.programme, month, actor=pietro)
    (statement,) = client.get("/api/v1/provider/statements", **headers).json()
    assert (statement["status"], statement["sessions_count"], statement["amount_cents"]) == ("draft", 1, 4400)
    listed = client.get("/api/v1/provider/sessions", {"month": TODAY}, **headers).json()
    assert [s["statement_id"] for s in listed] == [statement["id"]]


def test_text_with_a_nul_character_is_refused_as_invalid_input(client, voucher_request, pietro):
    """PostgreSQL cannot store NUL in text: the API says 422 on the field instead of failing with a 500."""
    response = post(client, bearer(pietro), [row(voucher_request, "G-\x00-1")])
    assert response.status_code == 422
    assert "external_id" in json.dumps(response.json())
    response = post(client, bearer(pietro), [row(voucher_request, "G-2", activity="Compiti\x00")])
    assert response.status_code == 422
    assert Session.objects.count() == 0


@pytest.mark.parametrize(("start", "end"), [
    ("10:00:00+05:00", "11:00:00+05:00"),  # an offset would be dropped and the hour priced at another time
    ("10:00:00+05:00", "11:00"),  # one aware, one naive: could not even be compared
    ("10:00Z", "11:00"),
    ("10:00:01", "10:59:59"),  # seconds: a 59-minute session stored as 58, or 10:00:01-10:00:59 as 0
])  # fmt: skip
def test_times_with_an_offset_or_seconds_are_refused_naming_the_field(client, voucher_request, pietro, start, end):
    before = Transaction.objects.count()
    response = post(client, bearer(pietro), [row(voucher_request, "G-1", start=start, end=end)])
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert any("starts_at" in error["loc"] or "ends_at" in error["loc"] for error in response.json()["detail"])
    assert nothing_moved(before)


def test_a_correction_with_an_offset_is_refused(client, voucher_request, pietro):
    session_id = post(client, bearer(pietro), [row(voucher_request, "G-1")]).json()["results"][0]["session"]["id"]
    before = Transaction.objects.count()
    response = client.post(f"/api/v1/provider/sessions/{session_id}/correct", json.dumps({
        "day": TODAY, "starts_at": "15:00+01:00", "ends_at": "16:00", "operator": "M", "activity": "C",
        "reason": "x"}), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k", **bearer(pietro))  # fmt: skip
    assert response.status_code == 422
    assert Transaction.objects.count() == before
    assert Session.objects.get().status == "valid"


@pytest.mark.parametrize("body", [
    {"unexpected": "\u202e\u0000x"},
    {"sessions_": [], "\ufeffsessions": "x"},
    {"metadata": {"\u2028": ["\udbff"]}},
])  # fmt: skip
def test_a_body_with_keys_the_schema_does_not_describe_is_refused(client, voucher_request, pietro, body):
    before = Transaction.objects.count()
    response = post(client, bearer(pietro), [row(voucher_request, "G-1")], **body)
    assert response.status_code == 422
    assert set(response.json()) == {"code", "message", "field", "detail"}  # the one error shape
    extra_in_row = post(client, bearer(pietro), [row(voucher_request, "G-1") | body])
    assert extra_in_row.status_code == 422
    assert nothing_moved(before)


@pytest.mark.parametrize("text", ["\u202e\u200b", "  ", "\U0001f600" * 100, "\u0085"])
def test_odd_unicode_answers_4xx_or_a_row_error_never_a_500(client, voucher_request, pietro, text):
    rows = [row(voucher_request, "G-1", operator=text), row(voucher_request, "G-2", activity=text, start="09:00",
            end="10:00"), row(voucher_request, text[:100], start="11:00", end="12:00")]  # fmt: skip
    response = post(client, bearer(pietro), rows)
    assert response.status_code in (200, 422)
    assert not reconcile()


def test_the_bulk_endpoint_requires_an_idempotency_key_and_honours_it(client, voucher_request, pietro):
    before = Transaction.objects.count()
    body = json.dumps({"sessions": [row(voucher_request, "G-1")]})
    without = client.post("/api/v1/provider/sessions", body, content_type="application/json", **bearer(pietro))
    assert without.status_code == 428
    assert nothing_moved(before)
    first = post(client, bearer(pietro), [row(voucher_request, "G-1")], key="batch-1")
    replay = post(client, bearer(pietro), [row(voucher_request, "G-1")], key="batch-1")
    assert first.status_code == replay.status_code == 200
    assert replay.json() == first.json()
    assert first.json()["results"][0]["status"] == "created"
    other_body = post(client, bearer(pietro), [row(voucher_request, "G-2", start="09:00", end="10:00")], key="batch-1")
    assert other_body.status_code == 422
    assert other_body.json()["code"] == "idempotency_key_reused"
    assert Session.objects.count() == 1


def test_overlapping_and_too_short_sessions_are_refused_row_by_row(client, voucher_request, pietro):
    response = post(client, bearer(pietro), [
        row(voucher_request, "G-1", start="15:00", end="17:00"),
        row(voucher_request, "G-2", start="15:00", end="17:00"),  # the same hours again
        row(voucher_request, "G-3", start="16:30", end="18:00"),  # half an hour inside the first
        row(voucher_request, "G-4", start="17:00", end="18:00"),  # starts when the first ends: fine
        row(voucher_request, "G-5", start="09:00", end="09:10"),  # ten minutes: below the billable unit
    ])  # fmt: skip
    codes = [(r["status"], r["errors"][0]["code"] if r["errors"] else "") for r in response.json()["results"]]
    assert codes == [("created", ""), ("invalid", "overlaps_session"), ("invalid", "overlaps_session"),
                     ("created", ""), ("invalid", "too_short")]  # fmt: skip
    assert "15:00" in response.json()["results"][1]["errors"][0]["detail"]
    assert "15" in response.json()["results"][4]["errors"][0]["detail"]
    assert Session.objects.count() == 2
    assert not reconcile()
